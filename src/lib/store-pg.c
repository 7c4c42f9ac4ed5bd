/*
 * store-pg: the store (store.h) in a PostgreSQL database, for a desk
 * shared by several machines: `kb-init --db URI` or $KEFU_DB.
 *
 * The same answers as store-sqlite.c, byte for byte, for the same
 * history: text columns compare as bytes (COLLATE "C", as SQLite's
 * BINARY), the assignee without case in ASCII only (lower() under "C",
 * as NOCASE), instants are bigint seconds, and no order depends on where
 * NULLs sort.
 *
 * Writers take one advisory lock for the database in store_begin(), as
 * SQLite's BEGIN IMMEDIATE takes its write lock: one change at a time
 * across every machine, so that what a writer reads stays true until it
 * commits (a claim, an escalation, the round-robin place). Readers take
 * no lock and see committed data.
 *
 * The last ticket number issued is also kept in the sequence ticket_mark,
 * which setval() moves outside any transaction: a ticket-open killed
 * after printing its id, before its commit, leaves that number used,
 * never issued again (highwater.h's promise for SQLite desks). It holds
 * the day and its number, MARK_DAY * day + number.
 *
 * events refuse UPDATE, DELETE and TRUNCATE by a trigger: the history is
 * append-only in the database itself, whoever connects.
 *
 * libpq is loaded when the first PostgreSQL desk is opened, not linked:
 * its libraries cost every command about 5 ms a start, and most desks
 * are SQLite.
 */
#include "store.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "highwater.h"
#include "isotime.h"
#include "sbuf.h"

/* pg_advisory_xact_lock()'s key for kefu's writers: "kefu" in ASCII. */
#define WRITE_LOCK "1801807477"

/* ticket_mark's value: the day (YYYYMMDD) times this, plus its number. */
#define MARK_DAY "10000000000"

/* Rows fetched at a time from a cursor: long lists are never held whole. */
#define BATCH 2000

/*
 * Each migration takes the schema from version i to i + 1, the same
 * versions as desk.db's. Times are bigint seconds since the epoch, NULL
 * when absent; text is UTF-8, compared as bytes.
 */
#define T "text COLLATE \"C\""
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE kefu_schema(version integer NOT NULL);"
	"INSERT INTO kefu_schema VALUES(0);"
	"CREATE TABLE tickets("
	"  id " T " PRIMARY KEY,"
	"  day " T " NOT NULL, seq bigint NOT NULL,"
	"  status " T " NOT NULL, type " T ", priority " T " NOT NULL, channel " T ","
	"  customer " T ", subject " T ", description " T ", department " T ","
	"  assignee " T ","
	"  created bigint NOT NULL, first_response bigint, resolved bigint, closed bigint,"
	"  response_due bigint, resolve_due bigint, sla_policy " T ", resolve_start bigint,"
	"  satisfaction bigint, result " T ", feedback " T ","
	"  tags " T ", complexity bigint, angry bigint NOT NULL DEFAULT 0, suggest " T ","
	"  urged bigint NOT NULL DEFAULT 0, flagged " T ", escalated bigint NOT NULL DEFAULT 0,"
	"  fingerprint " T ", message_id " T ", updated bigint NOT NULL);"
	"CREATE UNIQUE INDEX tickets_day_seq ON tickets(day, seq);"
	"CREATE INDEX tickets_status ON tickets(status, priority, created);"
	"CREATE INDEX tickets_assignee ON tickets(lower(assignee), status);"
	"CREATE INDEX tickets_department ON tickets(department, status);"
	"CREATE INDEX tickets_customer ON tickets(customer, created);"
	"CREATE INDEX tickets_created ON tickets(created);"
	"CREATE TABLE messages(message_id " T " PRIMARY KEY, ticket " T " NOT NULL);"
	"CREATE TABLE events("
	"  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ticket " T " NOT NULL,"
	"  at bigint NOT NULL, who " T " NOT NULL, what " T " NOT NULL, field " T ","
	"  before " T ", after " T ", note " T ");"
	"CREATE INDEX events_ticket ON events(ticket, seq);"
	"CREATE TABLE pauses(ticket " T " NOT NULL, start bigint NOT NULL, \"end\" bigint);"
	"CREATE INDEX pauses_ticket ON pauses(ticket, start);"
	"CREATE TABLE offers(ticket " T " NOT NULL, agent " T " NOT NULL, at bigint NOT NULL,"
	"  PRIMARY KEY(ticket, agent));"
	"CREATE TABLE agents(email " T " PRIMARY KEY,"
	"  status " T " NOT NULL DEFAULT 'available', since bigint, last_assigned bigint);"
	"CREATE TABLE route_state(department " T " PRIMARY KEY, last_agent " T ");"
	"CREATE TABLE usage(seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
	"  entry " T " NOT NULL, ticket " T ", who " T " NOT NULL, at bigint NOT NULL,"
	"  note " T ");"
	"CREATE INDEX usage_entry ON usage(entry, at);"
	"CREATE TABLE kb_usage(entry " T " PRIMARY KEY, uses bigint NOT NULL, last_used " T ");"
	/* the last ticket number issued, and its day (see above) */
	"CREATE SEQUENCE ticket_mark;"
	"CREATE FUNCTION kefu_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$"
	" BEGIN"
	"  RAISE EXCEPTION 'the events of a desk are kept for good: % refused', TG_OP;"
	" END $f$;"
	"CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events"
	"  FOR EACH ROW EXECUTE FUNCTION kefu_events_append_only();"
	"CREATE TRIGGER events_never_emptied BEFORE TRUNCATE ON events"
	"  FOR EACH STATEMENT EXECUTE FUNCTION kefu_events_append_only();",
	/* 1 -> 2: handling time added up per ticket; follow-up calls */
	"ALTER TABLE tickets ADD COLUMN worked bigint NOT NULL DEFAULT 0;"
	/* numbered as SQLite numbers its rows, one past the highest, not by a sequence */
	"CREATE TABLE followups("
	"  id bigint PRIMARY KEY, ticket " T " NOT NULL, name " T " NOT NULL, event " T ","
	"  purpose " T ", scheduled bigint NOT NULL, due bigint NOT NULL, notified bigint,"
	"  done bigint, outcome " T ", who " T ", note " T ", satisfaction bigint);"
	"CREATE INDEX followups_ticket ON followups(ticket, id);"
	/* who to call: the pending ones by due time, read as a range */
	"CREATE INDEX followups_pending ON followups(due, id) WHERE done IS NULL;",
	/* 2 -> 3: a report reads the tickets changed since its first day, and its uses */
	"CREATE INDEX tickets_updated ON tickets(updated);"
	"CREATE INDEX usage_at ON usage(at, seq);",
};
#undef T
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* ---- libpq, loaded on first use ---- */

#define PQ_FUNCTIONS(X)                                                                    \
	X(PGconn *, PQconnectdbParams,                                                     \
	  (const char *const *keywords, const char *const *values, int expand_dbname))     \
	X(ConnStatusType, PQstatus, (const PGconn *conn))                                 \
	X(char *, PQerrorMessage, (const PGconn *conn))                                   \
	X(void, PQfinish, (PGconn * conn))                                                \
	X(PGresult *, PQexec, (PGconn * conn, const char *query))                         \
	X(PGresult *, PQexecParams,                                                       \
	  (PGconn * conn, const char *command, int nParams, const Oid *paramTypes,        \
	   const char *const *paramValues, const int *paramLengths,                      \
	   const int *paramFormats, int resultFormat))                                   \
	X(ExecStatusType, PQresultStatus, (const PGresult *res))                          \
	X(char *, PQresultErrorField, (const PGresult *res, int fieldcode))               \
	X(void, PQclear, (PGresult * res))                                                \
	X(int, PQntuples, (const PGresult *res))                                          \
	X(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num))          \
	X(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num))            \
	X(char *, PQcmdTuples, (PGresult * res))                                          \
	X(char *, PQcmdStatus, (PGresult * res))                                          \
	X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn))             \
	X(PQnoticeProcessor, PQsetNoticeProcessor,                                        \
	  (PGconn * conn, PQnoticeProcessor proc, void *arg))                             \
	X(char *, PQdb, (const PGconn *conn))

#define PQ_POINTER(ret, name, args) ret(*name) args;
static struct {
	PQ_FUNCTIONS(PQ_POINTER)
} pq;
#undef PQ_POINTER

/* Load libpq once; KF_EDB saying what is missing. */
static enum kf_status load_libpq(struct kf_err *err)
{
	static int loaded;
	static char why[256];
	if (loaded > 0)
		return KF_OK;
	if (loaded < 0)
		return kf_fail(err, KF_EDB, "%s", why);
	void *h = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, sizeof(why),
			 "cannot use a PostgreSQL desk: %s (Debian's package libpq5 has it)",
			 e ? e : "libpq.so.5 not found");
		loaded = -1;
		return kf_fail(err, KF_EDB, "%s", why);
	}
#define PQ_LOAD(ret, name, args)                                                       \
	if (!(*(void **)&pq.name = dlsym(h, #name))) {                                 \
		snprintf(why, sizeof(why), "cannot use a PostgreSQL desk: libpq.so.5 has no %s", \
			 #name);                                                       \
		loaded = -1;                                                           \
		return kf_fail(err, KF_EDB, "%s", why);                                \
	}
	PQ_FUNCTIONS(PQ_LOAD)
#undef PQ_LOAD
	loaded = 1;
	return KF_OK;
}

/* ---- a connection ---- */

struct pg_store {
	struct store base;
	PGconn *db;
	char *user;    /* session_user: who the server authenticated */
	int writing;   /* in a transaction begun by store_begin() */
	int cursors;   /* cursors declared so far: each gets its own name */
	/* Days' sequences raised in the transaction (store_desk_put()), kept at its commit. */
	struct highwater_day *raise;
	size_t nraise, araise;
};

static const struct store_ops pg_ops;

static struct pg_store *P(struct store *st)
{
	return (struct pg_store *)st;
}

/* The library never prints: the server's notices go nowhere. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* The first line of a libpq message, for one line of ours. */
static void first_line(char *dst, size_t size, const char *msg)
{
	size_t n = strcspn(msg ? msg : "", "\n");
	snprintf(dst, size, "%.*s", (int)n, msg ? msg : "");
}

static enum kf_status fail_conn(PGconn *c, struct kf_err *err)
{
	char line[512];
	first_line(line, sizeof(line), c ? pq.PQerrorMessage(c) : "out of memory");
	return kf_fail(err, KF_EDB, "desk database: %s", line);
}

static enum kf_status fail_result(struct pg_store *s, PGresult *r, struct kf_err *err)
{
	const char *m = r ? pq.PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!m)
		return fail_conn(s->db, err);
	char line[512];
	first_line(line, sizeof(line), m);
	return kf_fail(err, KF_EDB, "desk database: %s", line);
}

/* A statement's parameters, as text; NULL is SQL's NULL. */
#define MAX_ARGS 256
struct args {
	const char *v[MAX_ARGS];
	char num[MAX_ARGS][24];
	int n;
};

static int arg_text(struct args *a, const char *s)
{
	a->v[a->n] = s;
	return ++a->n;
}

static int arg_int(struct args *a, int64_t x)
{
	snprintf(a->num[a->n], sizeof(a->num[a->n]), "%lld", (long long)x);
	a->v[a->n] = a->num[a->n];
	return ++a->n;
}

static int arg_time(struct args *a, int64_t t)
{
	return t == TIME_NONE ? arg_text(a, NULL) : arg_int(a, t);
}

/*
 * Arguments from fmt, one a letter: t a text (NULL: null), i an int64_t,
 * m an instant (TIME_NONE: null).
 */
static void vargs(struct args *a, const char *fmt, va_list ap)
{
	a->n = 0;
	for (; *fmt; fmt++) {
		if (*fmt == 't')
			arg_text(a, va_arg(ap, const char *));
		else if (*fmt == 'i')
			arg_int(a, va_arg(ap, int64_t));
		else
			arg_time(a, va_arg(ap, int64_t));
	}
}

/* Run sql on c; the result when it has status want, else NULL and err. */
/* Run sql; the result when it has status want, else NULL and err. */
static PGresult *run(struct pg_store *s, const char *sql, const struct args *a,
		     ExecStatusType want, struct kf_err *err)
{
	PGresult *r =
		pq.PQexecParams(s->db, sql, a ? a->n : 0, NULL, a ? a->v : NULL, NULL, NULL, 0);
	if (!r || pq.PQresultStatus(r) != want) {
		fail_result(s, r, err);
		pq.PQclear(r);
		return NULL;
	}
	return r;
}

/* A statement that returns no rows, its arguments as vargs() reads them. */
static enum kf_status put(struct pg_store *s, const char *sql, struct kf_err *err,
			  const char *fmt, ...)
{
	struct args a;
	va_list ap;
	va_start(ap, fmt);
	vargs(&a, fmt, ap);
	va_end(ap);
	PGresult *r = run(s, sql, &a, PGRES_COMMAND_OK, err);
	pq.PQclear(r);
	return r ? KF_OK : KF_EDB;
}

/* A query's rows, whole. */
static PGresult *get(struct pg_store *s, const char *sql, struct kf_err *err, const char *fmt,
		     ...)
{
	struct args a;
	va_list ap;
	va_start(ap, fmt);
	vargs(&a, fmt, ap);
	va_end(ap);
	return run(s, sql, &a, PGRES_TUPLES_OK, err);
}

/* Statements without arguments, several at once. */
static enum kf_status exec(struct pg_store *s, const char *sql, struct kf_err *err)
{
	PGresult *r = pq.PQexec(s->db, sql);
	ExecStatusType rs = r ? pq.PQresultStatus(r) : PGRES_FATAL_ERROR;
	enum kf_status st = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK
				    ? KF_OK
				    : fail_result(s, r, err);
	pq.PQclear(r);
	return st;
}

static char *value_text(const PGresult *r, int row, int col)
{
	return pq.PQgetisnull(r, row, col) ? NULL : xstrdup(pq.PQgetvalue(r, row, col));
}

static int64_t value_int(const PGresult *r, int row, int col)
{
	return pq.PQgetisnull(r, row, col) ? 0 : strtoll(pq.PQgetvalue(r, row, col), NULL, 10);
}

static int64_t value_time(const PGresult *r, int row, int col)
{
	return pq.PQgetisnull(r, row, col) ? TIME_NONE
					   : strtoll(pq.PQgetvalue(r, row, col), NULL, 10);
}

/* Connect to uri as the commands do. NULL with err when it fails. */
static PGconn *connect_to(const char *uri, struct kf_err *err)
{
	static const char *const keys[] = { "dbname", "fallback_application_name",
					    "client_encoding", NULL };
	const char *values[] = { uri, "kefu", "UTF8", NULL };
	PGconn *c = pq.PQconnectdbParams(keys, values, 1);
	if (!c || pq.PQstatus(c) != CONNECTION_OK) {
		char line[512];
		first_line(line, sizeof(line), c ? pq.PQerrorMessage(c) : "out of memory");
		kf_fail(err, KF_EDB, "cannot connect to the desk database: %s", line);
		if (c)
			pq.PQfinish(c);
		return NULL;
	}
	pq.PQsetNoticeProcessor(c, quiet, NULL);
	return c;
}

/* ---- transactions ---- */

static enum kf_status pg_begin(struct store *st, struct kf_err *err)
{
	struct pg_store *s = P(st);
	if (pq.PQtransactionStatus(s->db) != PQTRANS_IDLE)
		return kf_fail(err, KF_EDB, "desk database: a transaction is open already");
	enum kf_status r = exec(s, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK ")", err);
	if (r) {
		exec(s, "ROLLBACK", NULL);
		return r;
	}
	s->writing = 1;
	return KF_OK;
}

/*
 * The days' sequences raised in the transaction, kept before it commits:
 * ticket_mark moves up to the highest of them, never down, and setval()
 * stays whatever becomes of the transaction. The mark holds one day: a
 * raise of a day before the mark's is kept by the tickets of that day
 * alone.
 */
static enum kf_status keep_marks(struct pg_store *s, struct kf_err *err)
{
	for (size_t i = 0; i < s->nraise; i++) {
		PGresult *r = get(s,
				  "SELECT setval('ticket_mark', $1::bigint * " MARK_DAY " + $2::bigint)"
				  " FROM ticket_mark WHERE NOT is_called"
				  " OR last_value < $1::bigint * " MARK_DAY " + $2::bigint",
				  err, "ti", s->raise[i].day, s->raise[i].seq);
		if (!r)
			return KF_EDB;
		pq.PQclear(r);
	}
	s->nraise = 0;
	return KF_OK;
}

static enum kf_status pg_commit(struct store *st, struct kf_err *err)
{
	struct pg_store *s = P(st);
	enum kf_status ret = keep_marks(s, err);
	if (ret)
		return ret;
	PGresult *r = pq.PQexec(s->db, "COMMIT");
	s->writing = 0;
	if (!r || pq.PQresultStatus(r) != PGRES_COMMAND_OK)
		ret = fail_result(s, r, err);
	else if (strcmp(pq.PQcmdStatus(r), "COMMIT"))
		/* A transaction that failed ends in ROLLBACK, without an error. */
		ret = kf_fail(err, KF_EDB, "desk database: the transaction was rolled back");
	pq.PQclear(r);
	return ret;
}

static void pg_rollback(struct store *st)
{
	struct pg_store *s = P(st);
	s->writing = 0;
	s->nraise = 0;
	if (s->db && pq.PQtransactionStatus(s->db) != PQTRANS_IDLE)
		pq.PQclear(pq.PQexec(s->db, "ROLLBACK"));
}

/* ---- opening: refuse what is not a sound desk database ---- */

/* The database's name, for messages. */
static const char *dbname(struct pg_store *s)
{
	const char *n = s->db ? pq.PQdb(s->db) : NULL;
	return n && *n ? n : "?";
}

struct shape {
	int kefu;    /* kefu_schema is there */
	int tickets; /* a table called tickets is there */
	int version; /* kefu_schema's, when there */
};

/* What the database holds: r is the answer to SHAPE_SQL. */
#define SHAPE_SQL                                                                          \
	"SELECT session_user, to_regclass('kefu_schema') IS NOT NULL,"                     \
	" to_regclass('tickets') IS NOT NULL"
static enum kf_status shape_of(struct pg_store *s, PGresult *r, struct shape *sh,
			       struct kf_err *err)
{
	sh->kefu = !strcmp(pq.PQgetvalue(r, 0, 1), "t");
	sh->tickets = !strcmp(pq.PQgetvalue(r, 0, 2), "t");
	sh->version = 0;
	if (!sh->kefu)
		return KF_OK;
	PGresult *v = get(s, "SELECT version FROM kefu_schema", err, "");
	if (!v)
		return KF_EDB;
	sh->version = pq.PQntuples(v) == 1 ? (int)value_int(v, 0, 0) : -1;
	pq.PQclear(v);
	return KF_OK;
}

static enum kf_status look(struct pg_store *s, struct shape *sh, struct kf_err *err)
{
	PGresult *r = get(s, SHAPE_SQL, err, "");
	if (!r)
		return KF_EDB;
	enum kf_status st = shape_of(s, r, sh, err);
	pq.PQclear(r);
	return st;
}

static enum kf_status refuse(struct pg_store *s, const struct shape *sh, struct kf_err *err)
{
	if (!sh->kefu)
		return kf_fail(err, KF_EDB,
			       "desk database '%s' is not a kefu desk database: it has a table "
			       "'tickets' of its own; give kefu a database of its own",
			       dbname(s));
	if (sh->version < 0)
		return kf_fail(err, KF_EDB,
			       "desk database '%s' is damaged: kefu_schema should hold one row",
			       dbname(s));
	return kf_fail(err, KF_EDB, "desk database '%s' was made by a newer kefu (version %d)",
		       dbname(s), sh->version);
}

/*
 * Bring the schema to this version, under the writers' lock: two
 * commands creating it at once make it once. The lock is taken before
 * the transaction begins, for the session: a transaction reads the
 * catalogs as they were when it began, and one begun before another
 * command's tables were committed would not see them.
 */
static enum kf_status migrate(struct pg_store *s, struct kf_err *err)
{
	struct shape sh;
	enum kf_status st;
	if ((st = exec(s, "SELECT pg_advisory_lock(" WRITE_LOCK ")", err)))
		return st;
	if ((st = exec(s, "BEGIN", err)))
		goto unlock;
	s->writing = 1;
	if ((st = look(s, &sh, err)))
		goto fail;
	if ((sh.tickets && !sh.kefu) || sh.version < 0 || sh.version > (int)NMIGRATIONS) {
		st = refuse(s, &sh, err);
		goto fail;
	}
	for (int v = sh.version; v < (int)NMIGRATIONS; v++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "UPDATE kefu_schema SET version = %d", v + 1);
		if ((st = exec(s, migrations[v], err)) || (st = exec(s, sql, err)))
			goto fail;
	}
	st = pg_commit(&s->base, err);
	goto unlock;
fail:
	pg_rollback(&s->base);
unlock:
	exec(s, "SELECT pg_advisory_unlock(" WRITE_LOCK ")", NULL);
	return st;
}

static void pg_close(struct store *st)
{
	struct pg_store *s = P(st);
	if (s->db)
		pq.PQfinish(s->db);
	free(s->user);
	free(s->raise);
	free(s);
}

enum kf_status store_pg_open(const char *uri, enum store_mode mode, struct store **out,
			     struct kf_err *err)
{
	enum kf_status st;
	struct shape sh;
	*out = NULL;
	if ((st = load_libpq(err)))
		return st;
	struct pg_store *s = xcalloc(1, sizeof(*s));
	s->base.ops = &pg_ops;
	if (!(s->db = connect_to(uri, err))) {
		st = KF_EDB;
		goto out;
	}
	/* Wait for other writers as long as SQLite's busy timeout does. */
	PGresult *r = pq.PQexec(s->db, "SET lock_timeout = '60s'; " SHAPE_SQL);
	if (!r || pq.PQresultStatus(r) != PGRES_TUPLES_OK) {
		st = fail_result(s, r, err);
		pq.PQclear(r);
		goto out;
	}
	s->user = value_text(r, 0, 0);
	st = shape_of(s, r, &sh, err);
	pq.PQclear(r);
	if (st)
		goto out;
	if (sh.version == (int)NMIGRATIONS)
		goto out;
	if ((sh.tickets && !sh.kefu) || sh.version < 0 || sh.version > (int)NMIGRATIONS)
		st = refuse(s, &sh, err);
	else if (mode == STORE_WRITE)
		st = migrate(s, err);
	else if (!sh.kefu)
		st = kf_fail(err, KF_ENOTFOUND, "no desk database in '%s' (no tickets yet)",
			     dbname(s));
	else
		st = kf_fail(err, KF_EDB, "desk database '%s' needs migrating: run a writing command",
			     dbname(s));
out:
	if (st)
		pg_close(&s->base);
	else
		*out = &s->base;
	return st;
}

const char *store_pg_user(struct store *st)
{
	return st && st->ops == &pg_ops ? P(st)->user : NULL;
}

/* ---- tickets ---- */

/* "id, status, type, ..." as ticket_fields lists them, each after prefix. */
static char *prefixed_columns(const char *prefix)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_addf(&sb, "%sid", prefix);
	for (size_t i = 0; i < ticket_nfields; i++)
		sbuf_addf(&sb, ", %s%s", prefix, ticket_fields[i].name);
	return sbuf_detach(&sb);
}

static const char *columns(void)
{
	static char *cols;
	if (!cols)
		cols = prefixed_columns("");
	return cols;
}

/* "('resolved', 'closed')": the statuses ticket_is_open() says are not open. */
static const char *done_statuses(void)
{
	static char *list;
	if (!list) {
		struct sbuf sb = SBUF_INIT;
		sbuf_addch(&sb, '(');
		for (const char *const *p = ticket_statuses; *p; p++)
			if (!ticket_is_open(*p))
				sbuf_addf(&sb, "%s'%s'", sb.len > 1 ? ", " : "", *p);
		sbuf_addch(&sb, ')');
		list = sbuf_detach(&sb);
	}
	return list;
}

/* "CASE priority WHEN 'urgent' THEN 0 ... ELSE n END": priority_rank()'s order. */
static void priority_order(struct sbuf *sb)
{
	sbuf_adds(sb, "CASE priority");
	for (int r = 0; r < PRIORITY_COUNT - 1; r++)
		sbuf_addf(sb, " WHEN '%s' THEN %d", priority_name(r), r);
	sbuf_addf(sb, " ELSE %d END", PRIORITY_COUNT - 1);
}

/* A ticket from a row whose columns from base on are columns()'s. */
static void read_ticket(const PGresult *r, int row, int base, struct ticket *t)
{
	ticket_init(t);
	snprintf(t->id, sizeof(t->id), "%s", pq.PQgetvalue(r, row, base));
	for (size_t i = 0; i < ticket_nfields; i++) {
		int col = base + (int)i + 1;
		if (ticket_fields[i].type == TF_TEXT)
			*ticket_text(t, i) = value_text(r, row, col);
		else if (ticket_fields[i].type == TF_TIME)
			*ticket_num(t, i) = value_time(r, row, col);
		else
			*ticket_num(t, i) = value_int(r, row, col);
	}
}

static void arg_field(struct args *a, const struct ticket *t, size_t i)
{
	int64_t v;
	switch (ticket_fields[i].type) {
	case TF_TEXT:
		arg_text(a, *ticket_text(t, i));
		break;
	case TF_TIME:
		arg_time(a, *ticket_num(t, i));
		break;
	case TF_SCORE:
		/* no score: NULL, so averages skip it */
		if (!(v = *ticket_num(t, i)))
			arg_text(a, NULL);
		else
			arg_int(a, v);
		break;
	case TF_INT:
		arg_int(a, *ticket_num(t, i));
		break;
	}
}

static enum kf_status pg_ticket_get(struct store *sto, const char *id, struct ticket *t,
				    struct kf_err *err)
{
	struct pg_store *s = P(sto);
	char *sql = xasprintf("SELECT %s FROM tickets WHERE id = $1", columns());
	PGresult *r = get(s, sql, err, "t", id);
	free(sql);
	if (!r)
		return KF_EDB;
	enum kf_status st = KF_OK;
	if (pq.PQntuples(r) == 0)
		st = kf_fail(err, KF_ENOTFOUND, "no ticket '%s'", id);
	else
		read_ticket(r, 0, 0, t);
	pq.PQclear(r);
	return st;
}

static enum kf_status pg_ticket_seq_next(struct store *sto, const char *day, int64_t *seq,
					 struct kf_err *err)
{
	struct pg_store *s = P(sto);
	if (!s->writing)
		return kf_fail(err, KF_EDB, "desk database: a sequence is taken in a transaction");
	/*
	 * Past the day's highest ticket and, when the mark is of this day,
	 * past the mark: setval() stays when this transaction is undone. The
	 * writers' lock, held here, keeps the mark's writers in turn.
	 */
	PGresult *r = get(s,
			  "SELECT setval('ticket_mark', $2::bigint * " MARK_DAY " + greatest("
			  " (SELECT coalesce(max(seq), 0) FROM tickets WHERE day = $1),"
			  " (SELECT CASE WHEN is_called AND last_value / " MARK_DAY " = $2::bigint"
			  "  THEN last_value % " MARK_DAY " ELSE 0 END FROM ticket_mark)) + 1)"
			  " % " MARK_DAY,
			  err, "tt", day, day);
	if (!r)
		return KF_EDB;
	*seq = value_int(r, 0, 0);
	pq.PQclear(r);
	return KF_OK;
}

/*
 * A statement that returns no rows; KF_EEXIST (err saying what failed)
 * when it would break a unique key.
 */
static enum kf_status put_new(struct pg_store *s, const char *sql, const struct args *a,
			      struct kf_err *err)
{
	PGresult *r = pq.PQexecParams(s->db, sql, a->n, NULL, a->v, NULL, NULL, 0);
	enum kf_status st = KF_OK;
	if (!r || pq.PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *state = r ? pq.PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
		st = fail_result(s, r, err);
		if (state && !strcmp(state, "23505")) /* unique_violation */
			st = KF_EEXIST;
	}
	pq.PQclear(r);
	return st;
}

/* Insert t as day's seq-th; KF_EEXIST when its id or number is taken. */
static enum kf_status insert_ticket(struct pg_store *s, const struct ticket *t, const char *day,
				    int64_t seq, struct kf_err *err)
{
	static char *sql;
	struct args a = { .n = 0 };
	if (!sql) {
		struct sbuf sb = SBUF_INIT;
		sbuf_addf(&sb, "INSERT INTO tickets(day, seq, %s) VALUES($1, $2, $3", columns());
		for (size_t i = 0; i < ticket_nfields; i++)
			sbuf_addf(&sb, ", $%zu", i + 4);
		sbuf_addch(&sb, ')');
		sql = sbuf_detach(&sb);
	}
	arg_text(&a, day);
	arg_int(&a, seq);
	arg_text(&a, t->id);
	for (size_t i = 0; i < ticket_nfields; i++)
		arg_field(&a, t, i);
	enum kf_status st = put_new(s, sql, &a, err);
	if (st == KF_EEXIST)
		st = kf_fail(err, KF_EEXIST, "ticket '%s' exists (or %s's number %lld is taken)",
			     t->id, day, (long long)seq);
	return st;
}

static enum kf_status pg_ticket_insert(struct store *sto, const struct ticket *t,
				       const char *day, int64_t seq, struct kf_err *err)
{
	enum kf_status st = insert_ticket(P(sto), t, day, seq, err);
	/* The contract's failure for an id taken: the database's. */
	return st == KF_EEXIST ? KF_EDB : st;
}

static enum kf_status pg_ticket_update(struct store *sto, const struct ticket *t,
				       struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	sbuf_adds(&sql, "UPDATE tickets SET ");
	for (size_t i = 0; i < ticket_nfields; i++) {
		sbuf_addf(&sql, "%s%s = $%zu", i ? ", " : "", ticket_fields[i].name, i + 1);
		arg_field(&a, t, i);
	}
	sbuf_addf(&sql, " WHERE id = $%zu", ticket_nfields + 1);
	arg_text(&a, t->id);
	PGresult *r = run(s, sql.buf, &a, PGRES_COMMAND_OK, err);
	sbuf_release(&sql);
	if (!r)
		return KF_EDB;
	enum kf_status st = strcmp(pq.PQcmdTuples(r), "1")
				    ? kf_fail(err, KF_ENOTFOUND, "no ticket '%s'", t->id)
				    : KF_OK;
	pq.PQclear(r);
	return st;
}

/* f's conditions, as store-sqlite.c's where() makes them. */
static void where(struct sbuf *sql, const struct ticket_filter *f, struct args *a)
{
	sbuf_adds(sql, " WHERE true");
	if (f->nstatuses) {
		sbuf_adds(sql, " AND status IN (");
		for (size_t i = 0; i < f->nstatuses && i < TICKET_FILTER_STATUSES; i++)
			sbuf_addf(sql, "%s$%d", i ? ", " : "", arg_text(a, f->statuses[i]));
		sbuf_addch(sql, ')');
	}
	if (f->open || f->overdue_at != TIME_NONE)
		sbuf_addf(sql, " AND status NOT IN %s", done_statuses());
	const struct {
		const char *column, *value;
	} equal[] = {
		{ "department", f->department }, { "type", f->type },
		{ "priority", f->priority },	 { "customer", f->customer },
		{ "channel", f->channel },	 { "fingerprint", f->fingerprint },
	};
	for (size_t i = 0; i < sizeof(equal) / sizeof(equal[0]); i++)
		if (equal[i].value)
			sbuf_addf(sql, " AND %s = $%d", equal[i].column, arg_text(a, equal[i].value));
	/* lower() under "C" folds ASCII only, as SQLite's NOCASE. */
	if (f->assignee)
		sbuf_addf(sql, " AND lower(assignee) = lower($%d::text COLLATE \"C\")",
			  arg_text(a, f->assignee));
	if (f->assigned == ASSIGNED_NOBODY)
		sbuf_adds(sql, " AND assignee IS NULL");
	else if (f->assigned == ASSIGNED_SOMEBODY)
		sbuf_adds(sql, " AND assignee IS NOT NULL");
	if (f->except)
		sbuf_addf(sql, " AND id != $%d", arg_text(a, f->except));
	if (f->since != TIME_NONE)
		sbuf_addf(sql, " AND created >= $%d::bigint", arg_int(a, f->since));
	if (f->until != TIME_NONE)
		sbuf_addf(sql, " AND created < $%d::bigint", arg_int(a, f->until));
	if (f->done)
		sbuf_addf(sql, " AND status IN %s", done_statuses());
	if (f->touched_since != TIME_NONE)
		sbuf_addf(sql, " AND (status NOT IN %s OR updated >= $%d::bigint)", done_statuses(),
			  arg_int(a, f->touched_since));
	if (f->updated_since != TIME_NONE)
		sbuf_addf(sql, " AND updated >= $%d::bigint", arg_int(a, f->updated_since));
	if (f->overdue_at != TIME_NONE) {
		/* A pending ticket's clocks stopped when it paused: judge it then. */
		int k = arg_int(a, f->overdue_at);
		sbuf_addf(sql,
			  " AND (SELECT coalesce(min(p.start), $%d::bigint) FROM pauses p"
			  "  WHERE p.ticket = tickets.id AND p.\"end\" IS NULL) > least("
			  "  CASE WHEN first_response IS NULL THEN coalesce(response_due, $%d::bigint)"
			  "  ELSE $%d::bigint END, coalesce(resolve_due, $%d::bigint))",
			  k, k, k, k);
	}
	if (f->flagged)
		sbuf_adds(sql, " AND flagged IS NOT NULL");
	if (f->with_policy)
		sbuf_adds(sql, " AND sla_policy IS NOT NULL");
}

static void order_by(struct sbuf *sql, const struct ticket_filter *f)
{
	switch (f->order) {
	case TICKET_BY_URGENCY:
		sbuf_adds(sql, " ORDER BY ");
		priority_order(sql);
		sbuf_adds(sql, ", urged DESC, created, id");
		break;
	case TICKET_BY_ID:
		sbuf_adds(sql, " ORDER BY id");
		break;
	case TICKET_BY_AGE:
		sbuf_adds(sql, " ORDER BY created, id");
		break;
	case TICKET_BY_NEWEST:
		sbuf_adds(sql, " ORDER BY created DESC, id DESC");
		break;
	}
	if (f->limit > 0)
		sbuf_addf(sql, " LIMIT %ld", f->limit);
}

typedef enum kf_status (*row_fn)(const PGresult *r, int row, void *ctx, struct kf_err *err);

/*
 * Call fn for each row of a query, or fail: never fewer rows than there
 * are. A list that may be long is read through a cursor, BATCH rows at
 * a time, in a read-only transaction of its own when none is open, so
 * that a million tickets are never held at once and all come from one
 * snapshot.
 */
static enum kf_status each_row(struct pg_store *s, const char *sql, const struct args *a,
			       int long_list, row_fn fn, void *ctx, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	PGresult *r;
	if (!long_list) {
		if (!(r = run(s, sql, a, PGRES_TUPLES_OK, err)))
			return KF_EDB;
		for (int i = 0, n = pq.PQntuples(r); i < n && !st; i++)
			st = fn(r, i, ctx, err);
		pq.PQclear(r);
		return st;
	}
	int own = pq.PQtransactionStatus(s->db) == PQTRANS_IDLE;
	if (own && (st = exec(s, "BEGIN READ ONLY", err)))
		return st;
	char name[32], fetch[64];
	snprintf(name, sizeof(name), "kefu_rows_%d", ++s->cursors);
	char *declare = xasprintf("DECLARE %s NO SCROLL CURSOR FOR %s", name, sql);
	r = run(s, declare, a, PGRES_COMMAND_OK, err);
	free(declare);
	pq.PQclear(r);
	if (!r)
		st = KF_EDB;
	snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", BATCH, name);
	for (int more = !st; more && !st;) {
		if (!(r = run(s, fetch, NULL, PGRES_TUPLES_OK, err))) {
			st = KF_EDB;
			break;
		}
		int n = pq.PQntuples(r);
		for (int i = 0; i < n && !st; i++)
			st = fn(r, i, ctx, err);
		more = n == BATCH;
		pq.PQclear(r);
	}
	if (pq.PQtransactionStatus(s->db) == PQTRANS_INTRANS) {
		char close[48];
		snprintf(close, sizeof(close), "CLOSE %s", name);
		if (exec(s, close, st ? NULL : err) && !st)
			st = KF_EDB;
	}
	if (own) {
		if (!st)
			st = exec(s, "COMMIT", err);
		else
			pq.PQclear(pq.PQexec(s->db, "ROLLBACK"));
	}
	return st;
}

struct ticket_walk {
	store_ticket_fn fn;
	void *ctx;
};

static enum kf_status ticket_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct ticket_walk *w = ctx;
	struct ticket t;
	read_ticket(r, row, 0, &t);
	enum kf_status st = w->fn(w->ctx, &t, err);
	ticket_release(&t);
	return st;
}

/* A list is long unless a small limit bounds it. */
static int long_list(const struct ticket_filter *f)
{
	return f->limit <= 0 || f->limit > BATCH;
}

static enum kf_status pg_tickets_each(struct store *sto, const struct ticket_filter *f,
				      store_ticket_fn fn, void *ctx, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	struct ticket_walk w = { fn, ctx };
	sbuf_addf(&sql, "SELECT %s FROM tickets", columns());
	where(&sql, f, &a);
	order_by(&sql, f);
	enum kf_status st = each_row(s, sql.buf, &a, long_list(f), ticket_row, &w, err);
	sbuf_release(&sql);
	return st;
}

struct pause_walk {
	store_pause_fn fn;
	void *ctx;
};

static enum kf_status pause_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct pause_walk *w = ctx;
	struct span p = { value_int(r, row, 1), value_time(r, row, 2) };
	return w->fn(w->ctx, pq.PQgetvalue(r, row, 0), &p, err);
}

static enum kf_status pg_pauses_each(struct store *sto, const struct ticket_filter *f,
				     store_pause_fn fn, void *ctx, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	struct pause_walk w = { fn, ctx };
	sbuf_adds(&sql, "SELECT p.ticket, p.start, p.\"end\" FROM pauses p JOIN tickets"
			" ON tickets.id = p.ticket");
	where(&sql, f, &a);
	sbuf_adds(&sql, " ORDER BY p.ticket, p.start");
	enum kf_status st = each_row(s, sql.buf, &a, 1, pause_row, &w, err);
	sbuf_release(&sql);
	return st;
}

static enum kf_status pg_tickets_count(struct store *sto, const struct ticket_filter *f,
				       long *n, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	sbuf_adds(&sql, "SELECT count(*) FROM tickets");
	where(&sql, f, &a);
	PGresult *r = run(s, sql.buf, &a, PGRES_TUPLES_OK, err);
	sbuf_release(&sql);
	*n = 0;
	if (!r)
		return KF_EDB;
	*n = (long)value_int(r, 0, 0);
	pq.PQclear(r);
	return KF_OK;
}

/* ---- events, pauses, offers ---- */

static enum kf_status pg_event_add(struct store *sto, const struct ticket_event *e,
				   struct kf_err *err)
{
	return put(P(sto),
		   "INSERT INTO events(ticket, at, who, what, field, before, after, note)"
		   " VALUES($1, $2, $3, $4, $5, $6, $7, $8)",
		   err, "titttttt", e->ticket, e->at, e->who, e->what, e->field, e->before,
		   e->after, e->note);
}

static enum kf_status pg_events_get(struct store *sto, const char *id, struct ticket_event **v,
				    size_t *n, struct kf_err *err)
{
	PGresult *r = get(P(sto),
			  "SELECT at, who, what, field, before, after, note"
			  " FROM events WHERE ticket = $1 ORDER BY seq",
			  err, "t", id);
	*v = NULL;
	*n = 0;
	if (!r)
		return KF_EDB;
	int rows = pq.PQntuples(r);
	*v = xcalloc((size_t)rows + 1, sizeof(**v));
	for (int i = 0; i < rows; i++) {
		struct ticket_event *e = &(*v)[i];
		snprintf(e->ticket, sizeof(e->ticket), "%s", id);
		e->at = value_int(r, i, 0);
		e->who = value_text(r, i, 1);
		e->what = value_text(r, i, 2);
		e->field = value_text(r, i, 3);
		e->before = value_text(r, i, 4);
		e->after = value_text(r, i, 5);
		e->note = value_text(r, i, 6);
	}
	*n = (size_t)rows;
	pq.PQclear(r);
	return KF_OK;
}

static enum kf_status pg_pause_start(struct store *sto, const char *id, int64_t at,
				     struct kf_err *err)
{
	return put(P(sto), "INSERT INTO pauses(ticket, start) VALUES($1, $2)", err, "ti", id, at);
}

static enum kf_status pg_pause_end(struct store *sto, const char *id, int64_t at,
				   struct kf_err *err)
{
	return put(P(sto), "UPDATE pauses SET \"end\" = $2 WHERE ticket = $1 AND \"end\" IS NULL",
		   err, "ti", id, at);
}

static enum kf_status pg_pauses_get(struct store *sto, const char *id, struct span **v,
				    size_t *n, struct kf_err *err)
{
	PGresult *r = get(P(sto), "SELECT start, \"end\" FROM pauses WHERE ticket = $1 ORDER BY start",
			  err, "t", id);
	*v = NULL;
	*n = 0;
	if (!r)
		return KF_EDB;
	int rows = pq.PQntuples(r);
	*v = xcalloc((size_t)rows + 1, sizeof(**v));
	for (int i = 0; i < rows; i++) {
		(*v)[i].start = value_int(r, i, 0);
		(*v)[i].end = value_time(r, i, 1);
	}
	*n = (size_t)rows;
	pq.PQclear(r);
	return KF_OK;
}

/*
 * Histories, for reports: the tickets by id through a cursor, and each
 * one's events and pauses as pg_events_get() and pg_pauses_get() read
 * them, all in one repeatable-read transaction, so one snapshot, when
 * the caller has none open.
 */
struct history_walk {
	struct store *st;
	store_history_fn fn;
	void *ctx;
};

static enum kf_status history_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct history_walk *w = ctx;
	struct ticket t;
	struct ticket_event *ev = NULL;
	struct span *pv = NULL;
	size_t nev = 0, np = 0;
	read_ticket(r, row, 0, &t);
	enum kf_status st = pg_events_get(w->st, t.id, &ev, &nev, err);
	if (!st)
		st = pg_pauses_get(w->st, t.id, &pv, &np, err);
	if (!st) {
		struct ticket_history h = { &t, ev, nev, pv, np };
		st = w->fn(w->ctx, &h, err);
	}
	ticket_events_free(ev, nev);
	free(pv);
	ticket_release(&t);
	return st;
}

static enum kf_status pg_histories_each(struct store *sto, const struct ticket_filter *f,
					store_history_fn fn, void *ctx, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	struct history_walk w = { sto, fn, ctx };
	enum kf_status st;
	int own = pq.PQtransactionStatus(s->db) == PQTRANS_IDLE;
	if (own && (st = exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err)))
		return st;
	sbuf_addf(&sql, "SELECT %s FROM tickets", columns());
	where(&sql, f, &a);
	sbuf_adds(&sql, " ORDER BY id");
	st = each_row(s, sql.buf, &a, 1, history_row, &w, err);
	sbuf_release(&sql);
	if (own) {
		if (!st)
			st = exec(s, "COMMIT", err);
		else
			pq.PQclear(pq.PQexec(s->db, "ROLLBACK"));
	}
	return st;
}

/* The first column of every row, as strings; *v allocated (store_names_free()). */
static enum kf_status names(struct pg_store *s, PGresult *r, char ***v, size_t *n)
{
	int rows = pq.PQntuples(r);
	*v = xcalloc((size_t)rows + 1, sizeof(**v));
	for (int i = 0; i < rows; i++)
		(*v)[i] = value_text(r, i, 0);
	*n = (size_t)rows;
	pq.PQclear(r);
	(void)s;
	return KF_OK;
}

static enum kf_status pg_offers_get(struct store *sto, const char *id, char ***agents,
				    size_t *n, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	PGresult *r = get(s, "SELECT agent FROM offers WHERE ticket = $1 ORDER BY agent", err, "t",
			  id);
	*agents = NULL;
	*n = 0;
	return r ? names(s, r, agents, n) : KF_EDB;
}

static enum kf_status pg_offers_set(struct store *sto, const char *id, char *const *agents,
				    size_t n, int64_t at, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	enum kf_status st = put(s, "DELETE FROM offers WHERE ticket = $1", err, "t", id);
	for (size_t i = 0; i < n && !st; i++)
		st = put(s, "INSERT INTO offers(ticket, agent, at) VALUES($1, $2, $3)", err, "tti",
			 id, agents[i], at);
	return st;
}

/* ---- agents and routing's memory ---- */

static enum kf_status pg_agent_get(struct store *sto, const char *email,
				   struct agent_record *a, struct kf_err *err)
{
	PGresult *r = get(P(sto), "SELECT status, since, last_assigned FROM agents WHERE email = $1",
			  err, "t", email);
	a->away = 0;
	a->since = a->last_assigned = TIME_NONE;
	if (!r)
		return KF_EDB;
	if (pq.PQntuples(r) > 0) {
		a->away = !pq.PQgetisnull(r, 0, 0) && !strcmp(pq.PQgetvalue(r, 0, 0), "away");
		a->since = value_time(r, 0, 1);
		a->last_assigned = value_time(r, 0, 2);
	}
	pq.PQclear(r);
	return KF_OK;
}

static enum kf_status pg_agent_set_away(struct store *sto, const char *email, int away,
					int64_t at, struct kf_err *err)
{
	return put(P(sto),
		   "INSERT INTO agents(email, status, since) VALUES($1, $2, $3)"
		   " ON CONFLICT(email) DO UPDATE SET status = excluded.status,"
		   " since = excluded.since",
		   err, "tti", email, away ? "away" : "available", at);
}

static enum kf_status pg_agent_assigned(struct store *sto, const char *email, int64_t at,
					struct kf_err *err)
{
	return put(P(sto),
		   "INSERT INTO agents(email, last_assigned) VALUES($1, $2)"
		   " ON CONFLICT(email) DO UPDATE SET last_assigned = excluded.last_assigned",
		   err, "ti", email, at);
}

/* The first column of the first row of a query on key, or NULL. */
static enum kf_status one_text(struct pg_store *s, const char *sql, const char *key, char **out,
			       struct kf_err *err)
{
	PGresult *r = get(s, sql, err, "t", key);
	*out = NULL;
	if (!r)
		return KF_EDB;
	if (pq.PQntuples(r) > 0)
		*out = value_text(r, 0, 0);
	pq.PQclear(r);
	return KF_OK;
}

static enum kf_status pg_route_last_get(struct store *sto, const char *department,
					char **agent, struct kf_err *err)
{
	return one_text(P(sto), "SELECT last_agent FROM route_state WHERE department = $1",
			department, agent, err);
}

static enum kf_status pg_route_last_set(struct store *sto, const char *department,
					const char *agent, struct kf_err *err)
{
	return put(P(sto),
		   "INSERT INTO route_state(department, last_agent) VALUES($1, $2)"
		   " ON CONFLICT(department) DO UPDATE SET last_agent = excluded.last_agent",
		   err, "tt", department, agent);
}

/* ---- e-mails, usage ---- */

static enum kf_status pg_message_ticket(struct store *sto, const char *message_id,
					char id[TICKET_ID_SIZE], struct kf_err *err)
{
	char *found;
	enum kf_status st = one_text(P(sto), "SELECT ticket FROM messages WHERE message_id = $1",
				     message_id, &found, err);
	snprintf(id, TICKET_ID_SIZE, "%s", found ? found : "");
	free(found);
	return st;
}

static enum kf_status pg_message_add(struct store *sto, const char *message_id,
				     const char *ticket, struct kf_err *err)
{
	return put(P(sto),
		   "INSERT INTO messages(message_id, ticket) VALUES($1, $2)"
		   " ON CONFLICT(message_id) DO NOTHING",
		   err, "tt", message_id, ticket);
}

static enum kf_status pg_usage_add(struct store *sto, const char *entry, const char *ticket,
				   const char *who, int64_t at, const char *day, const char *note,
				   struct kf_err *err)
{
	struct pg_store *s = P(sto);
	enum kf_status st = put(s,
				"INSERT INTO usage(entry, ticket, who, at, note)"
				" VALUES($1, $2, $3, $4, $5)",
				err, "tttit", entry, ticket, who, at, note);
	return st ? st
		  : put(s,
			"INSERT INTO kb_usage(entry, uses, last_used) VALUES($1, 1, $2)"
			" ON CONFLICT(entry) DO UPDATE SET uses = kb_usage.uses + 1,"
			" last_used = excluded.last_used",
			err, "tt", entry, day);
}

static enum kf_status pg_usage_counts(struct store *sto, const char *const *entries, size_t n,
				      long *uses, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < n && !st; i++) {
		PGresult *r = get(s, "SELECT uses FROM kb_usage WHERE entry = $1", err, "t",
				  entries[i]);
		uses[i] = 0;
		if (!r)
			st = KF_EDB;
		else if (pq.PQntuples(r) > 0)
			uses[i] = (long)value_int(r, 0, 0);
		pq.PQclear(r);
	}
	return st;
}

struct usage_walk {
	store_usage_fn fn;
	void *ctx;
};

static const char *text_or_null(const PGresult *r, int row, int col)
{
	return pq.PQgetisnull(r, row, col) ? NULL : pq.PQgetvalue(r, row, col);
}

static enum kf_status usage_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct usage_walk *w = ctx;
	struct kb_use u = { text_or_null(r, row, 0), text_or_null(r, row, 1),
			    text_or_null(r, row, 2), value_int(r, row, 3),
			    text_or_null(r, row, 4) };
	return w->fn(w->ctx, &u, err);
}

static enum kf_status pg_usage_each(struct store *sto, int64_t since, int64_t until,
				    store_usage_fn fn, void *ctx, struct kf_err *err)
{
	struct args a = { .n = 0 };
	struct usage_walk w = { fn, ctx };
	int from = arg_int(&a, since != TIME_NONE ? since : INT64_MIN);
	int to = arg_int(&a, until != TIME_NONE ? until : INT64_MAX);
	char *sql = xasprintf("SELECT entry, ticket, who, at, note FROM usage"
			      " WHERE at >= $%d::bigint AND at < $%d::bigint ORDER BY at, seq",
			      from, to);
	enum kf_status st = each_row(P(sto), sql, &a, 1, usage_row, &w, err);
	free(sql);
	return st;
}

static enum kf_status pg_usage_counts_on_type(struct store *sto, const char *type,
					      const char *except, const char *const *entries,
					      size_t n, long *uses, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < n && !st; i++) {
		PGresult *r = get(s,
				  "SELECT count(*) FROM usage u JOIN tickets t ON t.id = u.ticket"
				  " WHERE u.entry = $1 AND t.type = $2 AND t.id <> coalesce($3, '')",
				  err, "ttt", entries[i], type, except);
		uses[i] = 0;
		if (!r)
			st = KF_EDB;
		else
			uses[i] = (long)value_int(r, 0, 0);
		pq.PQclear(r);
	}
	return st;
}

/* ---- follow-ups ---- */

static void arg_followup(struct args *a, const struct followup *f)
{
	arg_text(a, f->ticket);
	arg_text(a, f->name);
	arg_text(a, f->event);
	arg_text(a, f->purpose);
	arg_int(a, f->scheduled);
	arg_int(a, f->due);
	arg_time(a, f->notified);
	arg_time(a, f->done);
	arg_text(a, f->outcome);
	arg_text(a, f->who);
	arg_text(a, f->note);
	if (f->satisfaction)
		arg_int(a, f->satisfaction);
	else
		arg_text(a, NULL);
}

static enum kf_status pg_followup_add(struct store *sto, const struct followup *f, int64_t *id,
				      struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct args a = { .n = 0 };
	arg_followup(&a, f);
	/* One past the highest, as SQLite numbers rows: the same ids on both. */
	PGresult *r = run(s,
			  "INSERT INTO followups(id, ticket, name, event, purpose, scheduled, due,"
			  " notified, done, outcome, who, note, satisfaction)"
			  " VALUES((SELECT coalesce(max(id), 0) + 1 FROM followups),"
			  " $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
			  &a, PGRES_TUPLES_OK, err);
	*id = 0;
	if (!r)
		return KF_EDB;
	*id = value_int(r, 0, 0);
	pq.PQclear(r);
	return KF_OK;
}

static enum kf_status pg_followup_update(struct store *sto, const struct followup *f,
					 struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct args a = { .n = 0 };
	arg_followup(&a, f);
	arg_int(&a, f->id);
	PGresult *r = run(s,
			  "UPDATE followups SET ticket = $1, name = $2, event = $3, purpose = $4,"
			  " scheduled = $5, due = $6, notified = $7, done = $8, outcome = $9,"
			  " who = $10, note = $11, satisfaction = $12 WHERE id = $13",
			  &a, PGRES_COMMAND_OK, err);
	if (!r)
		return KF_EDB;
	enum kf_status st = strcmp(pq.PQcmdTuples(r), "1")
				    ? kf_fail(err, KF_ENOTFOUND, "no follow-up %lld", (long long)f->id)
				    : KF_OK;
	pq.PQclear(r);
	return st;
}

/* The follow-up's columns, then the ticket's (from FOLLOWUP_NCOLS on). */
#define FOLLOWUP_NCOLS 13

struct followup_walk {
	store_followup_fn fn;
	void *ctx;
};

static enum kf_status followup_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct followup_walk *w = ctx;
	struct followup f;
	struct ticket t;
	memset(&f, 0, sizeof(f));
	f.id = value_int(r, row, 0);
	snprintf(f.ticket, sizeof(f.ticket), "%s", pq.PQgetvalue(r, row, 1));
	f.name = value_text(r, row, 2);
	f.event = value_text(r, row, 3);
	f.purpose = value_text(r, row, 4);
	f.scheduled = value_int(r, row, 5);
	f.due = value_int(r, row, 6);
	f.notified = value_time(r, row, 7);
	f.done = value_time(r, row, 8);
	f.outcome = value_text(r, row, 9);
	f.who = value_text(r, row, 10);
	f.note = value_text(r, row, 11);
	f.satisfaction = value_int(r, row, 12);
	read_ticket(r, row, FOLLOWUP_NCOLS, &t);
	enum kf_status st = w->fn(w->ctx, &f, &t, err);
	followup_release(&f);
	ticket_release(&t);
	return st;
}

static enum kf_status pg_followups_each(struct store *sto, const struct followup_filter *f,
					store_followup_fn fn, void *ctx, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	struct followup_walk w = { fn, ctx };
	char *cols = prefixed_columns("t.");
	sbuf_addf(&sql,
		  "SELECT f.id, f.ticket, f.name, f.event, f.purpose, f.scheduled, f.due,"
		  " f.notified, f.done, f.outcome, f.who, f.note, f.satisfaction, %s"
		  " FROM followups f JOIN tickets t ON t.id = f.ticket WHERE true",
		  cols);
	free(cols);
	if (f->id)
		sbuf_addf(&sql, " AND f.id = $%d::bigint", arg_int(&a, f->id));
	if (f->ticket)
		sbuf_addf(&sql, " AND f.ticket = $%d", arg_text(&a, f->ticket));
	if (f->name)
		sbuf_addf(&sql, " AND f.name = $%d", arg_text(&a, f->name));
	if (f->pending)
		sbuf_adds(&sql, " AND f.done IS NULL");
	if (f->unnotified)
		sbuf_adds(&sql, " AND f.notified IS NULL");
	if (f->due_before != TIME_NONE)
		sbuf_addf(&sql, " AND f.due < $%d::bigint", arg_int(&a, f->due_before));
	sbuf_adds(&sql, " ORDER BY f.due, f.id");
	/* One follow-up, or a ticket's few, fit in one answer; a list is read in batches. */
	enum kf_status st = each_row(s, sql.buf, &a, !f->id && !f->ticket, followup_row, &w, err);
	sbuf_release(&sql);
	return st;
}

/* ---- the whole store: dump and restore ---- */

/*
 * A walk reads one snapshot: in the caller's transaction, or in a
 * read-only one of its own at REPEATABLE READ, so that its several
 * queries see the same rows and no ticket is seen without rows a writer
 * added meanwhile.
 */
static enum kf_status snapshot_begin(struct pg_store *s, int *own, struct kf_err *err)
{
	*own = pq.PQtransactionStatus(s->db) == PQTRANS_IDLE;
	return *own ? exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) : KF_OK;
}

static enum kf_status snapshot_end(struct pg_store *s, int own, enum kf_status st,
				   struct kf_err *err)
{
	if (!own)
		return st;
	if (!st)
		return exec(s, "COMMIT", err);
	pq.PQclear(pq.PQexec(s->db, "ROLLBACK"));
	return st;
}

/* A query read through a cursor, BATCH rows at a time, beside others. */
struct cursor {
	char name[32];
	PGresult *r; /* the batch at hand */
	int row, n;  /* the current row of r, and its rows */
	int more;    /* the batch was full: there may be more */
	int at;      /* 1 on a row, 0 at the end, -1 failed (err says) */
};

/* Move to the next row; c->at says where it is. */
static int cursor_step(struct pg_store *s, struct cursor *c, struct kf_err *err)
{
	if (c->r && ++c->row < c->n)
		return c->at = 1;
	pq.PQclear(c->r);
	c->r = NULL;
	if (!c->more)
		return c->at = 0;
	char fetch[64];
	snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", BATCH, c->name);
	if (!(c->r = run(s, fetch, NULL, PGRES_TUPLES_OK, err))) {
		c->more = 0;
		return c->at = -1;
	}
	c->n = pq.PQntuples(c->r);
	c->row = 0;
	c->more = c->n == BATCH;
	if (c->n)
		return c->at = 1;
	pq.PQclear(c->r);
	c->r = NULL;
	return c->at = 0;
}

/* Declare a cursor for sql in the transaction open, and read its first row. */
static enum kf_status cursor_open(struct pg_store *s, struct cursor *c, const char *sql,
				  const struct args *a, struct kf_err *err)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "kefu_rows_%d", ++s->cursors);
	char *declare = xasprintf("DECLARE %s NO SCROLL CURSOR FOR %s", c->name, sql);
	PGresult *r = run(s, declare, a, PGRES_COMMAND_OK, err);
	free(declare);
	if (!r)
		return c->at = -1, KF_EDB;
	pq.PQclear(r);
	c->more = 1;
	return cursor_step(s, c, err) < 0 ? KF_EDB : KF_OK;
}

static void cursor_close(struct pg_store *s, struct cursor *c)
{
	pq.PQclear(c->r);
	c->r = NULL;
	if (c->name[0] && pq.PQtransactionStatus(s->db) == PQTRANS_INTRANS) {
		char close[48];
		snprintf(close, sizeof(close), "CLOSE %s", c->name);
		exec(s, close, NULL);
	}
	c->name[0] = '\0';
}

/* The rows of one table about the tickets of a walk, by ticket: column 0 is the ticket. */
enum part { P_EVENTS, P_PAUSES, P_OFFERS, P_MESSAGES, P_USAGE, P_FOLLOWUPS, NPARTS };

static const char *const part_sql[NPARTS][2] = {
	[P_EVENTS] = { "SELECT ticket, at, who, what, field, before, after, note FROM events",
		       " ORDER BY ticket, seq" },
	[P_PAUSES] = { "SELECT ticket, start, \"end\" FROM pauses", " ORDER BY ticket, start" },
	[P_OFFERS] = { "SELECT ticket, agent, at FROM offers", " ORDER BY ticket, agent" },
	[P_MESSAGES] = { "SELECT ticket, message_id FROM messages",
			 " ORDER BY ticket, message_id" },
	[P_USAGE] = { "SELECT ticket, entry, who, at, note FROM usage", " ORDER BY ticket, seq" },
	[P_FOLLOWUPS] = { "SELECT ticket, id, ticket, name, event, purpose, scheduled, due,"
			  " notified, done, outcome, who, note, satisfaction FROM followups",
			  " ORDER BY ticket, id" },
};

/* A follow-up from the columns of a row from b on: id, ticket, name... satisfaction. */
static void read_followup_at(const PGresult *r, int row, int b, struct followup *f)
{
	memset(f, 0, sizeof(*f));
	f->id = value_int(r, row, b);
	snprintf(f->ticket, sizeof(f->ticket), "%s", pq.PQgetvalue(r, row, b + 1));
	f->name = value_text(r, row, b + 2);
	f->event = value_text(r, row, b + 3);
	f->purpose = value_text(r, row, b + 4);
	f->scheduled = value_int(r, row, b + 5);
	f->due = value_int(r, row, b + 6);
	f->notified = value_time(r, row, b + 7);
	f->done = value_time(r, row, b + 8);
	f->outcome = value_text(r, row, b + 9);
	f->who = value_text(r, row, b + 10);
	f->note = value_text(r, row, b + 11);
	f->satisfaction = value_int(r, row, b + 12);
}

/* Append the row of part p at row of r to rec. */
static void take_part(enum part p, const PGresult *r, int row, struct ticket_record *rec)
{
	size_t n;
	switch (p) {
	case P_EVENTS: {
		rec->events = xrealloc(rec->events, (rec->nevents + 1) * sizeof(*rec->events));
		struct ticket_event *e = &rec->events[rec->nevents++];
		memset(e, 0, sizeof(*e));
		snprintf(e->ticket, sizeof(e->ticket), "%s", rec->t.id);
		e->at = value_int(r, row, 1);
		e->who = value_text(r, row, 2);
		e->what = value_text(r, row, 3);
		e->field = value_text(r, row, 4);
		e->before = value_text(r, row, 5);
		e->after = value_text(r, row, 6);
		e->note = value_text(r, row, 7);
		break;
	}
	case P_PAUSES:
		rec->pauses = xrealloc(rec->pauses, (rec->npauses + 1) * sizeof(*rec->pauses));
		rec->pauses[rec->npauses].start = value_int(r, row, 1);
		rec->pauses[rec->npauses++].end = value_time(r, row, 2);
		break;
	case P_OFFERS:
		rec->offers = xrealloc(rec->offers, (rec->noffers + 1) * sizeof(*rec->offers));
		rec->offers[rec->noffers].agent = value_text(r, row, 1);
		rec->offers[rec->noffers++].at = value_int(r, row, 2);
		break;
	case P_MESSAGES:
		rec->messages =
			xrealloc(rec->messages, (rec->nmessages + 1) * sizeof(*rec->messages));
		rec->messages[rec->nmessages++] = value_text(r, row, 1);
		break;
	case P_USAGE: {
		rec->usage = xrealloc(rec->usage, (rec->nusage + 1) * sizeof(*rec->usage));
		struct usage_record *u = &rec->usage[rec->nusage++];
		memset(u, 0, sizeof(*u));
		u->ticket = value_text(r, row, 0);
		u->entry = value_text(r, row, 1);
		u->who = value_text(r, row, 2);
		u->at = value_int(r, row, 3);
		u->note = value_text(r, row, 4);
		break;
	}
	case P_FOLLOWUPS:
		n = rec->nfollowups;
		rec->followups = xrealloc(rec->followups, (n + 1) * sizeof(*rec->followups));
		read_followup_at(r, row, 1, &rec->followups[n]);
		rec->nfollowups++;
		break;
	case NPARTS:
		break;
	}
}

/* head + f's conditions on the table tickets + tail, declared as c. */
static enum kf_status cursor_around(struct pg_store *s, struct cursor *c, const char *head,
				    const struct ticket_filter *f, const char *tail,
				    struct kf_err *err)
{
	struct sbuf sql = SBUF_INIT;
	struct args a = { .n = 0 };
	sbuf_adds(&sql, head);
	where(&sql, f, &a);
	sbuf_adds(&sql, tail);
	enum kf_status st = cursor_open(s, c, sql.buf, &a, err);
	sbuf_release(&sql);
	return st;
}

/* The current row's first column: the ticket it is about. */
static const char *cursor_ticket(const struct cursor *c)
{
	return pq.PQgetvalue(c->r, c->row, 0);
}

/*
 * The tickets and each table of their rows, all by ticket id (bytes, as
 * COLLATE "C" sorts them and strcmp() compares them), read side by side.
 */
static enum kf_status pg_records_each(struct store *sto, const struct ticket_filter *f,
				      store_record_fn fn, void *ctx, struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct cursor tickets, c[NPARTS];
	enum kf_status ret;
	int own;
	memset(&tickets, 0, sizeof(tickets));
	memset(c, 0, sizeof(c));
	if ((ret = snapshot_begin(s, &own, err)))
		return ret;
	char *head = xasprintf("SELECT %s, day, seq FROM tickets", columns());
	ret = cursor_around(s, &tickets, head, f, " ORDER BY id", err);
	free(head);
	for (int p = 0; p < NPARTS && !ret; p++) {
		char *h = xasprintf("%s WHERE ticket IN (SELECT id FROM tickets", part_sql[p][0]);
		char *t = xasprintf(")%s", part_sql[p][1]);
		ret = cursor_around(s, &c[p], h, f, t, err);
		free(h);
		free(t);
	}
	while (!ret && tickets.at > 0) {
		struct ticket_record r;
		memset(&r, 0, sizeof(r));
		read_ticket(tickets.r, tickets.row, 0, &r.t);
		snprintf(r.day, sizeof(r.day), "%s",
			 pq.PQgetvalue(tickets.r, tickets.row, (int)ticket_nfields + 1));
		r.seq = value_int(tickets.r, tickets.row, (int)ticket_nfields + 2);
		for (int p = 0; p < NPARTS; p++) {
			while (c[p].at > 0 && strcmp(cursor_ticket(&c[p]), r.t.id) < 0)
				cursor_step(s, &c[p], err);
			while (c[p].at > 0 && !strcmp(cursor_ticket(&c[p]), r.t.id)) {
				take_part((enum part)p, c[p].r, c[p].row, &r);
				cursor_step(s, &c[p], err);
			}
		}
		for (int p = 0; p < NPARTS && !ret; p++)
			if (c[p].at < 0)
				ret = KF_EDB;
		if (!ret)
			ret = fn(ctx, &r, err);
		ticket_record_release(&r);
		if (!ret && cursor_step(s, &tickets, err) < 0)
			ret = KF_EDB;
	}
	for (int p = 0; p < NPARTS; p++)
		cursor_close(s, &c[p]);
	cursor_close(s, &tickets);
	return snapshot_end(s, own, ret, err);
}

struct desk_walk {
	store_desk_fn fn;
	void *ctx;
};

static enum kf_status agent_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct desk_walk *w = ctx;
	struct desk_record d;
	memset(&d, 0, sizeof(d));
	d.kind = DESK_AGENT;
	d.name = value_text(r, row, 0);
	d.agent.away = !pq.PQgetisnull(r, row, 1) && !strcmp(pq.PQgetvalue(r, row, 1), "away");
	d.agent.since = value_time(r, row, 2);
	d.agent.last_assigned = value_time(r, row, 3);
	enum kf_status st = w->fn(w->ctx, &d, err);
	desk_record_release(&d);
	return st;
}

static enum kf_status route_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct desk_walk *w = ctx;
	struct desk_record d;
	memset(&d, 0, sizeof(d));
	d.kind = DESK_ROUTE;
	d.name = value_text(r, row, 0);
	d.last_agent = value_text(r, row, 1);
	enum kf_status st = w->fn(w->ctx, &d, err);
	desk_record_release(&d);
	return st;
}

static enum kf_status use_row(const PGresult *r, int row, void *ctx, struct kf_err *err)
{
	struct desk_walk *w = ctx;
	struct desk_record d;
	memset(&d, 0, sizeof(d));
	d.kind = DESK_USAGE;
	d.usage.entry = value_text(r, row, 0);
	d.usage.ticket = value_text(r, row, 1);
	d.usage.who = value_text(r, row, 2);
	d.usage.at = value_int(r, row, 3);
	d.usage.note = value_text(r, row, 4);
	enum kf_status st = w->fn(w->ctx, &d, err);
	desk_record_release(&d);
	return st;
}

/*
 * What no ticket owns, as store-sqlite.c gives it. The days' sequences:
 * the highest number each day's tickets hold, and ticket_mark's, the
 * last number issued, on its day (store-sqlite.c's mark of each day).
 */
static enum kf_status pg_desk_each(struct store *sto, store_desk_fn fn, void *ctx,
				   struct kf_err *err)
{
	struct pg_store *s = P(sto);
	struct desk_walk w = { fn, ctx };
	PGresult *days = NULL;
	enum kf_status ret;
	int own;
	if ((ret = snapshot_begin(s, &own, err)))
		return ret;
	ret = each_row(s, "SELECT email, status, since, last_assigned FROM agents ORDER BY email",
		       NULL, 1, agent_row, &w, err);
	if (!ret)
		ret = each_row(s,
			       "SELECT department, last_agent FROM route_state ORDER BY department",
			       NULL, 1, route_row, &w, err);
	if (!ret)
		ret = each_row(s,
			       "SELECT entry, ticket, who, at, note FROM usage WHERE ticket IS NULL"
			       " OR ticket NOT IN (SELECT id FROM tickets) ORDER BY seq",
			       NULL, 1, use_row, &w, err);
	if (!ret && !(days = get(s,
				 "SELECT day, max(seq) FROM (SELECT day, seq FROM tickets"
				 " UNION ALL SELECT lpad((last_value / " MARK_DAY ")::text, 8, '0')"
				 " COLLATE \"C\", last_value % " MARK_DAY
				 " FROM ticket_mark WHERE is_called) d GROUP BY day ORDER BY day",
				 err, "")))
		ret = KF_EDB;
	ret = snapshot_end(s, own, ret, err);
	for (int i = 0, n = days ? pq.PQntuples(days) : 0; i < n && !ret; i++) {
		struct desk_record d;
		memset(&d, 0, sizeof(d));
		d.kind = DESK_SEQUENCE;
		d.name = pq.PQgetvalue(days, i, 0);
		d.seq = value_int(days, i, 1);
		ret = fn(ctx, &d, err);
	}
	pq.PQclear(days);
	return ret;
}

/*
 * A use kept and counted, on ticket (NULL: the use's own), in one
 * statement. A use put back counts; the latest day it counted for is
 * kept.
 */
static enum kf_status put_usage(struct pg_store *s, const struct usage_record *u,
				const char *ticket, struct kf_err *err)
{
	return put(s,
		   "WITH kept AS (INSERT INTO usage(entry, ticket, who, at, note)"
		   " VALUES($1, $2, $3, $4, $5))"
		   " INSERT INTO kb_usage(entry, uses, last_used) VALUES($1, 1, $6)"
		   " ON CONFLICT(entry) DO UPDATE SET uses = kb_usage.uses + 1,"
		   " last_used = CASE WHEN excluded.last_used > coalesce(kb_usage.last_used, '')"
		   " THEN excluded.last_used ELSE kb_usage.last_used END",
		   err, "tttitt", u->entry, ticket ? ticket : u->ticket, u->who, u->at, u->note,
		   u->day);
}

static enum kf_status put_followup(struct pg_store *s, const struct followup *f,
				   const char *ticket, struct kf_err *err)
{
	struct args a = { .n = 0 };
	arg_followup(&a, f);
	a.v[0] = ticket;
	if (f->id)
		arg_int(&a, f->id);
	enum kf_status st = put_new(s,
				    f->id ? "INSERT INTO followups(ticket, name, event, purpose,"
					    " scheduled, due, notified, done, outcome, who, note,"
					    " satisfaction, id) VALUES($1, $2, $3, $4, $5, $6, $7,"
					    " $8, $9, $10, $11, $12, $13)"
					  : "INSERT INTO followups(id, ticket, name, event, purpose,"
					    " scheduled, due, notified, done, outcome, who, note,"
					    " satisfaction) VALUES((SELECT coalesce(max(id), 0) + 1"
					    " FROM followups), $1, $2, $3, $4, $5, $6, $7, $8, $9,"
					    " $10, $11, $12)",
				    &a, err);
	if (st == KF_EEXIST)
		st = kf_fail(err, KF_EEXIST, "follow-up %lld exists", (long long)f->id);
	return st;
}

/*
 * A ticket's rows put by as few statements as their arguments allow:
 * each table's an INSERT of many rows, each INSERT a data-modifying CTE
 * of one statement, one round trip to the server instead of one a row.
 */
struct rows_put {
	struct pg_store *s;
	struct sbuf sql;
	struct args a;
	const char *insert; /* the INSERT being written, NULL: none */
	const char *tail;   /* what ends it (ON CONFLICT...) */
	int ctes;
	enum kf_status st;
	struct kf_err *err;
};

static void rows_close(struct rows_put *p)
{
	if (p->insert)
		sbuf_addf(&p->sql, "%s)", p->tail);
	p->insert = NULL;
}

static void rows_flush(struct rows_put *p)
{
	rows_close(p);
	if (p->ctes && !p->st) {
		sbuf_adds(&p->sql, " SELECT 1");
		PGresult *r = run(p->s, p->sql.buf, &p->a, PGRES_TUPLES_OK, p->err);
		p->st = r ? KF_OK : KF_EDB;
		pq.PQclear(r);
	}
	sbuf_reset(&p->sql);
	p->a.n = 0;
	p->ctes = 0;
}

/* One row of insert, its values row's. */
static void rows_add(struct rows_put *p, const char *insert, const char *tail,
		     const struct args *row)
{
	if (p->a.n + row->n > MAX_ARGS)
		rows_flush(p);
	if (p->insert != insert) {
		rows_close(p);
		sbuf_addf(&p->sql, "%s c%d AS (%s VALUES (", p->ctes ? "," : "WITH", p->ctes,
			  insert);
		p->ctes++;
		p->insert = insert;
		p->tail = tail;
	} else {
		sbuf_adds(&p->sql, ", (");
	}
	for (int i = 0; i < row->n; i++) {
		int k = p->a.n;
		if (row->v[i] == row->num[i]) {
			memcpy(p->a.num[k], row->num[i], sizeof(p->a.num[k]));
			p->a.v[k] = p->a.num[k];
		} else {
			p->a.v[k] = row->v[i];
		}
		p->a.n++;
		sbuf_addf(&p->sql, "%s$%d", i ? ", " : "", p->a.n);
	}
	sbuf_addch(&p->sql, ')');
}

static const char ins_ticket_head[] = "INSERT INTO tickets(day, seq, ";
static const char ins_event[] =
	"INSERT INTO events(ticket, at, who, what, field, before, after, note)";
static const char ins_pause[] = "INSERT INTO pauses(ticket, start, \"end\")";
static const char ins_offer[] = "INSERT INTO offers(ticket, agent, at)";
static const char ins_message[] = "INSERT INTO messages(message_id, ticket)";
static const char ins_use[] = "INSERT INTO usage(entry, ticket, who, at, note)";
static const char ins_count[] = "INSERT INTO kb_usage(entry, uses, last_used)";
/* a use put back counts; the latest day it counted for is kept */
static const char count_tail[] =
	" ON CONFLICT(entry) DO UPDATE SET uses = kb_usage.uses + excluded.uses,"
	" last_used = CASE WHEN excluded.last_used > coalesce(kb_usage.last_used, '')"
	" THEN excluded.last_used ELSE kb_usage.last_used END";

static enum kf_status put_rows(struct pg_store *s, const struct ticket_record *r,
			       struct kf_err *err)
{
	static char *ins_ticket;
	const char *id = r->t.id;
	struct rows_put *p = xcalloc(1, sizeof(*p));
	struct args row;
	p->s = s;
	p->err = err;
	sbuf_init(&p->sql);
	if (!ins_ticket)
		ins_ticket = xasprintf("%s%s)", ins_ticket_head, columns());
	row.n = 0;
	arg_text(&row, r->day);
	arg_int(&row, r->seq);
	arg_text(&row, id);
	for (size_t i = 0; i < ticket_nfields; i++)
		arg_field(&row, &r->t, i);
	rows_add(p, ins_ticket, "", &row);
	for (size_t i = 0; i < r->nevents; i++) {
		const struct ticket_event *e = &r->events[i];
		row.n = 0;
		arg_text(&row, id);
		arg_int(&row, e->at);
		arg_text(&row, e->who);
		arg_text(&row, e->what);
		arg_text(&row, e->field);
		arg_text(&row, e->before);
		arg_text(&row, e->after);
		arg_text(&row, e->note);
		rows_add(p, ins_event, "", &row);
	}
	for (size_t i = 0; i < r->npauses; i++) {
		row.n = 0;
		arg_text(&row, id);
		arg_int(&row, r->pauses[i].start);
		arg_time(&row, r->pauses[i].end);
		rows_add(p, ins_pause, "", &row);
	}
	for (size_t i = 0; i < r->noffers; i++) {
		row.n = 0;
		arg_text(&row, id);
		arg_text(&row, r->offers[i].agent);
		arg_int(&row, r->offers[i].at);
		rows_add(p, ins_offer, "", &row);
	}
	/* one kept already stays with its ticket (store_message_add()) */
	for (size_t i = 0; i < r->nmessages; i++) {
		row.n = 0;
		arg_text(&row, r->messages[i]);
		arg_text(&row, id);
		rows_add(p, ins_message, " ON CONFLICT(message_id) DO NOTHING", &row);
	}
	for (size_t i = 0; i < r->nusage; i++) {
		const struct usage_record *u = &r->usage[i];
		row.n = 0;
		arg_text(&row, u->entry);
		arg_text(&row, id);
		arg_text(&row, u->who);
		arg_int(&row, u->at);
		arg_text(&row, u->note);
		rows_add(p, ins_use, "", &row);
	}
	/*
	 * Their counts, an entry once a statement (it may change a row only
	 * once): as many uses, and the latest day of those that have one.
	 */
	for (size_t i = 0; i < r->nusage; i++) {
		const struct usage_record *u = &r->usage[i];
		const char *day = u->day;
		int64_t n = 0;
		size_t j;
		for (j = 0; j < i && strcmp(r->usage[j].entry, u->entry); j++)
			;
		if (j < i)
			continue;
		for (j = i; j < r->nusage; j++) {
			const struct usage_record *v = &r->usage[j];
			if (strcmp(v->entry, u->entry))
				continue;
			n++;
			if (v->day && (!day || strcmp(v->day, day) > 0))
				day = v->day;
		}
		row.n = 0;
		arg_text(&row, u->entry);
		arg_int(&row, n);
		arg_text(&row, day);
		rows_add(p, ins_count, count_tail, &row);
	}
	rows_flush(p);
	enum kf_status st = p->st;
	sbuf_release(&p->sql);
	free(p);
	for (size_t i = 0; i < r->nfollowups && !st; i++)
		st = put_followup(s, &r->followups[i], id, err);
	return st;
}

/*
 * Whether r can be put: KF_EEXIST, as store-sqlite.c says it, when its
 * ticket's id or number is taken, or one of its follow-ups' ids (taken
 * in the store, or twice in r). The writers' lock, held, keeps it true
 * until the rows are put.
 */
static enum kf_status record_free(struct pg_store *s, const struct ticket_record *r,
				  struct kf_err *err)
{
	struct sbuf ids = SBUF_INIT;
	sbuf_addch(&ids, '{');
	for (size_t i = 0; i < r->nfollowups; i++)
		if (r->followups[i].id)
			sbuf_addf(&ids, "%s%lld", ids.len > 1 ? "," : "",
				  (long long)r->followups[i].id);
	sbuf_addch(&ids, '}');
	PGresult *res = get(s,
			    "SELECT (SELECT count(*) FROM tickets WHERE id = $1"
			    " OR (day = $2 AND seq = $3::bigint)), f.id"
			    " FROM (SELECT NULL::bigint AS id UNION ALL"
			    " SELECT id FROM followups WHERE id = ANY($4::bigint[])) f",
			    err, "ttit", r->t.id, r->day, r->seq, ids.buf);
	sbuf_release(&ids);
	if (!res)
		return KF_EDB;
	enum kf_status st = KF_OK;
	if (value_int(res, 0, 0))
		st = kf_fail(err, KF_EEXIST, "ticket '%s' exists (or %s's number %lld is taken)",
			     r->t.id, r->day, (long long)r->seq);
	for (size_t i = 0; i < r->nfollowups && !st; i++) {
		int64_t id = r->followups[i].id;
		int taken = 0;
		for (int k = 1, n = pq.PQntuples(res); k < n && !taken && id; k++)
			taken = value_int(res, k, 1) == id;
		for (size_t j = 0; j < i && !taken && id; j++)
			taken = r->followups[j].id == id;
		if (taken)
			st = kf_fail(err, KF_EEXIST, "follow-up %lld exists", (long long)id);
	}
	pq.PQclear(res);
	return st;
}

/*
 * Checked first, then put: a ticket that cannot be put leaves nothing
 * behind and the transaction going. (A savepoint a ticket would do the
 * same, but past 64 of them in one transaction PostgreSQL slows every
 * statement: a restore of 10,000 tickets took three times as long.)
 */
static enum kf_status pg_record_put(struct store *sto, const struct ticket_record *r,
				    struct kf_err *err)
{
	struct pg_store *s = P(sto);
	enum kf_status st = record_free(s, r, err);
	return st ? st : put_rows(s, r, err);
}

static enum kf_status pg_desk_put(struct store *sto, const struct desk_record *r,
				  struct kf_err *err)
{
	struct pg_store *s = P(sto);
	switch (r->kind) {
	case DESK_AGENT:
		return put(s,
			   "INSERT INTO agents(email, status, since, last_assigned)"
			   " VALUES($1, $2, $3, $4) ON CONFLICT(email) DO UPDATE SET"
			   " status = excluded.status, since = excluded.since,"
			   " last_assigned = excluded.last_assigned",
			   err, "ttmm", r->name, r->agent.away ? "away" : "available",
			   r->agent.since, r->agent.last_assigned);
	case DESK_ROUTE:
		return pg_route_last_set(sto, r->name, r->last_agent, err);
	case DESK_USAGE:
		return put_usage(s, &r->usage, NULL, err);
	case DESK_SEQUENCE:
		if (!r->name || strlen(r->name) != 8 || strspn(r->name, "0123456789") != 8 ||
		    r->seq < 1)
			return kf_fail(err, KF_EINVAL, "not a day and its sequence: '%.20s %lld'",
				       r->name ? r->name : "", (long long)r->seq);
		if (!s->writing)
			return kf_fail(err, KF_EDB, "desk database: a sequence is raised in a transaction");
		ALLOC_GROW(s->raise, s->nraise + 1, s->araise);
		snprintf(s->raise[s->nraise].day, sizeof(s->raise[0].day), "%s", r->name);
		s->raise[s->nraise++].seq = r->seq;
		return KF_OK;
	}
	return kf_fail(err, KF_EINVAL, "unknown desk record");
}

static const struct store_ops pg_ops = {
	.close = pg_close,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.ticket_get = pg_ticket_get,
	.ticket_seq_next = pg_ticket_seq_next,
	.ticket_insert = pg_ticket_insert,
	.ticket_update = pg_ticket_update,
	.tickets_each = pg_tickets_each,
	.tickets_count = pg_tickets_count,
	.event_add = pg_event_add,
	.events_get = pg_events_get,
	.pause_start = pg_pause_start,
	.pause_end = pg_pause_end,
	.pauses_get = pg_pauses_get,
	.pauses_each = pg_pauses_each,
	.histories_each = pg_histories_each,
	.offers_get = pg_offers_get,
	.offers_set = pg_offers_set,
	.agent_get = pg_agent_get,
	.agent_set_away = pg_agent_set_away,
	.agent_assigned = pg_agent_assigned,
	.route_last_get = pg_route_last_get,
	.route_last_set = pg_route_last_set,
	.message_ticket = pg_message_ticket,
	.message_add = pg_message_add,
	.usage_add = pg_usage_add,
	.usage_counts = pg_usage_counts,
	.usage_counts_on_type = pg_usage_counts_on_type,
	.usage_each = pg_usage_each,
	.followup_add = pg_followup_add,
	.followup_update = pg_followup_update,
	.followups_each = pg_followups_each,
	.records_each = pg_records_each,
	.desk_each = pg_desk_each,
	.record_put = pg_record_put,
	.desk_put = pg_desk_put,
};

enum kf_status store_pg_login(const char *uri, char **user, struct kf_err *err)
{
	enum kf_status st;
	*user = NULL;
	if ((st = load_libpq(err)))
		return st;
	PGconn *c = connect_to(uri, err);
	if (!c)
		return KF_EDB;
	PGresult *r = pq.PQexec(c, "SELECT session_user");
	if (r && pq.PQresultStatus(r) == PGRES_TUPLES_OK && pq.PQntuples(r) == 1)
		*user = xstrdup(pq.PQgetvalue(r, 0, 0));
	else
		st = fail_conn(c, err);
	pq.PQclear(r);
	pq.PQfinish(c);
	return st;
}
