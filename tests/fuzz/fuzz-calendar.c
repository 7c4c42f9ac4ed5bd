/*
 * workflows/calendars.yaml (calendars_parse(), as workflows_load() and
 * kb-lint read it) on any bytes: refused with problems, or calendars
 * whose arithmetic keeps its promises at a few instants, each over a
 * bounded window so that no input costs more than a fortnight of days:
 * between() counts at most the seconds of the window, one open second
 * counts as one, and due() inverts between() within the window.
 */
#include "fuzz.h"

#include <string.h>

#include "calendar.h"
#include "problems.h"
#include "isotime.h"
#include "utf8.h"

#define DAY INT64_C(86400)
#define WINDOW (14 * DAY)

static int64_t at(int y, int m, int d, int64_t secs)
{
	return days_from_civil(y, m, d) * DAY + secs;
}

static void check_calendar(const struct calendar *c, const struct calendars *cals,
			   int64_t extra)
{
	const int64_t when[] = {
		at(2026, 3, 2, 0),          /* a Monday */
		at(2026, 2, 13, 9 * 3600),  /* before a make-up Saturday */
		at(2026, 3, 7, 23 * 3600),  /* New York springs forward */
		at(2026, 10, 31, 23 * 3600), /* Berlin and New York fall back */
		at(1970, 1, 1, 0),
		at(9999, 12, 25, 0),        /* the last days of the calendar */
		extra,
	};
	const char *name = calendar_name(c), *zone = calendar_zone(c);
	fuzz_assert(name && utf8_valid(name, strlen(name), NULL, NULL));
	fuzz_assert(zone && *zone);
	fuzz_assert(calendars_find(cals, name) == c);

	for (size_t i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		int64_t t = when[i];
		int off = calendar_offset(c, t);
		fuzz_assert(off > -26 * 3600 && off < 26 * 3600);
		int64_t week = calendar_between(c, t, t + 7 * DAY, NULL, 0);
		int64_t two = calendar_between(c, t, t + WINDOW, NULL, 0);
		fuzz_assert(week >= 0 && week <= 7 * DAY && week <= two && two <= WINDOW);
		fuzz_assert(calendar_between(c, t + 1, t, NULL, 0) == 0);
		fuzz_assert(calendar_between(c, t, t + 1, NULL, 0) == calendar_open_at(c, t));

		/* A pause of a day in the middle takes off at most a day. */
		struct span p = { t + 3 * DAY, t + 4 * DAY };
		int64_t paused = calendar_between(c, t, t + 7 * DAY, &p, 1);
		fuzz_assert(paused <= week && paused >= week - DAY);

		/* What a week holds is due within that week, exactly. */
		int64_t due;
		struct kf_err err;
		if (week > 0) {
			fuzz_assert(calendar_due(c, t, week, NULL, 0, &due, &err) == KF_OK);
			fuzz_assert(due > t && due <= t + 7 * DAY);
			fuzz_assert(calendar_between(c, t, due, NULL, 0) == week);
			fuzz_assert(calendar_between(c, t, due - 1, NULL, 0) < week);
		}
		if (paused > 0) {
			fuzz_assert(calendar_due(c, t, paused, &p, 1, &due, &err) == KF_OK);
			fuzz_assert(due > t && due <= t + 7 * DAY);
			fuzz_assert(calendar_between(c, t, due, &p, 1) == paused);
		}
		fuzz_assert(calendar_due(c, t, 0, NULL, 0, &due, &err) != KF_OK || due == t);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendars cals;
	struct diags probs = DIAGS_INIT;

	if (calendars_parse((const char *)data, size, &cals, &probs) != KF_OK) {
		fuzz_assert(probs.n > 0 && cals.n == 0);
		for (size_t i = 0; i < probs.n; i++) {
			fuzz_assert(probs.v[i].msg[0] && fuzz_one_line(probs.v[i].msg));
			fuzz_assert(!probs.v[i].key || fuzz_one_line(probs.v[i].key));
		}
		diags_release(&probs);
		return 0;
	}
	fuzz_assert(probs.n == 0 && cals.n > 0);

	/* One more instant, anywhere in years 1..9999, chosen by the input. */
	uint64_t h = 14695981039346656037u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 1099511628211u;
	int64_t extra = at(1, 1, 1, 0) + (int64_t)(h % (uint64_t)(at(9999, 12, 31, 0) - at(1, 1, 1, 0)));

	for (size_t i = 0; i < cals.n && i < 8; i++)
		check_calendar(cals.v[i], &cals, extra);
	calendars_release(&cals);
	return 0;
}
