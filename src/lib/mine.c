/* An agent's own entries: where they live, their index kept in step with the files. */
#include "mine.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sbuf.h"

/* Categories and files read at most: a personal base, not a desk. */
#define MAX_FILES 100000

enum kf_status mine_locate(const struct desk *d, struct mine *m, struct kf_err *err)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	struct sbuf dir = SBUF_INIT;

	memset(m, 0, sizeof(*m));
	/* A relative $XDG_DATA_HOME is to be ignored, says the XDG spec. */
	if (xdg && *xdg == '/')
		sbuf_adds(&dir, xdg);
	else if (home && *home)
		sbuf_addf(&dir, "%s/.local/share", home);
	else
		return kf_fail(err, KF_ENOTFOUND, "no home for personal entries: $HOME is not set");
	sbuf_adds(&dir, "/kefu/desks/");
	const char *p = d->root + (d->root[0] == '/');
	if (!*p)
		sbuf_adds(&dir, "%2F");
	for (; *p; p++) {
		if (*p == '%')
			sbuf_adds(&dir, "%25");
		else if (*p == '/')
			sbuf_adds(&dir, "%2F");
		else
			sbuf_addch(&dir, *p);
	}
	m->dir = sbuf_detach(&dir);
	m->kb = xasprintf("%s/kb", m->dir);
	m->index_db = xasprintf("%s/index.db", m->dir);
	return KF_OK;
}

void mine_release(struct mine *m)
{
	free(m->dir);
	free(m->kb);
	free(m->index_db);
	memset(m, 0, sizeof(*m));
}

/* mkdir -p, each directory made 0700. */
static enum kf_status make_dirs(const char *path, struct kf_err *err)
{
	char *p = xstrdup(path);
	enum kf_status st = KF_OK;
	for (char *s = p + 1;; s++) {
		if (*s && *s != '/')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST) {
			st = kf_fail_errno(err, "cannot create '%s'", p);
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return st;
}

enum kf_status mine_make(const struct mine *m, struct kf_err *err)
{
	return make_dirs(m->kb, err);
}

mode_t mine_exposed(const struct mine *m)
{
	struct stat sb;
	if (stat(m->dir, &sb) < 0 || !(sb.st_mode & 077))
		return 0;
	return sb.st_mode & 07777;
}

/* The base's files: kb/<category>/<name>.yaml, by path. */
struct file {
	char *path;
	struct stat sb;
};

struct files {
	struct file *v;
	size_t n, alloc;
};

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static void files_release(struct files *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].path);
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static int is_yaml(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".yaml");
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
	return h;
}

/*
 * The base's files, into f when it is not NULL, sorted by path; and
 * into stmp what the index is built from: each file's category, name,
 * size, times and inode, hashed and summed, so that neither the order
 * of readdir(3) nor a sort matters. KF_ENOTFOUND when there is no kb/.
 *
 * A search runs this each keystroke: files are looked at from their
 * directory (fstatat), and without f nothing is allocated.
 */
static enum kf_status scan(const struct mine *m, struct files *f, char stmp[17],
			   struct kf_err *err)
{
	DIR *top = opendir(m->kb), *sub;
	struct dirent *de, *fe;
	uint64_t sum = 0, count = 0;

	if (f)
		memset(f, 0, sizeof(*f));
	if (!top) {
		if (errno == ENOENT || errno == ENOTDIR)
			return kf_fail(err, KF_ENOTFOUND, "no personal entries in '%s'", m->kb);
		return kf_fail_errno(err, "cannot read '%s'", m->kb);
	}
	while ((de = readdir(top)) && count < MAX_FILES) {
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		int fd = openat(dirfd(top), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || !(sub = fdopendir(fd))) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		uint64_t dh = fnv(1469598103934665603ULL, de->d_name, strlen(de->d_name) + 1);
		while ((fe = readdir(sub)) && count < MAX_FILES) {
			struct stat sb;
			if (!is_yaml(fe->d_name) || fstatat(fd, fe->d_name, &sb, 0) < 0 ||
			    !S_ISREG(sb.st_mode))
				continue;
			int64_t v[6] = { (int64_t)sb.st_size,	     (int64_t)sb.st_mtim.tv_sec,
					 (int64_t)sb.st_mtim.tv_nsec, (int64_t)sb.st_ctim.tv_sec,
					 (int64_t)sb.st_ctim.tv_nsec, (int64_t)sb.st_ino };
			sum += fnv(fnv(dh, fe->d_name, strlen(fe->d_name)), v, sizeof(v));
			count++;
			if (!f)
				continue;
			struct file x = { xasprintf("%s/%s/%s", m->kb, de->d_name, fe->d_name), sb };
			ALLOC_GROW(f->v, f->n + 1, f->alloc);
			f->v[f->n++] = x;
		}
		closedir(sub);
	}
	closedir(top);
	snprintf(stmp, 17, "%016llx", (unsigned long long)(sum ^ count * 0x9E3779B97F4A7C15ULL));
	if (f && f->n > 1)
		qsort(f->v, f->n, sizeof(*f->v), by_path);
	return KF_OK;
}

static void local_date(time_t t, char out[11])
{
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(out, 11, "%Y-%m-%d", &tm))
		snprintf(out, 11, "1970-01-01");
}

/* Read and check one file; problems go to bad. 1 when e was filled. */
static int read_entry(const struct file *x, struct sbuf *buf, struct entry *e, problem_fn bad,
		      void *bctx)
{
	struct diags probs = DIAGS_INIT;
	int r = sbuf_read_file(buf, x->path, ENTRY_MAX_BYTES), ok = 0;
	if (r == -2)
		diag_add(&probs, 0, NULL, "file too large (over %d bytes)", ENTRY_MAX_BYTES);
	else if (r < 0)
		diag_add(&probs, 0, NULL, "cannot read: %s", strerror(errno));
	else
		ok = entry_parse(buf->buf, buf->len, x->path, e, &probs) == KF_OK;
	for (size_t i = 0; bad && i < probs.n; i++) {
		char *line = diag_format(x->path, &probs.v[i]);
		bad(bctx, line);
		free(line);
	}
	diags_release(&probs);
	return ok;
}

enum kf_status mine_each(const struct mine *m, int (*fn)(void *ctx, const struct mine_entry *me),
			 void *ctx, problem_fn bad, void *bctx, struct kf_err *err)
{
	struct files f;
	struct sbuf buf = SBUF_INIT;
	char stmp[17];
	enum kf_status st = scan(m, &f, stmp, err);
	if (st == KF_ENOTFOUND)
		return KF_OK;
	if (st)
		return st;
	for (size_t i = 0; i < f.n; i++) {
		struct entry e;
		char date[11];
		sbuf_reset(&buf);
		if (!read_entry(&f.v[i], &buf, &e, bad, bctx))
			continue;
		local_date(f.v[i].sb.st_mtim.tv_sec, date);
		struct mine_entry me = { f.v[i].path, &e, date };
		int stop = fn(ctx, &me);
		entry_release(&e);
		if (stop)
			break;
	}
	sbuf_release(&buf);
	files_release(&f);
	return KF_OK;
}

/* The index rebuilt from the files, stamped. */
static enum kf_status rebuild(const struct mine *m, const struct files *f, const char *stmp,
			      problem_fn fn, void *ctx, struct kf_err *err)
{
	struct kbindex ix;
	struct sbuf buf = SBUF_INIT;
	int fresh;
	enum kf_status st;

	if ((st = kbindex_open_write(&ix, m->index_db, &fresh, err)))
		return st;
	if ((st = kbindex_begin(&ix, err)))
		goto out;
	if ((st = kbindex_clear(&ix, (long)f->n, err)))
		goto fail;
	for (size_t i = 0; i < f->n; i++) {
		struct entry e;
		char date[11];
		sbuf_reset(&buf);
		if (!read_entry(&f->v[i], &buf, &e, fn, ctx))
			continue;
		local_date(f->v[i].sb.st_mtim.tv_sec, date);
		st = kbindex_put(&ix, f->v[i].path, &e, buf.buf, buf.len, date, err);
		entry_release(&e);
		if (st == KF_EEXIST) {
			/* Two files, one id: the first in path order is the entry. */
			if (fn) {
				char *line = xasprintf("%s: id: %s", f->v[i].path, err->msg);
				fn(ctx, line);
				free(line);
			}
			st = KF_OK;
		}
		if (st)
			goto fail;
	}
	if ((st = kbindex_meta_set(&ix, "stamp", stmp, err)) || (st = kbindex_commit(&ix, err)))
		goto fail;
	goto out;
fail:
	kbindex_rollback(&ix);
out:
	kbindex_close(&ix);
	sbuf_release(&buf);
	return st;
}

enum kf_status mine_open(const struct mine *m, struct kbindex *ix, problem_fn fn, void *ctx,
			 struct kf_err *err)
{
	struct files f;
	char now[17];
	enum kf_status st = scan(m, NULL, now, err);

	memset(ix, 0, sizeof(*ix));
	if (st)
		return st;
	if (!kbindex_open_read(ix, m->index_db, err)) {
		char *was = NULL;
		if (!kbindex_meta_get(ix, "stamp", &was, err) && was && !strcmp(was, now)) {
			free(was);
			return KF_OK;
		}
		free(was);
		kbindex_close(ix);
	}
	/* Derived data: one that cannot be written to is made again. */
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((st = scan(m, &f, now, err)))
			return st;
		st = rebuild(m, &f, now, fn, ctx, err);
		files_release(&f);
		if (st != KF_EDB)
			break;
		kbindex_remove(m->index_db);
	}
	if (st)
		return st;
	return kbindex_open_read(ix, m->index_db, err);
}

char *mine_find(const struct mine *m, const char *id)
{
	struct files f;
	struct kf_err err;
	char *found = NULL, stmp[17];
	if (!entry_id_valid(id) || scan(m, &f, stmp, &err))
		return NULL;
	for (size_t i = 0; i < f.n && !found; i++) {
		const char *base = strrchr(f.v[i].path, '/') + 1;
		size_t n = strlen(id);
		if (!strncmp(base, id, n) && !strcmp(base + n, ".yaml"))
			found = xstrdup(f.v[i].path);
	}
	files_release(&f);
	return found;
}

static enum kf_status write_whole(const char *path, const char *data, size_t len,
				  struct kf_err *err)
{
	char *tmp = xasprintf("%s.new", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	enum kf_status st = KF_OK;
	if (fd < 0) {
		st = kf_fail_errno(err, "cannot create '%s'", tmp);
		free(tmp);
		return st;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			st = kf_fail_errno(err, "cannot write '%s'", tmp);
			break;
		}
		off += (size_t)w;
	}
	if (!st && fsync(fd) < 0)
		st = kf_fail_errno(err, "cannot write '%s'", tmp);
	if (close(fd) < 0 && !st)
		st = kf_fail_errno(err, "cannot write '%s'", tmp);
	if (!st && rename(tmp, path) < 0)
		st = kf_fail_errno(err, "cannot write '%s'", path);
	if (st)
		unlink(tmp);
	free(tmp);
	return st;
}

enum kf_status mine_save(const struct mine *m, const char *yaml, size_t len, const char *replace,
			 char **saved, struct diags *probs, struct kf_err *err)
{
	struct entry e;
	enum kf_status st;
	char *path = NULL, *other = NULL;

	if (saved)
		*saved = NULL;
	if (entry_parse(yaml, len, NULL, &e, probs) != KF_OK)
		return kf_fail(err, KF_EINVAL, "not a valid entry");
	if (!entry_category_valid(e.category)) {
		st = kf_fail(err, KF_EINVAL, "category '%.40s' cannot be a directory's name",
			     e.category);
		goto out;
	}
	char *dir = xasprintf("%s/%s", m->kb, e.category);
	path = xasprintf("%s/%s.yaml", dir, e.id);
	other = mine_find(m, e.id);
	if (other && strcmp(other, path) && (!replace || strcmp(other, replace))) {
		st = kf_fail(err, KF_EEXIST, "personal entry '%s' is already '%s'", e.id, other);
		free(dir);
		goto out;
	}
	st = make_dirs(dir, err);
	free(dir);
	if (!st)
		st = write_whole(path, yaml, len, err);
	if (!st && other && strcmp(other, path))
		unlink(other);
	if (!st && replace && strcmp(replace, path))
		unlink(replace);
	if (!st && saved) {
		*saved = path;
		path = NULL;
	}
out:
	free(path);
	free(other);
	entry_release(&e);
	return st;
}

enum kf_status mine_remove(const struct mine *m, const char *id, struct kf_err *err)
{
	char *path = mine_find(m, id);
	if (!path)
		return kf_fail(err, KF_ENOTFOUND, "no personal entry '%s'", id);
	enum kf_status st = KF_OK;
	if (unlink(path) < 0)
		st = kf_fail_errno(err, "cannot remove '%s'", path);
	free(path);
	return st;
}
