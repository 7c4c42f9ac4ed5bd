/* kb-lint: check entries, reporting every problem at once. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "desk.h"
#include "entry.h"
#include "history.h"
#include "repo.h"
#include "workflows.h"
#include "sbuf.h"
#include "strmap.h"

static const char usage[] =
	"usage: kb-lint [-C DIR] [FILE | DIRECTORY]...\n"
	"\n"
	"Check knowledge entries: YAML syntax, UTF-8, known keys, required keys,\n"
	"the id against the file name, the category against the directory, dates,\n"
	"and ids used twice; and the workflow files, each and against each other\n"
	"(departments, supervisors and calendars they name). Each problem is one\n"
	"line on stderr, FILE:LINE: key: problem. Without arguments, every entry\n"
	"in the desk's kb/, its workflow files, and main's history: a commit\n"
	"whose Approved-by: names someone other than its committer is a problem,\n"
	"main@COMMIT: Approved-by: ....\n"
	"\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when every entry is valid, 2 when one is not or on error.\n";

struct lint {
	struct strmap ids; /* id -> first file that used it */
	long files, bad;
};

static void report(const char *path, const struct diags *probs)
{
	for (size_t i = 0; i < probs->n; i++) {
		char *line = diag_format(path, &probs->v[i]);
		fprintf(stderr, "%s\n", line);
		free(line);
	}
}

static void workflow_problem(void *ctx, const char *line)
{
	struct lint *l = ctx;
	l->bad++;
	fprintf(stderr, "%s\n", line);
}

/*
 * The workflow files of the desk at root, each and against each other,
 * as the commands that act read them. Problems are named relative to
 * root, prefix before them when not empty.
 */
static void lint_workflows(struct lint *l, const char *root)
{
	struct workflows wf;
	struct kf_err err;
	l->files++;
	if (workflows_load_dir(root, &wf, workflow_problem, l, &err) == KF_OK)
		workflows_release(&wf);
}

/* A file under workflows/: all of them are checked, for they refer to each other. */
static int lint_workflow(struct lint *l, const char *path)
{
	const char *w = strstr(path, "workflows/");
	if (!w || strchr(w + strlen("workflows/"), '/'))
		return 0;
	char *root = w == path ? xstrdup(".") : xstrndup(path, (size_t)(w - path - 1));
	if (!*root) {
		free(root);
		root = xstrdup("/");
	}
	lint_workflows(l, root);
	free(root);
	return 1;
}

static void lint_file(struct lint *l, const char *path)
{
	if (lint_workflow(l, path))
		return;
	struct sbuf buf = SBUF_INIT;
	struct diags probs = DIAGS_INIT;
	struct entry e;

	l->files++;
	int r = sbuf_read_file(&buf, path, ENTRY_MAX_BYTES);
	if (r == -2) {
		diag_add(&probs, 0, NULL, "file too large (over %d bytes)", ENTRY_MAX_BYTES);
	} else if (r < 0) {
		diag_add(&probs, 0, NULL, "cannot read: %s", strerror(errno));
	} else if (entry_parse(buf.buf, buf.len, path, &e, &probs) == KF_OK) {
		const char *other = strmap_get(&l->ids, e.id);
		if (other)
			diag_add(&probs, 1, "id", "'%s' is also the id of '%s'", e.id, other);
		else
			strmap_put(&l->ids, e.id, path);
		entry_release(&e);
	}
	if (probs.n) {
		l->bad++;
		report(path, &probs);
	}
	diags_release(&probs);
	sbuf_release(&buf);
}

static void claim(void *ctx, const char *commit, const char *claimed, const char *committer)
{
	struct lint *l = ctx;
	l->bad++;
	fprintf(stderr, "main@%.10s: Approved-by: names '%s', but '%s' committed it\n", commit,
		claimed, committer);
}

/* Approvals main's history claims that nobody can vouch for. */
static void lint_history(struct lint *l, const char *root)
{
	struct repo *r = NULL;
	struct kf_err err;
	if (repo_open(root, &r, &err) || history_claims(r, claim, l, &err)) {
		fprintf(stderr, "%s: %s\n", cli_prog, err.msg);
		l->bad++;
	}
	if (r)
		repo_close(r);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.yaml below dir, in name order so that reports are stable. */
static void lint_dir(struct lint *l, const char *dir, int depth)
{
	DIR *dp = opendir(dir);
	char **names = NULL;
	size_t n = 0, alloc = 0;
	struct dirent *de;

	if (!dp) {
		fprintf(stderr, "%s: cannot read directory: %s\n", dir, strerror(errno));
		l->bad++;
		return;
	}
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		size_t len = strlen(names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth < 8)
				lint_dir(l, path, depth + 1);
		} else if (len > 5 && !strcmp(names[i] + len - 5, ".yaml")) {
			lint_file(l, path);
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

static void lint_path(struct lint *l, const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		lint_dir(l, path, 0);
	else
		lint_file(l, path);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct lint l = { STRMAP_INIT, 0, 0 };
	struct kf_err err;
	int c;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1)
		cli_common(c, optarg, argv);
	if (optind == argc) {
		struct desk d;
		if (desk_find(&d, !cli_dir_given, &err))
			die_err(&err);
		/* Report paths relative to the desk, as git and kb-index name them. */
		if (chdir(d.root) < 0)
			die("cannot change to '%s': %m", d.root);
		lint_dir(&l, "kb", 0);
		lint_workflows(&l, ".");
		lint_history(&l, d.root);
		desk_release(&d);
	}
	for (int i = optind; i < argc; i++)
		lint_path(&l, argv[i]);
	strmap_release(&l.ids);
	return cli_exit(l.bad ? EXIT_ERROR : EXIT_FOUND);
}
