/*
 * Unit tests of kb_suggest(): the entries a ticket's subject and
 * description bring up, on the sample desk's entries, from a case table.
 */
#include "tap.h"

#include <unistd.h>

#include "problems.h"
#include "index.h"
#include "sbuf.h"
#include "search.h"

static struct kbindex ix;

/* subject<TAB>description<TAB>the first entry, "-" for none */
static void run(char **f, int n, int lineno)
{
	struct kb_row *rows;
	size_t nrows;
	struct kf_err err;
	char what[512];
	if (n != 3) {
		tap_ok(0, "line %d: wants 3 fields, has %d", lineno, n);
		return;
	}
	snprintf(what, sizeof(what), "'%s' / '%.60s' (line %d)", f[0], f[1], lineno);
	if (kb_suggest(&ix, NULL, *f[0] ? f[0] : NULL, *f[1] ? f[1] : NULL, 3, "2026-11-22",
		       &rows, &nrows, &err)) {
		tap_ok(0, "%s: %s", what, err.msg);
		return;
	}
	tap_is(nrows ? rows[0].e.id : "-", f[2], what);
	if (nrows > 3)
		tap_ok(0, "%s: %zu entries, asked for 3", what, nrows);
	kb_rows_free(rows, nrows);
}

static int put_file(const char *path)
{
	struct sbuf yaml = SBUF_INIT;
	struct diags probs = DIAGS_INIT;
	struct entry e;
	struct kf_err err;
	FILE *fp = fopen(path, "r");
	int ok = 0;
	if (fp) {
		char buf[4096];
		size_t k;
		while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
			sbuf_add(&yaml, buf, k);
		fclose(fp);
	}
	if (fp && !entry_parse(yaml.buf, yaml.len, NULL, &e, &probs)) {
		ok = !kbindex_put(&ix, path, &e, yaml.buf, yaml.len, "2026-11-01", &err);
		entry_release(&e);
	}
	diags_release(&probs);
	sbuf_release(&yaml);
	return ok;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/kefu-suggest.XXXXXX";
	struct kf_err err;
	int fresh, put = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: suggest CASES ENTRY...\n");
		return 2;
	}
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot make a directory in /tmp\n");
		return 1;
	}
	char *db = xasprintf("%s/index.db", dir);
	if (kbindex_open_write(&ix, db, &fresh, &err) || kbindex_begin(&ix, &err) ||
	    kbindex_clear(&ix, argc - 2, &err)) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	for (int i = 2; i < argc; i++)
		put += put_file(argv[i]);
	if (kbindex_commit(&ix, &err)) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	tap_ok(put == argc - 2, "the sample desk's %d entries indexed (%d)", argc - 2, put);
	if (tap_cases(argv[1], run) < 0)
		return 1;
	(void)tap_ok;
	kbindex_close(&ix);
	kbindex_remove(db);
	rmdir(dir);
	free(db);
	return tap_done();
}
