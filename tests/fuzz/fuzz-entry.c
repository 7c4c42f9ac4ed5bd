/*
 * The entry reader (kb-lint, kb-propose, kb-index, kb-show) on any
 * bytes: an entry is refused with at least one problem, or read with
 * every promise of entry.h kept; and an entry read at no path reads
 * again at the path kb/CATEGORY/ID.yaml it would be committed to.
 * The YAML loader under it keeps its own promise too: no scalar holds
 * a NUL, written or escaped, since C strings would cut it short.
 */
#include "fuzz.h"

#include <string.h>

#include "problems.h"
#include "entry.h"
#include "utf8.h"
#include "yamldoc.h"

static int text(const char *s)
{
	return s && utf8_valid(s, strlen(s), NULL, NULL);
}

static int line(const char *s)
{
	return text(s) && *s && !strchr(s, '\n');
}

static void check_list(char **v, size_t n)
{
	fuzz_assert(n == 0 || v);
	for (size_t i = 0; i < n; i++)
		fuzz_assert(text(v[i]));
	fuzz_assert(!v || !v[n]);
}

static void check_tree(const struct ynode *n)
{
	if (!n)
		return;
	if (n->kind == YN_SCALAR)
		fuzz_assert(n->str && strlen(n->str) == n->len &&
			    utf8_valid(n->str, n->len, NULL, NULL));
	fuzz_assert(n->line >= 1);
	for (size_t i = 0; i < (n->kind == YN_MAP ? 2 * n->n : n->kind == YN_SEQ ? n->n : 0); i++)
		check_tree(n->kids[i]);
}

static void check_problems(const struct diags *probs)
{
	fuzz_assert(probs->n > 0);
	for (size_t i = 0; i < probs->n; i++) {
		fuzz_assert(probs->v[i].msg[0] && fuzz_one_line(probs->v[i].msg));
		fuzz_assert(probs->v[i].line >= 0);
		fuzz_assert(!probs->v[i].key || fuzz_one_line(probs->v[i].key));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct diags probs = DIAGS_INIT;
	struct entry e;
	struct ydoc doc;
	char msg[512];
	int at = 0;

	if (ydoc_parse(buf, size, &doc, &at, msg, sizeof(msg)) == KF_OK) {
		check_tree(doc.root);
		ydoc_release(&doc);
	} else {
		fuzz_assert(msg[0] && at >= 0);
	}

	if (entry_parse(buf, size, NULL, &e, &probs) != KF_OK) {
		check_problems(&probs);
		diags_release(&probs);
		return 0;
	}
	fuzz_assert(probs.n == 0);
	fuzz_assert(e.id && entry_id_valid(e.id));
	fuzz_assert(line(e.title) && line(e.category));
	fuzz_assert(!e.scenario || (text(e.scenario) && !strchr(e.scenario, '\n')));
	fuzz_assert(text(e.answer) && *e.answer);
	fuzz_assert(!e.opening || text(e.opening));
	fuzz_assert(!e.closing || text(e.closing));
	fuzz_assert(!e.notes || text(e.notes));
	check_list(e.keywords, e.nkeywords);
	check_list(e.tags, e.ntags);
	fuzz_assert(!e.effective[0] || entry_date_valid(e.effective));
	fuzz_assert(!e.expires[0] || entry_date_valid(e.expires));
	fuzz_assert(!e.effective[0] || !e.expires[0] || strcmp(e.effective, e.expires) < 0);

	/* Where kb-propose would put it, it reads the same. */
	char *path = malloc(strlen(e.category) + strlen(e.id) + 16);
	sprintf(path, "kb/%s/%s.yaml", e.category, e.id);
	struct entry again;
	if (entry_parse(buf, size, path, &again, &probs) != KF_OK) {
		fprintf(stderr, "refused at %s: %s\n", path, probs.v[0].msg);
		fuzz_assert(!"an entry reads at its own path");
	}
	fuzz_assert(!strcmp(again.id, e.id) && !strcmp(again.answer, e.answer));
	entry_release(&again);
	free(path);
	entry_release(&e);
	return 0;
}
