#include "deskdb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sbuf.h"

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
 * quietly become a new desk.
 */
enum kf_status deskdb_inspect(const char *path, int *absent, struct kf_err *err)
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
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : pread(fd, h, sizeof(h), 0);
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

/* Whether the open file is a desk database kefu made: *v its version. */
static enum kf_status recognise(struct deskdb *d, const char *path, int *v,
				struct kf_err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(d->db, "PRAGMA user_version", -1, &st, NULL);
	*v = -1;
	if (rc == SQLITE_OK) {
		if ((rc = sqlite3_step(st)) == SQLITE_ROW)
			*v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (*v < 0) {
		rc = sqlite3_extended_errcode(d->db);
		if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
			return refuse(err, path, "is damaged");
		return kf_fail(err, KF_EDB, "cannot read desk database '%s': %s", path,
			       sqlite3_errmsg(d->db));
	}
	if (*v > (int)NMIGRATIONS)
		return kf_fail(err, KF_EDB,
			       "desk database '%s' was made by a newer kefu (version %d)", path, *v);
	/* Every version kefu ever wrote has the tickets. */
	int found = 0;
	rc = sqlite3_prepare_v2(d->db,
				"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tickets'",
				-1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		found = rc == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = sqlite3_extended_errcode(d->db);
		if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
			return refuse(err, path, "is damaged");
		return kf_fail(err, KF_EDB, "cannot read desk database '%s': %s", path,
			       sqlite3_errmsg(d->db));
	}
	if (*v == 0 || !found)
		return refuse(err, path, "is not a kefu desk database");
	return KF_OK;
}

static enum kf_status open_file(struct deskdb *d, const char *path, int flags,
				struct kf_err *err)
{
	if (sqlite3_open_v2(path, &d->db, flags, NULL) != SQLITE_OK) {
		enum kf_status st = kf_fail(err, KF_EDB, "cannot open desk database '%s': %s", path,
					    d->db ? sqlite3_errmsg(d->db) : "out of memory");
		deskdb_close(d);
		return st;
	}
	/* Many writers at once (a mail gateway, agents, cron): wait, not fail. */
	sqlite3_busy_timeout(d->db, 60000);
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
	struct deskdb tmp = { NULL, NULL };
	char *name = xasprintf("%s.new-%ld", path, (long)getpid());
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	enum kf_status st;
	if (slash)
		*slash = '\0';
	unlink(name);
	if ((st = open_file(&tmp, name, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err)))
		goto out;
	if (!(st = wal(&tmp, err)))
		st = migrate(&tmp, err);
	deskdb_close(&tmp); /* the last connection: the log is folded in and removed */
	if (!st)
		st = sync_path(name, err);
	if (!st && link(name, path) < 0 && errno != EEXIST)
		st = kf_fail_errno(err, "cannot create desk database '%s'", path);
	if (!st)
		st = sync_path(slash ? dir : ".", err);
out:
	unlink(name);
	free(name);
	free(dir);
	return st;
}

enum kf_status deskdb_open(struct deskdb *d, const char *path, int write, struct kf_err *err)
{
	enum kf_status st;
	int absent = 0, v;
	d->db = NULL;
	d->path = NULL;
	if (!strcmp(path, ":memory:")) {
		if ((st = open_file(d, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err)))
			return st;
		if ((st = migrate(d, err)))
			deskdb_close(d);
		return st;
	}
	if ((st = deskdb_inspect(path, &absent, err)))
		return st;
	if (absent && !write)
		return kf_fail(err, KF_ENOTFOUND, "no desk database '%s' (no tickets yet)", path);
	if (absent && (st = create(path, err)))
		return st;
	if ((st = open_file(d, path, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, err)))
		return st;
	d->path = xstrdup(path);
	if (!(st = recognise(d, path, &v, err)) && write)
		st = wal(d, err);
	if (!st) {
		if (write && v != (int)NMIGRATIONS)
			st = migrate(d, err);
		else if (v != (int)NMIGRATIONS)
			st = kf_fail(err, KF_EDB,
				     "desk database '%s' needs migrating: run a writing command",
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
	free(d->path);
	d->path = NULL;
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
	if (t != TIME_NONE)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}
