/*
 * deskstore: where a desk keeps its tickets, and who that store says is
 * connected.
 *
 * A desk's store is .kefu/desk.db (SQLite) unless it has a PostgreSQL
 * connection string (desk.h's desk_store_uri()).
 *
 * kb-search never links this file: it starts once a keystroke and never
 * connects to a server.
 *
 * Ownership: the strings returned are the caller's to free.
 */
#ifndef KEFU_DESKSTORE_H
#define KEFU_DESKSTORE_H

#include "desk.h"
#include "store.h"

/* Open d's store, wherever it is; as store_open(). */
enum kf_status desk_store_open(const struct desk *d, enum store_mode mode, struct store **out,
			       struct kf_err *err);

/*
 * The name that authenticated this process to the desk, into *login
 * (NULL when it has none): the database role (session_user) when the
 * desk is in PostgreSQL, asked of st when it is open (else of a
 * connection made for the question), otherwise the Unix login of the
 * effective user. With no st, asked for the repository's sake, the role
 * counts only when the desk's own .kefu/database, writable by its owner
 * alone, names the database: under $KEFU_DB it is the Unix login.
 * KF_EIO, KF_EINVAL, KF_EDB.
 */
enum kf_status desk_login(const struct desk *d, struct store *st, char **login,
			  struct kf_err *err);

#endif
