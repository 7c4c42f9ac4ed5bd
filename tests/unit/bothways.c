/*
 * bothways: every query of a file searched on a desk's index at several
 * limits, ranked from the term lists and by a scan of every match, in one
 * process; the two must give the same entries, in the same order, with
 * the same scores as kb-search --json prints them (four decimals) and
 * the same uses. tests/1310-kb-search-lists.t runs it where a shell loop
 * would start thousands of kb-search processes.
 *
 *   bothways DESK QUERIES [-a] [-c CATEGORY] [-t TAG]... [-1]
 *
 * -1 searches at limit 10 only.
 *
 * The index must be current (kb-index -C DESK). Prints the number of
 * searches made, each difference with its query, limit and filters;
 * exits 1 when any differs, 2 on a usage or read error.
 */
#include <stdio.h>
#include <sys/types.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "desk.h"
#include "isotime.h"
#include "sbuf.h"
#include "search.h"

static const size_t limits[] = { 10, 1, 50 };

/* One way's result as kb-search --json would show it, one line a row. */
static void shown(struct sbuf *sb, enum kf_status st, const struct kb_row *rows, size_t n)
{
	sbuf_reset(sb);
	if (st) {
		sbuf_addf(sb, "status %d\n", (int)st);
		return;
	}
	for (size_t i = 0; i < n; i++)
		sbuf_addf(sb, "%s %.4f %ld\n", rows[i].e.id, rows[i].score, rows[i].uses);
	sbuf_addf(sb, "found %zu\n", n);
}

int main(int argc, char **argv)
{
	struct kb_query q = { 0 };
	char **tags = NULL;
	size_t ntags = 0;
	int all = 0, c;
	size_t nlimits = sizeof(limits) / sizeof(limits[0]);

	if (argc < 3) {
		fprintf(stderr, "usage: bothways DESK QUERIES [-1a] [-c CATEGORY] [-t TAG]...\n");
		return 2;
	}
	const char *dir = argv[1], *file = argv[2];
	optind = 3;
	while ((c = getopt(argc, argv, "1ac:t:")) != -1) {
		switch (c) {
		case '1':
			nlimits = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'c':
			q.filter.category = optarg;
			break;
		case 't':
			tags = realloc(tags, (ntags + 1) * sizeof(*tags));
			if (!tags)
				return 2;
			tags[ntags++] = optarg;
			break;
		default:
			return 2;
		}
	}
	q.filter.tags = tags;
	q.filter.ntags = ntags;

	struct kf_err err;
	struct instant now;
	char today[11];
	if (kf_now(&now, &err)) {
		fprintf(stderr, "bothways: %s\n", err.msg);
		return 2;
	}
	iso_date(&now, today);
	q.filter.today = all ? NULL : today;

	struct desk d;
	struct kbindex ix;
	desk_at(&d, dir);
	if (kbindex_open_read(&ix, d.index_db, &err)) {
		fprintf(stderr, "bothways: %s\n", err.msg);
		return 2;
	}
	FILE *in = fopen(file, "r");
	if (!in) {
		perror(file);
		return 2;
	}

	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	char *line = NULL;
	size_t line_alloc = 0, searches = 0, differ = 0;
	ssize_t len;
	while ((len = getline(&line, &line_alloc, in)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		q.text = line;
		q.len = (size_t)len;
		for (size_t l = 0; l < nlimits; l++) {
			struct kb_row *rows;
			size_t n;
			enum kf_status st;

			q.limit = limits[l];
			q.scan = 0;
			st = kb_search(&ix, d.desk_db, &q, today, &rows, &n, NULL, &err);
			shown(&a, st, rows, n);
			if (!st)
				kb_rows_free(rows, n);
			q.scan = 1;
			st = kb_search(&ix, d.desk_db, &q, today, &rows, &n, NULL, &err);
			shown(&b, st, rows, n);
			if (!st)
				kb_rows_free(rows, n);
			searches++;
			if (strcmp(a.buf, b.buf)) {
				if (differ++ < 3)
					printf("'%s' -n %zu differs:\n--- lists\n%s--- scan\n%s",
					       line, limits[l], a.buf, b.buf);
			}
		}
	}
	if (ferror(in)) {
		perror(file);
		return 2;
	}
	fclose(in);
	printf("%zu searches, %zu differ\n", searches, differ);
	free(line);
	sbuf_release(&a);
	sbuf_release(&b);
	kbindex_close(&ix);
	desk_release(&d);
	free(tags);
	return differ ? 1 : 0;
}
