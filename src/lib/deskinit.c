#include "deskinit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desk.h"
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

/* Fill the directory root and make it a desk. */
static enum kf_status make(const char *root, int sample, const char *email, const char *name,
			   struct skipped *skip, struct kf_err *err)
{
	char hex[41];
	struct desk d;
	struct sync_stats stats;
	enum kf_status st;
	if ((st = populate(root, sample, email, name, err)) ||
	    (st = repo_init_commit(root, sample ? "kb-init: sample desk\n" : "kb-init: new desk\n",
				   hex, err)) ||
	    (st = install_hook(root, err)))
		return st;
	desk_at(&d, root);
	st = kb_sync(&d, 1, on_skip, skip, &stats, err);
	desk_release(&d);
	return st;
}

enum kf_status desk_create(const char *dir, int sample, desk_skip_fn skip, void *ctx,
			   struct kf_err *err)
{
	struct skipped sk = { skip, ctx };
	char *email, *name, *root;
	int absent;
	enum kf_status st;
	if ((st = check_target(dir, &absent, err)) ||
	    (st = repo_identity(NULL, &email, &name, err)))
		return st;
	if (absent && mkdir(dir, 0777) < 0) {
		st = kf_fail_errno(err, "cannot create '%s'", dir);
	} else if (!(root = realpath(dir, NULL))) {
		st = kf_fail_errno(err, "cannot resolve '%s'", dir);
	} else {
		if ((st = make(root, sample, email, name, &sk, err)))
			undo(root, absent);
		free(root);
	}
	free(email);
	free(name);
	return st;
}
