#include "highwater.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"

/* One line: eight digits, a space, a number without sign or leading zero. */
static int parse_line(const char *line, size_t len, char day[9], int64_t *seq)
{
	if (len < 10 || line[8] != ' ')
		return 0;
	for (int i = 0; i < 8; i++)
		if (line[i] < '0' || line[i] > '9')
			return 0;
	int64_t v = 0;
	for (size_t i = 9; i < len; i++) {
		if (line[i] < '0' || line[i] > '9' || v > (INT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (line[i] - '0');
	}
	if (v < 1 || (line[9] == '0'))
		return 0;
	memcpy(day, line, 8);
	day[8] = '\0';
	*seq = v;
	return 1;
}

static enum kf_status sync_dir(const char *path, struct kf_err *err)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	enum kf_status st = KF_OK;
	if (fd < 0 || fsync(fd) < 0)
		st = kf_fail_errno(err, "cannot sync '%s'", slash ? dir : ".");
	if (fd >= 0)
		close(fd);
	free(dir);
	return st;
}

static enum kf_status write_whole(const char *path, const struct sbuf *text, struct kf_err *err)
{
	char *tmp = xasprintf("%s.new-%ld", path, (long)getpid());
	enum kf_status st = KF_OK;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		st = kf_fail_errno(err, "cannot write '%s'", tmp);
		goto out;
	}
	const char *p = text->buf;
	size_t left = text->len;
	while (left && !st) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			st = kf_fail_errno(err, "cannot write '%s'", tmp);
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	if (!st && fsync(fd) < 0)
		st = kf_fail_errno(err, "cannot sync '%s'", tmp);
	if (close(fd) < 0 && !st)
		st = kf_fail_errno(err, "cannot write '%s'", tmp);
	if (!st && rename(tmp, path) < 0)
		st = kf_fail_errno(err, "cannot replace '%s'", path);
	if (st)
		unlink(tmp);
	else
		st = sync_dir(path, err);
out:
	free(tmp);
	return st;
}

char *highwater_path(const char *desk_db)
{
	const char *slash = strrchr(desk_db, '/');
	if (!slash)
		return xstrdup("ticket-seq");
	return xasprintf("%.*s/ticket-seq", (int)(slash - desk_db), desk_db);
}

enum kf_status highwater_next(const char *path, const char *day, int64_t floor, int64_t *seq,
			      struct kf_err *err)
{
	struct sbuf old = SBUF_INIT, out = SBUF_INIT;
	enum kf_status st = KF_OK;
	int64_t mark = 0;
	int placed = 0;

	if (sbuf_read_file(&old, path, 0) < 0 && errno != ENOENT) {
		st = kf_fail_errno(err, "cannot read the ticket sequence '%s'", path);
		goto out;
	}
	*seq = floor + 1;
	/* Copy every line, the day's with its new number, in day order. */
	size_t lineno = 0;
	char prev[9] = "";
	for (const char *p = old.buf, *end = old.buf + old.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char d[9];
		lineno++;
		if (!nl || !parse_line(p, len, d, &mark) || strcmp(prev, d) >= 0) {
			st = kf_fail(err, KF_EINVAL,
				     "ticket sequence '%s' is damaged at line %zu: ids cannot be issued "
				     "safely; restore it from a backup or correct it by hand",
				     path, lineno);
			goto out;
		}
		memcpy(prev, d, sizeof(prev));
		int cmp = strcmp(d, day);
		if (cmp == 0) {
			if (mark >= *seq)
				*seq = mark + 1;
		} else {
			if (cmp > 0 && !placed) {
				sbuf_addf(&out, "%s %lld\n", day, (long long)*seq);
				placed = 1;
			}
			sbuf_add(&out, p, len + 1);
		}
		if (cmp == 0) {
			sbuf_addf(&out, "%s %lld\n", day, (long long)*seq);
			placed = 1;
		}
		p += len + 1;
	}
	if (!placed)
		sbuf_addf(&out, "%s %lld\n", day, (long long)*seq);
	st = write_whole(path, &out, err);
out:
	sbuf_release(&old);
	sbuf_release(&out);
	return st;
}

static int by_day(const void *a, const void *b)
{
	return strcmp(((const struct highwater_day *)a)->day, ((const struct highwater_day *)b)->day);
}

enum kf_status highwater_read(const char *path, struct highwater_day **v, size_t *n,
			      struct kf_err *err)
{
	struct sbuf text = SBUF_INIT;
	size_t alloc = 0, lineno = 0;
	enum kf_status st = KF_OK;
	*v = NULL;
	*n = 0;
	if (sbuf_read_file(&text, path, 0) < 0) {
		if (errno != ENOENT)
			st = kf_fail_errno(err, "cannot read the ticket sequence '%s'", path);
		sbuf_release(&text);
		return st;
	}
	for (const char *p = text.buf, *end = text.buf + text.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct highwater_day d;
		lineno++;
		if (!nl || !parse_line(p, len, d.day, &d.seq) ||
		    (*n && strcmp((*v)[*n - 1].day, d.day) >= 0)) {
			st = kf_fail(err, KF_EINVAL,
				     "ticket sequence '%s' is damaged at line %zu: ids cannot be issued "
				     "safely; restore it from a backup or correct it by hand",
				     path, lineno);
			free(*v);
			*v = NULL;
			*n = 0;
			break;
		}
		ALLOC_GROW(*v, *n + 1, alloc);
		(*v)[(*n)++] = d;
		p += len + 1;
	}
	sbuf_release(&text);
	return st;
}

enum kf_status highwater_raise(const char *path, const struct highwater_day *v, size_t n,
			       struct kf_err *err)
{
	struct highwater_day *have;
	size_t nhave;
	for (size_t i = 0; i < n; i++) {
		char line[40];
		int len = snprintf(line, sizeof(line), "%.8s %lld", v[i].day, (long long)v[i].seq);
		struct highwater_day d;
		if (strlen(v[i].day) != 8 || !parse_line(line, (size_t)len, d.day, &d.seq))
			return kf_fail(err, KF_EINVAL, "not a day and its sequence: '%.8s %lld'",
				       v[i].day, (long long)v[i].seq);
	}
	enum kf_status st = highwater_read(path, &have, &nhave, err);
	if (st)
		return st;
	int raised = 0;
	size_t total = nhave;
	have = xrealloc(have, (nhave + n + 1) * sizeof(*have));
	for (size_t i = 0; i < n; i++) {
		struct highwater_day *d = bsearch(&v[i], have, nhave, sizeof(*have), by_day);
		if (d && d->seq < v[i].seq) {
			d->seq = v[i].seq;
			raised = 1;
		} else if (!d) {
			have[total++] = v[i];
			raised = 1;
		}
	}
	if (raised) {
		struct sbuf out = SBUF_INIT;
		qsort(have, total, sizeof(*have), by_day);
		for (size_t i = 0; i < total; i++) {
			/* the same day given twice: its highest */
			if (i + 1 < total && !strcmp(have[i].day, have[i + 1].day)) {
				if (have[i].seq > have[i + 1].seq)
					have[i + 1].seq = have[i].seq;
				continue;
			}
			sbuf_addf(&out, "%s %lld\n", have[i].day, (long long)have[i].seq);
		}
		st = write_whole(path, &out, err);
		sbuf_release(&out);
	}
	free(have);
	return st;
}
