#include "worktree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sbuf.h"
#include "treediff.h"

#define MAIN "refs/heads/main"

/*
 * A git lock older than this has no living owner: git holds the index
 * lock for the time of one write.
 */
#define STALE_LOCK_SECONDS 10

static char *state_path(struct repo *r, const char *name)
{
	return xasprintf("%skefu%s%s", repo_git_dir(r), name ? "/" : "", name ? name : "");
}

static enum kf_status make_state_dir(struct repo *r, struct kf_err *err)
{
	char *dir = state_path(r, NULL);
	enum kf_status st = KF_OK;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		st = kf_fail_errno(err, "cannot create '%s'", dir);
	free(dir);
	return st;
}

enum kf_status worktree_lock(struct repo *r, int wait_ms, struct worktree_lock *l,
			     struct kf_err *err)
{
	enum kf_status st;
	l->fd = -1;
	if ((st = make_state_dir(r, err)))
		return st;
	char *path = state_path(r, "lock");
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	/* flock(2) needs no write permission: another's lock file will do. */
	if (fd < 0 && errno == EACCES)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		st = kf_fail_errno(err, "cannot open '%s'", path);
		free(path);
		return st;
	}
	for (int waited = 0;; waited += 10) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			st = kf_fail_errno(err, "cannot lock '%s'", path);
			break;
		}
		if (waited >= wait_ms) {
			st = kf_fail(err, KF_EEXIST, "'%s' is held by another approval", path);
			break;
		}
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	free(path);
	if (st) {
		close(fd);
		return st;
	}
	l->fd = fd;
	return KF_OK;
}

void worktree_unlock(struct worktree_lock *l)
{
	if (l->fd >= 0)
		close(l->fd); /* closing drops the flock */
	l->fd = -1;
}

/* Whether the repository has a work tree whose HEAD is main. */
static int follows_main(git_repository *g)
{
	git_reference *head = NULL;
	int yes = 0;
	if (git_repository_is_bare(g) || git_reference_lookup(&head, g, "HEAD") < 0)
		return 0;
	yes = git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	      !strcmp(git_reference_symbolic_target(head), MAIN);
	git_reference_free(head);
	return yes;
}

/* Write data to path whole or not at all: a new file renamed over it. */
static enum kf_status write_atomic(const char *tmp, const char *path, const void *data,
				   size_t len, struct kf_err *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return kf_fail_errno(err, "cannot create '%s'", tmp);
	ssize_t n = write(fd, data, len);
	if (n != (ssize_t)len || close(fd) < 0) {
		unlink(tmp);
		return kf_fail_errno(err, "cannot write '%s'", tmp);
	}
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return kf_fail_errno(err, "cannot write '%s'", path);
	}
	return KF_OK;
}

enum kf_status worktree_begin(struct repo *r, const char *old_hex, struct kf_err *err)
{
	git_repository *g = repo_git(r);
	enum kf_status st;
	if (!follows_main(g))
		return KF_OK;
	char *path = state_path(r, "worktree");
	if (access(path, F_OK) == 0) {
		free(path);
		return KF_OK;
	}
	if ((st = make_state_dir(r, err))) {
		free(path);
		return st;
	}
	char *tmp = state_path(r, "worktree.new");
	char *line = xasprintf("%s\n", old_hex);
	st = write_atomic(tmp, path, line, strlen(line), err);
	free(line);
	free(tmp);
	free(path);
	return st;
}

static void clear_stale(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && time(NULL) - st.st_mtime > STALE_LOCK_SECONDS)
		unlink(path);
}

/* Ids of what a path holds, the zero id for nothing. */
static int same(const git_oid *a, const git_oid *b)
{
	return git_oid_equal(a, b);
}

/* The id the work tree's file at full would have as a blob; zero when absent. */
static int worktree_id(git_repository *g, const char *full, const char *path, git_oid *id)
{
	struct stat st;
	memset(id, 0, sizeof(*id));
	if (lstat(full, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(full, target, sizeof(target));
		return n < 0 ? -1 : git_odb_hash(id, target, (size_t)n, GIT_OBJECT_BLOB);
	}
	if (!S_ISREG(st.st_mode))
		return -1; /* a directory where a file was: not ours to touch */
	return git_repository_hashfile(id, g, full, GIT_OBJECT_BLOB, path);
}

/* Remove the directories above full, up to the work tree, while empty. */
static void prune_dirs(const char *workdir, char *full)
{
	size_t root = strlen(workdir);
	for (char *slash = strrchr(full, '/'); slash && (size_t)(slash - full) > root;
	     slash = strrchr(full, '/')) {
		*slash = '\0';
		if (rmdir(full) < 0)
			break;
	}
}

static enum kf_status make_parents(const char *workdir, const char *full, struct kf_err *err)
{
	char *p = xstrdup(full);
	enum kf_status st = KF_OK;
	for (char *s = p + strlen(workdir); (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			st = kf_fail_errno(err, "cannot create '%s'", p);
			break;
		}
		*s = '/';
	}
	free(p);
	return st;
}

/* Put main's version of one file in the work tree, whole. */
static enum kf_status put_file(git_repository *g, const char *workdir, const char *tmp,
			       const struct tree_delta *d, const char *full, struct kf_err *err)
{
	git_blob *blob = NULL;
	git_buf buf = GIT_BUF_INIT;
	enum kf_status st;

	if ((st = make_parents(workdir, full, err)))
		return st;
	if (git_blob_lookup(&blob, g, &d->new_id) < 0)
		return repo_fail(err, "cannot read a file of main");
	if (d->new_mode == GIT_FILEMODE_LINK) {
		char *target = xstrndup(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		unlink(tmp);
		if (symlink(target, tmp) < 0 || rename(tmp, full) < 0) {
			st = kf_fail_errno(err, "cannot write '%s'", full);
			unlink(tmp);
		}
		free(target);
		git_blob_free(blob);
		return st;
	}
	/* As git checks it out: line endings and filters as configured. */
	git_blob_filter_options fo;
	git_blob_filter_options_init(&fo, GIT_BLOB_FILTER_OPTIONS_VERSION);
	if (git_blob_filter(&buf, blob, d->path, &fo) < 0) {
		git_blob_free(blob);
		return repo_fail(err, "cannot read a file of main");
	}
	st = write_atomic(tmp, full, buf.ptr, buf.size, err);
	if (!st && d->new_mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
		mode_t mask = umask(0);
		umask(mask);
		if (chmod(full, 0777 & ~mask) < 0)
			st = kf_fail_errno(err, "cannot make '%s' executable", full);
	}
	git_buf_dispose(&buf);
	git_blob_free(blob);
	return st;
}

/* The index entry of a file just written: main's id, the file's stat. */
static int index_file(git_index *idx, const struct tree_delta *d, const char *full)
{
	git_index_entry e;
	struct stat st;
	memset(&e, 0, sizeof(e));
	if (lstat(full, &st) == 0) {
		e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
		e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
		e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
		e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
		e.dev = (uint32_t)st.st_dev;
		e.ino = (uint32_t)st.st_ino;
		e.uid = (uint32_t)st.st_uid;
		e.gid = (uint32_t)st.st_gid;
		e.file_size = (uint32_t)st.st_size;
	}
	e.mode = d->new_mode;
	git_oid_cpy(&e.id, &d->new_id);
	e.path = d->path;
	return git_index_add(idx, &e);
}

/* Files a killed writer left in the state directory. */
static void remove_leftovers(struct repo *r)
{
	char *dir = state_path(r, NULL);
	DIR *dp = opendir(dir);
	struct dirent *de;
	while (dp && (de = readdir(dp))) {
		if (strncmp(de->d_name, "tmp-", 4))
			continue;
		char *p = xasprintf("%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
	}
	if (dp)
		closedir(dp);
	free(dir);
}

struct left {
	struct sbuf names;
	size_t n;
};

/* Bring the index and the work tree from tree a to tree b. */
static enum kf_status follow_trees(struct repo *r, git_tree *a, git_tree *b, struct left *left,
				   struct kf_err *err)
{
	git_repository *g = repo_git(r);
	const char *workdir = git_repository_workdir(g);
	git_index *idx = NULL;
	struct tree_diff diff = { NULL, 0, 0 };
	char *tmp = state_path(r, NULL);
	enum kf_status st = KF_OK;

	/* Into the state directory, on the work tree's file system, then renamed. */
	char *tmpfile = xasprintf("%s/tmp-%ld", tmp, (long)getpid());
	free(tmp);
	if (tree_diff(g, a, b, NULL, &diff) < 0) {
		st = repo_fail(err, "cannot compare main with the work tree's commit");
		goto out;
	}
	if (!diff.n)
		goto out;
	if (git_repository_index(&idx, g) < 0 || git_index_read(idx, 1) < 0) {
		st = repo_fail(err, "cannot read the index");
		goto out;
	}
	for (size_t i = 0; i < diff.n && !st; i++) {
		const struct tree_delta *d = &diff.v[i];
		char *full = xasprintf("%s%s", workdir, d->path);
		const git_index_entry *ie = git_index_get_bypath(idx, d->path, 0);
		git_oid staged, wt;
		if (ie)
			git_oid_cpy(&staged, &ie->id);
		else
			memset(&staged, 0, sizeof(staged));
		int known = worktree_id(g, full, d->path, &wt) == 0;
		int submodule = d->new_mode == GIT_FILEMODE_COMMIT || d->old_mode == GIT_FILEMODE_COMMIT;
		/* Ours to update: what either main had, in the file and the index. */
		int clean = known && !submodule && (same(&wt, &d->old_id) || same(&wt, &d->new_id)) &&
			    (same(&staged, &d->old_id) || same(&staged, &d->new_id));
		if (clean) {
			if (git_oid_is_zero(&d->new_id)) {
				if (unlink(full) < 0 && errno != ENOENT)
					st = kf_fail_errno(err, "cannot remove '%s'", full);
				else
					prune_dirs(workdir, full);
			} else if (!same(&wt, &d->new_id)) {
				st = put_file(g, workdir, tmpfile, d, full, err);
			}
		} else {
			sbuf_addf(&left->names, "%s'%s'", left->n ? ", " : "", d->path);
			left->n++;
		}
		if (!st) {
			int rc;
			if (git_oid_is_zero(&d->new_id))
				rc = ie ? git_index_remove_bypath(idx, d->path) : 0;
			else if (clean)
				rc = index_file(idx, d, full);
			else {
				/* A local edit stays, shown against what main now has. */
				git_index_entry e;
				memset(&e, 0, sizeof(e));
				e.mode = d->new_mode;
				git_oid_cpy(&e.id, &d->new_id);
				e.path = d->path;
				rc = git_index_add(idx, &e);
			}
			if (rc < 0)
				st = repo_fail(err, "cannot update the index");
		}
		free(full);
	}
	if (st)
		goto out;
	char *lock = xasprintf("%sindex.lock", git_repository_path(g));
	clear_stale(lock);
	free(lock);
	/* Another git may hold the index a moment (git status refreshes it). */
	int rc = -1;
	for (int tries = 0; tries < 200 && (rc = git_index_write(idx)) == GIT_ELOCKED; tries++) {
		struct timespec pause = { 0, 10 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
	if (rc < 0)
		st = repo_fail(err, "cannot write the index");
out:
	free(tmpfile);
	git_index_free(idx);
	tree_diff_release(&diff);
	return st;
}

enum kf_status worktree_follow(struct repo *r, worktree_warn_fn warn, void *ctx,
			       struct kf_err *err)
{
	git_repository *g = repo_git(r);
	struct sbuf rec = SBUF_INIT;
	git_oid was_id, main_id;
	git_commit *was = NULL, *now = NULL;
	git_tree *was_t = NULL, *now_t = NULL;
	struct left left = { SBUF_INIT, 0 };
	enum kf_status st = KF_OK;
	char *path = state_path(r, "worktree");

	if (sbuf_read_file(&rec, path, 4096) < 0)
		goto out; /* no record: nothing was left to do */
	remove_leftovers(r);
	sbuf_trim_newlines(&rec);
	if (!follows_main(g) || git_reference_name_to_id(&main_id, g, MAIN) < 0)
		goto done; /* the work tree is not main's: nothing follows it */
	if (git_oid_fromstr(&was_id, rec.buf) < 0 || git_commit_lookup(&was, g, &was_id) < 0 ||
	    git_commit_lookup(&now, g, &main_id) < 0 || git_commit_tree(&was_t, was) < 0 ||
	    git_commit_tree(&now_t, now) < 0) {
		st = repo_fail(err, "cannot read the commit the work tree shows");
		goto out;
	}
	if (!git_oid_equal(&was_id, &main_id) && (st = follow_trees(r, was_t, now_t, &left, err)))
		goto out;
	if (left.n && warn) {
		char *msg = xasprintf("left %s as %s: %s local changes; compare %s with what was "
				      "approved (git diff) before committing",
				      left.names.buf, left.n > 1 ? "they were" : "it was",
				      left.n > 1 ? "they have" : "it has", left.n > 1 ? "them" : "it");
		warn(ctx, msg);
		free(msg);
	}
done:
	if (unlink(path) < 0 && errno != ENOENT)
		st = kf_fail_errno(err, "cannot remove '%s'", path);
out:
	sbuf_release(&left.names);
	git_tree_free(was_t);
	git_tree_free(now_t);
	git_commit_free(was);
	git_commit_free(now);
	sbuf_release(&rec);
	free(path);
	return st;
}

enum kf_status worktree_finish(struct repo *r, struct kf_err *err)
{
	struct worktree_lock l;
	enum kf_status st;
	char *path = state_path(r, "worktree");
	int pending = access(path, F_OK) == 0;
	free(path);
	if (!pending)
		return KF_OK;
	st = worktree_lock(r, 0, &l, err);
	if (st == KF_EEXIST)
		return KF_OK; /* its writer lives, and finishes it */
	if (!st) {
		st = worktree_follow(r, NULL, NULL, err);
		worktree_unlock(&l);
	}
	if (st) {
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return kf_fail(err, st,
			       "an interrupted approval left the work tree behind main, and it "
			       "cannot follow: %s; once that is fixed, kb-index finishes it",
			       msg);
	}
	return KF_OK;
}
