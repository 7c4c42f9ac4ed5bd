/*
 * calendar: workflows/calendars.yaml, business hours in a time zone, and
 * the business-time arithmetic every SLA clock uses; durations.
 *
 * The file:
 *
 *   calendars:
 *     business:                  # the name sla.yaml and roles.yaml use
 *       zone: Asia/Shanghai      # required: an IANA zone
 *       weekdays: ["09:00-12:00", "13:30-18:00"]
 *       sat: ["10:00-16:00"]
 *       holidays: [2026-01-01, 2026-02-16..2026-02-22]
 *       workdays: [2026-02-14]
 *
 * Rules, each checked by calendars_parse():
 *  - zone: a file of the system's tz database ($TZDIR, else
 *    /usr/share/zoneinfo), read once (tzfile.h), so DST and every past
 *    change of the zone's offset are known. Names with a ".." part are
 *    refused.
 *  - Hours are a list of "HH:MM-HH:MM" ranges in local time: the opening
 *    is included, the closing excluded; 24:00 may close a day; the opening
 *    comes before the closing; the ranges of one day must not overlap
 *    (touching is fine: 09:00-12:00 and 12:00-13:00 make 09:00-13:00).
 *    An empty list (or no value) is a closed day.
 *  - weekdays gives hours to mon..fri, daily to all seven days; not both.
 *    A day key (mon tue wed thu fri sat sun) overrides them for that day;
 *    a day that nothing names is closed.
 *  - holidays: dates YYYY-MM-DD and inclusive ranges FROM..TO with no
 *    hours at all. workdays (调休): dates or ranges that are worked with
 *    Monday's hours, even on a weekend or a closed day: mon's ranges,
 *    else those of weekdays or daily; with neither, a workday is an error.
 *    A date that is both a holiday and a workday is an error.
 *  - A calendar with no hours on any day of the week (and no workdays) is
 *    an error; so is any other key.
 *
 * Local time and DST: each local date's ranges become UTC instants on
 * that date. A boundary that falls in a spring-forward gap (02:30 on a
 * night that jumps from 02:00 to 03:00) is the instant the gap ends; one
 * in a fall-back repeated hour is its first occurrence. In general a local
 * time L is the earliest instant whose local time is L or later. A range
 * that crosses a change counts the real seconds that elapse: 00:00-24:00
 * is 23 hours on the spring-forward day and 25 on the fall-back day.
 * Instants run from year 1 to year 9999; outside it nothing is open.
 *
 * Ownership: calendars_parse() fills a struct calendars that owns every
 * calendar, zone and cache; calendars_release() frees them all. The
 * calendars are read-only to callers, but each keeps a cache of day
 * schedules (local date -> UTC spans) that calls through a const pointer
 * fill: not thread-safe, share a calendar between threads only with a lock.
 */
#ifndef KEFU_CALENDAR_H
#define KEFU_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "problems.h"
#include "status.h"

struct calendar; /* opaque */

struct calendars {
	struct calendar **v;
	size_t n;
};

/* [start, end) in seconds since the epoch (UTC). */
struct span {
	int64_t start, end;
};

/*
 * Read calendars.yaml from buf[0..len). Returns KF_OK, or KF_EINVAL with
 * every problem in probs, each with its line and key (cals is then empty).
 */
enum kf_status calendars_parse(const char *buf, size_t len,
			       struct calendars *cals, struct diags *probs);
void calendars_release(struct calendars *cals);

/* The calendar of this name, or NULL. */
const struct calendar *calendars_find(const struct calendars *cals,
				      const char *name);
const char *calendar_name(const struct calendar *c);
const char *calendar_zone(const struct calendar *c);

/* The zone's UTC offset at t, in seconds east (Asia/Shanghai: 28800). */
int calendar_offset(const struct calendar *c, int64_t t);
/* 1 when t is within business hours, else 0. */
int calendar_open_at(const struct calendar *c, int64_t t);

/*
 * Business seconds in [from, to), less those the paused spans cover.
 * pauses are sorted by start (unsorted ones are sorted on a copy); they
 * may overlap each other or reach outside [from, to). 0 when to <= from.
 */
int64_t calendar_between(const struct calendar *c, int64_t from, int64_t to,
			 const struct span *pauses, size_t npauses);

/*
 * The earliest instant t >= from such that calendar_between(from, t,
 * pauses) == dur. So a clock started outside hours starts at the next
 * opening, a due time may be a closing time (Mon 17:00 + 1h with
 * 09:00-18:00 is Mon 18:00, not Tue 09:00), and the pauses after from
 * move it later by the business time they cover. dur 0 gives from itself,
 * open or not. No horizon: a calendar open one hour a week still answers.
 * Runs of ordinary weeks and whole years are counted at once, so an
 * instant in year 9999 costs about what one next week does.
 * KF_OK with *due set; KF_EINVAL for a negative dur, a from outside years
 * 1..9999, a due time after year 9999, or a calendar with no hours.
 */
enum kf_status calendar_due(const struct calendar *c, int64_t from, int64_t dur,
			    const struct span *pauses, size_t npauses,
			    int64_t *due, struct kf_err *err);

/*
 * The same two without shortcuts, every day walked: far slower over
 * years, and the reference the tests hold calendar_between() and
 * calendar_due() to.
 */
int64_t calendar_between_daily(const struct calendar *c, int64_t from, int64_t to,
			       const struct span *pauses, size_t npauses);
enum kf_status calendar_due_daily(const struct calendar *c, int64_t from, int64_t dur,
				  const struct span *pauses, size_t npauses, int64_t *due,
				  struct kf_err *err);

/* The longest duration duration_parse() accepts, in seconds (~31,700 years). */
#define DURATION_MAX INT64_C(1000000000000)

/*
 * Durations: whole numbers with units d (24 hours), h, m, s, largest
 * first, each at most once: "90s", "5m", "2h", "1h30m", "3d", "1d2h3m4s".
 * No sign, spaces or fractions. KF_OK, or KF_EINVAL for anything else
 * ("", "5", "1x", "h", "-1h", "30m1h") or a total over DURATION_MAX.
 */
enum kf_status duration_parse(const char *s, int64_t *secs, struct kf_err *err);
/*
 * And back, in hours, minutes and seconds with zero units left out:
 * "1h30m", "76h", "0s"; a negative one (overdue) is "-" and its
 * magnitude, "-2h5m". Never days: in business time a day of 24 hours is
 * several working days, and "2d" would read as two of them.
 */
void duration_format(int64_t secs, char out[40]);

#endif
