#include "sqlitedb.h"

#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

void sqlite_touch(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd >= 0)
		close(fd);
}

void sqlite_configure(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	/*
	 * Before SQLite starts: no connection is ever shared between
	 * threads, and nothing reads SQLite's memory statistics, so its
	 * per-call and per-allocation mutexes only cost time. Once SQLite
	 * has started, these calls fail and change nothing.
	 */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum kf_status sqlite_exec(sqlite3 *db, const char *sql, const char *what, struct kf_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return KF_OK;
	kf_fail(err, KF_EDB, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return KF_EDB;
}

int sqlite_user_version(sqlite3 *db, int *rc)
{
	sqlite3_stmt *st;
	int v = -1;
	*rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
	if (*rc != SQLITE_OK)
		return -1;
	if ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_int(st, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return v;
}
