/*
 * deskdb: .kefu/desk.db, the desk's system of record: tickets, their
 * events, knowledge usage, agents' status and routing's memory.
 *
 * SQLite in WAL mode, so readers never wait for writers; a busy timeout
 * for writers; the schema version in PRAGMA user_version, migrated
 * forward in one transaction. Unlike the index it is never rebuilt: a
 * file that cannot be read is an error, not something to replace. Only
 * an absent one is created, whole, under another name and then linked
 * into place. An empty, truncated, damaged or foreign file is refused.
 */
#ifndef KEFU_DESKDB_H
#define KEFU_DESKDB_H

#include <sqlite3.h>
#include <stdint.h>

#include "isotime.h"
#include "status.h"

#define DESKDB_VERSION 1

struct deskdb {
	sqlite3 *db;
	char *path; /* the file, NULL in memory */
};

/*
 * Open the database at path, creating it when absent and migrating it
 * when write is set. KF_ENOTFOUND when reading one that does not exist;
 * KF_EDB for a file that is empty, truncated, damaged, not kefu's or of
 * a newer kefu (the message names the file and what to do), or any
 * other failure; KF_EIO.
 */
enum kf_status deskdb_open(struct deskdb *d, const char *path, int write, struct kf_err *err);
void deskdb_close(struct deskdb *d);

/*
 * Whether the file at path may be a database at all, as deskdb_open()
 * first checks: KF_EDB for one that is empty, truncated or not SQLite's
 * (the message says what to do), KF_EIO; *absent set when there is no
 * file (nor a log left by one).
 */
enum kf_status deskdb_inspect(const char *path, int *absent, struct kf_err *err);

/* BEGIN IMMEDIATE (waits for other writers), COMMIT, ROLLBACK. KF_EDB. */
enum kf_status deskdb_begin(struct deskdb *d, struct kf_err *err);
enum kf_status deskdb_commit(struct deskdb *d, struct kf_err *err);
void deskdb_rollback(struct deskdb *d);

/* Prepare sql, or KF_EDB naming the failure. */
enum kf_status deskdb_prepare(struct deskdb *d, const char *sql, sqlite3_stmt **st,
			      struct kf_err *err);
/* Run a statement to its end. KF_EDB. */
enum kf_status deskdb_run(struct deskdb *d, sqlite3_stmt *st, struct kf_err *err);
enum kf_status deskdb_fail(struct deskdb *d, struct kf_err *err);

/* Bind text or NULL. */
void deskdb_bind_text(sqlite3_stmt *st, int i, const char *s);
/* Bind a time: TIME_NONE is NULL. */
void deskdb_bind_time(sqlite3_stmt *st, int i, int64_t t);

#endif
