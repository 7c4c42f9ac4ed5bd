/* kb-approve: merge a proposal into main, by a second pair of eyes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "approve.h"
#include "cli.h"
#include "desk.h"
#include "sync.h"

static const char usage[] =
	"usage: kb-approve [-m COMMENT] [-C DIR] PROPOSAL\n"
	"\n"
	"Approve a pending proposal: a merge commit on main with the trailers\n"
	"Approved-by: and Proposal:, main moved in one atomic step, the work\n"
	"tree, .git/index and the search index brought along. Only a supervisor\n"
	"who neither proposed nor amended it may approve. An entry changed on\n"
	"main since the proposal began is a conflict: nothing is merged and the\n"
	"entries are named. Prints the merge commit, before main moves.\n"
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

static void on_warn(void *ctx, const char *msg)
{
	(void)ctx;
	warn("%s", msg);
}

/* The commit, said before main moves: unsaid, it is not approved. */
static enum kf_status announce(void *ctx, const char *commit, struct kf_err *err)
{
	(void)ctx;
	if (puts(commit) < 0 || fflush(stdout) != 0 || ferror(stdout))
		return kf_fail(err, KF_EIO, "cannot write the approval's commit, so nothing is approved: %s",
			       strerror(errno ? errno : EIO));
	return KF_OK;
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
	char merged[41];
	struct review_out out = { announce, on_warn, NULL };
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err))
		die_err(&err);
	if (actor_get(r, ROLE_SUPERVISOR, &who, &probs, &err))
		die_err(&err);
	if (review_approve(r, &who, argv[optind], comment, &out, merged, &probs, &err)) {
		for (size_t i = 0; i < probs.n; i++)
			fprintf(stderr, "%s\n", probs.v[i].msg);
		die_err(&err);
	}

	/* Published; what follows brings the rest along and never undoes it. */
	struct sync_stats stats;
	if (kb_sync(&d, 0, on_skip, NULL, &stats, &err))
		warn("index not updated (%s); the next search will", err.msg);
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
