/*
 * ticket: a ticket (工单) in the desk database, and every change to it.
 *
 * A command loads a ticket, changes a copy, and stores the copy: each
 * field that differs is written and logged as an event (who, when,
 * what, field, before, after) in the caller's transaction, so a change
 * and its record never part.
 *
 * Ownership: a struct ticket owns its strings (ticket_release()).
 */
#ifndef KEFU_TICKET_H
#define KEFU_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include "deskdb.h"
#include "output.h"

struct ticket {
	char id[32];
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
};

enum { ESCALATED_RESPONSE = 1, ESCALATED_RESOLVE = 2 };

/* Statuses, in lifecycle order. */
extern const char *const ticket_statuses[]; /* NULL-terminated */
int ticket_status_valid(const char *s);
/* May a ticket go from status a to b? */
int ticket_transition_ok(const char *a, const char *b);
/* Open means someone still has work to do: not resolved or closed. */
int ticket_is_open(const char *status);

/* A "GD20260302"-style id prefix and the ticket's day, from its creation. */
void ticket_day(int64_t created, int offset, char day[9]);

enum kf_status ticket_load(struct deskdb *d, const char *id, struct ticket *t,
			   struct kf_err *err);
void ticket_copy(struct ticket *dst, const struct ticket *src);
void ticket_release(struct ticket *t);
/*
 * Make t open again after it was resolved or closed: its result,
 * satisfaction and feedback go (the history keeps them), and with them
 * the resolve escalation.
 */
void ticket_reopen_fields(struct ticket *t);

/* Replace a string field's value (NULL allowed). */
void ticket_set(char **field, const char *value);

/*
 * Insert t as a new ticket, its id GD + its day at offset + the next
 * sequence of that day (at least four digits), and log "open". Call in a
 * transaction: the write lock makes the sequence unique. KF_EDB.
 */
enum kf_status ticket_create(struct deskdb *d, struct ticket *t, int offset, const char *who,
			     const char *note, struct kf_err *err);

/*
 * Write what differs between before and after, logging one event per
 * field as what (a word: claim, status, transfer...), with note; when
 * no field differs, one event carrying only the note. KF_EDB.
 */
enum kf_status ticket_store(struct deskdb *d, const struct ticket *before,
			    const struct ticket *after, const char *who, int64_t at,
			    const char *what, const char *note, struct kf_err *err);

/* Log an event without a field change. KF_EDB. */
enum kf_status ticket_event(struct deskdb *d, const char *id, const char *who, int64_t at,
			    const char *what, const char *note, struct kf_err *err);

/* How times print: the desk's zone. */
typedef int (*zone_fn)(const void *ctx, int64_t t);

/*
 * Emit t's fields in SPEC's order (id, status, type, priority, channel,
 * customer, subject, description, department, assignee, created,
 * first_response, resolved, closed, response_due, resolve_due,
 * sla_policy, satisfaction, result) and, for JSON, the rest (feedback,
 * tags, complexity, angry, suggest, urged, flagged, escalated, updated).
 */
void ticket_emit(struct out *o, const struct ticket *t, zone_fn zone, const void *zctx);

/* Read a row of "SELECT " TICKET_COLUMNS " FROM tickets" into t. */
#define TICKET_COLUMNS                                                                     \
	"id, status, type, priority, channel, customer, subject, description, department,"  \
	" assignee, created, first_response, resolved, closed, response_due, resolve_due,"  \
	" sla_policy, resolve_start, satisfaction, result, feedback, tags, complexity,"     \
	" angry, suggest,"                                                                 \
	" urged, flagged, escalated, fingerprint, message_id, updated"
void ticket_read_row(sqlite3_stmt *st, struct ticket *t);
/* An empty ticket: no text, every time TIME_NONE, every number 0. */
void ticket_init(struct ticket *t);

#endif
