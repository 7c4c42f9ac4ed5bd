/*
 * highwater: the ticket sequence's high-water mark, kept outside the
 * desk database so that losing desk.db (or restoring an older copy)
 * cannot make an id be issued twice.
 *
 * .kefu/ticket-seq holds one line per day on which tickets were issued,
 * "YYYYMMDD N", N the highest sequence number ever issued that day,
 * sorted by day. It is replaced whole (a new file, synced, renamed over
 * the old one, the directory synced) before the id it allows is used:
 * a crash leaves a number skipped, never one reused. Callers hold the
 * desk database's write lock, which keeps writers of the mark in turn.
 */
#ifndef KEFU_HIGHWATER_H
#define KEFU_HIGHWATER_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/* The mark's file beside the desk database at desk_db; the caller frees it. */
char *highwater_path(const char *desk_db);

/*
 * The sequence number to issue on day (YYYYMMDD), above both floor (the
 * highest the database holds) and the mark, with the mark moved to it
 * and on disk. path is the mark's file. KF_EIO, or KF_EINVAL for a mark
 * file that is not in the form above (it is never reset).
 */
enum kf_status highwater_next(const char *path, const char *day, int64_t floor, int64_t *seq,
			      struct kf_err *err);

/* A day's mark. */
struct highwater_day {
	char day[9];
	int64_t seq;
};

/*
 * The marks of the file at path, by day, into *v (allocated, the
 * caller's to free); none when there is no file. KF_EIO, KF_EINVAL.
 */
enum kf_status highwater_read(const char *path, struct highwater_day **v, size_t *n,
			      struct kf_err *err);

/*
 * Raise the mark of each day of v[0..n) to its seq, never lowering one,
 * in one replacement of the file (none when nothing rises). KF_EIO,
 * KF_EINVAL.
 */
enum kf_status highwater_raise(const char *path, const struct highwater_day *v, size_t n,
			       struct kf_err *err);

#endif
