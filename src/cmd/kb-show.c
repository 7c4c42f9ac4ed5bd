/* kb-show: an entry, as the agent reads it out or as data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "desk.h"
#include "indexopen.h"
#include "isotime.h"
#include "mine.h"
#include "output.h"
#include "repo.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-show [--say | --json | --yaml] [--at REV] [-C DIR] ID...\n"
	"\n"
	"Show entries. By default, the text an agent reads out: opening, answer\n"
	"and closing, then the notes, marked as not for the customer; with more\n"
	"than one entry, each starts with a line \"== ID: TITLE\". Without ID and\n"
	"with stdin not a terminal, the ids are read from stdin, one a line (the\n"
	"first column of kb-search's output will do). mine:ID is your own entry\n"
	"(kb-mine); an ID the desk does not have is looked for there too.\n"
	"\n"
	"      --at REV         the entry as it was at REV (a commit, branch or tag)\n"
	"      --json           JSON Lines with every field\n"
	"      --say            only what is said to the customer: opening, answer,\n"
	"                       closing, a line each, ready to paste\n"
	"      --yaml           the file as committed\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when every entry was shown, 2 when one was not found or\n"
	"on error.\n";

enum format { TEXT, SAY, JSON, YAML };

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
		out_bool(&o, "personal", r->mine);
		out_end(&o);
		return;
	}
	int first = 1;
	if (fmt == SAY) {
		/* Ready to paste into a chat: the parts a line apart, nothing else. */
		static int shown;
		const char *part[] = { r->e.opening, r->e.answer, r->e.closing };
		if (shown++)
			putchar('\n'); /* a blank line between entries, none before the first */
		for (size_t i = 0, said = 0; i < 3; i++) {
			size_t n = part[i] ? strlen(part[i]) : 0;
			while (n && (part[i][n - 1] == '\n' || part[i][n - 1] == ' '))
				n--;
			if (!n)
				continue;
			if (said++)
				putchar('\n');
			text_write(stdout, part[i], n, 1);
		}
		putchar('\n');
		return;
	}
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

/*
 * One's own entries, opened when first asked for: mine:ID, or an ID the
 * desk does not have. *state: 0 not yet, 1 open, -1 none.
 */
static enum kf_status load_mine(const struct desk *d, struct kbindex *mix, int *state,
				const char *id, struct kb_row *row, struct kf_err *err)
{
	if (!*state) {
		struct mine m;
		*state = -1;
		if (!mine_locate(d, &m, err)) {
			enum kf_status st = mine_open(&m, mix, cli_print_line, NULL, err);
			mine_release(&m);
			if (st && st != KF_ENOTFOUND)
				return st;
			*state = st ? -1 : 1;
		}
	}
	if (*state < 0)
		return kf_fail(err, KF_ENOTFOUND, "no personal entry '%s'", id);
	enum kf_status st = kbindex_get(mix, id, row, err);
	if (st == KF_ENOTFOUND)
		return kf_fail(err, KF_ENOTFOUND, "no personal entry '%s'", id);
	if (!st)
		row->mine = 1;
	return st;
}

int main(int argc, char **argv)
{
	enum { OPT_AT = CLI_OPT_FIRST_FREE, OPT_JSON, OPT_SAY, OPT_YAML };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "at", required_argument, NULL, OPT_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "say", no_argument, NULL, OPT_SAY },
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
		case OPT_SAY:
		case OPT_YAML:
			if (fmt != TEXT)
				die_usage("--say, --json and --yaml exclude each other");
			fmt = c == OPT_JSON ? JSON : c == OPT_SAY ? SAY : YAML;
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

	struct kbindex mix = { NULL };
	int mine = 0;
	for (size_t i = 0; i < nids; i++) {
		struct kb_row row;
		const char *id = ids[i];
		int own = !strncmp(id, MINE_PREFIX, strlen(MINE_PREFIX));
		enum kf_status st;
		if (own)
			id += strlen(MINE_PREFIX);
		if (own && at)
			st = kf_fail(&err, KF_EINVAL, "personal entry '%s' has no history: it is not in git", id);
		else if (at)
			st = load_at(&repo, &d, at, id, &row, &err);
		else if (own)
			st = load_mine(&d, &mix, &mine, id, &row, &err);
		else if ((st = kbindex_get(&ix, id, &row, &err)) == KF_ENOTFOUND &&
			 load_mine(&d, &mix, &mine, id, &row, &err) == KF_OK)
			st = KF_OK;
		else if (st == KF_ENOTFOUND)
			st = kf_fail(&err, KF_ENOTFOUND, "no entry '%s'", id);
		if (st) {
			error("%s", err.msg);
			status = EXIT_ERROR;
			continue;
		}
		/* Said to a customer, a script out of effect is worth a word too. */
		if (!at && (fmt == TEXT || fmt == SAY))
			warn_not_in_effect(&row, today);
		show(&row, fmt, nids > 1 || piped);
		kb_row_release(&row);
	}
	kbindex_close(&mix);
	kbindex_close(&ix);
	repo_close(repo);
	desk_release(&d);
	return cli_exit(status);
}
