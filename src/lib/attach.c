/* An e-mail's attachments, kept as files beside the ticket they came with. */
#include "attach.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NAME_MAX_BYTES 120
/* A staging directory this old was left by a killed process. */
#define STALE_SECONDS 3600

static enum kf_status io_fail(struct kf_err *err, const char *what, const char *path)
{
	return kf_fail_errno(err, "cannot %s '%s'", what, path);
}

/* The mode new directories get: what the umask lets through, as for mkdir(2). */
static mode_t dir_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0777 & ~mask;
}

static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = fd < 0 ? -1 : fsync(fd);
	if (fd >= 0)
		close(fd);
	return r;
}

static void remove_tree(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	if (dp) {
		while ((de = readdir(dp))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char *p = xasprintf("%s/%s", dir, de->d_name);
			unlink(p);
			free(p);
		}
		closedir(dp);
	}
	rmdir(dir);
}

/* Staging directories left by killed processes, an hour old or more. */
static void sweep(const char *root)
{
	DIR *dp = opendir(root);
	struct dirent *de;
	time_t now = time(NULL);
	if (!dp)
		return;
	while ((de = readdir(dp))) {
		struct stat sb;
		if (strncmp(de->d_name, ".new.", 5))
			continue;
		char *p = xasprintf("%s/%s", root, de->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode) && now - sb.st_mtime >= STALE_SECONDS)
			remove_tree(p);
		free(p);
	}
	closedir(dp);
}

char *attach_file_name(const char *name)
{
	const char *base = name;
	for (const char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	while (*base == '.' || *base == ' ')
		base++;
	struct sbuf sb = SBUF_INIT;
	for (const char *p = base; *p; p++) {
		unsigned char c = (unsigned char)*p;
		sbuf_addch(&sb, c < ' ' || c == 0x7f ? '_' : c);
	}
	if (!sb.len)
		sbuf_adds(&sb, "attachment");
	if (sb.len > NAME_MAX_BYTES) {
		/* Cut the stem, at a character's edge, and keep a short extension. */
		const char *dot = strrchr(sb.buf, '.');
		size_t ext = dot && sb.len - (size_t)(dot - sb.buf) <= 16 ? sb.len - (size_t)(dot - sb.buf) : 0;
		size_t keep = NAME_MAX_BYTES - ext;
		while (keep && ((unsigned char)sb.buf[keep] & 0xC0) == 0x80)
			keep--;
		memmove(sb.buf + keep, sb.buf + sb.len - ext, ext);
		sbuf_setlen(&sb, keep + ext);
	}
	return sbuf_detach(&sb);
}

static enum kf_status write_file(const char *path, const char *data, size_t n, struct kf_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		return io_fail(err, "create", path);
	while (n) {
		ssize_t w = write(fd, data, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			close(fd);
			errno = e;
			return io_fail(err, "write", path);
		}
		data += w;
		n -= (size_t)w;
	}
	if (fsync(fd) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return io_fail(err, "write", path);
	}
	if (close(fd) < 0)
		return io_fail(err, "write", path);
	return KF_OK;
}

enum kf_status attach_stage(const char *kefu_dir, const struct mail_attachment *att, size_t n,
			    struct attach_stage *st, struct kf_err *err)
{
	enum kf_status r = KF_OK;
	size_t keep = 0;

	memset(st, 0, sizeof(*st));
	st->root = xasprintf("%s/attachments", kefu_dir);
	st->n = n;
	st->file = n ? xcalloc(n, sizeof(*st->file)) : NULL;
	for (size_t i = 0; i < n; i++)
		keep += att[i].size <= ATTACH_KEEP_MAX;
	if (!keep)
		return KF_OK;
	if (mkdir(st->root, 0777) < 0 && errno != EEXIST)
		return io_fail(err, "create", st->root);
	sweep(st->root);
	st->tmp = xasprintf("%s/.new.XXXXXX", st->root);
	if (!mkdtemp(st->tmp)) {
		r = io_fail(err, "create", st->tmp);
		free(st->tmp);
		st->tmp = NULL;
		return r;
	}
	/* mkdtemp() makes it private; placed, it is the desk's like the rest of .kefu. */
	chmod(st->tmp, dir_mode());
	for (size_t i = 0; i < n && !r; i++) {
		if (att[i].size > ATTACH_KEEP_MAX)
			continue;
		char *safe = attach_file_name(att[i].name);
		st->file[i] = xasprintf("%zu-%s", i + 1, safe);
		free(safe);
		char *path = xasprintf("%s/%s", st->tmp, st->file[i]);
		r = write_file(path, att[i].data, att[i].size, err);
		free(path);
	}
	if (!r && sync_path(st->tmp) < 0)
		r = io_fail(err, "write", st->tmp);
	if (r)
		attach_undo(st);
	return r;
}

enum kf_status attach_place(struct attach_stage *st, const char *ticket, struct kf_err *err)
{
	if (!st->tmp)
		return KF_OK;
	char *dir = xasprintf("%s/%s", st->root, ticket);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		enum kf_status r = io_fail(err, "create", dir);
		free(dir);
		return r;
	}
	/* The next free number: a rename onto a directory that holds files fails. */
	for (unsigned n = 1; n < 10000; n++) {
		char *to = xasprintf("%s/%u", dir, n);
		if (rename(st->tmp, to) == 0) {
			free(st->tmp);
			st->tmp = NULL;
			st->abs = to;
			st->placed = xasprintf(".kefu/attachments/%s/%u", ticket, n);
			int synced = sync_path(dir);
			free(dir);
			return synced < 0 ? io_fail(err, "write", st->abs) : KF_OK;
		}
		int e = errno;
		free(to);
		if (e != EEXIST && e != ENOTEMPTY) {
			errno = e;
			enum kf_status r = io_fail(err, "move attachments to", dir);
			free(dir);
			return r;
		}
	}
	errno = EMLINK;
	enum kf_status r = io_fail(err, "move attachments to", dir);
	free(dir);
	return r;
}

void attach_undo(struct attach_stage *st)
{
	if (st->tmp)
		remove_tree(st->tmp);
	if (st->abs)
		remove_tree(st->abs);
	free(st->tmp);
	free(st->abs);
	free(st->placed);
	st->tmp = st->abs = st->placed = NULL;
}

void attach_release(struct attach_stage *st)
{
	if (st->tmp)
		remove_tree(st->tmp);
	free(st->tmp);
	free(st->abs);
	free(st->placed);
	free(st->root);
	for (size_t i = 0; i < st->n; i++)
		free(st->file[i]);
	free(st->file);
	memset(st, 0, sizeof(*st));
}

static void describe_one(const struct mail_attachment *a, struct sbuf *out)
{
	sbuf_addf(out, "%s (%s, %zu bytes)", *a->name ? a->name : "unnamed", a->type, a->size);
}

void attach_describe(const struct mail_attachment *att, size_t n, size_t unread,
		     struct sbuf *out)
{
	if (!n && !unread)
		return;
	if (out->len)
		sbuf_adds(out, "\n\n");
	for (size_t i = 0; i < n; i++) {
		sbuf_adds(out, i ? "\n[attachment: " : "[attachment: ");
		describe_one(&att[i], out);
		sbuf_addch(out, ']');
	}
	if (unread)
		sbuf_addf(out, "%s[%zu more attachments, not read]", n ? "\n" : "", unread);
}

char *attach_note(const struct attach_stage *st, const struct mail_attachment *att, size_t i)
{
	struct sbuf sb = SBUF_INIT;
	describe_one(&att[i], &sb);
	if (st->placed && st->file[i])
		sbuf_addf(&sb, ": %s/%s", st->placed, st->file[i]);
	else
		sbuf_addf(&sb, ": not kept, over %d MiB", ATTACH_KEEP_MAX / (1024 * 1024));
	return sbuf_detach(&sb);
}
