/* kb-import: the team's FAQ spreadsheet becomes entries, in one proposal for review. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "cli.h"
#include "desk.h"
#include "kbsheet.h"
#include "propose.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-import [--csv] [-m REASON] [-C DIR] FILE\n"
	"\n"
	"Make the FAQ spreadsheet FILE (CSV, UTF-8 or GB18030) entries of the\n"
	"knowledge base, proposed for review as one proposal, as kb-propose\n"
	"proposes files: nothing is on main until a supervisor approves it.\n"
	"Columns are found by header, SPEC's keys or the seed's Chinese (主题,\n"
	"知识分类, 适用场景, 核心话术内容, 关联问题关键词, 生效日期...); keyword\n"
	"lists are split on 、，,;；/ and spaces; approval columns (审核状态,\n"
	"审核人) are ignored. An entry's id is its row's 编号, else that of the\n"
	"entry of main with its title, else one made from the title (faq-\n"
	"and a hash for a Chinese one). Only the entries the sheet adds or\n"
	"changes are proposed. Every row is checked as kb-lint checks a file;\n"
	"every problem is reported as FILE:ROW: column: problem and then\n"
	"nothing is proposed. Editors and supervisors only. Prints the\n"
	"proposal's name.\n"
	"\n"
	"      --csv              the sheet is CSV (the default, and the only form)\n"
	"  -m, --message REASON   why (default: the file's name and the counts)\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when proposed, or when main has the sheet already;\n"
	"2 when refused or on error (nothing is then proposed).\n";

static enum kf_status announce(void *ctx, const char *name, struct kf_err *err)
{
	(void)ctx;
	if (puts(name) < 0 || fflush(stdout) != 0 || ferror(stdout))
		return kf_fail(err, KF_EIO, "cannot write the proposal's name, so nothing is proposed: %s",
			       strerror(errno ? errno : EIO));
	return KF_OK;
}

static void say(void *ctx, const char *line)
{
	(void)ctx;
	inform("%s", line);
}

int main(int argc, char **argv)
{
	enum { OPT_CSV = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = NULL;
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hm:", longopts, NULL)) != -1) {
		if (c == OPT_CSV)
			;
		else if (c == 'm')
			reason = optarg;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind != 1)
		die_usage(optind < argc ? "one file at a time" : "no spreadsheet to import");
	const char *path = argv[optind];

	struct desk d;
	struct repo *r;
	struct actor who;
	struct diags probs = DIAGS_INIT;
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err))
		die_err(&err);
	if (actor_get(r, ROLE_EDITOR, &who, &probs, &err)) {
		for (size_t i = 0; i < probs.n; i++) {
			char *line = diag_format("workflows/roles.yaml", &probs.v[i]);
			fprintf(stderr, "%s\n", line);
			free(line);
		}
		die_err(&err);
	}
	struct sbuf text = SBUF_INIT;
	if (sbuf_read_file(&text, path, 0) < 0)
		die("cannot read '%s': %s", path, strerror(errno));

	struct kb_file *main_files;
	size_t nmain, n;
	struct kbsheet_row *rows;
	if (kb_files_main(r, &main_files, &nmain, &err))
		die_err(&err);
	if (kbsheet_read(text.buf ? text.buf : "", text.len, path, main_files, nmain,
			 cli_print_line, NULL, say, NULL, &rows, &n, &err))
		die_err(&err);

	struct entry_change *ch = xcalloc(n + 1, sizeof(*ch));
	size_t nch = 0, added = 0;
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].changed)
			continue;
		added += rows[i].changed == 1;
		ch[nch].id = rows[i].e.id;
		ch[nch].category = rows[i].e.category;
		ch[nch].title = rows[i].e.title;
		ch[nch].data = rows[i].text;
		ch[nch].len = strlen(rows[i].text);
		nch++;
	}
	inform("%s: %zu entr%s: %zu new, %zu changed, %zu as main has them", path, n,
	       n == 1 ? "y" : "ies", added, nch - added, n - nch);
	if (!nch) {
		inform("nothing to propose: main has every entry of '%s' as it is", path);
	} else {
		char *why = reason ? xstrdup(reason)
				   : xasprintf("imported from %s: %zu new, %zu changed", path, added,
					       nch - added);
		char *name;
		struct review_out out = { announce, NULL, NULL };
		if (review_propose(r, &who, why, ch, nch, NULL, &out, &name, &err))
			die_err(&err);
		struct proposal p;
		if (review_load(r, name, &p, &err) == KF_OK) {
			if (review_notify(d.root, "proposed", "proposed", &p, &who, why, p.tip, &err))
				warn("%s", err.msg);
			proposal_release(&p);
		}
		free(name);
		free(why);
	}
	free(ch);
	kbsheet_rows_free(rows, n);
	kb_files_free(main_files, nmain);
	sbuf_release(&text);
	actor_release(&who);
	diags_release(&probs);
	repo_close(r);
	desk_release(&d);
	return cli_exit(EXIT_FOUND);
}
