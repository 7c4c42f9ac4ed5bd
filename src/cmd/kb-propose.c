/* kb-propose: propose knowledge changes on a branch, for review. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "cli.h"
#include "desk.h"
#include "entry.h"
#include "propose.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-propose [-m REASON] [--amend PROPOSAL] [-C DIR] FILE...\n"
	"       kb-propose --delete ID... -m REASON [--amend PROPOSAL] [-C DIR]\n"
	"       kb-propose --amend PROPOSAL -m REASON [-C DIR]\n"
	"\n"
	"Propose entries (new or changed files, from anywhere) or their deletion\n"
	"for review: a commit on a new branch proposal/<n>-<id> from main, made\n"
	"without touching main, the index or the work tree. Prints the proposal's\n"
	"name. Entries are checked as kb-lint checks them; an invalid one is\n"
	"refused and nothing is created. Editors and supervisors may propose.\n"
	"An amendment of a proposal that main has changed under it is made on\n"
	"top of main, and must give the entries in conflict; one with only a\n"
	"reason resubmits a rejected proposal as it is.\n"
	"\n"
	"  -m, --message REASON   why (required for --delete)\n"
	"      --amend PROPOSAL   add a revision to PROPOSAL (its name or number)\n"
	"      --delete           the arguments are ids of entries to delete\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when proposed, 2 when refused or on error.\n";

/* The name, said before the branch exists: unsaid, nothing is proposed. */
static enum kf_status announce(void *ctx, const char *name, struct kf_err *err)
{
	(void)ctx;
	if (puts(name) < 0 || fflush(stdout) != 0 || ferror(stdout))
		return kf_fail(err, KF_EIO, "cannot write the proposal's name, so nothing is proposed: %s",
			       strerror(errno ? errno : EIO));
	return KF_OK;
}

static void report(const char *file, const struct diags *probs)
{
	for (size_t i = 0; i < probs->n; i++) {
		char *line = diag_format(file, &probs->v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
}

int main(int argc, char **argv)
{
	enum { OPT_AMEND = CLI_OPT_FIRST_FREE, OPT_DELETE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "amend", required_argument, NULL, OPT_AMEND },
		{ "delete", no_argument, NULL, OPT_DELETE },
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL, *amend = NULL;
	int delete = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hm:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AMEND:
			amend = optarg;
			break;
		case OPT_DELETE:
			delete = 1;
			break;
		case 'm':
			reason = optarg;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	size_t n = (size_t)(argc - optind);
	/* An amendment with only a reason resubmits a proposal unchanged. */
	if (!n && !(amend && reason && *reason && !delete))
		die_usage(delete ? "no entry id to delete" : "no entry file to propose");
	if (delete && (!reason || !*reason))
		die_usage("--delete needs a reason: -m REASON");

	/* Every file read and checked before anything is written. */
	struct entry_change *ch = xcalloc(n, sizeof(*ch));
	struct entry *entries = xcalloc(n, sizeof(*entries));
	struct sbuf *bufs = xcalloc(n, sizeof(*bufs));
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *arg = argv[optind + (int)i];
		if (delete) {
			if (!entry_id_valid(arg))
				die("not an entry id '%s'", arg);
			ch[i].id = arg;
			continue;
		}
		struct diags probs = DIAGS_INIT;
		sbuf_init(&bufs[i]);
		int r = sbuf_read_file(&bufs[i], arg, ENTRY_MAX_BYTES);
		if (r == -2)
			diag_add(&probs, 0, NULL, "file too large (over %d bytes)", ENTRY_MAX_BYTES);
		else if (r < 0)
			diag_add(&probs, 0, NULL, "cannot read: %m");
		else
			entry_parse(bufs[i].buf, bufs[i].len, arg, &entries[i], &probs);
		if (probs.n) {
			report(arg, &probs);
			bad = 1;
		} else {
			ch[i].id = entries[i].id;
			ch[i].category = entries[i].category;
			ch[i].title = entries[i].title;
			ch[i].data = bufs[i].buf;
			ch[i].len = bufs[i].len;
		}
		diags_release(&probs);
	}
	if (bad)
		die("nothing proposed: fix the entries above");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < i; k++)
			if (!strcmp(ch[k].id, ch[i].id))
				die("entry '%s' is given twice", ch[i].id);

	struct desk d;
	struct repo *r;
	struct actor who;
	struct diags probs = DIAGS_INIT;
	char *name;
	struct review_out out = { announce, NULL, NULL };
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err))
		die_err(&err);
	if (actor_get(r, ROLE_EDITOR, &who, &probs, &err)) {
		report("workflows/roles.yaml", &probs);
		die_err(&err);
	}
	if (review_propose(r, &who, reason, ch, n, amend, &out, &name, &err))
		die_err(&err);

	struct proposal p;
	if (review_load(r, name, &p, &err) == KF_OK) {
		if (review_notify(d.root, "proposed", amend ? "amended" : "proposed", &p, &who,
				  reason, p.tip, &err))
			warn("%s", err.msg);
		proposal_release(&p);
	}
	free(name);
	actor_release(&who);
	diags_release(&probs);
	repo_close(r);
	desk_release(&d);
	for (size_t i = 0; i < n; i++) {
		entry_release(&entries[i]);
		sbuf_release(&bufs[i]);
	}
	free(entries);
	free(bufs);
	free(ch);
	return cli_exit(EXIT_FOUND);
}
