/*
 * Unit tests of treediff, from tests/unit/treediff.cases: each case's
 * trees are built in a scratch repository, and the deltas checked against
 * the table and against git_diff_tree_to_tree().
 */
#include "tap.h"

#include <git2.h>
#include <unistd.h>

#include "sbuf.h"
#include "treediff.h"

static git_repository *repo;
static git_oid empty;

/* A tree of "path=content path2=content2 ..." ("-": none). */
static git_tree *build(const char *spec, int lineno)
{
	git_tree *base = NULL, *out = NULL;
	git_tree_update upd[64];
	char *copy = xstrdup(spec), *save = NULL;
	git_oid ids[64], id;
	char *paths[64];
	size_t n = 0;

	for (char *f = strtok_r(copy, " ", &save); f && n < 64; f = strtok_r(NULL, " ", &save)) {
		if (!strcmp(f, "-"))
			continue;
		char *eq = strchr(f, '=');
		if (!eq)
			break;
		*eq = '\0';
		size_t len = strlen(f);
		int exec = len && f[len - 1] == '*';
		if (exec)
			f[len - 1] = '\0';
		git_blob_create_from_buffer(&ids[n], repo, eq + 1, strlen(eq + 1));
		paths[n] = f;
		upd[n] = (git_tree_update){ GIT_TREE_UPDATE_UPSERT, ids[n],
					    exec ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB,
					    paths[n] };
		n++;
	}
	if (git_tree_lookup(&base, repo, &empty) < 0 ||
	    git_tree_create_updated(&id, repo, base, n, upd) < 0 ||
	    git_tree_lookup(&out, repo, &id) < 0)
		tap_ok(0, "line %d: cannot build '%s': %s", lineno, spec, git_error_last()->message);
	git_tree_free(base);
	free(copy);
	return out;
}

static const char letter[] = { [TREE_ADDED] = 'A', [TREE_MODIFIED] = 'M', [TREE_DELETED] = 'D' };

static void one(char **f, int n, int lineno)
{
	if (n < 3) {
		tap_ok(0, "line %d: a case has a name, two trees and the deltas", lineno);
		return;
	}
	git_tree *a = build(f[1], lineno), *b = build(f[2], lineno);
	struct tree_diff d;
	struct sbuf got = SBUF_INIT, ref = SBUF_INIT;
	int rc = tree_diff(repo, a, b, NULL, &d);
	for (size_t i = 0; i < d.n; i++)
		sbuf_addf(&got, "%s%c:%s", i ? " " : "", letter[d.v[i].status], d.v[i].path);
	tap_ok(rc == 0, "%s: no error", f[0]);
	tap_is(got.buf ? got.buf : "", n > 3 ? f[3] : "", f[0]);

	/* libgit2's diff (type changes split as git does) gives the same. */
	git_diff *gd = NULL;
	git_diff_options o;
	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	if (git_diff_tree_to_tree(&gd, repo, a, b, &o) == 0) {
		for (size_t i = 0; i < git_diff_num_deltas(gd); i++) {
			const git_diff_delta *dl = git_diff_get_delta(gd, i);
			char c = dl->status == GIT_DELTA_ADDED ? 'A' : dl->status == GIT_DELTA_DELETED ? 'D' : 'M';
			sbuf_addf(&ref, "%s%c:%s", i ? " " : "", c,
				  c == 'D' ? dl->old_file.path : dl->new_file.path);
		}
	}
	tap_is(got.buf ? got.buf : "", ref.buf ? ref.buf : "", "as libgit2 has it");
	git_diff_free(gd);
	sbuf_release(&got);
	sbuf_release(&ref);
	tree_diff_release(&d);
	git_tree_free(a);
	git_tree_free(b);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/kefu-treediff.XXXXXX";
	if (argc != 2 || !mkdtemp(dir)) {
		printf("Bail out! usage: treediff CASES (and a writable /tmp)\n");
		return 1;
	}
	git_libgit2_init();
	git_treebuilder *tb;
	if (git_repository_init(&repo, dir, 1) < 0 || git_treebuilder_new(&tb, repo, NULL) < 0 ||
	    git_treebuilder_write(&empty, tb) < 0) {
		printf("Bail out! cannot make a repository in %s\n", dir);
		return 1;
	}
	git_treebuilder_free(tb);
	int r = tap_cases(argv[1], one);
	git_repository_free(repo);
	git_libgit2_shutdown();
	char *rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		tap_ok(0, "remove %s", dir);
	free(rm);
	return r < 0 ? 1 : tap_done();
}
