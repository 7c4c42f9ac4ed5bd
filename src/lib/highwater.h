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

#endif
