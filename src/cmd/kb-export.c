/* kb-export: the knowledge base on main as the team's spreadsheet. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "desk.h"
#include "kbsheet.h"
#include "repo.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-export [--csv [--bom]] [-C DIR]\n"
	"\n"
	"Write the entries on main as a spreadsheet (CSV, RFC 4180): a header of\n"
	"the columns kb-import reads, in the seed's Chinese (编号, 主题, 知识分类,\n"
	"适用场景, 核心话术内容, 关联问题关键词, 标签, 开场白, 结束语, 备注,\n"
	"生效日期, 失效日期), then one row an entry, by category and id;\n"
	"keywords and tags joined by 、. kb-import reads it back unchanged.\n"
	"\n"
	"      --csv              CSV (the default, and the only form)\n"
	"      --bom              UTF-8's byte-order mark first, for Excel\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when written, 2 on error.\n";

int main(int argc, char **argv)
{
	enum { OPT_BOM = CLI_OPT_FIRST_FREE, OPT_CSV };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "bom", no_argument, NULL, OPT_BOM },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ NULL, 0, NULL, 0 },
	};
	int bom = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_BOM)
			bom = 1;
		else if (c != OPT_CSV)
			cli_common(c, optarg, argv);
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);

	struct desk d;
	struct repo *r;
	struct kb_file *v;
	size_t n;
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err) ||
	    kb_files_main(r, &v, &n, &err))
		die_err(&err);
	struct sbuf out = SBUF_INIT;
	kbsheet_write(v, n, bom, &out);
	if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		die("cannot write: %s", strerror(errno));
	sbuf_release(&out);
	kb_files_free(v, n);
	repo_close(r);
	desk_release(&d);
	return cli_exit(EXIT_FOUND);
}
