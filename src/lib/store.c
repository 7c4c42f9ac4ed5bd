#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "isotime.h"

/* A desk's store may also be in PostgreSQL: deskstore.h chooses. */
enum kf_status store_open(const char *where, enum store_mode mode,
			  struct store **out, struct kf_err *err)
{
	return store_sqlite_open(where, mode, out, err);
}

enum kf_status store_open_memory(struct store **out, struct kf_err *err)
{
	return store_sqlite_open(NULL, STORE_WRITE, out, err);
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

enum kf_status store_end(struct store *st, enum kf_status status, struct kf_err *err)
{
	if (!status)
		status = store_commit(st, err);
	if (status)
		store_rollback(st);
	return status;
}

void ticket_filter_init(struct ticket_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->since = f->until = f->overdue_at = f->touched_since = f->updated_since = TIME_NONE;
}

void followup_filter_init(struct followup_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->due_before = TIME_NONE;
}

void followup_release(struct followup *f)
{
	free(f->name);
	free(f->event);
	free(f->purpose);
	free(f->outcome);
	free(f->who);
	free(f->note);
	memset(f, 0, sizeof(*f));
}

void store_names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

enum kf_status store_begin(struct store *st, struct kf_err *err)
{
	return st->ops->begin(st, err);
}

enum kf_status store_commit(struct store *st, struct kf_err *err)
{
	return st->ops->commit(st, err);
}

void store_rollback(struct store *st)
{
	st->ops->rollback(st);
}

enum kf_status store_ticket_get(struct store *st, const char *id,
				struct ticket *t, struct kf_err *err)
{
	return st->ops->ticket_get(st, id, t, err);
}

enum kf_status store_ticket_seq_next(struct store *st, const char *day,
				     int64_t *seq, struct kf_err *err)
{
	return st->ops->ticket_seq_next(st, day, seq, err);
}

enum kf_status store_ticket_insert(struct store *st, const struct ticket *t,
				   const char *day, int64_t seq,
				   struct kf_err *err)
{
	return st->ops->ticket_insert(st, t, day, seq, err);
}

enum kf_status store_ticket_update(struct store *st, const struct ticket *t,
				   struct kf_err *err)
{
	return st->ops->ticket_update(st, t, err);
}

enum kf_status store_tickets_each(struct store *st,
				  const struct ticket_filter *f,
				  store_ticket_fn fn, void *ctx,
				  struct kf_err *err)
{
	return st->ops->tickets_each(st, f, fn, ctx, err);
}

enum kf_status store_tickets_count(struct store *st,
				   const struct ticket_filter *f, long *n,
				   struct kf_err *err)
{
	return st->ops->tickets_count(st, f, n, err);
}

enum kf_status store_event_add(struct store *st, const struct ticket_event *e,
			       struct kf_err *err)
{
	return st->ops->event_add(st, e, err);
}

enum kf_status store_events_get(struct store *st, const char *id,
				struct ticket_event **v, size_t *n,
				struct kf_err *err)
{
	return st->ops->events_get(st, id, v, n, err);
}

enum kf_status store_pause_start(struct store *st, const char *id, int64_t at,
				 struct kf_err *err)
{
	return st->ops->pause_start(st, id, at, err);
}

enum kf_status store_pause_end(struct store *st, const char *id, int64_t at,
			       struct kf_err *err)
{
	return st->ops->pause_end(st, id, at, err);
}

enum kf_status store_pauses_get(struct store *st, const char *id,
				struct span **v, size_t *n, struct kf_err *err)
{
	return st->ops->pauses_get(st, id, v, n, err);
}

enum kf_status store_pauses_each(struct store *st, const struct ticket_filter *f,
				 store_pause_fn fn, void *ctx, struct kf_err *err)
{
	return st->ops->pauses_each(st, f, fn, ctx, err);
}

enum kf_status store_histories_each(struct store *st, const struct ticket_filter *f,
				    store_history_fn fn, void *ctx, struct kf_err *err)
{
	return st->ops->histories_each(st, f, fn, ctx, err);
}

enum kf_status store_offers_get(struct store *st, const char *id,
				char ***agents, size_t *n, struct kf_err *err)
{
	return st->ops->offers_get(st, id, agents, n, err);
}

enum kf_status store_offers_set(struct store *st, const char *id,
				char *const *agents, size_t n, int64_t at,
				struct kf_err *err)
{
	return st->ops->offers_set(st, id, agents, n, at, err);
}

enum kf_status store_agent_get(struct store *st, const char *email,
			       struct agent_record *a, struct kf_err *err)
{
	return st->ops->agent_get(st, email, a, err);
}

enum kf_status store_agent_set_away(struct store *st, const char *email,
				    int away, int64_t at, struct kf_err *err)
{
	return st->ops->agent_set_away(st, email, away, at, err);
}

enum kf_status store_agent_assigned(struct store *st, const char *email,
				    int64_t at, struct kf_err *err)
{
	return st->ops->agent_assigned(st, email, at, err);
}

enum kf_status store_route_last_get(struct store *st, const char *department,
				    char **agent, struct kf_err *err)
{
	return st->ops->route_last_get(st, department, agent, err);
}

enum kf_status store_route_last_set(struct store *st, const char *department,
				    const char *agent, struct kf_err *err)
{
	return st->ops->route_last_set(st, department, agent, err);
}

enum kf_status store_message_ticket(struct store *st, const char *message_id,
				    char id[TICKET_ID_SIZE], struct kf_err *err)
{
	return st->ops->message_ticket(st, message_id, id, err);
}

enum kf_status store_message_add(struct store *st, const char *message_id,
				 const char *ticket, struct kf_err *err)
{
	return st->ops->message_add(st, message_id, ticket, err);
}

enum kf_status store_usage_add(struct store *st, const char *entry,
			       const char *ticket, const char *who, int64_t at,
			       const char *day, const char *note,
			       struct kf_err *err)
{
	return st->ops->usage_add(st, entry, ticket, who, at, day, note, err);
}

enum kf_status store_usage_counts(struct store *st, const char *const *entries,
				  size_t n, long *uses, struct kf_err *err)
{
	return st->ops->usage_counts(st, entries, n, uses, err);
}

enum kf_status store_usage_each(struct store *st, int64_t since, int64_t until,
				store_usage_fn fn, void *ctx, struct kf_err *err)
{
	return st->ops->usage_each(st, since, until, fn, ctx, err);
}

enum kf_status store_usage_counts_on_type(struct store *st, const char *type,
					  const char *except, const char *const *entries,
					  size_t n, long *uses, struct kf_err *err)
{
	return st->ops->usage_counts_on_type(st, type, except, entries, n, uses, err);
}

enum kf_status store_followup_add(struct store *st, const struct followup *f, int64_t *id,
				  struct kf_err *err)
{
	return st->ops->followup_add(st, f, id, err);
}

enum kf_status store_followup_update(struct store *st, const struct followup *f,
				     struct kf_err *err)
{
	return st->ops->followup_update(st, f, err);
}

enum kf_status store_followups_each(struct store *st, const struct followup_filter *f,
				    store_followup_fn fn, void *ctx, struct kf_err *err)
{
	return st->ops->followups_each(st, f, fn, ctx, err);
}

void ticket_record_release(struct ticket_record *r)
{
	ticket_release(&r->t);
	ticket_events_free(r->events, r->nevents);
	free(r->pauses);
	for (size_t i = 0; i < r->noffers; i++)
		free(r->offers[i].agent);
	free(r->offers);
	store_names_free(r->messages, r->nmessages);
	for (size_t i = 0; i < r->nusage; i++)
		usage_record_release(&r->usage[i]);
	free(r->usage);
	for (size_t i = 0; i < r->nfollowups; i++)
		followup_release(&r->followups[i]);
	free(r->followups);
	memset(r, 0, sizeof(*r));
}

void usage_record_release(struct usage_record *u)
{
	free(u->entry);
	free(u->ticket);
	free(u->who);
	free(u->note);
	free(u->day);
	memset(u, 0, sizeof(*u));
}

void desk_record_release(struct desk_record *r)
{
	free(r->name);
	free(r->last_agent);
	usage_record_release(&r->usage);
	memset(r, 0, sizeof(*r));
}

enum kf_status store_records_each(struct store *st, const struct ticket_filter *f,
				  store_record_fn fn, void *ctx, struct kf_err *err)
{
	return st->ops->records_each(st, f, fn, ctx, err);
}

enum kf_status store_desk_each(struct store *st, store_desk_fn fn, void *ctx,
			       struct kf_err *err)
{
	return st->ops->desk_each(st, fn, ctx, err);
}

enum kf_status store_record_put(struct store *st, const struct ticket_record *r,
				struct kf_err *err)
{
	return st->ops->record_put(st, r, err);
}

enum kf_status store_desk_put(struct store *st, const struct desk_record *r,
			      struct kf_err *err)
{
	return st->ops->desk_put(st, r, err);
}
