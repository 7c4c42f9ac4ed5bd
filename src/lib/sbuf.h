/*
 * sbuf: a growable byte buffer.
 *
 * Invariants: after sbuf_init() (or SBUF_INIT), buf is never NULL and
 * buf[len] == '\0', so buf is always a C string (it may also hold NULs).
 * alloc == 0 means buf points at a shared empty string and owns nothing.
 *
 * Ownership: the sbuf owns buf; sbuf_release() frees it and leaves an
 * empty, reusable sbuf; sbuf_detach() hands buf to the caller.
 *
 * Allocation failure aborts the process: kefu cannot do anything useful
 * without memory, and every caller checking for it would hide real errors.
 */
#ifndef KEFU_SBUF_H
#define KEFU_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

extern char sbuf_empty[];

struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};

#define SBUF_INIT { sbuf_empty, 0, 0 }

void sbuf_init(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
char *sbuf_detach(struct sbuf *sb);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_reset(struct sbuf *sb);
void sbuf_setlen(struct sbuf *sb, size_t len);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_trim_newlines(struct sbuf *sb);

/*
 * Read all of fd into sb, appending. Refuses more than max bytes in all
 * (0: no limit). Returns 0, -1 with errno set on a read error, or -2 when
 * the data exceeds max (errno EFBIG).
 */
int sbuf_read_fd(struct sbuf *sb, int fd, size_t max);
/* As sbuf_read_fd() on the file at path. */
int sbuf_read_file(struct sbuf *sb, const char *path, size_t max);

/* Allocation helpers that abort on failure, for the same reason. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *v so that it holds at least n items of size sz. */
#define ALLOC_GROW(v, n, alloc)                                                \
	do {                                                                   \
		if ((n) > (alloc)) {                                           \
			size_t grow_ = (alloc) < 8 ? 8 : (alloc) * 2;          \
			if (grow_ < (n))                                       \
				grow_ = (n);                                   \
			(v) = xrealloc((v), grow_ * sizeof(*(v)));             \
			(alloc) = grow_;                                       \
		}                                                              \
	} while (0)

#endif
