/*
 * store: the desk's system of record, behind one interface: tickets,
 * their events, the pauses of their SLA clocks, ringall's offers, the
 * agents' status, routing's memory (the round-robin place, each agent's
 * last assignment), the e-mails seen, knowledge usage, follow-up calls,
 * and each day's ticket sequence; and all of it at once, to dump and
 * restore. Every statement about the desk's data is made here;
 * the rules above (ticketchange.h, assign.h, claim.h...) never see it.
 *
 * The contract, for every implementation (store-sqlite.c, store-pg.c):
 * - Times are instants, seconds since the epoch; TIME_NONE is none.
 *   Ids, emails and days ("20260302") are strings.
 * - Every call returns KF_OK or fails with one line in err naming what
 *   failed. A read that fails half-way fails the call (KF_EDB): never a
 *   shorter answer, never a default in place of what could not be read.
 * - Writes are made between store_begin() and store_commit(); the begin
 *   waits for other writers, so what is read after it stays true until
 *   the commit. store_rollback() undoes them all.
 * - The open statuses are ticket_is_open()'s, the order of priorities
 *   priority_rank()'s: an implementation asks them, it does not repeat
 *   them.
 *
 * Ownership: what a call fills (a ticket, arrays of events, pauses or
 * names) is the caller's to free, as each prototype says; callbacks see
 * what is valid only during the call.
 */
#ifndef KEFU_STORE_H
#define KEFU_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "status.h"
#include "ticket.h"

struct store_ops;

/* A connection to a desk's store; an implementation embeds it first. */
struct store {
	const struct store_ops *ops;
};

enum store_mode {
	STORE_READ,  /* the store must exist (KF_ENOTFOUND when absent) */
	STORE_WRITE, /* created whole when absent, brought to this version */
};

/*
 * Open the store in the SQLite file at where. Refuses,
 * never replaces, one that is empty, truncated, damaged, not kefu's or
 * of a newer kefu (KF_EDB, the message naming the file and what to do).
 * KF_ENOTFOUND reading one that is absent; KF_EIO.
 */
enum kf_status store_open(const char *where, enum store_mode mode, struct store **out,
			  struct kf_err *err);
/* An empty desk that lives in memory only: nothing ever written. KF_EDB. */
enum kf_status store_open_memory(struct store **out, struct kf_err *err);
void store_close(struct store *st); /* NULL is fine */

/* A write transaction: waits for other writers. KF_EDB. */
enum kf_status store_begin(struct store *st, struct kf_err *err);
enum kf_status store_commit(struct store *st, struct kf_err *err);
/* Undo the transaction, if one is open. */
void store_rollback(struct store *st);
/*
 * End the transaction as status says: commit it when KF_OK, else roll it
 * back. Returns status, or the commit's failure (rolled back too).
 */
enum kf_status store_end(struct store *st, enum kf_status status, struct kf_err *err);

/* ---- tickets ---- */

/* The ticket id into t (ticket_release()). KF_ENOTFOUND, KF_EDB. */
enum kf_status store_ticket_get(struct store *st, const char *id, struct ticket *t,
				struct kf_err *err);
/*
 * The next sequence number of day (YYYYMMDD): above every ticket of that
 * day ever issued, even by a copy of the store since lost or replaced.
 * In a transaction, which keeps it until the ticket is inserted.
 * KF_EDB, KF_EIO, KF_EINVAL (the record of issued numbers is damaged).
 */
enum kf_status store_ticket_seq_next(struct store *st, const char *day, int64_t *seq,
				     struct kf_err *err);
/* A new ticket, t->id being day's seq-th. KF_EDB (one with that id exists). */
enum kf_status store_ticket_insert(struct store *st, const struct ticket *t, const char *day,
				   int64_t seq, struct kf_err *err);
/* Write every field of t over the ticket t->id. KF_ENOTFOUND, KF_EDB. */
enum kf_status store_ticket_update(struct store *st, const struct ticket *t,
				   struct kf_err *err);

enum ticket_order {
	TICKET_BY_URGENCY, /* priority, then chased most, then oldest; then id */
	TICKET_BY_ID,
	TICKET_BY_AGE,     /* oldest first; then id */
	TICKET_BY_NEWEST,  /* newest first; then the higher id */
};

enum ticket_assigned { ASSIGNED_ANY, ASSIGNED_NOBODY, ASSIGNED_SOMEBODY };

/* Which tickets: every condition set must hold. ticket_filter_init() sets none. */
#define TICKET_FILTER_STATUSES 16
struct ticket_filter {
	const char *const *statuses; /* one of these nstatuses (the first 16) */
	size_t nstatuses;
	int open;                    /* ticket_is_open() */
	const char *department, *type, *priority, *customer, *channel, *fingerprint;
	const char *assignee;        /* this agent's, compared without case */
	enum ticket_assigned assigned;
	const char *except;          /* not this id */
	int64_t since, until;        /* created in [since, until) */
	int done;                    /* not ticket_is_open(): resolved or closed */
	int64_t updated_since;       /* its record changed at or after this instant */
	int64_t touched_since;       /* open, or its record changed at or after this
					instant (a report's tickets: those that may have
					done anything since) */
	int64_t overdue_at;          /* open and, at this instant, past a due time its clock
					still runs to (a pending ticket judged when it paused) */
	int flagged;                 /* flagged by qa */
	int with_policy;             /* under an SLA policy */
	enum ticket_order order;
	long limit;                  /* at most; 0: all */
};
void ticket_filter_init(struct ticket_filter *f);

/*
 * Called for each ticket found; anything but KF_OK stops the walk and is
 * returned. It may read the store, never begin or end a transaction.
 */
typedef enum kf_status (*store_ticket_fn)(void *ctx, const struct ticket *t,
					   struct kf_err *err);
/* The tickets f lets through, in its order. KF_EDB, or fn's status. */
enum kf_status store_tickets_each(struct store *st, const struct ticket_filter *f,
				  store_ticket_fn fn, void *ctx, struct kf_err *err);
/* How many there are (limit and order aside). KF_EDB. */
enum kf_status store_tickets_count(struct store *st, const struct ticket_filter *f, long *n,
				   struct kf_err *err);

/* ---- a ticket's history ---- */

enum kf_status store_event_add(struct store *st, const struct ticket_event *e,
			       struct kf_err *err);
/* Its events, oldest first, *v allocated (ticket_events_free()). KF_EDB. */
enum kf_status store_events_get(struct store *st, const char *id, struct ticket_event **v,
				size_t *n, struct kf_err *err);

/* ---- the pauses of its SLA clocks (while pending) ---- */

enum kf_status store_pause_start(struct store *st, const char *id, int64_t at,
				 struct kf_err *err);
/* The running pause ends at. */
enum kf_status store_pause_end(struct store *st, const char *id, int64_t at,
			       struct kf_err *err);
/* Its pauses by start, *v allocated; a running one ends TIME_NONE. KF_EDB. */
enum kf_status store_pauses_get(struct store *st, const char *id, struct span **v, size_t *n,
				struct kf_err *err);
/*
 * The pauses of every ticket f lets through, by ticket id then start, in
 * one read (sla-check's many tickets): fn for each; anything but KF_OK
 * stops the walk and is returned. KF_EDB.
 */
typedef enum kf_status (*store_pause_fn)(void *ctx, const char *id, const struct span *p,
					  struct kf_err *err);
enum kf_status store_pauses_each(struct store *st, const struct ticket_filter *f,
				 store_pause_fn fn, void *ctx, struct kf_err *err);

/* ---- histories: tickets with all they recorded, for reports ---- */

/*
 * A ticket with its whole history: its events in the order they were
 * written (as store_events_get() gives them) and its pauses by start (as
 * store_pauses_get() gives them; a running one ends TIME_NONE). Valid
 * during the callback only.
 */
struct ticket_history {
	const struct ticket *t;
	const struct ticket_event *events;
	size_t nevents;
	const struct span *pauses;
	size_t npauses;
};
typedef enum kf_status (*store_history_fn)(void *ctx, const struct ticket_history *h,
					    struct kf_err *err);
/*
 * Every ticket f lets through, in no particular order, each with all
 * its events and all its pauses, in one read of one snapshot: what is
 * written meanwhile is either wholly seen or not at all, also inside a
 * transaction. f->order and f->limit are not used. A store reads the
 * tickets by f and then each one's events and pauses by its id; with
 * touched_since, the open tickets and then the others changed since.
 * fn for each; anything but KF_OK stops the walk and is returned. KF_EDB.
 */
enum kf_status store_histories_each(struct store *st, const struct ticket_filter *f,
				    store_history_fn fn, void *ctx, struct kf_err *err);

/* ---- ringall's offers ---- */

/* Who ticket id is offered to, sorted; *agents allocated (store_names_free()). KF_EDB. */
enum kf_status store_offers_get(struct store *st, const char *id, char ***agents, size_t *n,
				struct kf_err *err);
/* Offer it to these instead (none: to nobody any more). KF_EDB. */
enum kf_status store_offers_set(struct store *st, const char *id, char *const *agents,
				size_t n, int64_t at, struct kf_err *err);
void store_names_free(char **v, size_t n);

/* ---- agents, and routing's memory ---- */

struct agent_record {
	int away;              /* set away by agent-status; else available */
	int64_t since;         /* when the status was set; TIME_NONE: never */
	int64_t last_assigned; /* TIME_NONE: never */
};
/* What the desk holds of agent email; one never seen is available. KF_EDB. */
enum kf_status store_agent_get(struct store *st, const char *email, struct agent_record *a,
			       struct kf_err *err);
enum kf_status store_agent_set_away(struct store *st, const char *email, int away, int64_t at,
				    struct kf_err *err);
/* Agent email was given a ticket at (for leastrecent and recent). KF_EDB. */
enum kf_status store_agent_assigned(struct store *st, const char *email, int64_t at,
				    struct kf_err *err);
/* The agent roundrobin picked last in department, or *agent NULL; allocated. KF_EDB. */
enum kf_status store_route_last_get(struct store *st, const char *department, char **agent,
				    struct kf_err *err);
enum kf_status store_route_last_set(struct store *st, const char *department,
				    const char *agent, struct kf_err *err);

/* ---- e-mails: one delivered twice is seen, a reply finds its ticket ---- */

/* The ticket that received message_id, into id ("" when none). KF_EDB. */
enum kf_status store_message_ticket(struct store *st, const char *message_id,
				    char id[TICKET_ID_SIZE], struct kf_err *err);
/* Keep message_id with ticket; one kept already stays with its ticket. KF_EDB. */
enum kf_status store_message_add(struct store *st, const char *message_id, const char *ticket,
				 struct kf_err *err);

/* ---- knowledge usage ---- */

/* A script used: by who at at, on ticket (may be NULL), note (may be NULL); day counts it. */
enum kf_status store_usage_add(struct store *st, const char *entry, const char *ticket,
			       const char *who, int64_t at, const char *day, const char *note,
			       struct kf_err *err);
/* How often each of entries[0..n) was used, into uses[0..n). KF_EDB. */
enum kf_status store_usage_counts(struct store *st, const char *const *entries, size_t n,
				  long *uses, struct kf_err *err);
/*
 * How often each of entries[0..n) was used on a ticket of type (the
 * type compared exactly) other than except (NULL: none), into
 * uses[0..n): what agents chose for similar tickets. KF_EDB.
 */
enum kf_status store_usage_counts_on_type(struct store *st, const char *type,
					  const char *except, const char *const *entries,
					  size_t n, long *uses, struct kf_err *err);

/* One use of a script, as store_usage_add() recorded it. */
struct kb_use {
	const char *entry;
	const char *ticket; /* NULL: used without a ticket */
	const char *who;
	int64_t at;
	const char *note;   /* NULL: none (used as written) */
};
typedef enum kf_status (*store_usage_fn)(void *ctx, const struct kb_use *u, struct kf_err *err);
/*
 * Every use with since <= at < until (TIME_NONE: no bound on that side),
 * by at, then in the order they were recorded; a range read, not a scan
 * of every use. fn for each, valid during the call; anything but KF_OK
 * stops the walk and is returned. KF_EDB.
 */
enum kf_status store_usage_each(struct store *st, int64_t since, int64_t until,
				store_usage_fn fn, void *ctx, struct kf_err *err);

/* ---- follow-up calls (回访), scheduled by workflows/followups.yaml ---- */

/*
 * One call to make about a ticket, pending until its outcome is recorded.
 * A store keeps every field as written; it gives no meaning to any.
 */
struct followup {
	int64_t id;                  /* the store's number for it, > 0 */
	char ticket[TICKET_ID_SIZE];
	char *name;                  /* the rule that made it */
	char *event;                 /* what it follows: "resolved", "closed", "sale"... */
	char *purpose;
	int64_t scheduled;           /* when it was made or last moved */
	int64_t due;                 /* when the call is to be made */
	int64_t notified;            /* when the followup-due hook was run; TIME_NONE: not yet */
	int64_t done;                /* when its outcome was recorded; TIME_NONE: pending */
	char *outcome;               /* NULL while pending, else a word ("done"...) */
	char *who;                   /* who recorded the outcome */
	char *note;
	int64_t satisfaction;        /* 1-5, 0 when none */
};
void followup_release(struct followup *f);

/* Which follow-ups: every condition set must hold. followup_filter_init() sets none. */
struct followup_filter {
	int64_t id;          /* this one; 0: any */
	const char *ticket;  /* of this ticket */
	const char *name;    /* made by this rule */
	int pending;         /* done is TIME_NONE */
	int unnotified;      /* notified is TIME_NONE */
	int64_t due_before;  /* due < due_before; TIME_NONE: any */
};
void followup_filter_init(struct followup_filter *f);

/*
 * Called for each follow-up found, with its ticket as the store holds
 * it now; anything but KF_OK stops the walk and is returned.
 */
typedef enum kf_status (*store_followup_fn)(void *ctx, const struct followup *f,
					     const struct ticket *t, struct kf_err *err);

/* Keep a new follow-up (f->id ignored); *id its number. KF_EDB. */
enum kf_status store_followup_add(struct store *st, const struct followup *f, int64_t *id,
				  struct kf_err *err);
/* Write every field of f over the follow-up f->id. KF_ENOTFOUND, KF_EDB. */
enum kf_status store_followup_update(struct store *st, const struct followup *f,
				     struct kf_err *err);
/*
 * The follow-ups f lets through, by due time then id, each with its
 * ticket (one whose ticket is missing is not shown). A store keeps the
 * pending ones so that listing those due is a range read, not a scan:
 * 100,000 in well under a second. KF_EDB, or fn's status.
 */
enum kf_status store_followups_each(struct store *st, const struct followup_filter *f,
				    store_followup_fn fn, void *ctx, struct kf_err *err);

/* ---- the whole store: a dump, and its restore (ticket-export, ticket-import) ---- */

/* A use of a knowledge script, as store_usage_add() keeps it. */
struct usage_record {
	char *entry;
	char *ticket; /* NULL: used on no ticket */
	char *who;
	int64_t at;
	char *note;   /* NULL: none */
	char *day;    /* putting it: the day it counts for, as store_usage_add()'s; read: NULL */
};
void usage_record_release(struct usage_record *u);

/* An agent a ticket is offered to (ringall), and since when. */
struct offer_record {
	char *agent;
	int64_t at;
};

/*
 * A ticket and every row the store keeps about it, each list in the
 * order given. t.id is ticket_id(day, seq). Everything is owned
 * (ticket_record_release()).
 */
struct ticket_record {
	struct ticket t;
	char day[9];
	int64_t seq;
	struct ticket_event *events;  /* oldest first, as store_events_get() */
	size_t nevents;
	struct span *pauses;          /* by start; a running one ends TIME_NONE */
	size_t npauses;
	struct offer_record *offers;  /* by agent */
	size_t noffers;
	char **messages;              /* the e-mails' Message-IDs kept with it, sorted */
	size_t nmessages;
	struct usage_record *usage;   /* the uses on it, in the order they were added */
	size_t nusage;
	struct followup *followups;   /* by id */
	size_t nfollowups;
};
void ticket_record_release(struct ticket_record *r);

/* What the store keeps that is no one ticket's. */
enum desk_record_kind {
	DESK_AGENT,    /* an agent's status and last assignment (store_agent_get()) */
	DESK_ROUTE,    /* roundrobin's last pick in a department */
	DESK_USAGE,    /* a use on no ticket, or on a ticket the store does not hold */
	DESK_SEQUENCE, /* the highest number ever issued on a day */
};
struct desk_record {
	enum desk_record_kind kind;
	char *name;                /* the agent's email, the department, the day YYYYMMDD */
	struct agent_record agent; /* DESK_AGENT */
	char *last_agent;          /* DESK_ROUTE: NULL when none */
	struct usage_record usage; /* DESK_USAGE (name NULL) */
	int64_t seq;               /* DESK_SEQUENCE: above every ticket of that day ever
				      issued, and above what the store holds of it */
};
void desk_record_release(struct desk_record *r);

/*
 * Called with each record; anything but KF_OK stops the walk and is
 * returned. The record is valid during the call only.
 */
typedef enum kf_status (*store_record_fn)(void *ctx, const struct ticket_record *r,
					   struct kf_err *err);
typedef enum kf_status (*store_desk_fn)(void *ctx, const struct desk_record *r,
					 struct kf_err *err);

/*
 * Every ticket f lets through, by id whatever f's order, each with all
 * its rows: with store_desk_each(), everything the store holds, so that
 * putting it all into an empty store makes one that reads the same
 * through every call here. One read: a dump of 100,000 tickets and their
 * events takes seconds, not a query a ticket. KF_EDB, or fn's status.
 */
enum kf_status store_records_each(struct store *st, const struct ticket_filter *f,
				  store_record_fn fn, void *ctx, struct kf_err *err);
/*
 * What no one ticket owns, in this order: agents by email, departments'
 * last picks by department, those uses by when they were added, the
 * days' sequences by day (every day a ticket was issued on). KF_EDB,
 * KF_EIO, KF_EINVAL (the record of issued numbers is damaged), or fn's.
 */
enum kf_status store_desk_each(struct store *st, store_desk_fn fn, void *ctx,
			       struct kf_err *err);

/*
 * Put a ticket and its rows, as they are, in a write transaction: the
 * ticket as store_ticket_insert(), its events, pauses and offers with
 * their times, its Message-IDs (one kept already stays with its ticket,
 * as store_message_add()), its uses counted as store_usage_add() counts
 * them, its follow-ups with their ids (a follow-up id 0 is given the
 * next number). KF_EEXIST, nothing put, when a ticket with its id or
 * its day and sequence exists, or a follow-up's id is taken; KF_EDB.
 */
enum kf_status store_record_put(struct store *st, const struct ticket_record *r,
				struct kf_err *err);
/*
 * Put a desk record, in a write transaction: an agent's record or a
 * department's last pick replaces what the store had; a use is added
 * and counted; a day's sequence is raised to seq, never lowered, and
 * kept when the transaction commits, before it does (a crash between
 * leaves numbers unissued, never issues one twice). KF_EDB, KF_EIO.
 */
enum kf_status store_desk_put(struct store *st, const struct desk_record *r,
			      struct kf_err *err);

/*
 * What an implementation provides, one function a call above (store.c
 * passes each call on). open/open_memory are not here: store_open()
 * picks the implementation.
 *
 * A new op is added to both, with the same answers byte for byte: its
 * prototype above and its member here; its call in store.c; in
 * store-sqlite.c and store-pg.c a function and its line in the ops
 * table (tests/unit/store.c fails on a member left null). New tables or
 * columns are one more migration in each file's migrations[], the same
 * version number in both. In store-pg.c, text is compared as bytes
 * (columns COLLATE "C"), instants are bigint, NULLs never decide an
 * order, and a list that may be long is read by each_row() in batches.
 */
struct store_ops {
	void (*close)(struct store *st);
	enum kf_status (*begin)(struct store *st, struct kf_err *err);
	enum kf_status (*commit)(struct store *st, struct kf_err *err);
	void (*rollback)(struct store *st);
	enum kf_status (*ticket_get)(struct store *st, const char *id, struct ticket *t,
				     struct kf_err *err);
	enum kf_status (*ticket_seq_next)(struct store *st, const char *day, int64_t *seq,
					  struct kf_err *err);
	enum kf_status (*ticket_insert)(struct store *st, const struct ticket *t,
					const char *day, int64_t seq, struct kf_err *err);
	enum kf_status (*ticket_update)(struct store *st, const struct ticket *t,
					struct kf_err *err);
	enum kf_status (*tickets_each)(struct store *st, const struct ticket_filter *f,
				       store_ticket_fn fn, void *ctx, struct kf_err *err);
	enum kf_status (*tickets_count)(struct store *st, const struct ticket_filter *f,
					long *n, struct kf_err *err);
	enum kf_status (*event_add)(struct store *st, const struct ticket_event *e,
				    struct kf_err *err);
	enum kf_status (*events_get)(struct store *st, const char *id, struct ticket_event **v,
				     size_t *n, struct kf_err *err);
	enum kf_status (*pause_start)(struct store *st, const char *id, int64_t at,
				      struct kf_err *err);
	enum kf_status (*pause_end)(struct store *st, const char *id, int64_t at,
				    struct kf_err *err);
	enum kf_status (*pauses_get)(struct store *st, const char *id, struct span **v,
				     size_t *n, struct kf_err *err);
	enum kf_status (*pauses_each)(struct store *st, const struct ticket_filter *f,
				      store_pause_fn fn, void *ctx, struct kf_err *err);
	enum kf_status (*histories_each)(struct store *st, const struct ticket_filter *f,
					 store_history_fn fn, void *ctx, struct kf_err *err);
	enum kf_status (*offers_get)(struct store *st, const char *id, char ***agents,
				     size_t *n, struct kf_err *err);
	enum kf_status (*offers_set)(struct store *st, const char *id, char *const *agents,
				     size_t n, int64_t at, struct kf_err *err);
	enum kf_status (*agent_get)(struct store *st, const char *email,
				    struct agent_record *a, struct kf_err *err);
	enum kf_status (*agent_set_away)(struct store *st, const char *email, int away,
					 int64_t at, struct kf_err *err);
	enum kf_status (*agent_assigned)(struct store *st, const char *email, int64_t at,
					 struct kf_err *err);
	enum kf_status (*route_last_get)(struct store *st, const char *department,
					 char **agent, struct kf_err *err);
	enum kf_status (*route_last_set)(struct store *st, const char *department,
					 const char *agent, struct kf_err *err);
	enum kf_status (*message_ticket)(struct store *st, const char *message_id,
					 char id[TICKET_ID_SIZE], struct kf_err *err);
	enum kf_status (*message_add)(struct store *st, const char *message_id,
				      const char *ticket, struct kf_err *err);
	enum kf_status (*usage_add)(struct store *st, const char *entry, const char *ticket,
				    const char *who, int64_t at, const char *day,
				    const char *note, struct kf_err *err);
	enum kf_status (*usage_counts)(struct store *st, const char *const *entries, size_t n,
				       long *uses, struct kf_err *err);
	enum kf_status (*usage_each)(struct store *st, int64_t since, int64_t until,
				     store_usage_fn fn, void *ctx, struct kf_err *err);
	enum kf_status (*usage_counts_on_type)(struct store *st, const char *type,
					       const char *except, const char *const *entries,
					       size_t n, long *uses, struct kf_err *err);
	enum kf_status (*followup_add)(struct store *st, const struct followup *f, int64_t *id,
				       struct kf_err *err);
	enum kf_status (*followup_update)(struct store *st, const struct followup *f,
					  struct kf_err *err);
	enum kf_status (*followups_each)(struct store *st, const struct followup_filter *f,
					 store_followup_fn fn, void *ctx, struct kf_err *err);
	enum kf_status (*records_each)(struct store *st, const struct ticket_filter *f,
				       store_record_fn fn, void *ctx, struct kf_err *err);
	enum kf_status (*desk_each)(struct store *st, store_desk_fn fn, void *ctx,
				    struct kf_err *err);
	enum kf_status (*record_put)(struct store *st, const struct ticket_record *r,
				     struct kf_err *err);
	enum kf_status (*desk_put)(struct store *st, const struct desk_record *r,
				   struct kf_err *err);
};

/* The SQLite implementation (store-sqlite.c): path, or NULL for memory. */
enum kf_status store_sqlite_open(const char *path, enum store_mode mode, struct store **out,
				 struct kf_err *err);

/*
 * The PostgreSQL implementation (store-pg.c): uri is a libpq connection
 * string. As store_open(); KF_ENOTFOUND reading a database without a
 * desk in it. deskstore.h says which a desk uses.
 */
enum kf_status store_pg_open(const char *uri, enum store_mode mode, struct store **out,
			     struct kf_err *err);
/* Whom the server authenticated (session_user) when st is in PostgreSQL; else NULL. */
const char *store_pg_user(struct store *st);
/* The same, connecting to uri only to ask; *user allocated. KF_EDB. */
enum kf_status store_pg_login(const char *uri, char **user, struct kf_err *err);

#endif
