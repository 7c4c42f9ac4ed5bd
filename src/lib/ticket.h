/*
 * ticket: a ticket (工单) as the desk keeps it, and the rules about one
 * that need no database: its statuses and which are open, the moves
 * between them, what reopening clears, its id's day, how it prints.
 * store.h keeps tickets; ticketchange.h changes them.
 *
 * Ownership: a struct ticket owns its strings (ticket_release()); so
 * does a struct ticket_event (ticket_events_free()).
 */
#ifndef KEFU_TICKET_H
#define KEFU_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"

/* Room for an id, "GD" + YYYYMMDD + a sequence, and its NUL. */
#define TICKET_ID_SIZE 32

struct ticket {
	char id[TICKET_ID_SIZE];
	char *status, *type, *priority, *channel, *customer, *subject, *description;
	char *department, *assignee;
	int64_t created, first_response, resolved, closed, response_due, resolve_due;
	char *sla_policy;
	int64_t resolve_start; /* when the resolve clock (re)started */
	int64_t satisfaction;
	char *result, *feedback;
	char *tags;       /* the customer's tags, one a line */
	int64_t complexity;
	int64_t angry;
	char *suggest;    /* a soothing script's entry id */
	int64_t urged;    /* how often the customer chased it (催单) */
	char *flagged;    /* qa's reason, or NULL */
	int64_t escalated; /* ESCALATED_* bits */
	char *fingerprint, *message_id;
	int64_t updated;
	int64_t worked;   /* handling time added up, in seconds (RT's TimeWorked) */
};

/*
 * What escalated a ticket: its response clock, its resolve clock, or
 * the customer (unsatisfied, or the problem unresolved at a follow-up).
 */
enum { ESCALATED_RESPONSE = 1, ESCALATED_RESOLVE = 2, ESCALATED_CUSTOMER = 4 };
/* "response,resolve" and so on, "" for none; size 32 is enough. */
void ticket_escalated_names(int64_t bits, char out[32]);

/*
 * The fields after id, in the order of SPEC's list and then the rest,
 * as a store keeps them: what each is and where it lies in the struct.
 * A store's columns are these names.
 */
enum ticket_field_type {
	TF_TEXT,  /* char *, NULL when absent */
	TF_TIME,  /* int64_t instant, TIME_NONE when absent */
	TF_INT,   /* int64_t */
	TF_SCORE, /* int64_t, 0 when absent */
};
struct ticket_field {
	const char *name;
	enum ticket_field_type type;
	size_t offset;
};
extern const struct ticket_field ticket_fields[];
extern const size_t ticket_nfields;
/* Field i of t, by its type. */
char **ticket_text(const struct ticket *t, size_t i);
int64_t *ticket_num(const struct ticket *t, size_t i);

/* Statuses, in lifecycle order. */
extern const char *const ticket_statuses[]; /* NULL-terminated */
int ticket_status_valid(const char *s);
/* May a ticket go from status a to b? */
int ticket_transition_ok(const char *a, const char *b);
/*
 * Open means someone still has work to do: not resolved or closed. The
 * one definition: a store's queries for open tickets list the statuses
 * of ticket_statuses for which this holds.
 */
int ticket_is_open(const char *status);

/*
 * Priorities, most pressing first: urgent high normal low. The one
 * order: ticket lists and escalation follow it.
 */
#define PRIORITY_COUNT 4
int priority_rank(const char *p);    /* 0 urgent .. 3 low; -1 unknown */
const char *priority_name(int rank); /* "normal" out of range */

/* A "GD20260302"-style id prefix and the ticket's day, from its creation. */
void ticket_day(int64_t created, int offset, char day[9]);
/* The id of the seq-th ticket of day: GD, the day, at least four digits. */
void ticket_id(const char *day, int64_t seq, char id[TICKET_ID_SIZE]);
/*
 * The day (a real date) and sequence of an id as ticket_id() writes it:
 * 1, or 0 for anything else (GD20231008001, with three digits, is not).
 */
int ticket_id_parse(const char *id, char day[9], int64_t *seq);

/* An empty ticket: no text, every time TIME_NONE, every number 0. */
void ticket_init(struct ticket *t);
void ticket_copy(struct ticket *dst, const struct ticket *src);
void ticket_release(struct ticket *t);
/* Replace a string field's value (NULL allowed). */
void ticket_set(char **field, const char *value);
/* Does field i differ between a and b? */
int ticket_field_differs(const struct ticket *a, const struct ticket *b, size_t i);
/* Field i as an event records it: text, a number, NULL when absent. Freed by the caller. */
char *ticket_field_text(const struct ticket *t, size_t i);

/* The customer's tags, one a string; *n of them, allocated (ticket_tags_free()). */
char **ticket_tags(const struct ticket *t, size_t *n);
void ticket_tags_free(char **v, size_t n);

/*
 * Make t open again after it was resolved or closed: its result,
 * satisfaction and feedback go (the history keeps them), and with them
 * the resolve escalation.
 */
void ticket_reopen_fields(struct ticket *t);
/*
 * The same, when the customer's verdict is why it is reopened (an
 * escalation for an unsatisfied customer): satisfaction and feedback stay.
 */
void ticket_reopen_keep_verdict(struct ticket *t);

/* One line of a ticket's history: who did what, when; a field change keeps both sides. */
struct ticket_event {
	char ticket[TICKET_ID_SIZE];
	int64_t at;
	char *who, *what;
	char *field, *before, *after; /* NULL unless a field changed */
	char *note;
};
void ticket_events_free(struct ticket_event *v, size_t n);

/* How times print: the desk's zone. */
typedef int (*zone_fn)(const void *ctx, int64_t t);

/*
 * Emit t's fields in SPEC's order (id, status, type, priority, channel,
 * customer, subject, description, department, assignee, created,
 * first_response, resolved, closed, response_due, resolve_due,
 * sla_policy, satisfaction, result) and, for JSON, the rest (feedback,
 * tags, complexity, angry, suggest, urged, flagged, escalated, updated,
 * worked).
 */
void ticket_emit(struct out *o, const struct ticket *t, zone_fn zone, const void *zctx);

#endif
