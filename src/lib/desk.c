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

/*
 * A desk whose top directory is set-group-id is shared with its group
 * (kb-init --shared): what this process makes there, the group may
 * write, and others may do what the directory lets them.
 */
static void follow_sharing(const char *root)
{
	struct stat sb;
	if (stat(root, &sb) < 0 || !(sb.st_mode & S_ISGID))
		return;
	mode_t mask = umask(0);
	umask((mask & 0700) | (~sb.st_mode & 0007));
}

static enum kf_status found(struct desk *d, const char *root)
{
	desk_at(d, root);
	follow_sharing(root);
	return KF_OK;
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
		return found(d, path);
	}
	if (!getcwd(path, sizeof(path)))
		return kf_fail_errno(err, "cannot read the current directory");
	for (;;) {
		if (is_desk(path))
			return found(d, path);
		char *slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
	}
	if (is_desk("/"))
		return found(d, "/");
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

enum kf_status desk_store_uri(const struct desk *d, char **uri, struct kf_err *err)
{
	const char *env = getenv("KEFU_DB");
	*uri = NULL;
	if (env && *env) {
		*uri = xstrdup(env);
		return KF_OK;
	}
	char *path = xasprintf("%s/" DESK_DATABASE_FILE, d->kefu_dir);
	struct sbuf sb = SBUF_INIT;
	enum kf_status st = KF_OK;
	int r = sbuf_read_file(&sb, path, 64 * 1024);
	if (r < 0 && errno == ENOENT) {
		/* desk.db */
	} else if (r < 0) {
		st = kf_fail_errno(err, "cannot read '%s'", path);
	} else {
		sbuf_setlen(&sb, strcspn(sb.buf, "\n"));
		if (!sb.len)
			st = kf_fail(err, KF_EINVAL,
				     "'%s' is empty: it should hold the desk's PostgreSQL "
				     "connection string",
				     path);
		else
			*uri = sbuf_detach(&sb);
	}
	sbuf_release(&sb);
	free(path);
	return st;
}

void desk_release(struct desk *d)
{
	free(d->root);
	free(d->kefu_dir);
	free(d->index_db);
	free(d->desk_db);
	memset(d, 0, sizeof(*d));
}
