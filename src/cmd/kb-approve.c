/* kb-approve: merge a proposal into main, by a second pair of eyes. */
#include <stdio.h>
#include <stdlib.h>

#include "actor.h"
#include "cli.h"
#include "desk.h"
#include "review.h"
#include "sync.h"

static const char usage[] =
	"usage: kb-approve [-m COMMENT] [-C DIR] PROPOSAL\n"
	"\n"
	"Approve a pending proposal: a merge commit on main with the trailers\n"
	"Approved-by: and Proposal:, main moved in one atomic step, the index\n"
	"brought along. Only a supervisor who neither proposed nor amended it may\n"
	"approve. An entry changed on main since the proposal began is a\n"
	"conflict: nothing is merged and the entries are named. Prints the merge\n"
	"commit.\n"
	"\n"
	"  -m, --message COMMENT  a note kept in the merge commit\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when approved, 2 when refused, in conflict, or on error.\n";

static void on_skip(void *ctx, const char *msg)
{
	(void)ctx;
	warn("index skipped %s", msg);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *comment = NULL;
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hm:", longopts, NULL)) != -1) {
		if (c == 'm')
			comment = optarg;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind != 1)
		die_usage("one proposal, please");

	struct desk d;
	struct repo *r;
	struct actor who;
	struct diags probs = DIAGS_INIT;
	char old[41], merged[41];
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err))
		die_err(&err);
	if (actor_get(r, ROLE_SUPERVISOR, &who, &probs, &err) ||
	    repo_resolve(r, "refs/heads/main", old, &err))
		die_err(&err);
	if (review_approve(r, &who, argv[optind], comment, merged, &probs, &err)) {
		for (size_t i = 0; i < probs.n; i++)
			fprintf(stderr, "%s\n", probs.v[i].msg);
		die_err(&err);
	}
	puts(merged);

	/* Published; what follows brings the rest along and never undoes it. */
	struct sync_stats stats;
	if (kb_sync(&d, 0, on_skip, NULL, &stats, &err))
		warn("index not updated (%s); the next search will", err.msg);
	if (review_refresh_worktree(r, old, &err))
		warn("%s", err.msg);
	struct proposal p;
	if (review_load(r, argv[optind], &p, &err) == KF_OK) {
		if (review_notify(d.root, "approved", "approved", &p, &who, comment, merged, &err))
			warn("%s", err.msg);
		proposal_release(&p);
	}
	actor_release(&who);
	diags_release(&probs);
	repo_close(r);
	desk_release(&d);
	return cli_exit(EXIT_FOUND);
}
