#include "isotime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t days_from_civil(int y, int m, int d)
{
	/* Count from 0000-03-01 so that the leap day ends each year. */
	int64_t yy = y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int local_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int month_days(int64_t y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return md[m - 1] + (m == 2 && leap);
}

int64_t epoch_day(int64_t s)
{
	return s / 86400 - (s % 86400 < 0);
}

enum kf_status iso_parse(const char *s, struct instant *out, struct kf_err *err)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
	int has_off = 0, off = 0;
	const char *p = s;

	if (!digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) || p[7] != '-' ||
	    !digits(p + 8, 2, &d))
		goto bad;
	p += 10;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi))
			goto bad;
		p += 5;
		if (*p == ':') {
			if (!digits(p + 1, 2, &sec))
				goto bad;
			p += 3;
			if (*p == '.' || *p == ',') { /* fractions: dropped */
				p++;
				if (*p < '0' || *p > '9')
					goto bad;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		/* 24:00 closes a day; 60 seconds is a leap second, not ours */
		if (h > 24 || mi > 59 || sec > 59 || (h == 24 && (mi || sec)))
			goto bad;
	}
	if (*p == 'Z' || *p == 'z') {
		has_off = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		if (!digits(p + 1, 2, &oh))
			goto bad;
		p += 3;
		if (*p == ':')
			p++;
		if (*p && !digits(p, 2, &om))
			goto bad;
		if (*p)
			p += 2;
		if (oh > 18 || om > 59)
			goto bad;
		has_off = 1;
		off = sign * (oh * 3600 + om * 60);
	}
	if (*p)
		goto bad;

	int64_t local = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (has_off) {
		out->t = local - off;
		out->off = off;
		return KF_OK;
	}
	/* No offset: local wall time. Two guesses settle a DST change. */
	int64_t t = local - local_offset(local);
	t = local - local_offset(t);
	out->t = t;
	out->off = local_offset(t);
	return KF_OK;
bad:
	return kf_fail(err, KF_EINVAL,
		       "invalid time '%.64s': expected ISO 8601 such as 2026-03-02T09:30:00+08:00",
		       s);
}

void iso_format(const struct instant *in, int utc_z, char out[32])
{
	int64_t local = in->t + in->off;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t secs = local - days * 86400;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
	if (utc_z && in->off == 0) {
		snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, h, mi, s);
		return;
	}
	int off = in->off < 0 ? -in->off : in->off;
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, h, mi, s,
		 in->off < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

void iso_date(const struct instant *in, char out[11])
{
	char full[32];
	iso_format(in, 0, full);
	memcpy(out, full, 10);
	out[10] = '\0';
}

enum kf_status kf_now(struct instant *out, struct kf_err *err)
{
	const char *env = getenv("KEFU_NOW");
	if (env && *env) {
		if (iso_parse(env, out, err) != KF_OK)
			return kf_fail(err, KF_EINVAL,
				       "invalid $KEFU_NOW '%.64s': expected ISO 8601 such as "
				       "2026-03-02T09:30:00+08:00",
				       env);
		return KF_OK;
	}
	out->t = (int64_t)time(NULL);
	out->off = local_offset(out->t);
	return KF_OK;
}
