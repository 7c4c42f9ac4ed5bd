/* kb-init: a new desk, empty or with the sample knowledge base. */
#include <stdio.h>

#include "cli.h"
#include "deskinit.h"

static const char usage[] =
	"usage: kb-init [--sample] [--db URI] [--shared GROUP] [-C DIR] [DIRECTORY]\n"
	"       kb-init --db URI [-C DIR] CLONE\n"
	"       kb-init --server [-C DIR] DIRECTORY\n"
	"\n"
	"Create a desk in DIRECTORY (default: the current directory), which must\n"
	"be empty or absent: a git repository on branch main with kb/, workflows/\n"
	"and .gitignore, a first commit, git hooks that keep the search index in\n"
	"step with main, and the index itself. Without --sample, the founder\n"
	"($KEFU_USER or git's user.email) is its only person: agent, editor and\n"
	"supervisor.\n"
	"\n"
	"      --db URI         keep the tickets in this PostgreSQL database (a libpq\n"
	"                       connection string, kept in .kefu/database); a CLONE\n"
	"                       of a desk joins the database its team shares\n"
	"      --sample         fill it with the sample desk: entries and workflows\n"
	"      --server         a bare repository for a server instead, to push desks\n"
	"                       to, whose pre-receive hook (kb-receive) lets only\n"
	"                       supervisors publish to main\n"
	"      --shared GROUP   a desk every member of the Unix group GROUP can use\n"
	"                       (as root): root's and the group's, set-group-id\n"
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
	enum { OPT_DB = CLI_OPT_FIRST_FREE, OPT_SAMPLE, OPT_SERVER, OPT_SHARED };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "db", required_argument, NULL, OPT_DB },
		{ "sample", no_argument, NULL, OPT_SAMPLE },
		{ "server", no_argument, NULL, OPT_SERVER },
		{ "shared", required_argument, NULL, OPT_SHARED },
		{ NULL, 0, NULL, 0 },
	};
	struct desk_options o = { 0 };
	int server = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_DB)
			o.db = optarg;
		else if (c == OPT_SAMPLE)
			o.sample = 1;
		else if (c == OPT_SERVER)
			server = 1;
		else if (c == OPT_SHARED)
			o.group = optarg;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind > 1)
		die_usage("one directory at most");
	if (server && (o.sample || o.db || o.group))
		die_usage("--server and --sample, --db or --shared exclude each other");
	if (server && optind == argc)
		die_usage("--server needs the repository's directory");
	if (o.db && !*o.db)
		die_usage("--db needs a connection string");
	const char *dir = optind < argc ? argv[optind] : ".";
	if (server ? desk_create_server(dir, &err) : desk_create(dir, &o, on_skip, NULL, &err))
		die_err(&err);
	return cli_exit(EXIT_FOUND);
}
