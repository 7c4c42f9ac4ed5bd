#include "lifecycle.h"

#include <strings.h>

enum kf_status ticket_may_work(const struct session *s, const struct ticket *t,
			       struct kf_err *err)
{
	const struct person *p = session_person(s);
	if (!t->assignee || (p && (p->roles & ROLE_SUPERVISOR)) ||
	    !strcasecmp(t->assignee, s->who.email))
		return KF_OK;
	return kf_fail(err, KF_EPERM,
		       "refused: %s is %s's; only they or a supervisor may work on it", t->id,
		       t->assignee);
}

enum kf_status ticket_apply(struct session *s, const struct ticket *before, struct ticket *after,
			    const char *what, const char *note, struct kf_err *err)
{
	enum kf_status st = sla_update(s, before, after, s->who.when.t, err);
	if (st)
		return st;
	return ticket_store(&s->db, before, after, s->who.email, s->who.when.t, what, note, err);
}

enum kf_status ticket_begin(struct session *s, const char *id, struct ticket *before,
			    struct ticket *after, struct kf_err *err)
{
	enum kf_status st = deskdb_begin(&s->db, err);
	if (st)
		return st;
	if ((st = ticket_load(&s->db, id, before, err))) {
		deskdb_rollback(&s->db);
		return st;
	}
	ticket_copy(after, before);
	return KF_OK;
}

enum kf_status ticket_finish(struct session *s, const struct ticket *before, struct ticket *after,
			     const char *what, const char *note, struct kf_err *err)
{
	enum kf_status st = ticket_apply(s, before, after, what, note, err);
	if (!st)
		st = deskdb_commit(&s->db, err);
	if (st)
		deskdb_rollback(&s->db);
	return st;
}

enum kf_status agent_assigned(struct session *s, const char *email, struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret = deskdb_prepare(
		&s->db,
		"INSERT INTO agents(email, last_assigned) VALUES(?1, ?2)"
		" ON CONFLICT(email) DO UPDATE SET last_assigned = excluded.last_assigned",
		&st, err);
	if (ret)
		return ret;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, s->who.when.t);
	return deskdb_run(&s->db, st, err);
}
