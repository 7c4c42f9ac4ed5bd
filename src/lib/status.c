#include "status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *kf_strerror(enum kf_status st)
{
	switch (st) {
	case KF_OK:
		return "success";
	case KF_ENOTFOUND:
		return "not found";
	case KF_EINVAL:
		return "invalid input";
	case KF_EIO:
		return "input/output error";
	case KF_EDB:
		return "database error";
	case KF_EGIT:
		return "git error";
	case KF_EEXIST:
		return "already exists";
	case KF_EPERM:
		return "permission denied";
	case KF_ECONFLICT:
		return "conflict";
	case KF_EEMPTY:
		return "nothing to change";
	}
	return "unknown error";
}

void kf_one_line(char *dst, size_t size, const char *src)
{
	size_t n = 0;
	for (; *src; src++) {
		unsigned char c = (unsigned char)*src;
		char esc[8];
		if (c == '\n' || c == '\r' || c == '\t')
			snprintf(esc, sizeof(esc), "\\%c", c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else if (c == 0xc2 && (unsigned char)src[1] >= 0x80 && (unsigned char)src[1] <= 0x9f)
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned char)*++src);
		else
			esc[0] = (char)c, esc[1] = '\0';
		size_t len = strlen(esc);
		if (n + len >= size)
			break;
		memcpy(dst + n, esc, len);
		n += len;
	}
	dst[n] = '\0';
}

static void vfill(struct kf_err *err, enum kf_status st, const char *fmt, va_list ap)
{
	char msg[sizeof(err->msg)];
	if (!err)
		return;
	err->status = st;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	kf_one_line(err->msg, sizeof(err->msg), msg);
}

enum kf_status kf_fail(struct kf_err *err, enum kf_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfill(err, st, fmt, ap);
	va_end(ap);
	return st;
}

enum kf_status kf_fail_errno(struct kf_err *err, const char *fmt, ...)
{
	int e = errno;
	va_list ap;
	va_start(ap, fmt);
	vfill(err, KF_EIO, fmt, ap);
	va_end(ap);
	if (err) {
		size_t n = strlen(err->msg);
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(e));
	}
	errno = e;
	return KF_EIO;
}
