/* kb-init: a new desk, empty or with the sample knowledge base. */
#include <stdio.h>

#include "cli.h"
#include "deskinit.h"

static const char usage[] =
	"usage: kb-init [--sample] [-C DIR] [DIRECTORY]\n"
	"       kb-init --server [-C DIR] DIRECTORY\n"
	"\n"
	"Create a desk in DIRECTORY (default: the current directory), which must\n"
	"be empty or absent: a git repository on branch main with kb/, workflows/\n"
	"and .gitignore, a first commit, git hooks that keep the search index in\n"
	"step with main, and the index itself. Without --sample, the founder\n"
	"($KEFU_USER or git's user.email) is its only person: agent, editor and\n"
	"supervisor.\n"
	"\n"
	"      --sample         fill it with the sample desk: entries and workflows\n"
	"      --server         a bare repository for a server instead, to push desks\n"
	"                       to, whose pre-receive hook (kb-receive) lets only\n"
	"                       supervisors publish to main\n"
	"  -C, --directory DIR  run as if started in DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when the desk was created, 2 on error (nothing is left).\n";

static void on_skip(void *ctx, const char *msg)
{
	(void)ctx;
	warn("skipped %s", msg);
}

int main(int argc, char **argv)
{
	enum { OPT_SAMPLE = CLI_OPT_FIRST_FREE, OPT_SERVER };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "sample", no_argument, NULL, OPT_SAMPLE },
		{ "server", no_argument, NULL, OPT_SERVER },
		{ NULL, 0, NULL, 0 },
	};
	int sample = 0, server = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_SAMPLE)
			sample = 1;
		else if (c == OPT_SERVER)
			server = 1;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind > 1)
		die_usage("one directory at most");
	if (server && sample)
		die_usage("--server and --sample exclude each other");
	if (server && optind == argc)
		die_usage("--server needs the repository's directory");
	const char *dir = optind < argc ? argv[optind] : ".";
	if (server ? desk_create_server(dir, &err) : desk_create(dir, sample, on_skip, NULL, &err))
		die_err(&err);
	return cli_exit(EXIT_FOUND);
}
