/* kb-mine: your own knowledge entries (个人知识库), beside the desk's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "desk.h"
#include "indexopen.h"
#include "mine.h"
#include "output.h"
#include "sbuf.h"
#include "spawn.h"

static const char usage[] =
	"usage: kb-mine [--json] [-C DIR]\n"
	"       kb-mine -e ID [-c CATEGORY] [-C DIR]\n"
	"       kb-mine -a FILE... [-C DIR]\n"
	"       kb-mine -r ID... [-C DIR]\n"
	"       kb-mine -p [ID] [-C DIR]\n"
	"\n"
	"Your own entries for this desk: the same format as the desk's, kept in\n"
	"your home (0700), in no git history, seen by nobody else, needing no\n"
	"review. kb-search finds them with the desk's, marked mine:ID. Without\n"
	"an option, list them: id, title, category, updated, path.\n"
	"\n"
	"  -a, --add            add entries from files (one of the same id is\n"
	"                       replaced)\n"
	"  -c, --category CAT   the category of a new entry (default 个人)\n"
	"  -e, --edit ID        edit ID with $VISUAL or $EDITOR; a new one starts\n"
	"                       from the desk's entry ID, else from a template\n"
	"      --json           list as JSON Lines\n"
	"  -p, --path           print the base's directory, or ID's file\n"
	"  -r, --remove         remove entries\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"To offer one to the desk: kb-propose \"$(kb-mine -p ID)\".\n"
	"\n"
	"Exit status: 0 when done (or something listed), 1 when there was\n"
	"nothing to list or an edit saved nothing, 2 on error.\n";

struct listing {
	struct out o;
	size_t n;
};

static int list_one(void *ctx, const struct mine_entry *me)
{
	struct listing *l = ctx;
	struct out *o = &l->o;
	out_begin(o);
	out_str(o, "id", me->e->id);
	out_str(o, "title", me->e->title);
	out_str(o, "category", me->e->category);
	out_str(o, "updated", me->updated);
	out_str(o, "path", me->path);
	out_end(o);
	l->n++;
	return 0;
}

static void report(const char *file, const struct diags *probs)
{
	for (size_t i = 0; i < probs->n; i++) {
		char *line = diag_format(file, &probs->v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
}

/* What an edit starts from: the entry of one's own, the desk's, or a template. */
static void starting_text(const struct desk *d, const char *path, const char *id,
			  const char *category, struct sbuf *text)
{
	struct kbindex ix;
	struct kb_row row;
	struct kf_err err, behind;
	if (path) {
		if (sbuf_read_file(text, path, ENTRY_MAX_BYTES) < 0)
			die("cannot read '%s': %m", path);
		return;
	}
	if (!kb_index_open_current(d, &ix, &behind, NULL, NULL, &err)) {
		if (!kbindex_get(&ix, id, &row, &err)) {
			sbuf_adds(text, row.yaml);
			kb_row_release(&row);
		}
		kbindex_close(&ix);
		if (text->len)
			return;
	}
	sbuf_addf(text,
		  "id: %s\n"
		  "title:\n"
		  "category: %s\n"
		  "scenario:\n"
		  "keywords: []\n"
		  "opening:\n"
		  "answer: |\n"
		  "  \n"
		  "closing:\n"
		  "notes:\n",
		  id, category ? category : "个人");
}

static int edit(const struct desk *d, const struct mine *m, const char *id, const char *category)
{
	struct sbuf before = SBUF_INIT, after = SBUF_INIT, cmd = SBUF_INIT;
	struct diags probs = DIAGS_INIT;
	struct kf_err err;
	char *path = mine_find(m, id), *saved = NULL;
	int code;

	if (!entry_id_valid(id))
		die("not an entry id '%s'", id);
	starting_text(d, path, id, category, &before);
	char *tmp = xasprintf("%s/.edit-%s-XXXXXX.yaml", m->dir, id);
	int fd = mkstemps(tmp, 5);
	if (fd < 0 || write(fd, before.buf, before.len) != (ssize_t)before.len || close(fd) < 0)
		die("cannot write '%s': %m", tmp);
	const char *editor = getenv("VISUAL");
	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	/* As git runs it: the editor's words through the shell, the file as "$1". */
	sbuf_addf(&cmd, "%s \"$1\"", editor);
	char *argv[] = { "sh", "-c", cmd.buf, "sh", tmp, NULL };
	if (spawn_program("/bin/sh", argv, -1, 0, NULL, &code, &err))
		die_err(&err);
	if (code)
		die("the editor '%s' failed (exit %d); your text is in '%s'", editor, code, tmp);
	if (sbuf_read_file(&after, tmp, ENTRY_MAX_BYTES) < 0)
		die("cannot read '%s': %m", tmp);
	int status = EXIT_FOUND;
	if (after.len == before.len && !memcmp(after.buf, before.buf, after.len)) {
		unlink(tmp);
		inform("%s: unchanged, nothing saved", id);
		if (!path)
			status = EXIT_NONE;
		goto out;
	}
	enum kf_status st = mine_save(m, after.buf, after.len, path, &saved, &probs, &err);
	if (st) {
		report(tmp, &probs);
		die("%s; nothing saved, your text is in '%s' (kb-mine -a it once fixed)",
		    st == KF_EINVAL && probs.n ? "not a valid entry" : err.msg, tmp);
	}
	unlink(tmp);
	puts(saved);
	free(saved);
out:
	free(tmp);
	free(path);
	diags_release(&probs);
	sbuf_release(&before);
	sbuf_release(&after);
	sbuf_release(&cmd);
	return status;
}

/* Every file checked first: one that is not an entry and none is added. */
static int add(const struct mine *m, char **files, size_t n)
{
	struct sbuf *text = xcalloc(n, sizeof(*text));
	char **replace = xcalloc(n, sizeof(*replace));
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		struct diags probs = DIAGS_INIT;
		struct entry e;
		if (sbuf_read_file(&text[i], files[i], ENTRY_MAX_BYTES) < 0) {
			error("cannot read '%s': %s", files[i], strerror(errno));
			bad = 1;
		} else if (entry_parse(text[i].buf, text[i].len, NULL, &e, &probs)) {
			report(files[i], &probs);
			bad = 1;
		} else {
			replace[i] = mine_find(m, e.id);
			entry_release(&e);
		}
		diags_release(&probs);
	}
	if (bad)
		die("nothing added");
	for (size_t i = 0; i < n; i++) {
		struct diags probs = DIAGS_INIT;
		struct kf_err err;
		char *saved;
		if (mine_save(m, text[i].buf, text[i].len, replace[i], &saved, &probs, &err))
			die_err(&err);
		puts(saved);
		free(saved);
		free(replace[i]);
		sbuf_release(&text[i]);
	}
	free(text);
	free(replace);
	return EXIT_FOUND;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "add", no_argument, NULL, 'a' },
		{ "category", required_argument, NULL, 'c' },
		{ "edit", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "path", no_argument, NULL, 'p' },
		{ "remove", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *edit_id = NULL, *category = NULL;
	int action = 0, json = 0, c, status = EXIT_FOUND;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":ac:C:e:hpr", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
		case 'e':
		case 'p':
		case 'r':
			if (action)
				die_usage("-a, -e, -p and -r exclude each other");
			action = c;
			if (c == 'e')
				edit_id = optarg;
			break;
		case 'c':
			category = optarg;
			break;
		case OPT_JSON:
			json = 1;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	int nargs = argc - optind;
	if (category && action != 'e')
		die_usage("-c goes with -e");
	if (json && action)
		die_usage("--json goes with the list only");
	if ((!action || action == 'e') && nargs)
		die_usage("unexpected argument '%s'", argv[optind]);
	if ((action == 'a' || action == 'r') && !nargs)
		die_usage("-%c needs %s", action, action == 'a' ? "files" : "ids");
	if (action == 'p' && nargs > 1)
		die_usage("-p takes one id at most");

	struct desk d;
	struct mine m;
	if (desk_find(&d, !cli_dir_given, &err) || mine_locate(&d, &m, &err))
		die_err(&err);
	if ((action == 'e' || action == 'a') && mine_make(&m, &err))
		die_err(&err);
	mode_t mode = action == 'p' ? 0 : mine_exposed(&m);
	if (mode)
		warn("'%s' is open to others (mode %04o): chmod 700 it", m.dir, (unsigned)mode);
	if (action == 'e') {
		status = edit(&d, &m, edit_id, category);
	} else if (action == 'a') {
		status = add(&m, argv + optind, (size_t)nargs);
	} else if (action == 'r') {
		for (int i = optind; i < argc; i++) {
			if (mine_remove(&m, argv[i], &err)) {
				error("%s", err.msg);
				status = EXIT_ERROR;
			}
		}
	} else if (action == 'p') {
		char *path = nargs ? mine_find(&m, argv[optind]) : xstrdup(m.dir);
		if (!path)
			die("no personal entry '%s'", argv[optind]);
		puts(path);
		free(path);
	} else {
		struct listing l = { .n = 0 };
		out_init(&l.o, stdout, json ? OUT_JSON : OUT_TSV);
		if (mine_each(&m, list_one, &l, cli_print_line, NULL, &err))
			die_err(&err);
		status = l.n ? EXIT_FOUND : EXIT_NONE;
	}
	mine_release(&m);
	desk_release(&d);
	return cli_exit(status);
}
