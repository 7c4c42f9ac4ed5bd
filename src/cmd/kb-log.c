/* kb-log: who changed the knowledge base, how and why, from git. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "desk.h"
#include "entry.h"
#include "history.h"
#include "output.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-log [-n N] [--json] [-C DIR] [ID]\n"
	"\n"
	"The history of the knowledge base, or of entry ID, newest first, read\n"
	"from git: date, action, who, why, commit. Actions: proposed, amended,\n"
	"rejected (on proposal branches), approved (by kb-approve, or a plain git\n"
	"merge of a proposal, by its committer), approved (unverified) (a merge\n"
	"whose Approved-by: names someone other than its committer; who is the\n"
	"name it claims), merged directly, edited directly (on main).\n"
	"\n"
	"  -n, --limit N        at most N events\n"
	"      --json           JSON Lines: date, action, who, why, commit,\n"
	"                       proposal, ids\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when there is history to show, 1 when none, 2 on error.\n";

struct state {
	struct out o;
	long left, shown;
};

static int print(void *ctx, const struct log_item *it)
{
	struct state *s = ctx;
	char date[32];
	iso_format(&it->date, 0, date);
	/* A TSV column holds the first line; JSON the whole text. */
	char *why = s->o.fmt == OUT_TSV ? xstrndup(it->why, strcspn(it->why, "\n"))
					 : xstrdup(it->why);
	out_begin(&s->o);
	out_str(&s->o, "date", date);
	out_str(&s->o, "action", it->action);
	out_str(&s->o, "who", it->who);
	out_str(&s->o, "why", why);
	free(why);
	out_str(&s->o, "commit", it->commit);
	if (s->o.fmt == OUT_JSON) {
		out_str(&s->o, "proposal", it->proposal);
		out_list(&s->o, "ids", it->ids, it->nids);
	}
	out_end(&s->o);
	s->shown++;
	return --s->left == 0;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct state s = { .left = -1 };
	int json = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hn:", longopts, NULL)) != -1) {
		if (c == OPT_JSON)
			json = 1;
		else if (c == 'n')
			s.left = cli_number("-n", optarg, 1, 1000000000);
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind > 1)
		die_usage("one entry id at most");
	const char *id = optind < argc ? argv[optind] : NULL;
	if (id && !entry_id_valid(id))
		die("not an entry id '%s'", id);

	struct desk d;
	struct repo *r;
	out_init(&s.o, stdout, json ? OUT_JSON : OUT_TSV);
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err) ||
	    history_walk(r, id, print, &s, &err))
		die_err(&err);
	repo_close(r);
	desk_release(&d);
	return cli_exit(s.shown ? EXIT_FOUND : EXIT_NONE);
}
