/*
 * sqlitedb: what the two SQLite users, the store (store-sqlite.c) and
 * the index (index.c), share: the process's settings, made once before
 * the first connection, and two small calls.
 */
#ifndef KEFU_SQLITEDB_H
#define KEFU_SQLITEDB_H

#include <sqlite3.h>

#include "status.h"

/* Call before opening any SQLite database; later calls do nothing. */
void sqlite_configure(void);

/* Run sql; KF_EDB as "what: SQLite's message". */
enum kf_status sqlite_exec(sqlite3 *db, const char *sql, const char *what, struct kf_err *err);

/*
 * Make the file at path, empty, when there is none. SQLite makes a new
 * database 0644 whatever the umask; made first, it gets 0666 less the
 * umask as any file does, and a desk shared with a group (desk.h) stays
 * the group's to write. Its log and shared memory take its mode.
 */
void sqlite_touch(const char *path);

/* PRAGMA user_version, or -1 with *rc saying why it cannot be read. */
int sqlite_user_version(sqlite3 *db, int *rc);

#endif
