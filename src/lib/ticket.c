#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "highwater.h"
#include "isotime.h"
#include "sbuf.h"

const char *const ticket_statuses[] = { "new",      "assigned", "open", "pending",
					"resolved", "closed",   NULL };

int ticket_status_valid(const char *s)
{
	for (const char *const *p = ticket_statuses; *p; p++)
		if (!strcmp(*p, s))
			return 1;
	return 0;
}

int ticket_is_open(const char *status)
{
	return strcmp(status, "resolved") && strcmp(status, "closed");
}

int ticket_transition_ok(const char *a, const char *b)
{
	/* from: the statuses it may go to */
	static const char *const moves[][2] = {
		{ "new", "assigned open pending resolved closed" },
		{ "assigned", "new assigned open pending resolved closed" },
		{ "open", "new assigned pending resolved closed" },
		{ "pending", "new assigned open resolved closed" },
		{ "resolved", "open closed" },
		{ "closed", "open" },
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i][0], a))
			continue;
		size_t n = strlen(b);
		for (const char *p = moves[i][1]; (p = strstr(p, b)); p += n)
			if ((p == moves[i][1] || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				return 1;
		return 0;
	}
	return 0;
}

enum ftype { F_TEXT, F_TIME, F_INT, F_SCORE }; /* a score: 0 means none */

static const struct tfield {
	const char *name;
	enum ftype type;
	size_t off;
} fields[] = {
#define T(n) { #n, F_TEXT, offsetof(struct ticket, n) }
#define M(n) { #n, F_TIME, offsetof(struct ticket, n) }
#define I(n) { #n, F_INT, offsetof(struct ticket, n) }
#define S(n) { #n, F_SCORE, offsetof(struct ticket, n) }
	T(status),	 T(type),	  T(priority),	  T(channel),	     T(customer),
	T(subject),	 T(description), T(department),   T(assignee),      M(created),
	M(first_response), M(resolved),   M(closed),	  M(response_due),  M(resolve_due),
	T(sla_policy),	 M(resolve_start), S(satisfaction), T(result),	  T(feedback),	     T(tags),
	S(complexity),	 I(angry),	  T(suggest),	  I(urged),	     T(flagged),
	I(escalated),	 T(fingerprint),  T(message_id),  M(updated),
#undef T
#undef M
#undef I
#undef S
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static char **text_at(const struct ticket *t, size_t i)
{
	return (char **)((char *)t + fields[i].off);
}

static int64_t *num_at(const struct ticket *t, size_t i)
{
	return (int64_t *)((char *)t + fields[i].off);
}

void ticket_set(char **field, const char *value)
{
	char *v = value ? xstrdup(value) : NULL;
	free(*field);
	*field = v;
}

void ticket_reopen_fields(struct ticket *t)
{
	ticket_set(&t->status, t->assignee ? "open" : "new");
	t->resolved = t->closed = TIME_NONE;
	t->satisfaction = 0;
	ticket_set(&t->result, NULL);
	ticket_set(&t->feedback, NULL);
	t->escalated &= ~ESCALATED_RESOLVE;
}

void ticket_release(struct ticket *t)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].type == F_TEXT)
			free(*text_at(t, i));
	memset(t, 0, sizeof(*t));
}

void ticket_copy(struct ticket *dst, const struct ticket *src)
{
	*dst = *src;
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].type == F_TEXT && *text_at(src, i))
			*text_at(dst, i) = xstrdup(*text_at(src, i));
}

void ticket_init(struct ticket *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].type == F_TIME)
			*num_at(t, i) = TIME_NONE;
}

void ticket_read_row(sqlite3_stmt *st, struct ticket *t)
{
	ticket_init(t);
	snprintf(t->id, sizeof(t->id), "%s", (const char *)sqlite3_column_text(st, 0));
	for (size_t i = 0; i < NFIELDS; i++) {
		int col = (int)i + 1;
		if (fields[i].type == F_TEXT) {
			const unsigned char *s = sqlite3_column_text(st, col);
			*text_at(t, i) = s ? xstrdup((const char *)s) : NULL;
		} else if (fields[i].type != F_TIME || sqlite3_column_type(st, col) != SQLITE_NULL) {
			*num_at(t, i) = sqlite3_column_int64(st, col);
		}
	}
}

enum kf_status ticket_load(struct deskdb *d, const char *id, struct ticket *t,
			   struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret;
	if ((ret = deskdb_prepare(d, "SELECT " TICKET_COLUMNS " FROM tickets WHERE id = ?1", &st,
				  err)))
		return ret;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		ticket_read_row(st, t);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return KF_OK;
	if (rc == SQLITE_DONE)
		return kf_fail(err, KF_ENOTFOUND, "no ticket '%s'", id);
	return deskdb_fail(d, err);
}

void ticket_day(int64_t created, int offset, char day[9])
{
	struct instant in = { created, offset };
	char date[11];
	iso_date(&in, date);
	snprintf(day, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
}

static enum kf_status event(struct deskdb *d, const char *id, const char *who, int64_t at,
			    const char *what, const char *field, const char *before,
			    const char *after, const char *note, struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret;
	if ((ret = deskdb_prepare(d,
				  "INSERT INTO events(ticket, at, who, what, field, before, after, note)"
				  " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				  &st, err)))
		return ret;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, who, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, what, -1, SQLITE_STATIC);
	deskdb_bind_text(st, 5, field);
	deskdb_bind_text(st, 6, before);
	deskdb_bind_text(st, 7, after);
	deskdb_bind_text(st, 8, note);
	return deskdb_run(d, st, err);
}

enum kf_status ticket_event(struct deskdb *d, const char *id, const char *who, int64_t at,
			    const char *what, const char *note, struct kf_err *err)
{
	return event(d, id, who, at, what, NULL, NULL, NULL, note, err);
}

static void bind_field(sqlite3_stmt *st, int col, const struct ticket *t, size_t i)
{
	if (fields[i].type == F_TEXT)
		deskdb_bind_text(st, col, *text_at(t, i));
	else if (fields[i].type == F_TIME)
		deskdb_bind_time(st, col, *num_at(t, i));
	else if (fields[i].type == F_SCORE && !*num_at(t, i))
		sqlite3_bind_null(st, col); /* no score: NULL, so averages skip it */
	else
		sqlite3_bind_int64(st, col, *num_at(t, i));
}

enum kf_status ticket_create(struct deskdb *d, struct ticket *t, int offset, const char *who,
			     const char *note, struct kf_err *err)
{
	sqlite3_stmt *st;
	char day[9];
	enum kf_status ret;
	int64_t seq = 1;

	ticket_day(t->created, offset, day);
	if ((ret = deskdb_prepare(d, "SELECT max(seq) FROM tickets WHERE day = ?1", &st, err)))
		return ret;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0) + 1;
	sqlite3_finalize(st);
	if (d->path) {
		/* Past any id ever issued, even by a desk database since lost. */
		char *mark = highwater_path(d->path);
		ret = highwater_next(mark, day, seq - 1, &seq, err);
		free(mark);
		if (ret)
			return ret;
	}
	snprintf(t->id, sizeof(t->id), "GD%s%04lld", day, (long long)seq);
	t->updated = t->created;

	struct sbuf sql = SBUF_INIT;
	sbuf_adds(&sql, "INSERT INTO tickets(id, day, seq");
	for (size_t i = 0; i < NFIELDS; i++)
		sbuf_addf(&sql, ", %s", fields[i].name);
	sbuf_adds(&sql, ") VALUES(?1, ?2, ?3");
	for (size_t i = 0; i < NFIELDS; i++)
		sbuf_addf(&sql, ", ?%zu", i + 4);
	sbuf_addch(&sql, ')');
	ret = deskdb_prepare(d, sql.buf, &st, err);
	sbuf_release(&sql);
	if (ret)
		return ret;
	sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, seq);
	for (size_t i = 0; i < NFIELDS; i++)
		bind_field(st, (int)i + 4, t, i);
	if ((ret = deskdb_run(d, st, err)))
		return ret;
	return event(d, t->id, who, t->created, "open", NULL, NULL, NULL, note, err);
}

static char *field_text(const struct ticket *t, size_t i)
{
	if (fields[i].type == F_TEXT)
		return *text_at(t, i) ? xstrdup(*text_at(t, i)) : NULL;
	int64_t v = *num_at(t, i);
	if ((v == TIME_NONE && fields[i].type == F_TIME) || (!v && fields[i].type == F_SCORE))
		return NULL;
	return xasprintf("%lld", (long long)v);
}

static int differs(const struct ticket *a, const struct ticket *b, size_t i)
{
	if (fields[i].type != F_TEXT)
		return *num_at(a, i) != *num_at(b, i);
	const char *x = *text_at(a, i), *y = *text_at(b, i);
	return (x == NULL) != (y == NULL) || (x && strcmp(x, y));
}

enum kf_status ticket_store(struct deskdb *d, const struct ticket *before,
			    const struct ticket *after, const char *who, int64_t at,
			    const char *what, const char *note, struct kf_err *err)
{
	enum kf_status ret;
	int changed = 0;
	size_t updated = 0;
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(fields[i].name, "updated"))
			updated = i;
	for (size_t i = 0; i < NFIELDS; i++) {
		if (i == updated || !differs(before, after, i))
			continue;
		char *sql = xasprintf("UPDATE tickets SET %s = ?1, updated = ?2 WHERE id = ?3",
				      fields[i].name);
		sqlite3_stmt *st;
		ret = deskdb_prepare(d, sql, &st, err);
		free(sql);
		if (ret)
			return ret;
		bind_field(st, 1, after, i);
		sqlite3_bind_int64(st, 2, at);
		sqlite3_bind_text(st, 3, after->id, -1, SQLITE_STATIC);
		if ((ret = deskdb_run(d, st, err)))
			return ret;
		char *was = field_text(before, i), *now = field_text(after, i);
		ret = event(d, after->id, who, at, what, fields[i].name, was, now,
			    changed ? NULL : note, err);
		free(was);
		free(now);
		if (ret)
			return ret;
		changed = 1;
	}
	if (!changed)
		return event(d, after->id, who, at, what, NULL, NULL, NULL, note, err);
	return KF_OK;
}

static void emit_time(struct out *o, const char *key, int64_t t, zone_fn zone,
		      const void *zctx)
{
	if (t == TIME_NONE) {
		out_str(o, key, NULL);
		return;
	}
	struct instant in = { t, zone ? zone(zctx, t) : 0 };
	char buf[32];
	iso_format(&in, 0, buf);
	out_str(o, key, buf);
}

static char **lines(const char *s, size_t *n)
{
	*n = 0;
	if (!s || !*s)
		return NULL;
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '\n';
	char **v = xcalloc(cap + 1, sizeof(*v));
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, "\n");
		v[(*n)++] = xstrndup(p, len);
		p += len + (p[len] == '\n');
	}
	return v;
}

void ticket_emit(struct out *o, const struct ticket *t, zone_fn zone, const void *zctx)
{
	out_str(o, "id", t->id);
	out_str(o, "status", t->status);
	out_str(o, "type", t->type);
	out_str(o, "priority", t->priority);
	out_str(o, "channel", t->channel);
	out_str(o, "customer", t->customer);
	out_str(o, "subject", t->subject);
	out_str(o, "description", t->description);
	out_str(o, "department", t->department);
	out_str(o, "assignee", t->assignee);
	emit_time(o, "created", t->created, zone, zctx);
	emit_time(o, "first_response", t->first_response, zone, zctx);
	emit_time(o, "resolved", t->resolved, zone, zctx);
	emit_time(o, "closed", t->closed, zone, zctx);
	emit_time(o, "response_due", t->response_due, zone, zctx);
	emit_time(o, "resolve_due", t->resolve_due, zone, zctx);
	out_str(o, "sla_policy", t->sla_policy);
	if (t->satisfaction)
		out_int(o, "satisfaction", t->satisfaction);
	else
		out_str(o, "satisfaction", NULL);
	out_str(o, "result", t->result);
	if (o->fmt != OUT_JSON)
		return;
	out_str(o, "feedback", t->feedback);
	size_t ntags;
	char **tags = lines(t->tags, &ntags);
	out_list(o, "tags", tags, ntags);
	for (size_t i = 0; i < ntags; i++)
		free(tags[i]);
	free(tags);
	if (t->complexity)
		out_int(o, "complexity", t->complexity);
	else
		out_str(o, "complexity", NULL);
	out_bool(o, "angry", (int)t->angry);
	out_str(o, "suggest", t->suggest);
	out_int(o, "urged", t->urged);
	out_str(o, "flagged", t->flagged);
	char *esc[2];
	size_t nesc = 0;
	if (t->escalated & ESCALATED_RESPONSE)
		esc[nesc++] = "response";
	if (t->escalated & ESCALATED_RESOLVE)
		esc[nesc++] = "resolve";
	out_list(o, "escalated", esc, nesc);
	emit_time(o, "updated", t->updated, zone, zctx);
}
