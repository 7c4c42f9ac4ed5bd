/*
 * status: how library calls fail.
 *
 * Every fallible library function returns an enum kf_status and, when it
 * is not KF_OK, fills the caller's struct kf_err with one line in the
 * house format "what failed 'object': reason" (no program name, no full
 * stop, no newline). The command that called it decides what to print.
 */
#ifndef KEFU_STATUS_H
#define KEFU_STATUS_H

#include <stddef.h>

enum kf_status {
	KF_OK = 0,
	KF_ENOTFOUND, /* no such entry, ticket, ref, person or file */
	KF_EINVAL,    /* bad input: the message names what and where */
	KF_EIO,       /* a system call failed */
	KF_EDB,       /* a database failed: SQLite, or the desk's PostgreSQL */
	KF_EGIT,      /* libgit2 failed */
	KF_EEXIST,    /* would overwrite something that exists */
	KF_EPERM,     /* refused by roles.yaml */
	KF_ECONFLICT, /* a change that does not apply cleanly */
	KF_EEMPTY,    /* a change that changes nothing */
};

struct kf_err {
	enum kf_status status;
	char msg[1024];
};

const char *kf_strerror(enum kf_status st);

/*
 * Copy src to dst (size > 0 bytes) as one line: a control character,
 * which user text quoted in a message may hold, becomes \n, \r, \t,
 * \xhh (C0, DEL) or \u00hh (C1), so that no message breaks its line or
 * drives the terminal it is printed on. Cut short to fit, never inside
 * an escape. kf_fail() and diag_add() pass every message through it.
 */
void kf_one_line(char *dst, size_t size, const char *src);

/* Fill err (may be NULL) and return st. */
enum kf_status kf_fail(struct kf_err *err, enum kf_status st, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));

/* As kf_fail() with ": strerror(errno)" appended. */
enum kf_status kf_fail_errno(struct kf_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
