#include "deskinit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk.h"
#include "deskstore.h"
#include "newdesk.h"
#include "repo.h"
#include "sample.h"
#include "sbuf.h"
#include "spawn.h"
#include "sync.h"

static enum kf_status write_file(const char *root, const char *rel, const char *data,
				 size_t len, int executable, struct kf_err *err)
{
	char *path = xasprintf("%s/%s", root, rel);
	enum kf_status st = KF_OK;
	/* Parents first: mkdir -p for each slash after the root. */
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			st = kf_fail_errno(err, "cannot create '%s'", path);
			goto out;
		}
		*p = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, executable ? 0777 : 0666);
	ssize_t n = fd < 0 ? -1 : write(fd, data, len);
	if (fd < 0 || n != (ssize_t)len || close(fd) < 0)
		st = kf_fail_errno(err, "cannot write '%s'", path);
out:
	free(path);
	return st;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 ? -1 : 0;
}

/* Undo: nothing half-made stays behind. */
static void undo(const char *dir, int created)
{
	if (created) {
		nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	DIR *dp = opendir(dir);
	struct dirent *de;
	while (dp && (de = readdir(dp))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		nftw(p, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		free(p);
	}
	if (dp)
		closedir(dp);
}

/* *absent when there is nothing at dir; else it must be an empty directory. */
static enum kf_status check_target(const char *dir, int *absent, struct kf_err *err)
{
	struct stat st;
	*absent = 0;
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT) {
			*absent = 1;
			return KF_OK;
		}
		return kf_fail_errno(err, "cannot use '%s'", dir);
	}
	if (!S_ISDIR(st.st_mode))
		return kf_fail(err, KF_EINVAL, "cannot create a desk in '%s': not a directory",
			       dir);
	DIR *dp = opendir(dir);
	if (!dp)
		return kf_fail_errno(err, "cannot read '%s'", dir);
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(dp)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(dp);
	if (!empty)
		return kf_fail(err, KF_EEXIST, "cannot create a desk in '%s': it is not empty", dir);
	return KF_OK;
}

static enum kf_status populate(const char *root, int sample, const char *email,
			       const char *name, struct kf_err *err)
{
	enum kf_status st;
	if (sample) {
		if ((st = write_file(root, ".gitignore", skeleton_files[0].text,
				     strlen(skeleton_files[0].text), 0, err)))
			return st;
		for (size_t i = 0; i < sample_nfiles; i++) {
			const struct sample_file *f = &sample_files[i];
			if ((st = write_file(root, f->path, f->data, (size_t)f->size, f->executable,
					     err)))
				return st;
		}
		return KF_OK;
	}
	for (size_t i = 0; i < skeleton_nfiles; i++) {
		char *text = skeleton_text(&skeleton_files[i], email, name);
		st = write_file(root, skeleton_files[i].path, text, strlen(text), 0, err);
		free(text);
		if (st)
			return st;
	}
	return KF_OK;
}

/* The path of a command installed beside this one; the caller frees it. */
static char *beside_me(const char *cmd)
{
	char *dir = self_dir();
	char *path = xasprintf("%s/%s", dir ? dir : "/usr/bin", cmd);
	free(dir);
	return path;
}

static enum kf_status install_hook(const char *root, struct kf_err *err)
{
	char *kb_index = beside_me("kb-index");
	char *hook = skeleton_hook(kb_index);
	enum kf_status st = write_file(root, ".git/hooks/reference-transaction", hook,
				       strlen(hook), 1, err);
	free(hook);
	free(kb_index);
	return st;
}

/* The server's pre-receive hook, pointing at this kb-receive. */
static enum kf_status install_receive_hook(const char *root, struct kf_err *err)
{
	const struct sample_file *f = NULL;
	for (size_t i = 0; i < hooks_nfiles; i++)
		if (!strcmp(hooks_files[i].path, "src/hooks/pre-receive"))
			f = &hooks_files[i];
	if (!f)
		return kf_fail(err, KF_EINVAL, "this kb-init was built without its pre-receive hook");
	char *target = beside_me("kb-receive");
	struct sbuf sb = SBUF_INIT;
	const char *at = strstr(f->data, "@KB_RECEIVE@");
	if (at) {
		sbuf_add(&sb, f->data, (size_t)(at - f->data));
		sbuf_adds(&sb, target);
		sbuf_adds(&sb, at + strlen("@KB_RECEIVE@"));
	} else {
		sbuf_adds(&sb, f->data);
	}
	enum kf_status st = write_file(root, "hooks/pre-receive", sb.buf, sb.len, 1, err);
	sbuf_release(&sb);
	free(target);
	return st;
}

enum kf_status desk_create_server(const char *dir, struct kf_err *err)
{
	int absent;
	enum kf_status st = check_target(dir, &absent, err);
	if (st)
		return st;
	if ((st = repo_init_bare(dir, err)) || (st = install_receive_hook(dir, err)))
		undo(dir, absent);
	return st;
}

struct skipped {
	desk_skip_fn fn;
	void *ctx;
};

static void on_skip(void *ctx, const char *msg)
{
	struct skipped *s = ctx;
	if (s->fn)
		s->fn(s->ctx, msg);
}

/* The group a shared desk goes to, for share_one() (nftw() passes no context). */
static gid_t share_gid;

/* One file of a shared desk: the group's, which may do what its owner may. */
static int share_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (lchown(path, (uid_t)-1, share_gid) < 0)
		return -1;
	if (S_ISLNK(sb->st_mode))
		return 0;
	mode_t m = (sb->st_mode & 0700) | ((sb->st_mode & 0700) >> 3);
	if (S_ISDIR(sb->st_mode))
		m |= S_ISGID; /* what is made inside belongs to the group too */
	return chmod(path, m) < 0 ? -1 : 0;
}

static int same_value(const git_config_entry *e, void *ctx)
{
	return !strcmp(e->value, ctx) ? GIT_EUSER : 0;
}

/*
 * Vouch for root in git's system configuration (safe.directory), where
 * only root can write, for the git command line: it trusts no one
 * else's repository, root's included, without that. libgit2 needs no
 * entry: it trusts what root owns.
 */
static enum kf_status vouch(const char *root, struct kf_err *err)
{
	char *path = repo_system_config();
	git_config *cfg = NULL;
	enum kf_status st = KF_OK;
	if (!path)
		return KF_OK;
	git_libgit2_init();
	int r = git_config_open_ondisk(&cfg, path);
	if (r == 0)
		r = git_config_get_multivar_foreach(cfg, "safe.directory", NULL, same_value,
						    (void *)root);
	if (r == GIT_ENOTFOUND || r == 0)
		r = git_config_set_multivar(cfg, "safe.directory", "^$", root);
	if (r < 0 && r != GIT_EUSER)
		st = repo_fail(err, "cannot add safe.directory to git's system configuration");
	git_config_free(cfg);
	git_libgit2_shutdown();
	free(path);
	return st;
}

static enum kf_status share(const char *root, const char *group, struct kf_err *err)
{
	struct group *g = getgrnam(group);
	enum kf_status st;
	if (!g)
		return kf_fail(err, KF_EINVAL, "cannot share the desk with '%s': no such group",
			       group);
	if ((st = repo_config_set(root, "core.sharedRepository", "0660", err)))
		return st;
	share_gid = g->gr_gid;
	if (nftw(root, share_one, 16, FTW_PHYS) < 0)
		return kf_fail_errno(err, "cannot give '%s' to the group '%s'", root, group);
	return KF_OK;
}

/* Keep the tickets of the desk at root in the database at uri. */
static enum kf_status use_database(const char *root, const char *uri, struct kf_err *err)
{
	struct desk d;
	struct store *st = NULL;
	desk_at(&d, root);
	char *file = xasprintf("%s/.kefu/" DESK_DATABASE_FILE, root);
	char *line = xasprintf("%s\n", uri);
	/* Private: a connection string may hold a password. */
	enum kf_status r = desk_make_state_dir(&d, err);
	int fd = r ? -1 : open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (!r && (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line) ||
		   close(fd) < 0))
		r = kf_fail_errno(err, "cannot write '%s'", file);
	/* Made, or found sound, before anything is said to be done. */
	if (!r && !(r = store_pg_open(uri, STORE_WRITE, &st, err)))
		store_close(st);
	free(line);
	free(file);
	desk_release(&d);
	return r;
}

/* Fill the directory root and make it a desk. */
static enum kf_status make(const char *root, const struct desk_options *o, const char *email,
			   const char *name, struct skipped *skip, struct kf_err *err)
{
	char hex[41];
	struct desk d;
	struct sync_stats stats;
	enum kf_status st;
	if ((st = populate(root, o->sample, email, name, err)) ||
	    (st = repo_init_commit(root,
				   o->sample ? "kb-init: sample desk\n" : "kb-init: new desk\n", hex,
				   err)) ||
	    (st = install_hook(root, err)))
		return st;
	if (o->db && (st = use_database(root, o->db, err)))
		return st;
	desk_at(&d, root);
	st = kb_sync(&d, 1, on_skip, skip, &stats, err);
	desk_release(&d);
	if (!st && o->group)
		st = share(root, o->group, err);
	return st;
}

/* Whether dir holds a desk: .git and kb/. */
static int is_desk(const char *dir)
{
	struct stat sb;
	char *git = xasprintf("%s/.git", dir), *kb = xasprintf("%s/kb", dir);
	int yes = stat(git, &sb) == 0 && stat(kb, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(git);
	free(kb);
	return yes;
}

/*
 * A clone of a desk joins the database: .kefu/database, the hook, the
 * index. Undone when it fails: what it made goes.
 */
static enum kf_status join(const char *dir, const struct desk_options *o, struct skipped *skip,
			   struct kf_err *err)
{
	char *root = realpath(dir, NULL);
	if (!root)
		return kf_fail_errno(err, "cannot resolve '%s'", dir);
	struct desk d;
	struct sync_stats stats;
	struct stat sb;
	enum kf_status st = KF_OK;
	desk_at(&d, root);
	char *hook = xasprintf("%s/.git/hooks/reference-transaction", root);
	char *file = xasprintf("%s/" DESK_DATABASE_FILE, d.kefu_dir);
	int had_state = stat(d.kefu_dir, &sb) == 0;
	int had_hook = lstat(hook, &sb) == 0;
	if (stat(d.desk_db, &sb) == 0)
		st = kf_fail(err, KF_EEXIST,
			     "cannot put the tickets of '%s' in a database: it keeps them in '%s'",
			     dir, d.desk_db);
	else if (lstat(file, &sb) == 0)
		st = kf_fail(err, KF_EEXIST, "'%s' has a database already ('%s')", dir, file);
	if (st)
		goto out;
	if ((!had_hook && (st = install_hook(root, err))) ||
	    (st = use_database(root, o->db, err)) ||
	    (st = kb_sync(&d, 1, on_skip, skip, &stats, err))) {
		if (!had_hook)
			unlink(hook);
		if (!had_state)
			nftw(d.kefu_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		else
			unlink(file);
	}
out:
	free(file);
	free(hook);
	free(root);
	desk_release(&d);
	return st;
}

enum kf_status desk_create(const char *dir, const struct desk_options *o, desk_skip_fn skip,
			   void *ctx, struct kf_err *err)
{
	struct skipped sk = { skip, ctx };
	char *email, *name, *root;
	int absent;
	enum kf_status st;
	if (o->group && geteuid() != 0)
		return kf_fail(err, KF_EPERM,
			       "cannot share a desk with the group '%s' unless root: git trusts "
			       "only a repository its user or root owns",
			       o->group);
	if (o->group && !getgrnam(o->group))
		return kf_fail(err, KF_EINVAL, "cannot share the desk with '%s': no such group",
			       o->group);
	st = check_target(dir, &absent, err);
	if (st == KF_EEXIST && o->db && !o->group && !o->sample && is_desk(dir))
		return join(dir, o, &sk, err);
	if (st || (st = repo_identity(NULL, &email, &name, err)))
		return st;
	/* A shared desk's files are the group's from the start. */
	mode_t mask = o->group ? umask(007) : 0;
	if (absent && mkdir(dir, 0777) < 0) {
		st = kf_fail_errno(err, "cannot create '%s'", dir);
	} else if (!(root = realpath(dir, NULL))) {
		st = kf_fail_errno(err, "cannot resolve '%s'", dir);
	} else {
		st = make(root, o, email, name, &sk, err);
		if (o->group)
			umask(mask);
		/* Last, under the caller's umask: git's configuration stays everyone's to read. */
		if (!st && o->group)
			st = vouch(root, err);
		if (st)
			undo(root, absent);
		free(root);
	}
	if (o->group)
		umask(mask);
	free(email);
	free(name);
	return st;
}
