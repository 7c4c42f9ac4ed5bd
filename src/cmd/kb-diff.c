/* kb-diff: what a proposal changes, entry by entry, field by field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "desk.h"
#include "entry.h"
#include "entrydiff.h"
#include "output.h"
#include "proposal.h"

static const char usage[] =
	"usage: kb-diff [--json] [-C DIR] PROPOSAL\n"
	"\n"
	"Show what PROPOSAL (its name or number) changes, from where it began to\n"
	"its latest revision: each entry added, deleted, moved or changed, and for\n"
	"a change, field by field: one-line fields old -> new, lists as items\n"
	"added (+) and removed (-), texts line by line.\n"
	"\n"
	"      --json           JSON Lines, one object per entry: id, change,\n"
	"                       old_path, new_path, fields\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when it changes something, 1 when nothing, 2 on error.\n";

static const char *red = "", *green = "", *bold = "", *plain = "";

static const char *change_name(const struct review_change *c)
{
	if (!c->old_path)
		return "added";
	if (!c->new_path)
		return "deleted";
	return strcmp(c->old_path, c->new_path) ? "moved" : "changed";
}

static void show_lines(const char *a, const char *b)
{
	struct line_op *ops;
	size_t n = line_diff(a, b, &ops);
	for (size_t i = 0; i < n; i++) {
		const char *col = ops[i].op == '-' ? red : ops[i].op == '+' ? green : "";
		printf("    %s%c %.*s%s\n", col, ops[i].op, (int)ops[i].len, ops[i].s,
		       *col ? plain : "");
	}
	free(ops);
}

static void show_text(const struct field_change *f)
{
	int multi = (f->old && strchr(f->old, '\n')) || (f->new && strchr(f->new, '\n'));
	if (multi) {
		printf("  %s:\n", f->field);
		show_lines(f->old, f->new);
	} else if (!f->old) {
		printf("  %s: %s+ %s%s\n", f->field, green, f->new, plain);
	} else if (!f->new) {
		printf("  %s: %s- %s%s\n", f->field, red, f->old, plain);
	} else {
		printf("  %s: %s%s%s -> %s%s%s\n", f->field, red, f->old, plain, green, f->new,
		       plain);
	}
}

static void show_list(const struct field_change *f)
{
	printf("  %s:", f->field);
	for (size_t i = 0; i < f->nadded; i++)
		printf(" %s+%s%s", green, f->added[i], plain);
	for (size_t i = 0; i < f->nremoved; i++)
		printf(" %s-%s%s", red, f->removed[i], plain);
	putchar('\n');
}

static int parse(const struct sbuf *buf, const char *path, struct entry *e)
{
	struct diags probs = DIAGS_INIT;
	int ok = path && entry_parse(buf->buf, buf->len, path, e, &probs) == KF_OK;
	diags_release(&probs);
	if (!ok)
		memset(e, 0, sizeof(*e));
	return ok;
}

static void show(const struct review_change *c, int json)
{
	struct entry a, b;
	int oka = parse(&c->old, c->old_path, &a), okb = parse(&c->new, c->new_path, &b);
	int entries = c->id && (oka || !c->old_path) && (okb || !c->new_path);
	struct entry_diff d = { NULL, 0 };
	if (entries)
		entry_diff(c->old_path ? &a : NULL, c->new_path ? &b : NULL, &d);

	if (json) {
		struct out o;
		out_init(&o, stdout, OUT_JSON);
		out_begin(&o);
		out_str(&o, "id", c->id);
		out_str(&o, "change", change_name(c));
		out_str(&o, "old_path", c->old_path);
		out_str(&o, "new_path", c->new_path);
		out_list_begin(&o, "fields");
		for (size_t i = 0; i < d.n; i++) {
			out_map_begin(&o, NULL);
			out_str(&o, "field", d.v[i].field);
			if (d.v[i].list) {
				out_list(&o, "added", (char *const *)d.v[i].added, d.v[i].nadded);
				out_list(&o, "removed", (char *const *)d.v[i].removed, d.v[i].nremoved);
			} else {
				out_str(&o, "old", d.v[i].old);
				out_str(&o, "new", d.v[i].new);
			}
			out_map_end(&o);
		}
		out_list_end(&o);
		out_end(&o);
	} else {
		const char *path = c->new_path ? c->new_path : c->old_path;
		printf("%s%s: %s%s", bold, c->id ? c->id : path, change_name(c), plain);
		if (c->old_path && c->new_path && strcmp(c->old_path, c->new_path))
			printf(" (%s -> %s)\n", c->old_path, c->new_path);
		else
			printf(" (%s)\n", path);
		if (!c->new_path && oka) {
			printf("  title: %s- %s%s\n", red, a.title, plain);
		} else if (entries) {
			for (size_t i = 0; i < d.n; i++) {
				if (d.v[i].list)
					show_list(&d.v[i]);
				else
					show_text(&d.v[i]);
			}
		} else {
			/* Not an entry, or not a valid one: the file, line by line. */
			show_lines(c->old_path ? c->old.buf : NULL, c->new_path ? c->new.buf : NULL);
		}
	}
	entry_diff_release(&d);
	if (oka)
		entry_release(&a);
	if (okb)
		entry_release(&b);
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_JSON)
			json = 1;
		else
			cli_common(c, optarg, argv);
	}
	if (argc - optind != 1)
		die_usage("one proposal, please");
	if (!json && isatty(1))
		red = "\033[31m", green = "\033[32m", bold = "\033[1m", plain = "\033[0m";

	struct desk d;
	struct repo *r;
	struct proposal p;
	struct review_change *v;
	size_t n;
	if (desk_find(&d, !cli_dir_given, &err) || repo_open(d.root, &r, &err) ||
	    review_load(r, argv[optind], &p, &err) || review_changes(r, &p, &v, &n, &err))
		die_err(&err);
	for (size_t i = 0; i < n; i++)
		show(&v[i], json);
	review_changes_free(v, n);
	proposal_release(&p);
	repo_close(r);
	desk_release(&d);
	return cli_exit(n ? EXIT_FOUND : EXIT_NONE);
}
