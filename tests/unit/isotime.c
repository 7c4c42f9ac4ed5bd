/* Unit tests of ISO 8601 instants and civil dates, from a case table. */
#include "tap.h"

#include "isotime.h"

/* parse<TAB>INPUT<TAB>EPOCH-SECONDS<TAB>FORMATTED  (or "error") */
/* days<TAB>YYYY-MM-DD<TAB>DAYS-SINCE-EPOCH */
static void run(char **f, int n, int lineno)
{
	char what[160], got[64];
	snprintf(what, sizeof(what), "%s '%s' (line %d)", f[0], n > 1 ? f[1] : "", lineno);
	if (!strcmp(f[0], "parse") && n >= 3) {
		struct instant in;
		struct kf_err err;
		if (iso_parse(f[1], &in, &err) != KF_OK) {
			tap_is("error", f[2], what);
			return;
		}
		char fmt[32];
		iso_format(&in, 1, fmt);
		snprintf(got, sizeof(got), "%lld %s", (long long)in.t, fmt);
		char want[96];
		snprintf(want, sizeof(want), "%s %s", f[2], n > 3 ? f[3] : "");
		tap_is(got, want, what);
	} else if (!strcmp(f[0], "days") && n == 3) {
		int y, m, d;
		int64_t days = days_from_civil(atoi(f[1]), atoi(f[1] + 5), atoi(f[1] + 8));
		civil_from_days(days, &y, &m, &d);
		snprintf(got, sizeof(got), "%lld %04d-%02d-%02d", (long long)days, y, m, d);
		char want[64];
		snprintf(want, sizeof(want), "%s %s", f[2], f[1]);
		tap_is(got, want, what);
	} else {
		tap_ok(0, "line %d: bad case", lineno);
	}
}

int main(int argc, char **argv)
{
	/* Instants without an offset are read in this zone. */
	setenv("TZ", "Asia/Shanghai", 1);
	if (argc != 2 || tap_cases(argv[1], run) < 0)
		return 1;
	return tap_done();
}
