/* kb-reject: turn a proposal down, saying why, on its branch. */
#include <stdio.h>
#include <stdlib.h>

#include "actor.h"
#include "approve.h"
#include "cli.h"
#include "desk.h"

static const char usage[] =
	"usage: kb-reject -m REASON [-C DIR] PROPOSAL\n"
	"\n"
	"Reject a pending proposal: a commit on its branch records who rejected\n"
	"it and why (trailer Rejected-by:). It shows as rejected until its author\n"
	"amends it (kb-propose --amend). Supervisors only.\n"
	"\n"
	"  -m, --message REASON   why, for the author (required)\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when rejected, 2 when refused or on error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL;
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hm:", longopts, NULL)) != -1) {
		if (c == 'm')
			reason = optarg;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind != 1)
		die_usage("one proposal, please");
	if (!reason || !*reason)
		die_usage("a rejection needs a reason: -m REASON");

	struct desk d;
	struct repo *r;
	struct actor who;
	struct diags probs = DIAGS_INIT;
	struct proposal p;
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err))
		die_err(&err);
	if (actor_get(r, ROLE_SUPERVISOR, &who, &probs, &err) ||
	    review_reject(r, &who, argv[optind], reason, &err) ||
	    review_load(r, argv[optind], &p, &err))
		die_err(&err);
	if (review_notify(d.root, "rejected", "rejected", &p, &who, reason, p.tip, &err))
		warn("%s", err.msg);
	proposal_release(&p);
	actor_release(&who);
	diags_release(&probs);
	repo_close(r);
	desk_release(&d);
	return cli_exit(EXIT_FOUND);
}
