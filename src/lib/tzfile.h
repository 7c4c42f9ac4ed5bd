/*
 * tzfile: a time zone of the tz database, read from its TZif file
 * (RFC 8536, any version) in $TZDIR, else /usr/share/zoneinfo: every
 * past change of its offset, and the POSIX TZ rule of its footer for
 * the years after the table, unrolled as far as asked. calendar.c's
 * clocks run on it; the C library's localtime() is never asked, so a
 * calendar's zone is whatever its file says, whatever $TZ is.
 *
 * Ownership: zone_load() gives a zone that zone_free() frees. A zone
 * unrolls its rule into itself as it is asked: not thread-safe.
 */
#ifndef KEFU_TZFILE_H
#define KEFU_TZFILE_H

#include <stdint.h>

#include "status.h"

struct zone; /* opaque */

/*
 * The zone called name ("Asia/Shanghai"). A name with a ".." part, or
 * any character outside [A-Za-z0-9/_+-.], is refused. KF_EINVAL (not a
 * name, or not a TZif file one can trust), KF_ENOTFOUND, KF_EIO.
 */
enum kf_status zone_load(const char *name, struct zone **out, struct kf_err *err);
void zone_free(struct zone *z);

/* The UTC offset at instant t, in seconds east. */
int32_t zone_offset(struct zone *z, int64_t t);

/* The first instant after t whose offset differs, or INT64_MAX when none will. */
int64_t zone_next_change(struct zone *z, int64_t t);

/*
 * The earliest instant whose local time is L (local seconds since the
 * epoch) or later: the one instant of an ordinary local time, the first
 * of a repeated one (fall back), the end of the gap for one a spring
 * forward skips.
 */
int64_t zone_local_to_utc(struct zone *z, int64_t L);

#endif
