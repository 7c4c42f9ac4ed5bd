/* kb-index: bring .kefu/index.db to the commit on main. */
#include <stdio.h>

#include "cli.h"
#include "desk.h"
#include "sync.h"

static const char usage[] =
	"usage: kb-index [-qv] [--full] [-C DIR]\n"
	"\n"
	"Bring the desk's search index to the commit on main, applying the git\n"
	"diff since the commit it was built from. Other commands run it on their\n"
	"own when the index is behind; git hooks run it after merges and commits.\n"
	"\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"      --full           rebuild the index from every entry on main\n"
	"  -q, --quiet          do not warn about entries skipped as invalid\n"
	"  -v, --verbose        print what changed\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when the index is at main, 2 on error. Entries skipped\n"
	"as invalid are warned about and do not change the exit status.\n";

static void on_skip(void *ctx, const char *msg)
{
	if (!*(int *)ctx)
		warn("skipped %s", msg);
}

int main(int argc, char **argv)
{
	enum { OPT_FULL = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "full", no_argument, NULL, OPT_FULL },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int full = 0, quiet = 0, verbose = 0, c;
	struct desk d;
	struct sync_stats stats;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hqv", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_FULL:
			full = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (desk_find(&d, !cli_dir_given, &err))
		die_err(&err);
	if (kb_sync(&d, full, on_skip, &quiet, &stats, &err))
		die_err(&err);
	/* The index serves the search; a database out of reach only ages the counts. */
	if (kb_sync_uses(&d, NULL, NULL, &err))
		warn("usage counts not copied from the desk database: %s", err.msg);
	if (verbose)
		printf("main at %.12s: %ld entries (%s%ld added, %ld updated, %ld deleted, "
		       "%ld skipped)\n",
		       stats.commit, stats.entries,
		       stats.uptodate ? "up to date: " : stats.full ? "rebuilt: " : "",
		       stats.added, stats.updated, stats.deleted, stats.skipped);
	desk_release(&d);
	return cli_exit(EXIT_FOUND);
}
