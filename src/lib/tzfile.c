#include "tzfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

/* RFC 8536 bounds a UTC offset to (-25h, +26h); zone_local_to_utc() relies on it. */
#define OFF_LO (-89999)
#define OFF_HI 93599

/*
 * When a rule changes the clock: kind 'J' is day a of 1..365, Feb 29 never
 * counted; 'N' is day a of 0..365; 'M' is weekday d (0: Sunday) of week b
 * (5: the last) of month a. secs is the local time of day, which may be
 * negative or past 24 hours.
 */
struct rule_date {
	char kind;
	int a, b, d;
	int32_t secs;
};

struct zone {
	int64_t *t;   /* transitions, ascending */
	int32_t *off; /* the offset from t[i] on */
	size_t n, alloc;
	int32_t off0; /* before t[0] */
	/* Past the table: the POSIX TZ rule, unrolled a year at a time. */
	int has_rule;
	int32_t std_off, dst_off;
	struct rule_date start, end;
	int64_t next_year; /* the next year to unroll */
	int64_t complete;  /* t[] holds every transition before this instant */
	size_t hint;       /* zone_index()'s last answer + 1: lookups come in runs */
};

static void zone_add(struct zone *z, int64_t t, int32_t off)
{
	if (z->n) {
		/* Unrolled years may meet the table's end or each other (a
		 * year-round DST rule ends one year where the next starts). */
		if (t < z->t[z->n - 1])
			return;
		if (t == z->t[z->n - 1]) {
			z->off[z->n - 1] = off;
			return;
		}
		if (off == z->off[z->n - 1])
			return;
	}
	if (z->n == z->alloc) {
		z->alloc = z->alloc ? 2 * z->alloc : 64;
		z->t = xrealloc(z->t, z->alloc * sizeof(*z->t));
		z->off = xrealloc(z->off, z->alloc * sizeof(*z->off));
	}
	z->t[z->n] = t;
	z->off[z->n++] = off;
}

/* The rule's change in year y, as local seconds since the epoch. */
static int64_t rule_local(const struct rule_date *r, int64_t y)
{
	int64_t jan1 = days_from_civil((int)y, 1, 1), day;
	if (r->kind == 'J') {
		day = jan1 + r->a - 1 + (month_days(y, 2) == 29 && r->a >= 60);
	} else if (r->kind == 'N') {
		day = jan1 + r->a;
	} else {
		int64_t first = days_from_civil((int)y, r->a, 1);
		/* Weekday 0 is Sunday; 1970-01-01 was a Thursday. */
		int wd = (int)((first % 7 + 7 + 4) % 7);
		day = first + (r->d - wd + 7) % 7 + 7 * (r->b - 1);
		while (day >= first + month_days(y, r->a))
			day -= 7;
	}
	return day * 86400 + r->secs;
}

/* Make t[] complete up to instant need. */
static void zone_extend(struct zone *z, int64_t need)
{
	while (z->complete <= need) {
		if (!z->has_rule || z->next_year > 10000) {
			z->complete = INT64_MAX;
			break;
		}
		int64_t y = z->next_year++;
		int64_t on = rule_local(&z->start, y) - z->std_off;
		int64_t off = rule_local(&z->end, y) - z->dst_off;
		if (on < off) {
			zone_add(z, on, z->dst_off);
			zone_add(z, off, z->std_off);
		} else { /* southern hemisphere: DST spans the new year */
			zone_add(z, off, z->std_off);
			zone_add(z, on, z->dst_off);
		}
		/* Rule times reach 167 hours either way: next year's first
		 * change comes no earlier than ten days before its Jan 1. */
		int64_t upto = (days_from_civil((int)y + 1, 1, 1) - 10) * 86400;
		if (upto > z->complete)
			z->complete = upto;
	}
}

/* The index of the last transition at or before t, or -1. */
static ptrdiff_t zone_index(struct zone *z, int64_t t)
{
	zone_extend(z, t < INT64_MAX ? t + 1 : t);
	size_t lo = z->hint;
	if (lo <= z->n && (lo == 0 || z->t[lo - 1] <= t) && (lo == z->n || t < z->t[lo]))
		return (ptrdiff_t)lo - 1;
	size_t hi = z->n;
	lo = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->t[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	z->hint = lo;
	return (ptrdiff_t)lo - 1;
}

int32_t zone_offset(struct zone *z, int64_t t)
{
	ptrdiff_t i = zone_index(z, t);
	return i < 0 ? z->off0 : z->off[i];
}

/* The first transition after t, or INT64_MAX when the offset never changes again. */
int64_t zone_next_change(struct zone *z, int64_t t)
{
	ptrdiff_t i = zone_index(z, t);
	while ((size_t)(i + 1) >= z->n && z->complete != INT64_MAX)
		zone_extend(z, z->complete);
	return (size_t)(i + 1) < z->n ? z->t[i + 1] : INT64_MAX;
}

/*
 * The earliest instant whose local time is L or later: the one instant of
 * an ordinary local time, the first of a repeated one, and the end of the
 * gap for one that a spring-forward skips. Each stretch between two
 * transitions has one offset, so look for the first stretch that reaches L.
 */
int64_t zone_local_to_utc(struct zone *z, int64_t L)
{
	/* The answer lies in [L - OFF_HI, L - OFF_LO]. */
	zone_extend(z, L - OFF_LO + 1);
	for (ptrdiff_t k = zone_index(z, L - OFF_HI);; k++) {
		int64_t from = k < 0 ? INT64_MIN : z->t[k];
		int64_t to = (size_t)(k + 1) < z->n ? z->t[k + 1] : INT64_MAX;
		int64_t u = L - (k < 0 ? z->off0 : z->off[k]);
		if (u < from)
			u = from;
		if (u < to)
			return u;
	}
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* "[+-]hh[:mm[:ss]]" with hours up to maxh; NULL when it is not one. */
static const char *posix_secs(const char *p, int maxh, int32_t *out)
{
	int sign = 1, h = 0, m = 0, s = 0, nd = 0;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9' && nd < 3) {
		h = h * 10 + (*p++ - '0');
		nd++;
	}
	if (!nd || h > maxh)
		return NULL;
	if (*p == ':') {
		if (p[1] < '0' || p[1] > '5' || p[2] < '0' || p[2] > '9')
			return NULL;
		m = (p[1] - '0') * 10 + p[2] - '0';
		p += 3;
		if (*p == ':') {
			if (p[1] < '0' || p[1] > '5' || p[2] < '0' ||
			    p[2] > '9')
				return NULL;
			s = (p[1] - '0') * 10 + p[2] - '0';
			p += 3;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *posix_name(const char *p)
{
	const char *s = p;
	if (*p == '<') {
		p = strchr(p, '>');
		return p ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

static int posix_num(const char **pp, int lo, int hi)
{
	const char *p = *pp;
	int v = 0, nd = 0;
	while (*p >= '0' && *p <= '9' && nd < 4) {
		v = v * 10 + (*p++ - '0');
		nd++;
	}
	*pp = p;
	return nd && v >= lo && v <= hi ? v : -1;
}

static const char *posix_date(const char *p, struct rule_date *r)
{
	memset(r, 0, sizeof(*r));
	if (*p == 'J') {
		p++;
		r->kind = 'J';
		if ((r->a = posix_num(&p, 1, 365)) < 0)
			return NULL;
	} else if (*p == 'M') {
		p++;
		r->kind = 'M';
		if ((r->a = posix_num(&p, 1, 12)) < 0 || *p++ != '.' ||
		    (r->b = posix_num(&p, 1, 5)) < 0 || *p++ != '.' ||
		    (r->d = posix_num(&p, 0, 6)) < 0)
			return NULL;
	} else {
		r->kind = 'N';
		if ((r->a = posix_num(&p, 0, 365)) < 0)
			return NULL;
	}
	r->secs = 7200;
	if (*p == '/')
		p = posix_secs(p + 1, 167, &r->secs);
	return p;
}

/* A TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3"; "" leaves no rule. */
static int posix_rule(struct zone *z, const char *s)
{
	int32_t v;
	if (!*s)
		return 0;
	if (!(s = posix_name(s)) || !(s = posix_secs(s, 24, &v)))
		return -1;
	z->std_off = z->dst_off = -v; /* POSIX counts west */
	if (!*s)
		return 0;
	if (!(s = posix_name(s)))
		return -1;
	z->dst_off = z->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = posix_secs(s, 24, &v)))
			return -1;
		z->dst_off = -v;
	}
	if (!*s) /* POSIX leaves the dates to the system: glibc's are the US
		    ones */
		s = ",M3.2.0,M11.1.0";
	if (*s++ != ',' || !(s = posix_date(s, &z->start)) || *s++ != ',' ||
	    !(s = posix_date(s, &z->end)) || *s)
		return -1;
	z->has_rule = 1;
	return 0;
}

/* Read a TZif file (RFC 8536), any version. NULL, or why it is not one. */
static const char *tzif_load(struct zone *z, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	int tsize = 4;

	if (len < 44 || memcmp(p, "TZif", 4))
		return "not a TZif file";
	for (;;) {
		if (end - p < 44)
			return "truncated";
		uint32_t isut = be32(p + 20), isstd = be32(p + 24),
			 leap = be32(p + 28);
		uint32_t timecnt = be32(p + 32), typecnt = be32(p + 36),
			 charcnt = be32(p + 40);
		if (timecnt > 100000 || typecnt > 256 || charcnt > 100000 ||
		    leap > 100000 || isut > 256 || isstd > 256)
			return "implausible counts";
		size_t need = (size_t)timecnt * (tsize + 1) + typecnt * 6 +
			      charcnt + (size_t)leap * (tsize + 4) + isstd +
			      isut;
		int version = p[4];
		if ((size_t)(end - p - 44) < need)
			return "truncated";
		/* From version 2 on, 64-bit data follows the 32-bit. */
		if (tsize == 4 && version >= '2') {
			p += 44 + need;
			tsize = 8;
			if (end - p < 4 || memcmp(p, "TZif", 4))
				return "no second header";
			continue;
		}
		if (leap)
			return "it counts leap seconds, which UTC does not";
		if (!typecnt)
			return "no local time types";
		const unsigned char *times = p + 44,
				    *idx = times + (size_t)timecnt * tsize;
		const unsigned char *types = idx + timecnt;
		for (uint32_t i = 0; i < typecnt; i++) {
			int32_t o = (int32_t)be32(types + 6 * i);
			if (o < OFF_LO || o > OFF_HI ||
			    types[6 * i + 5] >= charcnt)
				return "an offset out of range";
		}
		z->off0 = (int32_t)be32(types);
		int64_t prev = INT64_MIN;
		for (uint32_t i = 0; i < timecnt; i++) {
			int64_t t = tsize == 8
					? be64(times + 8 * i)
					: (int64_t)(int32_t)be32(times + 4 * i);
			if (idx[i] >= typecnt || (i && t <= prev))
				return "bad transitions";
			prev = t;
			zone_add(z, t, (int32_t)be32(types + 6 * idx[i]));
		}
		p += 44 + need;
		break;
	}
	z->complete = z->n ? z->t[z->n - 1] + 1 : INT64_MIN;
	if (tsize == 8 && p < end) {
		const unsigned char *nl;
		if (*p != '\n' || !(nl = memchr(p + 1, '\n', end - p - 1)))
			return "bad footer";
		char *s = xstrndup((const char *)p + 1, nl - p - 1);
		int bad = posix_rule(z, s) < 0;
		free(s);
		if (bad)
			return "bad TZ rule in the footer";
	}
	if (z->has_rule) {
		int y = 1900, mo, d;
		if (z->n)
			civil_from_days(epoch_day(z->t[z->n - 1]), &y,
					&mo, &d);
		z->next_year = y;
	}
	return NULL;
}

static int zone_name_ok(const char *s)
{
	if (!*s || *s == '/' || strlen(s) > 200)
		return 0;
	for (const char *p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"
			    "YZ0123456789/_+-.",
			    *p))
			return 0;
	/* No way out of the database: no ".." part. */
	for (const char *p = s; (p = strstr(p, "..")); p++)
		if ((p == s || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return 0;
	return 1;
}

void zone_free(struct zone *z)
{
	if (!z)
		return;
	free(z->t);
	free(z->off);
	free(z);
}

enum kf_status zone_load(const char *name, struct zone **out, struct kf_err *err)
{
	const char *dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	*out = NULL;
	if (!zone_name_ok(name))
		return kf_fail(err, KF_EINVAL, "'%.80s' is not a time zone name such as Asia/Shanghai",
			       name);
	char *path = xasprintf("%s/%s", dir, name);
	struct sbuf sb = SBUF_INIT;
	int rc = sbuf_read_file(&sb, path, 1 << 20);
	int e = errno;
	free(path);
	if (rc < 0) {
		sbuf_release(&sb);
		if (e == ENOENT || e == ENOTDIR || e == EISDIR)
			return kf_fail(err, KF_ENOTFOUND, "unknown time zone '%.80s' (not in %s)",
				       name, dir);
		return kf_fail(err, KF_EIO, "time zone '%.80s': %s", name, strerror(e));
	}
	struct zone *z = xcalloc(1, sizeof(*z));
	const char *why = tzif_load(z, (const unsigned char *)sb.buf, sb.len);
	sbuf_release(&sb);
	if (why) {
		zone_free(z);
		return kf_fail(err, KF_EINVAL, "time zone '%.80s' cannot be read: %s", name, why);
	}
	*out = z;
	return KF_OK;
}
