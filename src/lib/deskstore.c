#include "deskstore.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
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
	if (!uri) {
		*login = unix_login();
		return KF_OK;
	}
	r = store_pg_login(uri, login, err);
	free(uri);
	return r;
}
