/*
 * tap.h: the Test Anything Protocol for C unit tests, and a reader of
 * case tables (one case a line, fields separated by tabs, # comments).
 */
#ifndef KEFU_TAP_H
#define KEFU_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

__attribute__((format(printf, 2, 3))) static int tap_ok(int ok, const char *fmt, ...)
{
	va_list ap;
	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		tap_failed++;
	return ok;
}

static int tap_is(const char *got, const char *want, const char *what)
{
	int ok = tap_ok(!strcmp(got, want), "%s", what);
	if (!ok)
		printf("#   got:  '%s'\n#   want: '%s'\n", got, want);
	return ok;
}

static int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/* Undo the escapes a table may use inside a field: \n \t \\ \xHH. */
static void tap_unescape(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p != '\\' || !p[1]) {
			*o++ = *p;
			continue;
		}
		p++;
		if (*p == 'n')
			*o++ = '\n';
		else if (*p == 't')
			*o++ = '\t';
		else if (*p == 'x' && p[1] && p[2]) {
			char hex[3] = { p[1], p[2], 0 };
			*o++ = (char)strtol(hex, NULL, 16);
			p += 2;
		} else
			*o++ = *p;
	}
	*o = '\0';
}

/*
 * Call fn for each case line of path: fields split at tabs and
 * unescaped. Returns the number of cases, or -1 when path is unreadable.
 */
static int tap_cases(const char *path, void (*fn)(char **fields, int n, int lineno))
{
	FILE *fp = fopen(path, "r");
	char line[65536];
	int cases = 0, lineno = 0;
	if (!fp) {
		printf("Bail out! cannot read %s\n", path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *fields[16];
		int n = 0;
		for (char *p = line; n < 16;) {
			fields[n++] = p;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
		}
		for (int i = 0; i < n; i++)
			tap_unescape(fields[i]);
		fn(fields, n, lineno);
		cases++;
	}
	fclose(fp);
	return cases;
}

#endif
