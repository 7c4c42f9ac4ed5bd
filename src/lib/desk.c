#include "desk.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sbuf.h"

static int is_desk(const char *dir)
{
	struct stat st;
	char *git = xasprintf("%s/.git", dir);
	char *kb = xasprintf("%s/kb", dir);
	int ok = stat(git, &st) == 0 && stat(kb, &st) == 0 && S_ISDIR(st.st_mode);
	free(git);
	free(kb);
	return ok;
}

void desk_at(struct desk *d, const char *root)
{
	d->root = xstrdup(root);
	d->kefu_dir = xasprintf("%s/.kefu", root);
	d->index_db = xasprintf("%s/.kefu/index.db", root);
	d->desk_db = xasprintf("%s/.kefu/desk.db", root);
}

enum kf_status desk_find(struct desk *d, int use_env, struct kf_err *err)
{
	char path[PATH_MAX];
	const char *env = use_env ? getenv("KEFU_DIR") : NULL;

	memset(d, 0, sizeof(*d));
	if (env && *env) {
		if (!realpath(env, path))
			return kf_fail_errno(err, "cannot open desk '%s' ($KEFU_DIR)", env);
		if (!is_desk(path))
			return kf_fail(err, KF_ENOTFOUND,
				       "not a desk '%s' ($KEFU_DIR): it needs .git and kb/", env);
		desk_at(d, path);
		return KF_OK;
	}
	if (!getcwd(path, sizeof(path)))
		return kf_fail_errno(err, "cannot read the current directory");
	for (;;) {
		if (is_desk(path)) {
			desk_at(d, path);
			return KF_OK;
		}
		char *slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
	if (is_desk("/")) {
		desk_at(d, "/");
		return KF_OK;
	}
	return kf_fail(err, KF_ENOTFOUND,
		       "not in a desk: no directory with .git and kb/ from here up "
		       "(use -C DIR or $KEFU_DIR, or kb-init DIR)");
}

enum kf_status desk_make_state_dir(const struct desk *d, struct kf_err *err)
{
	if (mkdir(d->kefu_dir, 0777) < 0 && errno != EEXIST)
		return kf_fail_errno(err, "cannot create '%s'", d->kefu_dir);
	return KF_OK;
}

void desk_release(struct desk *d)
{
	free(d->root);
	free(d->kefu_dir);
	free(d->index_db);
	free(d->desk_db);
	memset(d, 0, sizeof(*d));
}
