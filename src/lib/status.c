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

static void vfill(struct kf_err *err, enum kf_status st, const char *fmt, va_list ap)
{
	if (!err)
		return;
	err->status = st;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
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
