/* kb-show: an entry, as the agent reads it out or as data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "desk.h"
#include "indexopen.h"
#include "isotime.h"
#include "output.h"
#include "repo.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-show [--json | --yaml] [--at REV] [-C DIR] ID...\n"
	"\n"
	"Show entries. By default, the text an agent reads out: opening, answer\n"
	"and closing, then the notes, marked as not for the customer; with more\n"
	"than one entry, each starts with a line \"== ID: TITLE\". Without ID and\n"
	"with stdin not a terminal, the ids are read from stdin, one a line (the\n"
	"first column of kb-search's output will do).\n"
	"\n"
	"      --at REV         the entry as it was at REV (a commit, branch or tag)\n"
	"      --json           JSON Lines with every field\n"
	"      --yaml           the file as committed\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when every entry was shown, 2 when one was not found or\n"
	"on error.\n";

enum format { TEXT, JSON, YAML };

static void put_block(const char *s, int *first)
{
	if (!s || !*s)
		return;
	size_t n = strlen(s);
	while (n && s[n - 1] == '\n')
		n--;
	if (!*first)
		putchar('\n');
	text_write(stdout, s, n, 1); /* an escape in an entry must not reach the terminal */
	putchar('\n');
	*first = 0;
}

static void show(const struct kb_row *r, enum format fmt, int many)
{
	struct out o;
	if (fmt == YAML) {
		fputs(r->yaml, stdout);
		return;
	}
	if (fmt == JSON) {
		out_init(&o, stdout, OUT_JSON);
		out_begin(&o);
		out_str(&o, "id", r->e.id);
		out_str(&o, "title", r->e.title);
		out_str(&o, "category", r->e.category);
		out_str(&o, "scenario", r->e.scenario);
		out_list(&o, "keywords", r->e.keywords, r->e.nkeywords);
		out_list(&o, "tags", r->e.tags, r->e.ntags);
		out_str(&o, "opening", r->e.opening);
		out_str(&o, "answer", r->e.answer);
		out_str(&o, "closing", r->e.closing);
		out_str(&o, "notes", r->e.notes);
		out_str(&o, "effective", r->e.effective[0] ? r->e.effective : NULL);
		out_str(&o, "expires", r->e.expires[0] ? r->e.expires : NULL);
		out_str(&o, "updated", r->updated);
		out_str(&o, "path", r->path);
		out_end(&o);
		return;
	}
	int first = 1;
	if (many) {
		printf("== %s: ", r->e.id);
		text_write(stdout, r->e.title, strlen(r->e.title), 0);
		fputs("\n\n", stdout);
	}
	put_block(r->e.opening, &first);
	put_block(r->e.answer, &first);
	put_block(r->e.closing, &first);
	if (r->e.notes && *r->e.notes) {
		printf("\n-- notes (not for the customer) --\n");
		first = 1;
		put_block(r->e.notes, &first);
	}
	if (many)
		putchar('\n');
}

/* The entry id as it was at rev, read from git. */
static enum kf_status load_at(struct repo **r, const struct desk *d, const char *rev,
			      const char *id, struct kb_row *row, struct kf_err *err)
{
	enum kf_status st;
	struct sbuf buf = SBUF_INIT;
	struct diags probs = DIAGS_INIT;
	char *path = NULL;

	memset(row, 0, sizeof(*row));
	if (!*r && (st = repo_open(d->root, r, err)))
		return st;
	if ((st = repo_find_entry(*r, rev, id, &path, &buf, err)))
		goto out;
	if (entry_parse(buf.buf, buf.len, path, &row->e, &probs) != KF_OK) {
		char *line = diag_format(path, &probs.v[0]);
		st = kf_fail(err, KF_EINVAL, "invalid entry at '%s': %s", rev, line);
		free(line);
		goto out;
	}
	row->path = path;
	row->yaml = sbuf_detach(&buf);
	path = NULL;
out:
	free(path);
	sbuf_release(&buf);
	diags_release(&probs);
	return st;
}

static void warn_not_in_effect(const struct kb_row *r, const char *today)
{
	if (r->e.effective[0] && strcmp(today, r->e.effective) < 0)
		warn("entry '%s' is not in effect until %s", r->e.id, r->e.effective);
	else if (r->e.expires[0] && strcmp(today, r->e.expires) >= 0)
		warn("entry '%s' expired on %s", r->e.id, r->e.expires);
}

int main(int argc, char **argv)
{
	enum { OPT_AT = CLI_OPT_FIRST_FREE, OPT_JSON, OPT_YAML };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "at", required_argument, NULL, OPT_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "yaml", no_argument, NULL, OPT_YAML },
		{ NULL, 0, NULL, 0 },
	};
	enum format fmt = TEXT;
	const char *at = NULL;
	int c, status = EXIT_FOUND;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_AT:
			at = optarg;
			break;
		case OPT_JSON:
		case OPT_YAML:
			if (fmt != TEXT)
				die_usage("--json and --yaml exclude each other");
			fmt = c == OPT_JSON ? JSON : YAML;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}

	/* Ids from the arguments, or one a line from stdin. */
	size_t nids;
	int piped = optind == argc;
	char **ids = cli_items(argc, argv, "no entry id given", &nids);

	struct desk d;
	struct kbindex ix = { NULL };
	struct repo *repo = NULL;
	struct instant now;
	char today[11];
	if (kf_now(&now, &err) || desk_find(&d, !cli_dir_given, &err))
		die_err(&err);
	iso_date(&now, today);
	struct kf_err behind;
	if (!at && kb_index_open_current(&d, &ix, &behind, cli_print_line, NULL, &err))
		die_err(&err);
	if (!at && behind.status)
		warn("%s", behind.msg);

	for (size_t i = 0; i < nids; i++) {
		struct kb_row row;
		enum kf_status st = at ? load_at(&repo, &d, at, ids[i], &row, &err)
				       : kbindex_get(&ix, ids[i], &row, &err);
		if (st) {
			error("%s", err.msg);
			status = EXIT_ERROR;
			continue;
		}
		if (!at && fmt == TEXT)
			warn_not_in_effect(&row, today);
		show(&row, fmt, nids > 1 || piped);
		kb_row_release(&row);
	}
	kbindex_close(&ix);
	repo_close(repo);
	desk_release(&d);
	return cli_exit(status);
}
