/* kb-search: ranked knowledge entries for what the customer asked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "desk.h"
#include "indexopen.h"
#include "isotime.h"
#include "mine.h"
#include "output.h"
#include "sbuf.h"
#include "search.h"

static const char usage[] =
	"usage: kb-search [-av] [-c CATEGORY] [-t TAG]... [-n N] [--json] [--scan]\n"
	"                 [--no-personal] [-C DIR] QUERY...\n"
	"\n"
	"Search the desk's published entries and your own (kb-mine), best first:\n"
	"id, title, scenario, updated, uses; an id of your own reads mine:ID.\n"
	"QUERY is words in Chinese or English, never a search syntax; without\n"
	"QUERY and with stdin not a terminal, stdin is the query (a customer's\n"
	"message, say).\n"
	"\n"
	"  -a, --all            include entries not yet effective or expired\n"
	"  -c, --category CAT   only entries of category CAT\n"
	"  -t, --tag TAG        only entries tagged TAG (repeat: all of them)\n"
	"  -n, --limit N        at most N entries (default 10)\n"
	"      --json           JSON Lines: id, title, category, scenario, tags,\n"
	"                       keywords, updated, uses, score, personal\n"
	"      --no-personal    only the desk's entries, not your own\n"
	"      --scan           rank every matching entry, not from the term lists\n"
	"                       (the same result, slower: for checking)\n"
	"  -v, --verbose        say on stderr how the entries were ranked\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when something matched, 1 when nothing did, 2 on error.\n";

#define QUERY_MAX_BYTES (64 * 1024)

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE, OPT_NO_PERSONAL, OPT_SCAN };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "category", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "limit", required_argument, NULL, 'n' },
		{ "no-personal", no_argument, NULL, OPT_NO_PERSONAL },
		{ "scan", no_argument, NULL, OPT_SCAN },
		{ "tag", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct kb_query q = { 0 };
	struct sbuf text = SBUF_INIT;
	char **tags = NULL;
	size_t ntags = 0, tags_alloc = 0;
	int all = 0, json = 0, verbose = 0, personal = 1, c;
	struct kb_search_info info = { 0 };
	struct kf_err err;

	cli_init(argc, argv, usage);
	q.limit = 10;
	while ((c = getopt_long(argc, argv, ":ac:C:hn:t:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = 1;
			break;
		case 'c':
			q.filter.category = optarg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'n':
			q.limit = (size_t)cli_number("-n", optarg, 1, 10000);
			break;
		case OPT_NO_PERSONAL:
			personal = 0;
			break;
		case OPT_SCAN:
			q.scan = 1;
			break;
		case 't':
			ALLOC_GROW(tags, ntags + 1, tags_alloc);
			tags[ntags++] = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	for (int i = optind; i < argc; i++) {
		if (text.len)
			sbuf_addch(&text, ' ');
		sbuf_adds(&text, argv[i]);
	}
	if (optind == argc) {
		if (isatty(0))
			die_usage("no query given");
		int r = sbuf_read_fd(&text, 0, QUERY_MAX_BYTES);
		if (r == -2)
			die("query on stdin too long (more than %d bytes)", QUERY_MAX_BYTES);
		if (r < 0)
			die("cannot read the query from stdin: %m");
	}
	q.text = text.buf;
	q.len = text.len;
	q.filter.tags = tags;
	q.filter.ntags = ntags;

	struct instant now;
	char today[11];
	if (kf_now(&now, &err))
		die_err(&err);
	iso_date(&now, today);
	q.filter.today = all ? NULL : today;

	struct desk d;
	struct kbindex ix;
	struct kb_row *rows;
	size_t n;
	struct kf_err behind;
	char *server;
	if (desk_find(&d, !cli_dir_given, &err) || desk_store_uri(&d, &server, &err) ||
	    kb_index_open_current(&d, &ix, &behind, cli_print_line, NULL, &err))
		die_err(&err);
	if (behind.status)
		warn("%s", behind.msg);
	/* Tickets in PostgreSQL: the uses come from the index's copy (sync.h). */
	const char *desk_db = server ? NULL : d.desk_db;
	free(server);
	/* One's own entries, when there are any: a stat(2) when there are none. */
	struct mine mine;
	struct kbindex mix = { NULL };
	if (personal && !mine_locate(&d, &mine, &err)) {
		enum kf_status ms = mine_open(&mine, &mix, cli_print_line, NULL, &err);
		if (ms == KF_OK)
			q.mine = &mix;
		else if (ms != KF_ENOTFOUND)
			warn("%s (personal entries not searched)", err.msg);
		mine_release(&mine);
	}
	enum kf_status st = kb_search(&ix, desk_db, &q, today, &rows, &n, &info, &err);
	if (st == KF_EDB) {
		/* A damaged index: rebuild it once and ask again. */
		kbindex_close(&ix);
		if (kb_index_run(&d, 1, cli_print_line, NULL, &err) || kbindex_open_read(&ix, d.index_db, &err))
			die_err(&err);
		st = kb_search(&ix, desk_db, &q, today, &rows, &n, &info, &err);
	}
	if (st == KF_EINVAL) {
		/* Only punctuation or spaces: nothing can match it. */
		n = 0;
		rows = NULL;
	} else if (st) {
		die_err(&err);
	}

	if (!st && info.desk.status)
		warn("%s (uses not counted)", info.desk.msg);
	if (verbose && st != KF_EINVAL) {
		if (info.lists)
			fprintf(stderr,
				"kb-search: ranked from the term lists"
				" (entries read whole: %zu, scored together: %zu,"
				" lists completed: %zu)\n",
				info.resolved, info.batched, info.expanded);
		else
			fprintf(stderr, "kb-search: ranked by a scan of every match\n");
	}
	struct out o;
	out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
	for (size_t i = 0; i < n; i++) {
		struct kb_row *r = &rows[i];
		out_begin(&o);
		if (r->mine && !json) {
			/* The id kb-show and kb-mine take: one's own, even where the desk has it too. */
			char *id = xasprintf(MINE_PREFIX "%s", r->e.id);
			out_str(&o, "id", id);
			free(id);
		} else {
			out_str(&o, "id", r->e.id);
		}
		out_str(&o, "title", r->e.title);
		if (json)
			out_str(&o, "category", r->e.category);
		out_str(&o, "scenario", r->e.scenario);
		if (json) {
			out_list(&o, "tags", r->e.tags, r->e.ntags);
			out_list(&o, "keywords", r->e.keywords, r->e.nkeywords);
		}
		out_str(&o, "updated", r->updated);
		out_int(&o, "uses", r->uses);
		if (json) {
			out_num(&o, "score", r->score, 4);
			out_bool(&o, "personal", r->mine);
		}
		out_end(&o);
	}
	kb_rows_free(rows, n);
	kbindex_close(&mix);
	kbindex_close(&ix);
	desk_release(&d);
	free(tags);
	sbuf_release(&text);
	return cli_exit(n ? EXIT_FOUND : EXIT_NONE);
}
