/* kb-proposals: what waits for review, and what was turned down. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "desk.h"
#include "output.h"
#include "proposal.h"

static const char usage[] =
	"usage: kb-proposals [-a] [--json] [-C DIR]\n"
	"\n"
	"List pending and rejected proposals, by number: name, ids, author,\n"
	"date, reason, state, and whether it still merges into main (clean or\n"
	"conflict). An approved one is \"approved (unverified)\" when no merge\n"
	"committed by its approver records the approval.\n"
	"\n"
	"  -a, --all            approved proposals too\n"
	"      --json           JSON Lines: name, ids, author, date, reason, state,\n"
	"                       clean, conflicts, updated, rejected_by, rejection,\n"
	"                       commit\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when some are listed, 1 when none, 2 on error.\n";

/* The first line: a TSV column holds no paragraphs. */
static void first_line(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	int all = 0, json = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":aC:h", longopts, NULL)) != -1) {
		if (c == 'a')
			all = 1;
		else if (c == OPT_JSON)
			json = 1;
		else
			cli_common(c, optarg, argv);
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);

	struct desk d;
	struct repo *r;
	struct proposal *v;
	size_t n;
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err) ||
	    review_list(r, all, &v, &n, &err))
		die_err(&err);

	struct out o;
	out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
	for (size_t i = 0; i < n; i++) {
		struct proposal *p = &v[i];
		char date[32], updated[32];
		if (json) {
			iso_format(&p->proposed, 0, date);
			iso_format(&p->updated, 0, updated);
		} else {
			iso_date(&p->proposed, date);
			first_line(p->reason);
		}
		out_begin(&o);
		out_str(&o, "name", p->name);
		out_list(&o, "ids", p->ids, p->nids);
		out_str(&o, "author", p->author);
		out_str(&o, "date", date);
		out_str(&o, "reason", p->reason);
		out_str(&o, "state", proposal_state_name(p));
		if (json) {
			out_bool(&o, "clean", p->clean);
			out_list(&o, "conflicts", p->conflicts, p->nconflicts);
			out_str(&o, "updated", updated);
			out_str(&o, "rejected_by", p->rejected_by);
			out_str(&o, "rejection", p->rejection);
			out_str(&o, "commit", p->tip);
		} else {
			out_str(&o, "merges", p->clean ? "clean" : "conflict");
		}
		out_end(&o);
	}
	proposals_free(v, n);
	repo_close(r);
	desk_release(&d);
	return cli_exit(n ? EXIT_FOUND : EXIT_NONE);
}
