#include "deskdb.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

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
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

enum kf_status deskdb_fail(struct deskdb *d, struct kf_err *err)
{
	return kf_fail(err, KF_EDB, "desk database: %s",
		       d->db ? sqlite3_errmsg(d->db) : "not open");
}

static enum kf_status exec(struct deskdb *d, const char *sql, struct kf_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(d->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		kf_fail(err, KF_EDB, "desk database: %s", msg ? msg : sqlite3_errmsg(d->db));
		sqlite3_free(msg);
		return KF_EDB;
	}
	return KF_OK;
}

/*
 * Switch to WAL. The switch takes an exclusive lock, and SQLite does not
 * wait on the busy handler for it: two processes creating the database
 * at once would see "database is locked". So wait here, as the busy
 * timeout would.
 */
static enum kf_status wal(struct deskdb *d, struct kf_err *err)
{
	for (int waited = 0;; waited += 10) {
		int rc = sqlite3_exec(d->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			break;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= 60000)
			return deskdb_fail(d, err);
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	return exec(d, "PRAGMA synchronous=NORMAL", err);
}

static int version(struct deskdb *d)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(d->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static enum kf_status migrate(struct deskdb *d, struct kf_err *err)
{
	enum kf_status st;
	if ((st = deskdb_begin(d, err)))
		return st;
	int v = version(d);
	if (v < 0 || v > (int)NMIGRATIONS) {
		deskdb_rollback(d);
		return kf_fail(err, KF_EDB,
			       v < 0 ? "desk database: unreadable"
				     : "desk database: made by a newer kefu (version %d)",
			       v);
	}
	for (; v < (int)NMIGRATIONS; v++) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
		if ((st = exec(d, migrations[v], err)) || (st = exec(d, sql, err))) {
			deskdb_rollback(d);
			return st;
		}
	}
	return deskdb_commit(d, err);
}

enum kf_status deskdb_open(struct deskdb *d, const char *path, int write, struct kf_err *err)
{
	d->db = NULL;
	if (!write && access(path, F_OK) < 0)
		return kf_fail(err, KF_ENOTFOUND, "no desk database '%s' (no tickets yet)", path);
	int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	if (sqlite3_open_v2(path, &d->db, flags, NULL) != SQLITE_OK) {
		enum kf_status st = kf_fail(err, KF_EDB, "cannot open desk database '%s': %s", path,
					    d->db ? sqlite3_errmsg(d->db) : "out of memory");
		deskdb_close(d);
		return st;
	}
	/* Many writers at once (a mail gateway, agents, cron): wait, not fail. */
	sqlite3_busy_timeout(d->db, 60000);
	enum kf_status st = KF_OK;
	if (write)
		st = wal(d, err);
	if (!st && write && version(d) != (int)NMIGRATIONS)
		st = migrate(d, err);
	else if (!st && !write) {
		int v = version(d);
		if (v != (int)NMIGRATIONS)
			st = kf_fail(err, KF_EDB,
				     v < 0 ? "desk database '%s' is unreadable"
					   : "desk database '%s' needs migrating: run a writing command",
				     path);
	}
	if (st)
		deskdb_close(d);
	return st;
}

void deskdb_close(struct deskdb *d)
{
	if (d->db)
		sqlite3_close_v2(d->db);
	d->db = NULL;
}

enum kf_status deskdb_begin(struct deskdb *d, struct kf_err *err)
{
	return exec(d, "BEGIN IMMEDIATE", err);
}

enum kf_status deskdb_commit(struct deskdb *d, struct kf_err *err)
{
	return exec(d, "COMMIT", err);
}

void deskdb_rollback(struct deskdb *d)
{
	if (d->db && !sqlite3_get_autocommit(d->db))
		sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
}

enum kf_status deskdb_prepare(struct deskdb *d, const char *sql, sqlite3_stmt **st,
			      struct kf_err *err)
{
	if (sqlite3_prepare_v2(d->db, sql, -1, st, NULL) != SQLITE_OK)
		return deskdb_fail(d, err);
	return KF_OK;
}

enum kf_status deskdb_run(struct deskdb *d, sqlite3_stmt *st, struct kf_err *err)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	enum kf_status ret = rc == SQLITE_DONE ? KF_OK : deskdb_fail(d, err);
	sqlite3_finalize(st);
	return ret;
}

void deskdb_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void deskdb_bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}
