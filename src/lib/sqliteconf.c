#include "sqliteconf.h"

#include <sqlite3.h>

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
