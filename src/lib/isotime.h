/*
 * isotime: instants written as ISO 8601, and the clock kefu reads.
 *
 * An instant is seconds since the epoch (UTC) plus the UTC offset it was
 * written with, so that it can be printed back the way it came.
 */
#ifndef KEFU_ISOTIME_H
#define KEFU_ISOTIME_H

#include <stdint.h>

#include "status.h"

struct instant {
	int64_t t; /* seconds since 1970-01-01T00:00:00Z */
	int off;   /* seconds east of UTC */
};

/*
 * No instant: a time not set (NULL in a database). The epoch itself,
 * 0, is an instant like any other.
 */
#define TIME_NONE INT64_MIN

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
/* The days of month m (1..12) of year y. */
int month_days(int64_t y, int m);
/* The day since 1970-01-01 that second s (since the epoch) falls in, before 1970 too. */
int64_t epoch_day(int64_t s);

/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (a space may replace T)
 * with an optional "Z", "+HH:MM", "+HHMM" or "+HH". Without an offset
 * the local time zone ($TZ) gives it. Returns KF_OK or KF_EINVAL.
 */
enum kf_status iso_parse(const char *s, struct instant *out, struct kf_err *err);

/* "2026-03-02T09:30:00+08:00" ("Z" for offset 0 when utc_z); 32 bytes. */
void iso_format(const struct instant *in, int utc_z, char out[32]);
/* "2026-03-02", the date at the instant's own offset; 11 bytes. */
void iso_date(const struct instant *in, char out[11]);

/* The local offset of $TZ at t. */
int local_offset(int64_t t);

/* Now: $KEFU_NOW when set (it must parse), else the system clock. */
enum kf_status kf_now(struct instant *out, struct kf_err *err);

#endif
