/* Unit tests of the tokenizer and the query builder, from case tables. */
#include "tap.h"

#include "query.h"
#include "sbuf.h"
#include "stem.h"
#include "tokenizer.h"

static int collect(void *ctx, enum tok_kind kind, const char *text, size_t n, size_t start,
		   size_t end)
{
	struct sbuf *sb = ctx;
	(void)kind;
	(void)start;
	(void)end;
	if (sb->len)
		sbuf_addch(sb, ' ');
	sbuf_add(sb, text, n);
	return 0;
}

/* tokens<TAB>INPUT<TAB>TERMS: the terms a document gives. */
/* query<TAB>INPUT<TAB>MATCH: the FTS5 expression a query gives. */
/* stem<TAB>WORD<TAB>STEM */
static void run(char **f, int n, int lineno)
{
	struct sbuf sb = SBUF_INIT;
	char what[256];
	if (n != 3) {
		tap_ok(0, "line %d: wants 3 fields, has %d", lineno, n);
		return;
	}
	snprintf(what, sizeof(what), "%s '%s' (line %d)", f[0], f[1], lineno);
	if (!strcmp(f[0], "tokens")) {
		tok_scan(f[1], strlen(f[1]), collect, &sb);
	} else if (!strcmp(f[0], "query")) {
		size_t terms = query_build(f[1], strlen(f[1]), &sb);
		if (!terms && sb.len)
			sbuf_adds(&sb, " (but no terms?)");
	} else if (!strcmp(f[0], "stem")) {
		char w[128];
		snprintf(w, sizeof(w), "%s", f[1]);
		size_t len = stem_english(w, strlen(w));
		sbuf_add(&sb, w, len);
	} else {
		tap_ok(0, "line %d: unknown kind '%s'", lineno, f[0]);
		return;
	}
	tap_is(sb.buf, f[2], what);
	sbuf_release(&sb);
}

/* A scan must stop as soon as its callback says so. */
static int stop_after_two(void *ctx, enum tok_kind kind, const char *text, size_t n,
			  size_t start, size_t end)
{
	int *count = ctx;
	(void)kind, (void)text, (void)n, (void)start, (void)end;
	return ++*count == 2 ? 7 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: tokenizer CASES\n");
		return 2;
	}
	if (tap_cases(argv[1], run) < 0)
		return 1;
	int count = 0;
	int rc = tok_scan("one two three", 13, stop_after_two, &count);
	tap_ok(rc == 7 && count == 2, "tok_scan stops when the callback returns non-zero");
	return tap_done();
}
