/*
 * store-sqlite: the store (store.h) in an SQLite file, .kefu/desk.db.
 *
 * WAL mode, so readers never wait for writers; a busy timeout for
 * writers; the schema version in PRAGMA user_version, migrated forward
 * in one transaction. Unlike the index it is never rebuilt: a file that
 * cannot be read is an error, not something to replace. Only an absent
 * one is created, whole, under another name and then linked into place.
 * An empty, truncated, damaged or foreign file is refused.
 *
 * Each day's highest ticket sequence is also kept beside the file
 * (highwater.h), so that a lost or restored desk.db never reissues one.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "highwater.h"
#include "isotime.h"
#include "sbuf.h"
#include "sqlitedb.h"

/*
 * Each migration takes the schema from version i to i + 1. Times are
 * seconds since the epoch, NULL when absent; text is UTF-8.
 */
static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE tickets("
	"  id TEXT PRIMARY KEY,"
	"  day TEXT NOT NULL, seq INTEGER NOT NULL," /* GD<day><seq> */
	"  status TEXT NOT NULL, type TEXT, priority TEXT NOT NULL, channel TEXT,"
	"  customer TEXT, subject TEXT, description TEXT, department TEXT, assignee TEXT,"
	"  created INTEGER NOT NULL, first_response INTEGER, resolved INTEGER, closed INTEGER,"
	"  response_due INTEGER, resolve_due INTEGER, sla_policy TEXT, resolve_start INTEGER,"
	"  satisfaction INTEGER, result TEXT, feedback TEXT,"
	"  tags TEXT, complexity INTEGER, angry INTEGER NOT NULL DEFAULT 0, suggest TEXT,"
	"  urged INTEGER NOT NULL DEFAULT 0, flagged TEXT, escalated INTEGER NOT NULL DEFAULT 0,"
	"  fingerprint TEXT, message_id TEXT, updated INTEGER NOT NULL);"
	"CREATE UNIQUE INDEX tickets_day_seq ON tickets(day, seq);"
	"CREATE INDEX tickets_status ON tickets(status, priority, created);"
	"CREATE INDEX tickets_assignee ON tickets(assignee, status);"
	"CREATE INDEX tickets_department ON tickets(department, status);"
	"CREATE INDEX tickets_customer ON tickets(customer, created);"
	"CREATE INDEX tickets_created ON tickets(created);"
	/* every e-mail a ticket received: one delivered twice is seen, a reply found */
	"CREATE TABLE messages(message_id TEXT PRIMARY KEY, ticket TEXT NOT NULL) WITHOUT ROWID;"
	/* who did what to a ticket, when; field changes keep before and after */
	"CREATE TABLE events("
	"  seq INTEGER PRIMARY KEY, ticket TEXT NOT NULL, at INTEGER NOT NULL,"
	"  who TEXT NOT NULL, what TEXT NOT NULL, field TEXT, before TEXT, after TEXT,"
	"  note TEXT);"
	"CREATE INDEX events_ticket ON events(ticket, seq);"
	/* clocks stopped while waiting on the customer */
	"CREATE TABLE pauses(ticket TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER);"
	"CREATE INDEX pauses_ticket ON pauses(ticket, start);"
	/* ringall: who was offered what */
	"CREATE TABLE offers(ticket TEXT NOT NULL, agent TEXT NOT NULL, at INTEGER NOT NULL,"
	"  PRIMARY KEY(ticket, agent)) WITHOUT ROWID;"
	"CREATE TABLE agents(email TEXT PRIMARY KEY, status TEXT NOT NULL DEFAULT 'available',"
	"  since INTEGER, last_assigned INTEGER) WITHOUT ROWID;"
	"CREATE TABLE route_state(department TEXT PRIMARY KEY, last_agent TEXT) WITHOUT ROWID;"
	/* every use of a script, and the running count kb-search ranks by */
	"CREATE TABLE usage(seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, ticket TEXT,"
	"  who TEXT NOT NULL, at INTEGER NOT NULL, note TEXT);"
	"CREATE INDEX usage_entry ON usage(entry, at);"
	"CREATE TABLE kb_usage(entry TEXT PRIMARY KEY, uses INTEGER NOT NULL,"
	"  last_used TEXT) WITHOUT ROWID;",
	/* 1 -> 2: handling time added up per ticket; follow-up calls */
	"ALTER TABLE tickets ADD COLUMN worked INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE followups("
	"  id INTEGER PRIMARY KEY, ticket TEXT NOT NULL, name TEXT NOT NULL, event TEXT,"
	"  purpose TEXT, scheduled INTEGER NOT NULL, due INTEGER NOT NULL, notified INTEGER,"
	"  done INTEGER, outcome TEXT, who TEXT, note TEXT, satisfaction INTEGER);"
	"CREATE INDEX followups_ticket ON followups(ticket, id);"
	/* who to call: the pending ones by due time, read as a range */
	"CREATE INDEX followups_pending ON followups(due, id) WHERE done IS NULL;",
	/* 2 -> 3: a report reads the tickets changed since its first day, and its uses */
	"CREATE INDEX tickets_updated ON tickets(updated);"
	"CREATE INDEX usage_at ON usage(at, seq);",
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

/* The statements made again and again, prepared once a connection. */
enum query {
	Q_TICKET_GET,
	Q_SEQ_MAX,
	Q_EVENT_ADD,
	Q_EVENTS_GET,
	Q_PAUSE_START,
	Q_PAUSE_END,
	Q_PAUSES_GET,
	Q_OFFERS_GET,
	Q_OFFERS_CLEAR,
	Q_OFFER_ADD,
	Q_AGENT_GET,
	Q_AGENT_SET,
	Q_AGENT_ASSIGNED,
	Q_ROUTE_GET,
	Q_ROUTE_SET,
	Q_MESSAGE_GET,
	Q_MESSAGE_ADD,
	Q_USAGE_ADD,
	Q_USAGE_COUNT,
	Q_USES_GET,
	Q_USES_ON_TYPE,
	Q_FOLLOWUP_ADD,
	Q_FOLLOWUP_UPDATE,
	Q_TICKET_INSERT,
	Q_PAUSE_PUT,
	Q_USAGE_COUNT_PUT,
	Q_FOLLOWUP_PUT,
	Q_AGENT_PUT,
	NQUERIES
};

static const char *const query_sql[NQUERIES] = {
	[Q_TICKET_GET] = NULL, /* built from ticket_fields: see columns() */
	[Q_SEQ_MAX] = "SELECT max(seq) FROM tickets WHERE day = ?1",
	[Q_EVENT_ADD] = "INSERT INTO events(ticket, at, who, what, field, before, after, note)"
			" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[Q_EVENTS_GET] = "SELECT at, who, what, field, before, after, note"
			 " FROM events WHERE ticket = ?1 ORDER BY seq",
	[Q_PAUSE_START] = "INSERT INTO pauses(ticket, start) VALUES(?1, ?2)",
	[Q_PAUSE_END] = "UPDATE pauses SET end = ?2 WHERE ticket = ?1 AND end IS NULL",
	[Q_PAUSES_GET] = "SELECT start, end FROM pauses WHERE ticket = ?1 ORDER BY start",
	[Q_OFFERS_GET] = "SELECT agent FROM offers WHERE ticket = ?1 ORDER BY agent",
	[Q_OFFERS_CLEAR] = "DELETE FROM offers WHERE ticket = ?1",
	[Q_OFFER_ADD] = "INSERT INTO offers(ticket, agent, at) VALUES(?1, ?2, ?3)",
	[Q_AGENT_GET] = "SELECT status, since, last_assigned FROM agents WHERE email = ?1",
	[Q_AGENT_SET] = "INSERT INTO agents(email, status, since) VALUES(?1, ?2, ?3)"
			" ON CONFLICT(email) DO UPDATE SET status = excluded.status,"
			" since = excluded.since",
	[Q_AGENT_ASSIGNED] = "INSERT INTO agents(email, last_assigned) VALUES(?1, ?2)"
			     " ON CONFLICT(email) DO UPDATE SET"
			     " last_assigned = excluded.last_assigned",
	[Q_ROUTE_GET] = "SELECT last_agent FROM route_state WHERE department = ?1",
	[Q_ROUTE_SET] = "INSERT INTO route_state(department, last_agent) VALUES(?1, ?2)"
			" ON CONFLICT(department) DO UPDATE SET last_agent = excluded.last_agent",
	[Q_MESSAGE_GET] = "SELECT ticket FROM messages WHERE message_id = ?1",
	[Q_MESSAGE_ADD] = "INSERT OR IGNORE INTO messages(message_id, ticket) VALUES(?1, ?2)",
	[Q_USAGE_ADD] = "INSERT INTO usage(entry, ticket, who, at, note) VALUES(?1, ?2, ?3, ?4, ?5)",
	[Q_USAGE_COUNT] = "INSERT INTO kb_usage(entry, uses, last_used) VALUES(?1, 1, ?2)"
			  " ON CONFLICT(entry) DO UPDATE SET uses = uses + 1,"
			  " last_used = excluded.last_used",
	[Q_USES_GET] = "SELECT uses FROM kb_usage WHERE entry = ?1",
	[Q_USES_ON_TYPE] = "SELECT count(*) FROM usage u JOIN tickets t ON t.id = u.ticket"
			   " WHERE u.entry = ?1 AND t.type = ?2 AND t.id <> coalesce(?3, '')",
	[Q_FOLLOWUP_ADD] = "INSERT INTO followups(ticket, name, event, purpose, scheduled, due,"
			   " notified, done, outcome, who, note, satisfaction)"
			   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[Q_FOLLOWUP_UPDATE] = "UPDATE followups SET ticket = ?1, name = ?2, event = ?3,"
			      " purpose = ?4, scheduled = ?5, due = ?6, notified = ?7, done = ?8,"
			      " outcome = ?9, who = ?10, note = ?11, satisfaction = ?12 WHERE id = ?13",
	[Q_TICKET_INSERT] = NULL, /* built from ticket_fields: see columns() */
	[Q_PAUSE_PUT] = "INSERT INTO pauses(ticket, start, end) VALUES(?1, ?2, ?3)",
	/* a use put back counts; the latest day it counted for is kept */
	[Q_USAGE_COUNT_PUT] = "INSERT INTO kb_usage(entry, uses, last_used) VALUES(?1, 1, ?2)"
			      " ON CONFLICT(entry) DO UPDATE SET uses = uses + 1,"
			      " last_used = CASE WHEN excluded.last_used > coalesce(last_used, '')"
			      " THEN excluded.last_used ELSE last_used END",
	[Q_FOLLOWUP_PUT] = "INSERT INTO followups(ticket, name, event, purpose, scheduled, due,"
			   " notified, done, outcome, who, note, satisfaction, id)"
			   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[Q_AGENT_PUT] = "INSERT OR REPLACE INTO agents(email, status, since, last_assigned)"
			" VALUES(?1, ?2, ?3, ?4)",
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	char *path; /* the file, NULL in memory */
	sqlite3_stmt *q[NQUERIES];
	/* Days' sequences raised in the transaction, kept at its commit. */
	struct highwater_day *raise;
	size_t nraise, araise;
	/* In memory, the days' sequences kept (a file keeps them beside it). */
	struct highwater_day *marks;
	size_t nmarks, amarks;
};

static const struct store_ops sqlite_ops;

static struct sqlite_store *S(struct store *st)
{
	return (struct sqlite_store *)st;
}

static enum kf_status fail(struct sqlite_store *s, struct kf_err *err)
{
	return kf_fail(err, KF_EDB, "desk database: %s",
		       s->db ? sqlite3_errmsg(s->db) : "not open");
}

static enum kf_status exec(struct sqlite_store *s, const char *sql, struct kf_err *err)
{
	return sqlite_exec(s->db, sql, "desk database", err);
}

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

/*
 * "('resolved', 'closed')": the statuses ticket_is_open() says are not
 * open. Written as NOT IN these, a list by id scans the table in id order
 * rather than sorting what an index of statuses finds. Statuses are
 * plain words: nothing in them needs quoting.
 */
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

/* A cached statement, reset and ready for its bindings. */
static sqlite3_stmt *stmt(struct sqlite_store *s, enum query q, struct kf_err *err)
{
	if (!s->q[q]) {
		char *sql;
		if (q == Q_TICKET_GET) {
			sql = xasprintf("SELECT %s FROM tickets WHERE id = ?1", columns());
		} else if (q == Q_TICKET_INSERT) {
			struct sbuf sb = SBUF_INIT;
			sbuf_addf(&sb, "INSERT INTO tickets(day, seq, %s) VALUES(?1, ?2, ?3",
				  columns());
			for (size_t i = 0; i < ticket_nfields; i++)
				sbuf_addf(&sb, ", ?%zu", i + 4);
			sbuf_addch(&sb, ')');
			sql = sbuf_detach(&sb);
		} else {
			sql = xstrdup(query_sql[q]);
		}
		int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->q[q],
					    NULL);
		free(sql);
		if (rc != SQLITE_OK) {
			fail(s, err);
			return NULL;
		}
	}
	sqlite3_reset(s->q[q]);
	sqlite3_clear_bindings(s->q[q]);
	return s->q[q];
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t != TIME_NONE)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}

static char *column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);
	return v ? xstrdup((const char *)v) : NULL;
}

static int64_t column_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? TIME_NONE
							  : sqlite3_column_int64(st, i);
}

/* Run a cached statement that returns no rows. */
static enum kf_status run(struct sqlite_store *s, sqlite3_stmt *st, struct kf_err *err)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	enum kf_status ret = rc == SQLITE_DONE ? KF_OK : fail(s, err);
	sqlite3_reset(st);
	return ret;
}

/* Step a cached statement: 1 a row, 0 the end, -1 an error (in err; reset). */
static int step(struct sqlite_store *s, sqlite3_stmt *st, struct kf_err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		fail(s, err);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * A cached query bound to its arguments, one a letter of fmt: t a text
 * (NULL: null), i an int64_t. NULL when it cannot be prepared (err says).
 */
static sqlite3_stmt *vquery(struct sqlite_store *s, enum query q, struct kf_err *err,
			    const char *fmt, va_list ap)
{
	sqlite3_stmt *st = stmt(s, q, err);
	for (int i = 0; st && fmt[i]; i++) {
		if (fmt[i] == 't')
			bind_text(st, i + 1, va_arg(ap, const char *));
		else
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
	}
	return st;
}

static sqlite3_stmt *query(struct sqlite_store *s, enum query q, struct kf_err *err,
			   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = vquery(s, q, err, fmt, ap);
	va_end(ap);
	return st;
}

/* Run a query that returns no rows. */
static enum kf_status put(struct sqlite_store *s, enum query q, struct kf_err *err,
			  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = vquery(s, q, err, fmt, ap);
	va_end(ap);
	return st ? run(s, st, err) : KF_EDB;
}

/* Call fn for every row of a query, or fail: never fewer rows than there are. */
static enum kf_status rows(struct sqlite_store *s, sqlite3_stmt *st,
			   void (*fn)(sqlite3_stmt *st, void *ctx), void *ctx, struct kf_err *err)
{
	int r;
	if (!st)
		return KF_EDB;
	while ((r = step(s, st, err)) > 0)
		fn(st, ctx);
	return r < 0 ? KF_EDB : KF_OK;
}

/* ---- opening: refuse what is not a sound desk database ---- */

/*
 * Switch to WAL. The switch takes an exclusive lock, and SQLite does not
 * wait on the busy handler for it: two processes creating the database
 * at once would see "database is locked". So wait here, as the busy
 * timeout would.
 */
static enum kf_status wal(struct sqlite_store *s, struct kf_err *err)
{
	for (int waited = 0;; waited += 10) {
		int rc = sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			break;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= 60000)
			return fail(s, err);
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	/*
	 * Savepoints' journals in memory: a restore puts each ticket under a
	 * savepoint of its own, and SQLite would otherwise write the pages of
	 * every one to a file in /var/tmp, some twenty writes a ticket.
	 */
	enum kf_status st = exec(s, "PRAGMA synchronous=NORMAL", err);
	return st ? st : exec(s, "PRAGMA temp_store=MEMORY", err);
}

static enum kf_status sqlite_begin(struct store *st, struct kf_err *err)
{
	return exec(S(st), "BEGIN IMMEDIATE", err);
}

/* The days' sequences raised in the transaction, kept: before it commits. */
static enum kf_status keep_marks(struct sqlite_store *s, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	if (!s->nraise)
		return KF_OK;
	if (s->path) {
		char *mark = highwater_path(s->path);
		st = highwater_raise(mark, s->raise, s->nraise, err);
		free(mark);
	} else {
		for (size_t i = 0; i < s->nraise; i++) {
			size_t k = 0;
			while (k < s->nmarks && strcmp(s->marks[k].day, s->raise[i].day))
				k++;
			if (k == s->nmarks) {
				ALLOC_GROW(s->marks, s->nmarks + 1, s->amarks);
				s->marks[s->nmarks++] = s->raise[i];
			} else if (s->marks[k].seq < s->raise[i].seq) {
				s->marks[k].seq = s->raise[i].seq;
			}
		}
	}
	if (!st)
		s->nraise = 0;
	return st;
}

static enum kf_status sqlite_commit(struct store *st, struct kf_err *err)
{
	enum kf_status ret = keep_marks(S(st), err);
	return ret ? ret : exec(S(st), "COMMIT", err);
}

static void sqlite_rollback(struct store *st)
{
	struct sqlite_store *s = S(st);
	s->nraise = 0;
	if (s->db && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static enum kf_status migrate(struct sqlite_store *s, struct kf_err *err)
{
	enum kf_status st;
	int rc;
	if ((st = sqlite_begin(&s->base, err)))
		return st;
	int v = sqlite_user_version(s->db, &rc);
	if (v < 0 || v > (int)NMIGRATIONS) {
		sqlite_rollback(&s->base);
		return kf_fail(err, KF_EDB,
			       v < 0 ? "desk database: unreadable"
				     : "desk database: made by a newer kefu (version %d)",
			       v);
	}
	for (; v < (int)NMIGRATIONS; v++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
		if ((st = exec(s, migrations[v], err)) || (st = exec(s, sql, err))) {
			sqlite_rollback(&s->base);
			return st;
		}
	}
	return sqlite_commit(&s->base, err);
}

/* The size of the file at path, or -1 when there is none. */
static off_t file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_size : -1;
}

static enum kf_status refuse(struct kf_err *err, const char *path, const char *why)
{
	return kf_fail(err, KF_EDB,
		       "desk database '%s' %s: kefu never replaces it; restore it from a "
		       "backup, or move it away if this desk never had tickets",
		       path, why);
}

static unsigned be(const unsigned char *p, int n)
{
	unsigned v = 0;
	while (n--)
		v = v << 8 | *p++;
	return v;
}

/*
 * Look at the file before SQLite does: SQLite takes an empty file for a
 * new database and a short one for a smaller database, and either would
 * quietly become a new desk. *absent set when there is no file (nor a
 * log left by one).
 */
static enum kf_status inspect(const char *path, int *absent, struct kf_err *err)
{
	char *walpath = xasprintf("%s-wal", path);
	off_t size = file_size(path);
	int missing = size < 0 && errno == ENOENT;
	off_t walsize = file_size(walpath);
	enum kf_status st = KF_OK;
	*absent = 0;
	if (size < 0 && !missing) {
		st = kf_fail_errno(err, "cannot read desk database '%s'", path);
	} else if (size < 0 && walsize > 0) {
		st = kf_fail(err, KF_EDB,
			     "desk database '%s' is missing but its log '%s' is there: restore "
			     "the database from a backup; kefu will not start a new one beside it",
			     path, walpath);
	} else if (size < 0) {
		*absent = 1;
	} else if (walsize > 0) {
		/* Pages may live in the log: SQLite's own checks decide. */
	} else if (size == 0) {
		st = refuse(err, path, "is empty (0 bytes)");
	} else {
		unsigned char h[100];
		struct stat sb;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : pread(fd, h, sizeof(h), 0);
		/*
		 * The size again, after the header: the last connection of
		 * another process may have folded its log in, growing the file
		 * and its header, since the size above was read.
		 */
		if (n >= 0 && fstat(fd, &sb) == 0)
			size = sb.st_size;
		if (fd >= 0)
			close(fd);
		if (n < 0) {
			st = kf_fail_errno(err, "cannot read desk database '%s'", path);
		} else if (memcmp(h, "SQLite format 3", n < 16 ? (size_t)n : 16)) {
			st = refuse(err, path, "is not an SQLite database");
		} else if (n < (ssize_t)sizeof(h)) {
			st = refuse(err, path, "is truncated");
		} else {
			/* The size in the header counts when it is current (SQLite's rule). */
			unsigned pagesize = be(h + 16, 2);
			if (pagesize == 1)
				pagesize = 65536;
			unsigned pages = be(h + 28, 4);
			if (pages && be(h + 24, 4) == be(h + 92, 4) &&
			    (off_t)pages * pagesize > size)
				st = refuse(err, path, "is truncated");
		}
	}
	free(walpath);
	return st;
}

static enum kf_status unreadable(struct sqlite_store *s, const char *path, struct kf_err *err)
{
	int rc = sqlite3_extended_errcode(s->db);
	if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
		return refuse(err, path, "is damaged");
	return kf_fail(err, KF_EDB, "cannot read desk database '%s': %s", path,
		       sqlite3_errmsg(s->db));
}

/* Whether the open file is a desk database kefu made: *v its version. */
static enum kf_status recognise(struct sqlite_store *s, const char *path, int *v,
				struct kf_err *err)
{
	sqlite3_stmt *st;
	int rc;
	if ((*v = sqlite_user_version(s->db, &rc)) < 0)
		return unreadable(s, path, err);
	if (*v > (int)NMIGRATIONS)
		return kf_fail(err, KF_EDB,
			       "desk database '%s' was made by a newer kefu (version %d)", path, *v);
	/* Every version kefu ever wrote has the tickets. */
	int found = 0;
	rc = sqlite3_prepare_v2(s->db,
				"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tickets'",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		found = rc == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return unreadable(s, path, err);
	if (*v == 0 || !found)
		return refuse(err, path, "is not a kefu desk database");
	return KF_OK;
}

static void sqlite_close(struct store *st)
{
	struct sqlite_store *s = S(st);
	for (int i = 0; i < NQUERIES; i++)
		sqlite3_finalize(s->q[i]);
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s->path);
	free(s->raise);
	free(s->marks);
	free(s);
}

static struct sqlite_store *new_store(void)
{
	struct sqlite_store *s = xcalloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	return s;
}

static enum kf_status open_file(struct sqlite_store *s, const char *path, int flags,
				struct kf_err *err)
{
	sqlite_configure();
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot open desk database '%s': %s", path,
			       s->db ? sqlite3_errmsg(s->db) : "out of memory");
	/* Many writers at once (a mail gateway, agents, cron): wait, not fail. */
	sqlite3_busy_timeout(s->db, 60000);
	return KF_OK;
}

static enum kf_status sync_path(const char *path, struct kf_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		enum kf_status st = kf_fail_errno(err, "cannot sync '%s'", path);
		if (fd >= 0)
			close(fd);
		return st;
	}
	close(fd);
	return KF_OK;
}

/*
 * A new desk database, made whole under another name and then linked
 * into place: whoever finds the name taken opens what is there, and no
 * one ever sees it empty or half made.
 */
static enum kf_status create(const char *path, struct kf_err *err)
{
	struct sqlite_store *tmp = new_store();
	char *name = xasprintf("%s.new-%ld", path, (long)getpid());
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	enum kf_status st;
	if (slash)
		*slash = '\0';
	unlink(name);
	sqlite_touch(name);
	st = open_file(tmp, name, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err);
	if (!st && !(st = wal(tmp, err)))
		st = migrate(tmp, err);
	sqlite_close(&tmp->base); /* the last connection: the log is folded in and removed */
	if (!st)
		st = sync_path(name, err);
	if (!st && link(name, path) < 0 && errno != EEXIST)
		st = kf_fail_errno(err, "cannot create desk database '%s'", path);
	if (!st)
		st = sync_path(slash ? dir : ".", err);
	unlink(name);
	free(name);
	free(dir);
	return st;
}

enum kf_status store_sqlite_open(const char *path, enum store_mode mode, struct store **out,
				 struct kf_err *err)
{
	struct sqlite_store *s = new_store();
	enum kf_status st;
	int absent = 0, v, write = mode == STORE_WRITE;
	*out = NULL;
	if (!path) {
		if (!(st = open_file(s, ":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
				     err)))
			st = migrate(s, err);
		goto out;
	}
	if ((st = inspect(path, &absent, err)))
		goto out;
	if (absent && !write) {
		st = kf_fail(err, KF_ENOTFOUND, "no desk database '%s' (no tickets yet)", path);
		goto out;
	}
	if (absent && (st = create(path, err)))
		goto out;
	if ((st = open_file(s, path, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, err)))
		goto out;
	s->path = xstrdup(path);
	if (!(st = recognise(s, path, &v, err)) && write)
		st = wal(s, err);
	if (!st) {
		if (write && v != (int)NMIGRATIONS)
			st = migrate(s, err);
		else if (v != (int)NMIGRATIONS)
			st = kf_fail(err, KF_EDB,
				     "desk database '%s' needs migrating: run a writing command",
				     path);
	}
out:
	if (st)
		sqlite_close(&s->base);
	else
		*out = &s->base;
	return st;
}

/* ---- tickets ---- */

/* A ticket from a row whose columns from base on are columns()'s. */
static void read_ticket(sqlite3_stmt *st, int base, struct ticket *t)
{
	ticket_init(t);
	snprintf(t->id, sizeof(t->id), "%s", (const char *)sqlite3_column_text(st, base));
	for (size_t i = 0; i < ticket_nfields; i++) {
		int col = base + (int)i + 1;
		if (ticket_fields[i].type == TF_TEXT)
			*ticket_text(t, i) = column_text(st, col);
		else if (ticket_fields[i].type == TF_TIME)
			*ticket_num(t, i) = column_time(st, col);
		else
			*ticket_num(t, i) = sqlite3_column_int64(st, col);
	}
}

static void bind_field(sqlite3_stmt *st, int col, const struct ticket *t, size_t i)
{
	int64_t v;
	switch (ticket_fields[i].type) {
	case TF_TEXT:
		bind_text(st, col, *ticket_text(t, i));
		break;
	case TF_TIME:
		bind_time(st, col, *ticket_num(t, i));
		break;
	case TF_SCORE:
		/* no score: NULL, so averages skip it */
		if (!(v = *ticket_num(t, i)))
			sqlite3_bind_null(st, col);
		else
			sqlite3_bind_int64(st, col, v);
		break;
	case TF_INT:
		sqlite3_bind_int64(st, col, *ticket_num(t, i));
		break;
	}
}

struct found {
	struct ticket *t;
	int n;
};

static void take_ticket(sqlite3_stmt *st, void *ctx)
{
	struct found *f = ctx;
	if (!f->n++)
		read_ticket(st, 0, f->t);
}

static enum kf_status sqlite_ticket_get(struct store *sto, const char *id, struct ticket *t,
					struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct found f = { t, 0 };
	enum kf_status st = rows(s, query(s, Q_TICKET_GET, err, "t", id), take_ticket, &f, err);
	if (st && f.n)
		ticket_release(t);
	if (!st && !f.n)
		st = kf_fail(err, KF_ENOTFOUND, "no ticket '%s'", id);
	return st;
}

static void read_int64(sqlite3_stmt *st, void *ctx)
{
	*(int64_t *)ctx = sqlite3_column_int64(st, 0);
}

static enum kf_status sqlite_ticket_seq_next(struct store *sto, const char *day, int64_t *seq,
					     struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	int64_t highest = 0;
	if (sqlite3_get_autocommit(s->db))
		return kf_fail(err, KF_EDB, "desk database: a sequence is taken in a transaction");
	enum kf_status st = rows(s, query(s, Q_SEQ_MAX, err, "t", day), read_int64, &highest, err);
	if (st)
		return st;
	*seq = highest + 1;
	if (!s->path)
		return KF_OK;
	/* Past any id ever issued, even by a desk database since lost. */
	char *mark = highwater_path(s->path);
	st = highwater_next(mark, day, highest, seq, err);
	free(mark);
	return st;
}

/* Insert t as day's seq-th with the cached statement; KF_EEXIST when taken. */
static enum kf_status insert_ticket(struct sqlite_store *s, const struct ticket *t,
				    const char *day, int64_t seq, struct kf_err *err)
{
	sqlite3_stmt *st = stmt(s, Q_TICKET_INSERT, err);
	if (!st)
		return KF_EDB;
	bind_text(st, 1, day);
	sqlite3_bind_int64(st, 2, seq);
	bind_text(st, 3, t->id);
	for (size_t i = 0; i < ticket_nfields; i++)
		bind_field(st, (int)i + 4, t, i);
	enum kf_status ret = run(s, st, err);
	if (ret && sqlite3_errcode(s->db) == SQLITE_CONSTRAINT)
		ret = kf_fail(err, KF_EEXIST, "ticket '%s' exists (or %s's number %lld is taken)",
			      t->id, day, (long long)seq);
	return ret;
}

static enum kf_status sqlite_ticket_insert(struct store *sto, const struct ticket *t,
					   const char *day, int64_t seq, struct kf_err *err)
{
	enum kf_status st = insert_ticket(S(sto), t, day, seq, err);
	/* The contract's failure for an id taken: the database's. */
	return st == KF_EEXIST ? KF_EDB : st;
}

static enum kf_status sqlite_ticket_update(struct store *sto, const struct ticket *t,
					   struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct sbuf sql = SBUF_INIT;
	sqlite3_stmt *st;
	sbuf_adds(&sql, "UPDATE tickets SET ");
	for (size_t i = 0; i < ticket_nfields; i++)
		sbuf_addf(&sql, "%s%s = ?%zu", i ? ", " : "", ticket_fields[i].name, i + 1);
	sbuf_addf(&sql, " WHERE id = ?%zu", ticket_nfields + 1);
	int rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	sbuf_release(&sql);
	if (rc != SQLITE_OK)
		return fail(s, err);
	for (size_t i = 0; i < ticket_nfields; i++)
		bind_field(st, (int)i + 1, t, i);
	bind_text(st, (int)ticket_nfields + 1, t->id);
	enum kf_status ret = run(s, st, err);
	sqlite3_finalize(st);
	if (!ret && sqlite3_changes(s->db) != 1)
		ret = kf_fail(err, KF_ENOTFOUND, "no ticket '%s'", t->id);
	return ret;
}

/* The values a filter's statement binds, in order. */
struct binds {
	const char *text[40];
	int64_t num[40];
	int is_num[40];
	int n;
};

static int bind_str(struct binds *b, const char *s)
{
	b->text[b->n] = s;
	b->is_num[b->n] = 0;
	return ++b->n;
}

static int bind_num(struct binds *b, int64_t v)
{
	b->num[b->n] = v;
	b->is_num[b->n] = 1;
	return ++b->n;
}

static void where(struct sbuf *sql, const struct ticket_filter *f, struct binds *b)
{
	sbuf_adds(sql, " WHERE 1");
	if (f->nstatuses) {
		sbuf_adds(sql, " AND status IN (");
		for (size_t i = 0; i < f->nstatuses && i < TICKET_FILTER_STATUSES; i++)
			sbuf_addf(sql, "%s?%d", i ? ", " : "", bind_str(b, f->statuses[i]));
		sbuf_addch(sql, ')');
	}
	if (f->open || f->overdue_at != TIME_NONE)
		sbuf_addf(sql, " AND status NOT IN %s", done_statuses());
	if (f->done)
		/* Not by the index of statuses: most tickets are done. */
		sbuf_addf(sql, " AND +status IN %s", done_statuses());
	const struct {
		const char *column, *value;
	} equal[] = {
		{ "department", f->department }, { "type", f->type },
		{ "priority", f->priority },	 { "customer", f->customer },
		{ "channel", f->channel },	 { "fingerprint", f->fingerprint },
	};
	for (size_t i = 0; i < sizeof(equal) / sizeof(equal[0]); i++)
		if (equal[i].value)
			sbuf_addf(sql, " AND %s = ?%d", equal[i].column, bind_str(b, equal[i].value));
	if (f->assignee)
		sbuf_addf(sql, " AND assignee = ?%d COLLATE NOCASE", bind_str(b, f->assignee));
	if (f->assigned == ASSIGNED_NOBODY)
		sbuf_adds(sql, " AND assignee IS NULL");
	else if (f->assigned == ASSIGNED_SOMEBODY)
		sbuf_adds(sql, " AND assignee IS NOT NULL");
	if (f->except)
		sbuf_addf(sql, " AND id != ?%d", bind_str(b, f->except));
	if (f->since != TIME_NONE)
		sbuf_addf(sql, " AND created >= ?%d", bind_num(b, f->since));
	if (f->until != TIME_NONE)
		sbuf_addf(sql, " AND created < ?%d", bind_num(b, f->until));
	if (f->touched_since != TIME_NONE)
		sbuf_addf(sql, " AND (status NOT IN %s OR updated >= ?%d)", done_statuses(),
			  bind_num(b, f->touched_since));
	if (f->updated_since != TIME_NONE)
		sbuf_addf(sql, " AND updated >= ?%d", bind_num(b, f->updated_since));
	if (f->overdue_at != TIME_NONE) {
		/* A pending ticket's clocks stopped when it paused: judge it then. */
		int k = bind_num(b, f->overdue_at);
		sbuf_addf(sql,
			  " AND (SELECT coalesce(min(p.start), ?%d) FROM pauses p"
			  "  WHERE p.ticket = tickets.id AND p.end IS NULL) > min("
			  "  CASE WHEN first_response IS NULL THEN coalesce(response_due, ?%d)"
			  "  ELSE ?%d END, coalesce(resolve_due, ?%d))",
			  k, k, k, k);
	}
	if (f->flagged)
		sbuf_adds(sql, " AND flagged IS NOT NULL");
	if (f->with_policy)
		sbuf_adds(sql, " AND sla_policy IS NOT NULL");
}

/* How a filtered statement is ordered. */
enum filter_order { ORDER_NONE, ORDER_FILTER, ORDER_PAUSES };

/* "SELECT what FROM tickets" + f's conditions, in order, bound. */
static enum kf_status prepare_filter(struct sqlite_store *s, const char *what,
				     const struct ticket_filter *f, enum filter_order order,
				     sqlite3_stmt **st, struct kf_err *err)
{
	struct sbuf sql = SBUF_INIT;
	struct binds b = { .n = 0 };
	sbuf_addf(&sql, "SELECT %s", what);
	where(&sql, f, &b);
	if (order == ORDER_PAUSES) {
		sbuf_adds(&sql, " ORDER BY p.ticket, p.start");
	} else if (order == ORDER_FILTER) {
		switch (f->order) {
		case TICKET_BY_URGENCY:
			sbuf_adds(&sql, " ORDER BY ");
			priority_order(&sql);
			sbuf_adds(&sql, ", urged DESC, created, id");
			break;
		case TICKET_BY_ID:
			sbuf_adds(&sql, " ORDER BY id");
			break;
		case TICKET_BY_AGE:
			sbuf_adds(&sql, " ORDER BY created, id");
			break;
		case TICKET_BY_NEWEST:
			sbuf_adds(&sql, " ORDER BY created DESC, id DESC");
			break;
		}
		if (f->limit > 0)
			sbuf_addf(&sql, " LIMIT %ld", f->limit);
	}
	int rc = sqlite3_prepare_v2(s->db, sql.buf, -1, st, NULL);
	sbuf_release(&sql);
	if (rc != SQLITE_OK)
		return fail(s, err);
	for (int i = 0; i < b.n; i++) {
		if (b.is_num[i])
			sqlite3_bind_int64(*st, i + 1, b.num[i]);
		else
			sqlite3_bind_text(*st, i + 1, b.text[i], -1, SQLITE_STATIC);
	}
	return KF_OK;
}

static enum kf_status sqlite_tickets_each(struct store *sto, const struct ticket_filter *f,
					  store_ticket_fn fn, void *ctx, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	sqlite3_stmt *st;
	enum kf_status ret;
	char *what = xasprintf("%s FROM tickets", columns());
	ret = prepare_filter(s, what, f, ORDER_FILTER, &st, err);
	free(what);
	if (ret)
		return ret;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ticket t;
		read_ticket(st, 0, &t);
		ret = fn(ctx, &t, err);
		ticket_release(&t);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(s, err);
	sqlite3_finalize(st);
	return ret;
}

static enum kf_status sqlite_pauses_each(struct store *sto, const struct ticket_filter *f,
					 store_pause_fn fn, void *ctx, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	sqlite3_stmt *st;
	enum kf_status ret;
	if ((ret = prepare_filter(s, "p.ticket, p.start, p.end FROM pauses p JOIN tickets"
				     " ON tickets.id = p.ticket",
				  f, ORDER_PAUSES, &st, err)))
		return ret;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct span p = { sqlite3_column_int64(st, 1), column_time(st, 2) };
		if ((ret = fn(ctx, (const char *)sqlite3_column_text(st, 0), &p, err)))
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(s, err);
	sqlite3_finalize(st);
	return ret;
}

/* ---- histories ---- */

/* One ticket's events and pauses as they are gathered; their text in one arena. */
struct gather {
	struct ticket_event *ev;
	size_t nev, evalloc;
	size_t *off; /* six an event, who to note: where in text; SIZE_MAX: NULL */
	size_t offalloc;
	struct span *pv;
	size_t np, palloc;
	struct sbuf text;
};

static size_t keep_text(struct sbuf *text, sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	if (!v)
		return SIZE_MAX;
	size_t at = text->len;
	sbuf_add(text, v, (size_t)sqlite3_column_bytes(st, col));
	sbuf_addch(text, '\0');
	return at;
}

/* The events of ticket id, in the order written: 0, or -1 on an error (err says). */
static int gather_events(struct sqlite_store *s, struct gather *g, const char *id,
			 struct kf_err *err)
{
	sqlite3_stmt *st = query(s, Q_EVENTS_GET, err, "t", id);
	int r;
	if (!st)
		return -1;
	while ((r = step(s, st, err)) > 0) {
		ALLOC_GROW(g->ev, g->nev + 1, g->evalloc);
		ALLOC_GROW(g->off, 6 * (g->nev + 1), g->offalloc);
		struct ticket_event *e = &g->ev[g->nev];
		memset(e, 0, sizeof(*e));
		snprintf(e->ticket, sizeof(e->ticket), "%s", id);
		e->at = sqlite3_column_int64(st, 0);
		for (int k = 0; k < 6; k++)
			g->off[6 * g->nev + k] = keep_text(&g->text, st, 1 + k);
		g->nev++;
	}
	/* The arena has stopped moving: offsets become pointers. */
	for (size_t i = 0; i < g->nev; i++) {
		char **f[6] = { &g->ev[i].who,	 &g->ev[i].what,  &g->ev[i].field,
				&g->ev[i].before, &g->ev[i].after, &g->ev[i].note };
		for (int k = 0; k < 6; k++) {
			size_t o = g->off[6 * i + k];
			*f[k] = o == SIZE_MAX ? NULL : g->text.buf + o;
		}
	}
	return r;
}

static int gather_pauses(struct sqlite_store *s, struct gather *g, const char *id,
			 struct kf_err *err)
{
	sqlite3_stmt *st = query(s, Q_PAUSES_GET, err, "t", id);
	int r;
	if (!st)
		return -1;
	while ((r = step(s, st, err)) > 0) {
		ALLOC_GROW(g->pv, g->np + 1, g->palloc);
		g->pv[g->np].start = sqlite3_column_int64(st, 0);
		g->pv[g->np++].end = column_time(st, 1);
	}
	return r;
}

/*
 * The tickets of f created before until (TIME_NONE: any), each with its
 * history, in the order the statement gives them.
 */
static enum kf_status walk_histories(struct sqlite_store *s, const struct ticket_filter *f,
				     int64_t until, struct gather *g, store_history_fn fn,
				     void *ctx, struct kf_err *err)
{
	sqlite3_stmt *ts = NULL;
	char *what = xasprintf("%s FROM tickets", columns());
	enum kf_status ret = prepare_filter(s, what, f, ORDER_NONE, &ts, err);
	free(what);
	int rc = SQLITE_DONE;
	while (!ret && (rc = sqlite3_step(ts)) == SQLITE_ROW) {
		struct ticket t;
		read_ticket(ts, 0, &t);
		g->nev = g->np = 0;
		sbuf_reset(&g->text);
		if (until != TIME_NONE && t.created >= until) {
			ticket_release(&t);
			continue;
		}
		if (gather_events(s, g, t.id, err) < 0 || gather_pauses(s, g, t.id, err) < 0) {
			ret = KF_EDB;
		} else {
			struct ticket_history h = { &t, g->ev, g->nev, g->pv, g->np };
			ret = fn(ctx, &h, err);
		}
		ticket_release(&t);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(s, err);
	sqlite3_finalize(ts);
	return ret;
}

/*
 * Tickets, and for each its events and pauses by the ticket's own index
 * ranges, all in one read transaction, so one snapshot. Open or touched
 * since an instant is read as two index ranges, the open tickets by
 * status and the others by the time they changed: neither a union nor a
 * sort, and never the whole table (the bound on creation is checked as
 * they come, or the planner would walk every ticket created before it).
 */
static enum kf_status sqlite_histories_each(struct store *sto, const struct ticket_filter *f,
					    store_history_fn fn, void *ctx, struct kf_err *err)
{
	static const char *open_list[TICKET_FILTER_STATUSES];
	static size_t nopen;
	struct sqlite_store *s = S(sto);
	struct gather g = { .text = SBUF_INIT };
	enum kf_status ret;
	int own = sqlite3_get_autocommit(s->db);
	if (!nopen)
		for (const char *const *p = ticket_statuses; *p && nopen < TICKET_FILTER_STATUSES; p++)
			if (ticket_is_open(*p))
				open_list[nopen++] = *p;
	if (own && (ret = exec(s, "BEGIN", err)))
		return ret;
	if (f->touched_since != TIME_NONE && !f->nstatuses && !f->open && !f->done) {
		struct ticket_filter open = *f, done = *f;
		open.touched_since = done.touched_since = TIME_NONE;
		open.until = done.until = TIME_NONE;
		open.statuses = open_list;
		open.nstatuses = nopen;
		done.done = 1;
		done.updated_since = f->touched_since;
		ret = walk_histories(s, &open, f->until, &g, fn, ctx, err);
		if (!ret)
			ret = walk_histories(s, &done, f->until, &g, fn, ctx, err);
	} else {
		ret = walk_histories(s, f, TIME_NONE, &g, fn, ctx, err);
	}
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	free(g.ev);
	free(g.off);
	free(g.pv);
	sbuf_release(&g.text);
	return ret;
}

static enum kf_status sqlite_tickets_count(struct store *sto, const struct ticket_filter *f,
					   long *n, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	sqlite3_stmt *st;
	enum kf_status ret;
	if ((ret = prepare_filter(s, "count(*) FROM tickets", f, ORDER_NONE, &st, err)))
		return ret;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	ret = rc == SQLITE_ROW ? KF_OK : fail(s, err);
	sqlite3_finalize(st);
	return ret;
}

/* ---- events, pauses, offers ---- */

static enum kf_status sqlite_event_add(struct store *sto, const struct ticket_event *e,
				       struct kf_err *err)
{
	return put(S(sto), Q_EVENT_ADD, err, "titttttt", e->ticket, e->at, e->who, e->what,
		   e->field, e->before, e->after, e->note);
}

/* A growing array of rows. */
struct list {
	void *v;
	size_t n, alloc, size;
	const char *id;
};

static void *next_slot(struct list *l)
{
	if (l->n + 1 > l->alloc) {
		l->alloc = l->alloc < 8 ? 8 : l->alloc * 2;
		l->v = xrealloc(l->v, l->alloc * l->size);
	}
	char *slot = (char *)l->v + l->n++ * l->size;
	memset(slot, 0, l->size);
	return slot;
}

/* Every row of a query as an element of a new array, by fn; on failure, none (drop). */
static enum kf_status list_rows(struct sqlite_store *s, sqlite3_stmt *st, struct list *l,
				void (*fn)(sqlite3_stmt *st, void *ctx),
				void (*drop)(void *v, size_t n), struct kf_err *err)
{
	enum kf_status ret = rows(s, st, fn, l, err);
	if (ret) {
		drop(l->v, l->n);
		l->v = NULL;
		l->n = 0;
	}
	return ret;
}

static void drop_events(void *v, size_t n)
{
	ticket_events_free(v, n);
}

static void drop_spans(void *v, size_t n)
{
	(void)n;
	free(v);
}

static void drop_names(void *v, size_t n)
{
	store_names_free(v, n);
}

static void add_event(sqlite3_stmt *st, void *ctx)
{
	struct list *l = ctx;
	struct ticket_event *e = next_slot(l);
	snprintf(e->ticket, sizeof(e->ticket), "%s", l->id);
	e->at = sqlite3_column_int64(st, 0);
	e->who = column_text(st, 1);
	e->what = column_text(st, 2);
	e->field = column_text(st, 3);
	e->before = column_text(st, 4);
	e->after = column_text(st, 5);
	e->note = column_text(st, 6);
}

static enum kf_status sqlite_events_get(struct store *sto, const char *id,
					struct ticket_event **v, size_t *n, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct list l = { NULL, 0, 0, sizeof(**v), id };
	enum kf_status st = list_rows(s, query(s, Q_EVENTS_GET, err, "t", id), &l, add_event,
				      drop_events, err);
	*v = l.v;
	*n = l.n;
	return st;
}

static enum kf_status sqlite_pause_start(struct store *sto, const char *id, int64_t at,
					 struct kf_err *err)
{
	return put(S(sto), Q_PAUSE_START, err, "ti", id, at);
}

static enum kf_status sqlite_pause_end(struct store *sto, const char *id, int64_t at,
				       struct kf_err *err)
{
	return put(S(sto), Q_PAUSE_END, err, "ti", id, at);
}

static void add_pause(sqlite3_stmt *st, void *ctx)
{
	struct span *p = next_slot(ctx);
	p->start = sqlite3_column_int64(st, 0);
	p->end = column_time(st, 1);
}

static enum kf_status sqlite_pauses_get(struct store *sto, const char *id, struct span **v,
					size_t *n, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct list l = { NULL, 0, 0, sizeof(**v), id };
	enum kf_status st = list_rows(s, query(s, Q_PAUSES_GET, err, "t", id), &l, add_pause,
				      drop_spans, err);
	*v = l.v;
	*n = l.n;
	return st;
}

static void add_name(sqlite3_stmt *st, void *ctx)
{
	char **name = next_slot(ctx);
	*name = column_text(st, 0);
}

static enum kf_status sqlite_offers_get(struct store *sto, const char *id, char ***agents,
					size_t *n, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct list l = { NULL, 0, 0, sizeof(**agents), id };
	enum kf_status st = list_rows(s, query(s, Q_OFFERS_GET, err, "t", id), &l, add_name,
				      drop_names, err);
	*agents = l.v;
	*n = l.n;
	return st;
}

static enum kf_status sqlite_offers_set(struct store *sto, const char *id, char *const *agents,
					size_t n, int64_t at, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	enum kf_status st = put(s, Q_OFFERS_CLEAR, err, "t", id);
	for (size_t i = 0; i < n && !st; i++)
		st = put(s, Q_OFFER_ADD, err, "tti", id, agents[i], at);
	return st;
}

/* ---- agents and routing's memory ---- */

/* status, since, last_assigned from column b on. */
static void read_agent_at(sqlite3_stmt *st, int b, struct agent_record *a)
{
	const unsigned char *status = sqlite3_column_text(st, b);
	a->away = status && !strcmp((const char *)status, "away");
	a->since = column_time(st, b + 1);
	a->last_assigned = column_time(st, b + 2);
}

static void read_agent(sqlite3_stmt *st, void *ctx)
{
	read_agent_at(st, 0, ctx);
}

static enum kf_status sqlite_agent_get(struct store *sto, const char *email,
				       struct agent_record *a, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	a->away = 0;
	a->since = a->last_assigned = TIME_NONE;
	return rows(s, query(s, Q_AGENT_GET, err, "t", email), read_agent, a, err);
}

static enum kf_status sqlite_agent_set_away(struct store *sto, const char *email, int away,
					    int64_t at, struct kf_err *err)
{
	return put(S(sto), Q_AGENT_SET, err, "tti", email, away ? "away" : "available", at);
}

static enum kf_status sqlite_agent_assigned(struct store *sto, const char *email, int64_t at,
					    struct kf_err *err)
{
	return put(S(sto), Q_AGENT_ASSIGNED, err, "ti", email, at);
}

static void read_text(sqlite3_stmt *st, void *ctx)
{
	char **out = ctx;
	free(*out);
	*out = column_text(st, 0);
}

/* The first column of a cached query on key, or NULL. */
static enum kf_status one_text(struct sqlite_store *s, enum query q, const char *key,
			       char **out, struct kf_err *err)
{
	*out = NULL;
	enum kf_status st = rows(s, query(s, q, err, "t", key), read_text, out, err);
	if (st) {
		free(*out);
		*out = NULL;
	}
	return st;
}

static enum kf_status sqlite_route_last_get(struct store *sto, const char *department,
					    char **agent, struct kf_err *err)
{
	return one_text(S(sto), Q_ROUTE_GET, department, agent, err);
}

static enum kf_status sqlite_route_last_set(struct store *sto, const char *department,
					    const char *agent, struct kf_err *err)
{
	return put(S(sto), Q_ROUTE_SET, err, "tt", department, agent);
}

/* ---- e-mails, usage ---- */

static enum kf_status sqlite_message_ticket(struct store *sto, const char *message_id,
					    char id[TICKET_ID_SIZE], struct kf_err *err)
{
	char *found;
	enum kf_status ret = one_text(S(sto), Q_MESSAGE_GET, message_id, &found, err);
	snprintf(id, TICKET_ID_SIZE, "%s", found ? found : "");
	free(found);
	return ret;
}

static enum kf_status sqlite_message_add(struct store *sto, const char *message_id,
					 const char *ticket, struct kf_err *err)
{
	return put(S(sto), Q_MESSAGE_ADD, err, "tt", message_id, ticket);
}

static enum kf_status sqlite_usage_add(struct store *sto, const char *entry, const char *ticket,
				       const char *who, int64_t at, const char *day,
				       const char *note, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	enum kf_status st = put(s, Q_USAGE_ADD, err, "tttit", entry, ticket, who, at, note);
	return st ? st : put(s, Q_USAGE_COUNT, err, "tt", entry, day);
}

static enum kf_status sqlite_usage_counts(struct store *sto, const char *const *entries,
					  size_t n, long *uses, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < n && !st; i++) {
		int64_t count = 0;
		st = rows(s, query(s, Q_USES_GET, err, "t", entries[i]), read_int64, &count, err);
		uses[i] = (long)count;
	}
	return st;
}

static enum kf_status sqlite_usage_each(struct store *sto, int64_t since, int64_t until,
					store_usage_fn fn, void *ctx, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db,
				    "SELECT entry, ticket, who, at, note FROM usage"
				    " WHERE at >= ?1 AND at < ?2 ORDER BY at, seq",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, err);
	sqlite3_bind_int64(st, 1, since != TIME_NONE ? since : INT64_MIN);
	sqlite3_bind_int64(st, 2, until != TIME_NONE ? until : INT64_MAX);
	enum kf_status ret = KF_OK;
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct kb_use u = {
			(const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2),
			sqlite3_column_int64(st, 3),
			(const char *)sqlite3_column_text(st, 4),
		};
		ret = fn(ctx, &u, err);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(s, err);
	sqlite3_finalize(st);
	return ret;
}

static enum kf_status sqlite_usage_counts_on_type(struct store *sto, const char *type,
						  const char *except, const char *const *entries,
						  size_t n, long *uses, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < n && !st; i++) {
		int64_t count = 0;
		st = rows(s, query(s, Q_USES_ON_TYPE, err, "ttt", entries[i], type, except),
			  read_int64, &count, err);
		uses[i] = (long)count;
	}
	return st;
}

/* ---- follow-ups ---- */

static void bind_followup(sqlite3_stmt *st, const struct followup *f)
{
	bind_text(st, 1, f->ticket);
	bind_text(st, 2, f->name);
	bind_text(st, 3, f->event);
	bind_text(st, 4, f->purpose);
	sqlite3_bind_int64(st, 5, f->scheduled);
	sqlite3_bind_int64(st, 6, f->due);
	bind_time(st, 7, f->notified);
	bind_time(st, 8, f->done);
	bind_text(st, 9, f->outcome);
	bind_text(st, 10, f->who);
	bind_text(st, 11, f->note);
	if (f->satisfaction)
		sqlite3_bind_int64(st, 12, f->satisfaction);
	else
		sqlite3_bind_null(st, 12);
}

static enum kf_status sqlite_followup_add(struct store *sto, const struct followup *f,
					  int64_t *id, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	sqlite3_stmt *st = stmt(s, Q_FOLLOWUP_ADD, err);
	if (!st)
		return KF_EDB;
	bind_followup(st, f);
	enum kf_status ret = run(s, st, err);
	*id = ret ? 0 : sqlite3_last_insert_rowid(s->db);
	return ret;
}

static enum kf_status sqlite_followup_update(struct store *sto, const struct followup *f,
					     struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	sqlite3_stmt *st = stmt(s, Q_FOLLOWUP_UPDATE, err);
	if (!st)
		return KF_EDB;
	bind_followup(st, f);
	sqlite3_bind_int64(st, 13, f->id);
	enum kf_status ret = run(s, st, err);
	if (!ret && sqlite3_changes(s->db) != 1)
		ret = kf_fail(err, KF_ENOTFOUND, "no follow-up %lld", (long long)f->id);
	return ret;
}

/* The follow-up's columns, then the ticket's (from FOLLOWUP_NCOLS on). */
#define FOLLOWUP_NCOLS 13

/* A follow-up from the row's columns b on, in the order of FOLLOWUP_NCOLS. */
static void read_followup_at(sqlite3_stmt *st, int b, struct followup *f)
{
	memset(f, 0, sizeof(*f));
	f->id = sqlite3_column_int64(st, b);
	snprintf(f->ticket, sizeof(f->ticket), "%s", (const char *)sqlite3_column_text(st, b + 1));
	f->name = column_text(st, b + 2);
	f->event = column_text(st, b + 3);
	f->purpose = column_text(st, b + 4);
	f->scheduled = sqlite3_column_int64(st, b + 5);
	f->due = sqlite3_column_int64(st, b + 6);
	f->notified = column_time(st, b + 7);
	f->done = column_time(st, b + 8);
	f->outcome = column_text(st, b + 9);
	f->who = column_text(st, b + 10);
	f->note = column_text(st, b + 11);
	f->satisfaction = sqlite3_column_int64(st, b + 12);
}

static void read_followup(sqlite3_stmt *st, struct followup *f)
{
	read_followup_at(st, 0, f);
}

static enum kf_status sqlite_followups_each(struct store *sto, const struct followup_filter *f,
					    store_followup_fn fn, void *ctx, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct sbuf sql = SBUF_INIT;
	struct binds b = { .n = 0 };
	sqlite3_stmt *st;
	char *cols = prefixed_columns("t.");
	sbuf_addf(&sql,
		  "SELECT f.id, f.ticket, f.name, f.event, f.purpose, f.scheduled, f.due,"
		  " f.notified, f.done, f.outcome, f.who, f.note, f.satisfaction, %s"
		  " FROM followups f JOIN tickets t ON t.id = f.ticket WHERE 1",
		  cols);
	free(cols);
	if (f->id)
		sbuf_addf(&sql, " AND f.id = ?%d", bind_num(&b, f->id));
	if (f->ticket)
		sbuf_addf(&sql, " AND f.ticket = ?%d", bind_str(&b, f->ticket));
	if (f->name)
		sbuf_addf(&sql, " AND f.name = ?%d", bind_str(&b, f->name));
	if (f->pending)
		sbuf_adds(&sql, " AND f.done IS NULL");
	if (f->unnotified)
		sbuf_adds(&sql, " AND f.notified IS NULL");
	if (f->due_before != TIME_NONE)
		sbuf_addf(&sql, " AND f.due < ?%d", bind_num(&b, f->due_before));
	sbuf_adds(&sql, " ORDER BY f.due, f.id");
	int rc = sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL);
	sbuf_release(&sql);
	if (rc != SQLITE_OK)
		return fail(s, err);
	for (int i = 0; i < b.n; i++) {
		if (b.is_num[i])
			sqlite3_bind_int64(st, i + 1, b.num[i]);
		else
			sqlite3_bind_text(st, i + 1, b.text[i], -1, SQLITE_STATIC);
	}
	enum kf_status ret = KF_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct followup fu;
		struct ticket t;
		read_followup(st, &fu);
		read_ticket(st, FOLLOWUP_NCOLS, &t);
		ret = fn(ctx, &fu, &t, err);
		followup_release(&fu);
		ticket_release(&t);
		if (ret)
			break;
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(s, err);
	sqlite3_finalize(st);
	return ret;
}

/* ---- the whole store: dump and restore ---- */

/* head + the conditions of f on the table tickets + tail, prepared and bound. */
static enum kf_status prepare_around(struct sqlite_store *s, const char *head,
				     const struct ticket_filter *f, const char *tail,
				     sqlite3_stmt **st, struct kf_err *err)
{
	struct sbuf sql = SBUF_INIT;
	struct binds b = { .n = 0 };
	sbuf_adds(&sql, head);
	where(&sql, f, &b);
	sbuf_adds(&sql, tail);
	int rc = sqlite3_prepare_v2(s->db, sql.buf, -1, st, NULL);
	sbuf_release(&sql);
	if (rc != SQLITE_OK)
		return fail(s, err);
	for (int i = 0; i < b.n; i++) {
		if (b.is_num[i])
			sqlite3_bind_int64(*st, i + 1, b.num[i]);
		else
			sqlite3_bind_text(*st, i + 1, b.text[i], -1, SQLITE_STATIC);
	}
	return KF_OK;
}

/*
 * A walk reads one snapshot: in the caller's transaction, or in a read
 * transaction of its own, so that no ticket is seen without rows a
 * writer added meanwhile.
 */
static enum kf_status snapshot_begin(struct sqlite_store *s, int *own, struct kf_err *err)
{
	*own = sqlite3_get_autocommit(s->db);
	return *own ? exec(s, "BEGIN", err) : KF_OK;
}

static void snapshot_end(struct sqlite_store *s, int own)
{
	if (own && !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

/* The rows of one table about the tickets of a walk, by ticket: column 0 is the ticket. */
enum part { P_EVENTS, P_PAUSES, P_OFFERS, P_MESSAGES, P_USAGE, P_FOLLOWUPS, NPARTS };

static const char *const part_sql[NPARTS][2] = {
	[P_EVENTS] = { "SELECT ticket, at, who, what, field, before, after, note FROM events",
		       " ORDER BY ticket, seq" },
	[P_PAUSES] = { "SELECT ticket, start, end FROM pauses", " ORDER BY ticket, start" },
	[P_OFFERS] = { "SELECT ticket, agent, at FROM offers", " ORDER BY ticket, agent" },
	[P_MESSAGES] = { "SELECT ticket, message_id FROM messages",
			 " ORDER BY ticket, message_id" },
	[P_USAGE] = { "SELECT ticket, entry, who, at, note FROM usage", " ORDER BY ticket, seq" },
	[P_FOLLOWUPS] = { "SELECT ticket, id, ticket, name, event, purpose, scheduled, due,"
			  " notified, done, outcome, who, note, satisfaction FROM followups",
			  " ORDER BY ticket, id" },
};

struct part_cursor {
	sqlite3_stmt *st;
	int rc; /* SQLITE_ROW while a row waits */
};

/* Append the row of part p at st to r. */
static void take_part(enum part p, sqlite3_stmt *st, struct ticket_record *r)
{
	size_t n;
	switch (p) {
	case P_EVENTS: {
		r->events = xrealloc(r->events, (r->nevents + 1) * sizeof(*r->events));
		struct ticket_event *e = &r->events[r->nevents++];
		memset(e, 0, sizeof(*e));
		snprintf(e->ticket, sizeof(e->ticket), "%s", r->t.id);
		e->at = sqlite3_column_int64(st, 1);
		e->who = column_text(st, 2);
		e->what = column_text(st, 3);
		e->field = column_text(st, 4);
		e->before = column_text(st, 5);
		e->after = column_text(st, 6);
		e->note = column_text(st, 7);
		break;
	}
	case P_PAUSES:
		r->pauses = xrealloc(r->pauses, (r->npauses + 1) * sizeof(*r->pauses));
		r->pauses[r->npauses].start = sqlite3_column_int64(st, 1);
		r->pauses[r->npauses++].end = column_time(st, 2);
		break;
	case P_OFFERS:
		r->offers = xrealloc(r->offers, (r->noffers + 1) * sizeof(*r->offers));
		r->offers[r->noffers].agent = column_text(st, 1);
		r->offers[r->noffers++].at = sqlite3_column_int64(st, 2);
		break;
	case P_MESSAGES:
		r->messages = xrealloc(r->messages, (r->nmessages + 1) * sizeof(*r->messages));
		r->messages[r->nmessages++] = column_text(st, 1);
		break;
	case P_USAGE: {
		r->usage = xrealloc(r->usage, (r->nusage + 1) * sizeof(*r->usage));
		struct usage_record *u = &r->usage[r->nusage++];
		memset(u, 0, sizeof(*u));
		u->ticket = column_text(st, 0);
		u->entry = column_text(st, 1);
		u->who = column_text(st, 2);
		u->at = sqlite3_column_int64(st, 3);
		u->note = column_text(st, 4);
		break;
	}
	case P_FOLLOWUPS:
		n = r->nfollowups;
		r->followups = xrealloc(r->followups, (n + 1) * sizeof(*r->followups));
		/* the follow-up's columns from 1 on, as read_followup() reads them from 0 */
		read_followup_at(st, 1, &r->followups[n]);
		r->nfollowups++;
		break;
	case NPARTS:
		break;
	}
}

static enum kf_status sqlite_records_each(struct store *sto, const struct ticket_filter *f,
					  store_record_fn fn, void *ctx, struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	struct part_cursor c[NPARTS] = { { NULL, SQLITE_DONE } };
	sqlite3_stmt *tickets = NULL;
	enum kf_status ret;
	int own, rc = SQLITE_DONE;
	if ((ret = snapshot_begin(s, &own, err)))
		return ret;
	char *head = xasprintf("SELECT %s, day, seq FROM tickets", columns());
	ret = prepare_around(s, head, f, " ORDER BY id", &tickets, err);
	free(head);
	for (int p = 0; p < NPARTS && !ret; p++) {
		char *h = xasprintf("%s WHERE ticket IN (SELECT id FROM tickets", part_sql[p][0]);
		char *t = xasprintf(")%s", part_sql[p][1]);
		ret = prepare_around(s, h, f, t, &c[p].st, err);
		free(h);
		free(t);
		if (!ret)
			c[p].rc = sqlite3_step(c[p].st);
	}
	while (!ret && (rc = sqlite3_step(tickets)) == SQLITE_ROW) {
		struct ticket_record r;
		memset(&r, 0, sizeof(r));
		read_ticket(tickets, 0, &r.t);
		snprintf(r.day, sizeof(r.day), "%s",
			 (const char *)sqlite3_column_text(tickets, (int)ticket_nfields + 1));
		r.seq = sqlite3_column_int64(tickets, (int)ticket_nfields + 2);
		for (int p = 0; p < NPARTS; p++) {
			/* both sides in id order, compared as SQLite's BINARY does */
			while (c[p].rc == SQLITE_ROW &&
			       strcmp((const char *)sqlite3_column_text(c[p].st, 0), r.t.id) < 0)
				c[p].rc = sqlite3_step(c[p].st);
			while (c[p].rc == SQLITE_ROW &&
			       !strcmp((const char *)sqlite3_column_text(c[p].st, 0), r.t.id)) {
				take_part((enum part)p, c[p].st, &r);
				c[p].rc = sqlite3_step(c[p].st);
			}
		}
		for (int p = 0; p < NPARTS && !ret; p++)
			if (c[p].rc != SQLITE_ROW && c[p].rc != SQLITE_DONE)
				ret = fail(s, err);
		if (!ret)
			ret = fn(ctx, &r, err);
		ticket_record_release(&r);
	}
	if (!ret && rc != SQLITE_DONE)
		ret = fail(s, err);
	for (int p = 0; p < NPARTS; p++)
		sqlite3_finalize(c[p].st);
	sqlite3_finalize(tickets);
	snapshot_end(s, own);
	return ret;
}

/* The days' sequences: the highest each day the tickets hold, and the marks. */
static enum kf_status sequences(struct sqlite_store *s, struct highwater_day **v, size_t *n,
				struct kf_err *err)
{
	struct highwater_day *marks = s->marks;
	size_t nmarks = s->nmarks, alloc = 0, k = 0;
	enum kf_status ret = KF_OK;
	char *path = s->path ? highwater_path(s->path) : NULL;
	*v = NULL;
	*n = 0;
	if (path && (ret = highwater_read(path, &marks, &nmarks, err))) {
		free(path);
		return ret;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT day, max(seq) FROM tickets GROUP BY day ORDER BY day",
			       -1, &st, NULL) != SQLITE_OK) {
		ret = fail(s, err);
		goto out;
	}
	int rc;
	/* Both by day: merged. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW || k < nmarks) {
		struct highwater_day d = { "", 0 };
		if (rc == SQLITE_ROW) {
			snprintf(d.day, sizeof(d.day), "%s", (const char *)sqlite3_column_text(st, 0));
			d.seq = sqlite3_column_int64(st, 1);
		}
		while (k < nmarks && (rc != SQLITE_ROW || strcmp(marks[k].day, d.day) < 0)) {
			ALLOC_GROW(*v, *n + 1, alloc);
			(*v)[(*n)++] = marks[k++];
		}
		if (rc != SQLITE_ROW)
			break;
		if (k < nmarks && !strcmp(marks[k].day, d.day) && marks[k++].seq > d.seq)
			d.seq = marks[k - 1].seq;
		ALLOC_GROW(*v, *n + 1, alloc);
		(*v)[(*n)++] = d;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		ret = fail(s, err);
		free(*v);
		*v = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
out:
	if (path)
		free(marks);
	free(path);
	return ret;
}

static enum kf_status sqlite_desk_each(struct store *sto, store_desk_fn fn, void *ctx,
				       struct kf_err *err)
{
	static const char *const sql[] = {
		"SELECT email, status, since, last_assigned FROM agents ORDER BY email",
		"SELECT department, last_agent FROM route_state ORDER BY department",
		"SELECT entry, ticket, who, at, note FROM usage WHERE ticket IS NULL"
		" OR ticket NOT IN (SELECT id FROM tickets) ORDER BY seq",
	};
	struct sqlite_store *s = S(sto);
	enum kf_status ret;
	int own, rc = SQLITE_DONE;
	if ((ret = snapshot_begin(s, &own, err)))
		return ret;
	for (int k = 0; k < 3 && !ret; k++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, sql[k], -1, &st, NULL) != SQLITE_OK) {
			ret = fail(s, err);
			break;
		}
		while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct desk_record r;
			memset(&r, 0, sizeof(r));
			r.kind = k == 0 ? DESK_AGENT : k == 1 ? DESK_ROUTE : DESK_USAGE;
			if (k == 0) {
				r.name = column_text(st, 0);
				read_agent_at(st, 1, &r.agent);
			} else if (k == 1) {
				r.name = column_text(st, 0);
				r.last_agent = column_text(st, 1);
			} else {
				r.usage.entry = column_text(st, 0);
				r.usage.ticket = column_text(st, 1);
				r.usage.who = column_text(st, 2);
				r.usage.at = sqlite3_column_int64(st, 3);
				r.usage.note = column_text(st, 4);
			}
			ret = fn(ctx, &r, err);
			desk_record_release(&r);
		}
		if (!ret && rc != SQLITE_DONE)
			ret = fail(s, err);
		sqlite3_finalize(st);
	}
	struct highwater_day *days = NULL;
	size_t ndays = 0;
	if (!ret)
		ret = sequences(s, &days, &ndays, err);
	snapshot_end(s, own);
	for (size_t i = 0; i < ndays && !ret; i++) {
		struct desk_record r;
		memset(&r, 0, sizeof(r));
		r.kind = DESK_SEQUENCE;
		r.name = days[i].day;
		r.seq = days[i].seq;
		ret = fn(ctx, &r, err);
	}
	free(days);
	return ret;
}

/* A use kept and counted, on ticket (NULL: the use's own). */
static enum kf_status put_usage(struct sqlite_store *s, const struct usage_record *u,
				const char *ticket, struct kf_err *err)
{
	enum kf_status st = put(s, Q_USAGE_ADD, err, "tttit", u->entry, ticket ? ticket : u->ticket,
				u->who, u->at, u->note);
	return st ? st : put(s, Q_USAGE_COUNT_PUT, err, "tt", u->entry, u->day);
}

static enum kf_status put_followup(struct sqlite_store *s, const struct followup *f,
				   const char *ticket, struct kf_err *err)
{
	sqlite3_stmt *st = stmt(s, f->id ? Q_FOLLOWUP_PUT : Q_FOLLOWUP_ADD, err);
	if (!st)
		return KF_EDB;
	bind_followup(st, f);
	bind_text(st, 1, ticket);
	if (f->id)
		sqlite3_bind_int64(st, 13, f->id);
	enum kf_status ret = run(s, st, err);
	if (ret && sqlite3_errcode(s->db) == SQLITE_CONSTRAINT)
		ret = kf_fail(err, KF_EEXIST, "follow-up %lld exists", (long long)f->id);
	return ret;
}

static enum kf_status put_rows(struct sqlite_store *s, const struct ticket_record *r,
			       struct kf_err *err)
{
	const char *id = r->t.id;
	enum kf_status st = insert_ticket(s, &r->t, r->day, r->seq, err);
	for (size_t i = 0; i < r->nevents && !st; i++) {
		const struct ticket_event *e = &r->events[i];
		st = put(s, Q_EVENT_ADD, err, "titttttt", id, e->at, e->who, e->what, e->field,
			 e->before, e->after, e->note);
	}
	for (size_t i = 0; i < r->npauses && !st; i++) {
		sqlite3_stmt *q = query(s, Q_PAUSE_PUT, err, "ti", id, r->pauses[i].start);
		if (!q)
			return KF_EDB;
		bind_time(q, 3, r->pauses[i].end);
		st = run(s, q, err);
	}
	for (size_t i = 0; i < r->noffers && !st; i++)
		st = put(s, Q_OFFER_ADD, err, "tti", id, r->offers[i].agent, r->offers[i].at);
	for (size_t i = 0; i < r->nmessages && !st; i++)
		st = put(s, Q_MESSAGE_ADD, err, "tt", r->messages[i], id);
	for (size_t i = 0; i < r->nusage && !st; i++)
		st = put_usage(s, &r->usage[i], id, err);
	for (size_t i = 0; i < r->nfollowups && !st; i++)
		st = put_followup(s, &r->followups[i], id, err);
	return st;
}

static enum kf_status sqlite_record_put(struct store *sto, const struct ticket_record *r,
					struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	enum kf_status st = exec(s, "SAVEPOINT record", err);
	if (st)
		return st;
	st = put_rows(s, r, err);
	if (st)
		sqlite3_exec(s->db, "ROLLBACK TO record", NULL, NULL, NULL);
	sqlite3_exec(s->db, "RELEASE record", NULL, NULL, NULL);
	return st;
}

static enum kf_status sqlite_desk_put(struct store *sto, const struct desk_record *r,
				      struct kf_err *err)
{
	struct sqlite_store *s = S(sto);
	switch (r->kind) {
	case DESK_AGENT: {
		sqlite3_stmt *st = query(s, Q_AGENT_PUT, err, "tt", r->name,
					 r->agent.away ? "away" : "available");
		if (!st)
			return KF_EDB;
		bind_time(st, 3, r->agent.since);
		bind_time(st, 4, r->agent.last_assigned);
		return run(s, st, err);
	}
	case DESK_ROUTE:
		return put(s, Q_ROUTE_SET, err, "tt", r->name, r->last_agent);
	case DESK_USAGE:
		return put_usage(s, &r->usage, NULL, err);
	case DESK_SEQUENCE:
		if (!r->name || strlen(r->name) != 8 || strspn(r->name, "0123456789") != 8 ||
		    r->seq < 1)
			return kf_fail(err, KF_EINVAL, "not a day and its sequence: '%.20s %lld'",
				       r->name ? r->name : "", (long long)r->seq);
		if (sqlite3_get_autocommit(s->db))
			return kf_fail(err, KF_EDB, "desk database: a sequence is raised in a transaction");
		ALLOC_GROW(s->raise, s->nraise + 1, s->araise);
		snprintf(s->raise[s->nraise].day, sizeof(s->raise[0].day), "%s", r->name);
		s->raise[s->nraise++].seq = r->seq;
		return KF_OK;
	}
	return kf_fail(err, KF_EINVAL, "unknown desk record");
}

static const struct store_ops sqlite_ops = {
	.close = sqlite_close,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.ticket_get = sqlite_ticket_get,
	.ticket_seq_next = sqlite_ticket_seq_next,
	.ticket_insert = sqlite_ticket_insert,
	.ticket_update = sqlite_ticket_update,
	.tickets_each = sqlite_tickets_each,
	.tickets_count = sqlite_tickets_count,
	.event_add = sqlite_event_add,
	.events_get = sqlite_events_get,
	.pause_start = sqlite_pause_start,
	.pause_end = sqlite_pause_end,
	.pauses_get = sqlite_pauses_get,
	.pauses_each = sqlite_pauses_each,
	.histories_each = sqlite_histories_each,
	.offers_get = sqlite_offers_get,
	.offers_set = sqlite_offers_set,
	.agent_get = sqlite_agent_get,
	.agent_set_away = sqlite_agent_set_away,
	.agent_assigned = sqlite_agent_assigned,
	.route_last_get = sqlite_route_last_get,
	.route_last_set = sqlite_route_last_set,
	.message_ticket = sqlite_message_ticket,
	.message_add = sqlite_message_add,
	.usage_add = sqlite_usage_add,
	.usage_counts = sqlite_usage_counts,
	.usage_each = sqlite_usage_each,
	.usage_counts_on_type = sqlite_usage_counts_on_type,
	.followup_add = sqlite_followup_add,
	.followup_update = sqlite_followup_update,
	.followups_each = sqlite_followups_each,
	.records_each = sqlite_records_each,
	.desk_each = sqlite_desk_each,
	.record_put = sqlite_record_put,
	.desk_put = sqlite_desk_put,
};
