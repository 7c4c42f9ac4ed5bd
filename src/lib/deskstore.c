#include "deskstore.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"

enum kf_status desk_store_open(const struct desk *d, enum store_mode mode, struct store **out,
			       struct kf_err *err)
{
	char *uri;
	enum kf_status st = desk_store_uri(d, &uri, err);
	*out = NULL;
	if (st)
		return st;
	st = uri ? store_pg_open(uri, mode, out, err) : store_open(d->desk_db, mode, out, err);
	free(uri);
	return st;
}

/*
 * Asked with no store open, who runs this process is asked for the sake
 * of the repository, which is on this machine and which git changes as
 * the Unix login. A database role vouches for that only when the desk's
 * own .kefu/database names the database, in a file only its owner (this
 * user, or root) may write: $KEFU_DB, or a file others could change,
 * names a server anyone may have set up, with any role in it.
 */
static int desk_database_vouches(const struct desk *d)
{
	const char *env = getenv("KEFU_DB");
	if (env && *env)
		return 0;
	char *path = xasprintf("%s/" DESK_DATABASE_FILE, d->kefu_dir);
	struct stat sb;
	int ok = stat(path, &sb) == 0 && !(sb.st_mode & (S_IWGRP | S_IWOTH)) &&
		 (sb.st_uid == geteuid() || sb.st_uid == 0);
	free(path);
	return ok;
}

/* The Unix login of the effective user, or NULL; allocated. */
static char *unix_login(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw && pw->pw_name && *pw->pw_name ? xstrdup(pw->pw_name) : NULL;
}

enum kf_status desk_login(const struct desk *d, struct store *st, char **login,
			  struct kf_err *err)
{
	char *uri;
	enum kf_status r;
	*login = NULL;
	if (st && store_pg_user(st)) {
		*login = xstrdup(store_pg_user(st));
		return KF_OK;
	}
	if ((r = desk_store_uri(d, &uri, err)))
		return r;
	if (!uri || !desk_database_vouches(d)) {
		free(uri);
		*login = unix_login();
		return KF_OK;
	}
	r = store_pg_login(uri, login, err);
	free(uri);
	return r;
}
