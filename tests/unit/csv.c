/* Unit tests of the spreadsheet reader and writer (csv.h), from a case table. */
#include "tap.h"

#include "csv.h"
#include "sbuf.h"

/* The records of text as "ROW:[a|b]" each, or "error: ..." at the first problem. */
static void records(const char *text, unsigned flags, struct sbuf *got)
{
	struct csv_reader r;
	struct csv_record rec;
	struct kf_err err;
	int rc;
	csv_reader_init(&r, text, strlen(text), flags);
	while ((rc = csv_next(&r, &rec, &err)) > 0) {
		sbuf_addf(got, "%ld@%ld:[", rec.row, rec.line);
		for (size_t i = 0; i < rec.n; i++)
			sbuf_addf(got, "%s%s", i ? "|" : "", rec.fields[i]);
		sbuf_addch(got, ']');
	}
	if (rc < 0)
		sbuf_addf(got, "error: %s", err.msg);
	csv_reader_release(&r);
}

/*
 * read|safe-read<TAB>TEXT<TAB>RECORDS
 * write|safe-write<TAB>FIELD...<TAB>LINE: the record csv_field() writes,
 *   and (both) that reading it gives the fields back
 * header<TAB>HEADER<TAB>KEY
 * decode<TAB>BYTES<TAB>CHARSET:TEXT, or error: ...
 */
static void run(char **f, int n, int lineno)
{
	struct sbuf got = SBUF_INIT;
	char what[160];
	snprintf(what, sizeof(what), "line %d: %s %.100s", lineno, f[0], n > 1 ? f[1] : "");
	for (char *p = what; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	if (n < 3) {
		tap_ok(0, "line %d: bad case", lineno);
		return;
	}
	unsigned flags = !strncmp(f[0], "safe-", 5) ? CSV_SAFE : 0;
	const char *op = f[0] + (flags ? 5 : 0);
	if (!strcmp(op, "read")) {
		records(f[1], flags, &got);
		tap_is(got.buf, f[2], what);
	} else if (!strcmp(op, "write")) {
		struct sbuf back = SBUF_INIT, want = SBUF_INIT;
		for (int i = 1; i < n - 1; i++)
			csv_field(&got, f[i], i == 1, flags);
		csv_end(&got);
		tap_is(got.buf, f[n - 1], what);
		records(got.buf, flags, &back);
		sbuf_adds(&want, "1@1:[");
		for (int i = 1; i < n - 1; i++)
			sbuf_addf(&want, "%s%s", i > 1 ? "|" : "", f[i]);
		sbuf_addch(&want, ']');
		/* a record of empty fields only is skipped on reading */
		int blank = 1;
		for (int i = 1; i < n - 1; i++)
			blank &= !f[i][0];
		tap_is(back.buf, blank ? "" : want.buf, "... and read back");
		sbuf_release(&back);
		sbuf_release(&want);
	} else if (!strcmp(op, "header")) {
		char *k = csv_header_key(f[1]);
		tap_is(k, f[2], what);
		free(k);
	} else if (!strcmp(op, "decode")) {
		struct kf_err err;
		const char *cs = NULL;
		if (csv_decode(f[1], strlen(f[1]), &got, &cs, &err)) {
			sbuf_reset(&got);
			sbuf_addf(&got, "error: %s", err.msg);
		} else {
			struct sbuf t = SBUF_INIT;
			sbuf_addf(&t, "%s:%s", cs, got.buf);
			sbuf_release(&got);
			got = t;
		}
		tap_is(got.buf, f[2], what);
	} else {
		tap_ok(0, "line %d: unknown case %s", lineno, f[0]);
	}
	sbuf_release(&got);
}

/* UTF-16 holds NULs: a table cannot, so here. */
static void utf16(void)
{
	static const char le[] = "\xFF\xFE" "a\0,\0\x00\x4E\r\0\n\0";
	struct sbuf got = SBUF_INIT;
	struct kf_err err;
	const char *cs;
	int rc = csv_decode(le, sizeof(le) - 1, &got, &cs, &err);
	tap_ok(!rc && !strcmp(cs, "UTF-16LE") && !strcmp(got.buf, "a,\xE4\xB8\x80\r\n"),
	       "UTF-16LE with its byte-order mark");
	sbuf_release(&got);
	static const char nul[] = "a,b\n\0c\n";
	rc = csv_decode(nul, sizeof(nul) - 1, &got, &cs, &err);
	tap_ok(rc == KF_EINVAL && strstr(err.msg, "NUL") && strstr(err.msg, "line 2"),
	       "a NUL byte is not text: %s", err.msg);
	sbuf_release(&got);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("Bail out! usage: csv CASES\n");
		return 2;
	}
	if (tap_cases(argv[1], run) <= 0)
		return 2;
	utf16();
	return tap_done();
}
