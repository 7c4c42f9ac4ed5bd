/* kb-pick: pick a script while typing, with fzf(1); say it, and count its use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "desk.h"
#include "mine.h"
#include "sbuf.h"
#include "spawn.h"

static const char usage[] =
	"usage: kb-pick [-t TICKET] [-n N] [--no-personal] [-C DIR] [QUERY...]\n"
	"\n"
	"Pick a script in fzf(1): each keystroke searches again with kb-search\n"
	"(your own entries too), the highlighted entry shows as kb-show shows it,\n"
	"and Enter prints what is said to the customer (kb-show --say), ready to\n"
	"paste, and records its use on the ticket (kb-use). Esc picks nothing.\n"
	"\n"
	"  -n, --limit N        entries a search lists (default 50)\n"
	"      --no-personal    only the desk's entries, not your own\n"
	"  -t, --ticket ID      the ticket being answered (default $KEFU_TICKET)\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when a script was picked, said and its use recorded, 1\n"
	"when none was picked, 2 on error (fzf missing, the use not recorded).\n";

/* A sibling command, quoted for the shell fzf runs its commands in. */
static void command(struct sbuf *out, const char *dir, const char *name, const char *root)
{
	struct sbuf path = SBUF_INIT;
	sbuf_addf(&path, "%s/%s", dir, name);
	sh_quote(path.buf, out);
	sbuf_adds(out, " -C ");
	sh_quote(root, out);
	sbuf_release(&path);
}

/* Run a sibling kefu command; its exit status. */
static int run(const char *name, char **argv)
{
	struct kf_err err;
	int code;
	if (spawn_sibling(name, argv, &code, &err))
		die_err(&err);
	return code;
}

int main(int argc, char **argv)
{
	enum { OPT_NO_PERSONAL = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "limit", required_argument, NULL, 'n' },
		{ "no-personal", no_argument, NULL, OPT_NO_PERSONAL },
		{ "ticket", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ticket = getenv("KEFU_TICKET");
	long limit = 50;
	int personal = 1, c, code;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:hn:t:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			limit = cli_number("-n", optarg, 1, 10000);
			break;
		case OPT_NO_PERSONAL:
			personal = 0;
			break;
		case 't':
			ticket = optarg;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (ticket && !*ticket)
		ticket = NULL;
	struct sbuf query = SBUF_INIT;
	for (int i = optind; i < argc; i++) {
		if (query.len)
			sbuf_addch(&query, ' ');
		sbuf_adds(&query, argv[i]);
	}

	struct desk d;
	char *dir = self_dir();
	if (desk_find(&d, !cli_dir_given, &err))
		die_err(&err);
	if (!dir)
		die("cannot find the kefu commands beside kb-pick");

	/*
	 * fzf searches nothing itself: kb-search does, for the query given
	 * (the first list, on fzf's standard input, so that fzf's own
	 * options such as --select-1 or --filter see it) and again at each
	 * keystroke.
	 */
	struct sbuf search = SBUF_INIT, preview = SBUF_INIT, change = SBUF_INIT,
		    header = SBUF_INIT, list = SBUF_INIT, out = SBUF_INIT;
	char limit_s[24];
	snprintf(limit_s, sizeof(limit_s), "%ld", limit);
	if (query.len) {
		char *path = xasprintf("%s/kb-search", dir);
		char *first[9];
		int k = 0;
		first[k++] = "kb-search";
		first[k++] = "-C";
		first[k++] = d.root;
		first[k++] = "-n";
		first[k++] = limit_s;
		if (!personal)
			first[k++] = "--no-personal";
		first[k++] = "--"; /* the query may begin with a dash */
		first[k++] = query.buf;
		first[k] = NULL;
		if (spawn_program(path, first, -1, 0, &list, &code, &err))
			die_err(&err);
		free(path);
	}
	FILE *in = tmpfile();
	if (!in || fwrite(list.buf, 1, list.len, in) != list.len || fflush(in) || fseek(in, 0, SEEK_SET))
		die("cannot keep the list for fzf: %m");
	command(&search, dir, "kb-search", d.root);
	/* Nothing found is an empty list, not a failure for fzf to show. */
	sbuf_addf(&search, " -n %ld%s -- {q} 2>/dev/null || true", limit,
		  personal ? "" : " --no-personal");
	sbuf_addf(&change, "change:reload:%s", search.buf);
	command(&preview, dir, "kb-show", d.root);
	sbuf_adds(&preview, " {1} 2>&1");
	sbuf_addf(&header, "Enter: say it%s%s · Esc: nothing", ticket ? " and record its use on " : "",
		  ticket ? ticket : "");
	char *fzf[] = { "fzf", "--disabled", "--query", query.buf, "--prompt", "kb> ",
			"--delimiter", "\t", "--with-nth", "1..3", "--bind", change.buf,
			"--preview", preview.buf, "--preview-window", "down,60%,wrap",
			"--header", header.buf, "--no-multi", NULL };
	enum kf_status st = spawn_program("fzf", fzf, fileno(in), SPAWN_TTY_ERR, &out, &code, &err);
	fclose(in);
	sbuf_release(&search);
	sbuf_release(&preview);
	sbuf_release(&change);
	sbuf_release(&list);
	sbuf_release(&header);
	if (st == KF_ENOTFOUND)
		die("cannot run 'fzf': not found (it is Debian's package fzf)");
	if (st)
		die_err(&err);
	if (code && code != 1 && code != 130)
		die("fzf failed (exit %d)", code);

	int status = EXIT_NONE; /* nothing matched (1), or Esc (130) */
	if (!code && out.len) {
		/* The first column of kb-search's line is the id, mine:ID for one's own. */
		out.buf[strcspn(out.buf, "\t\n")] = '\0';
		char *id = out.buf;
		char *show[] = { "kb-show", "-C", d.root, "--say", id, NULL };
		status = run("kb-show", show) ? EXIT_ERROR : EXIT_FOUND;
		/* One's own entries are nobody else's business: their use is not recorded. */
		if (status == EXIT_FOUND && strncmp(id, MINE_PREFIX, strlen(MINE_PREFIX))) {
			char *use[] = { "kb-use", "-C", d.root, "-t", (char *)ticket, id, NULL };
			if (!ticket) {
				use[3] = id;
				use[4] = NULL;
			}
			if (run("kb-use", use))
				status = EXIT_ERROR;
		}
	}
	sbuf_release(&out);
	sbuf_release(&query);
	free(dir);
	desk_release(&d);
	return cli_exit(status);
}
