/*
 * sqliteconf: SQLite's settings for the whole process, made once before
 * its first connection by each of its users (the store, the index).
 */
#ifndef KEFU_SQLITECONF_H
#define KEFU_SQLITECONF_H

/* Call before opening any SQLite database; later calls do nothing. */
void sqlite_configure(void);

#endif
