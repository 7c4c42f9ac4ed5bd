/*
 * timeline: what a ticket's history says (store.h's struct
 * ticket_history), read once: when it stopped being open and when it
 * became open again, each escalation, chase and rating, whether it was
 * ever transferred or a script used on it, and any of its text fields
 * as it stood at an instant. Reports are built on it (report.h).
 *
 * The events are the record: every field change is an event with the
 * value before and after (ticketchange.h), so the ticket as it is, with
 * the changes since an instant undone, is the ticket as it stood then.
 * A ticket whose events say nothing of how it ended (one brought in from
 * elsewhere) is taken as open from its creation until its resolved time
 * (else its closed time, else its last change), and its satisfaction as
 * given then.
 *
 * Ownership: a struct timeline owns its arrays; timeline_read() reuses
 * them from ticket to ticket, timeline_release() frees them.
 */
#ifndef KEFU_TIMELINE_H
#define KEFU_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* An instant and a number: a chase (how many), a rating (the score). */
struct timeline_mark {
	int64_t at;
	int64_t n;
};

struct timeline {
	int64_t created;
	/* Each change between open and not open, in order: at, and open after it. */
	struct timeline_mark *turns;
	size_t nturns, aturns;
	int open0;                /* open when created */
	int64_t first_resolution; /* the first time it stopped being open; TIME_NONE */
	size_t nresolutions, nreopenings;
	struct timeline_mark *escalations, *urges, *ratings;
	size_t nesc, aesc, nurge, aurge, nrat, arat;
	int transferred; /* ever handed on (an event "transfer") */
	int scripted;    /* a script recorded as used on it (an event "kb-use") */
};

#define TIMELINE_INIT { 0 }

/* Read h into tl, forgetting what it held. */
void timeline_read(struct timeline *tl, const struct ticket_history *h);
void timeline_release(struct timeline *tl);

/* Did the ticket exist and was it open at instant at? Changes made at at count after it. */
int timeline_open_at(const struct timeline *tl, int64_t at);

/*
 * The spans it was open ([start, end), end TIME_NONE while it still is),
 * one at a time: i from 0; 0 when there are no more.
 */
int timeline_open_span(const struct timeline *tl, size_t i, int64_t *start, int64_t *end);

/*
 * Text field name (a ticket_fields name of type TF_TEXT) as it stood at
 * instant at, changes made at at not yet made: the ticket's value with
 * every later change undone. Points into h; NULL when it had none.
 */
const char *timeline_text_at(const struct ticket_history *h, const char *name, int64_t at);

#endif
