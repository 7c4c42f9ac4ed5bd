/* ticket-import: tickets in: a desk's dump restored, or a spreadsheet kept while it was down. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "deskdump.h"
#include "sbuf.h"
#include "session.h"
#include "sync.h"
#include "ticketsheet.h"

static const char usage[] =
	"usage: ticket-import [--json | --csv] [-C DIR] [FILE]\n"
	"\n"
	"Bring tickets into the desk, all of them or none, from FILE or standard\n"
	"input. JSON Lines (the default) is ticket-export's dump: into an empty\n"
	"desk it restores the desk exactly. CSV is a spreadsheet kept while the\n"
	"desk was down: columns found by header, in English or Chinese (工单编号,\n"
	"客户信息, 问题类型, 紧急程度, 描述详情, 处理部门, 创建时间, 处理结果,\n"
	"反馈时间, 客服人员), UTF-8 or GB18030. Every problem is reported as\n"
	"FILE:ROW: column: problem, and then nothing is imported. A ticket the\n"
	"desk has already is never overwritten. Supervisors only. Prints each\n"
	"ticket's id; for CSV also its row, and the sheet's id when it was not\n"
	"kept.\n"
	"\n"
	"      --json         a dump, JSON Lines (the default)\n"
	"      --csv          a spreadsheet, CSV\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help         show this help\n"
	"      --version      show the version\n"
	"\n"
	"Exit status: 0 when imported, 2 when anything is wrong (nothing is then\n"
	"imported).\n";

static enum kf_status print_ids(void *ctx, const struct imported *v, size_t n,
				struct kf_err *err)
{
	int csv = *(int *)ctx;
	for (size_t i = 0; i < n; i++) {
		if (csv)
			printf("%s\t%ld\t%s\n", v[i].id, v[i].row, v[i].sheet_id ? v[i].sheet_id : "");
		else
			printf("%s\n", v[i].id);
	}
	/* Said before it is committed: what cannot be said is not done. */
	if (fflush(stdout) != 0 || ferror(stdout))
		return kf_fail(err, KF_EIO, "cannot write the ids, so nothing is imported: %s",
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
	enum { OPT_CSV = CLI_OPT_FIRST_FREE, OPT_JSON };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	int csv = 0, json = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_CSV)
			csv = 1;
		else if (c == OPT_JSON)
			json = 1;
		else
			cli_common(c, optarg, argv);
	}
	if (csv && json)
		die_usage("--csv and --json exclude each other");
	if (argc - optind > 1)
		die_usage("one file at most");
	const char *path = optind < argc ? argv[optind] : NULL;
	const char *name = path && strcmp(path, "-") ? path : "-";
	FILE *fp = stdin;
	if (path && strcmp(path, "-") && !(fp = fopen(path, "r")))
		die("cannot open '%s': %s", path, strerror(errno));

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_SUPERVISOR, cli_print_line, NULL,
			 &err))
		die_err(&err);
	enum kf_status st;
	if (csv) {
		struct sbuf text = SBUF_INIT;
		if (sbuf_read_fd(&text, fileno(fp), 0) < 0)
			die("cannot read '%s': %s", name, strerror(errno));
		st = sheet_import(&s, text.buf, text.len, name, cli_print_line, NULL, say, NULL,
				  print_ids, &csv, &err);
		sbuf_release(&text);
	} else {
		/* A sheet given without --csv: said once, rather than a problem a line. */
		int first = getc(fp);
		if (first != EOF)
			ungetc(first, fp);
		if (!json && first != EOF && first != '{')
			die("'%s' is not a dump (JSON Lines, one object a line): for a spreadsheet, "
			    "ticket-import --csv",
			    name);
		st = dump_restore(&s, fp, name, cli_print_line, NULL, print_ids, &csv, &err);
	}
	if (st)
		die_err(&err);
	/* Uses put back: kb-search's copy of their counts too (a desk in PostgreSQL). */
	if (kb_sync_uses(&s.desk, s.store, NULL, &err))
		warn("imported, but the search's copy of how often scripts were used is not: %s",
		     err.msg);
	if (fp != stdin)
		fclose(fp);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
