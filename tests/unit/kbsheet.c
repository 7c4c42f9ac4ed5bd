/*
 * Unit tests of the knowledge base as a sheet (kbsheet.h) and of an
 * entry written as its file (entry_yaml()), from a case table.
 */
#include "tap.h"

#include "kbsheet.h"
#include "sbuf.h"

/* The list as "a|b|c". */
static char *joined(char **v, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&sb, '|');
		sbuf_adds(&sb, v[i]);
	}
	return sbuf_detach(&sb);
}

/*
 * An entry of the case's fields (KEY=VALUE, lists with '|'), written and
 * read back: the same fields, and the file's text as the case says.
 */
static void written(char **f, int n, int lineno, const char *want)
{
	struct entry e;
	char *lists[2][8];
	size_t nl[2] = { 0, 0 };
	memset(&e, 0, sizeof(e));
	for (int i = 1; i < n - (want != NULL); i++) {
		char *eq = strchr(f[i], '=');
		if (!eq)
			continue;
		*eq = 0;
		char *v = eq + 1, **dst = NULL;
		const char *k = f[i];
		if (!strcmp(k, "id")) dst = &e.id;
		else if (!strcmp(k, "title")) dst = &e.title;
		else if (!strcmp(k, "category")) dst = &e.category;
		else if (!strcmp(k, "scenario")) dst = &e.scenario;
		else if (!strcmp(k, "opening")) dst = &e.opening;
		else if (!strcmp(k, "answer")) dst = &e.answer;
		else if (!strcmp(k, "closing")) dst = &e.closing;
		else if (!strcmp(k, "notes")) dst = &e.notes;
		else if (!strcmp(k, "effective")) snprintf(e.effective, 11, "%s", v);
		else if (!strcmp(k, "keywords") || !strcmp(k, "tags")) {
			int t = k[0] == 't';
			for (char *p = strtok(v, "|"); p && nl[t] < 8; p = strtok(NULL, "|"))
				lists[t][nl[t]++] = p;
		}
		if (dst)
			*dst = v;
	}
	e.keywords = lists[0];
	e.nkeywords = nl[0];
	e.tags = lists[1];
	e.ntags = nl[1];
	char *text = entry_yaml(&e);
	if (!tap_ok(text != NULL, "line %d: written", lineno))
		return;
	if (want)
		tap_is(text, want, "  its text");
	struct entry back;
	struct diags probs = DIAGS_INIT;
	int ok = entry_parse(text, strlen(text), NULL, &back, &probs) == KF_OK;
	if (tap_ok(ok, "line %d: read back", lineno)) {
		tap_ok(entry_same(&e, &back), "line %d: the same entry", lineno);
		entry_release(&back);
	} else {
		for (size_t i = 0; i < probs.n; i++)
			printf("# %d: %s: %s\n", probs.v[i].line, probs.v[i].key ? probs.v[i].key : "",
			       probs.v[i].msg);
		printf("# %s", text);
	}
	diags_release(&probs);
	free(text);
}

/* id<TAB>TITLE<TAB>ID; split<TAB>CELL<TAB>A|B|C; yaml<TAB>KEY=V...[<TAB>TEXT] */
static void run(char **f, int n, int lineno)
{
	char what[200];
	if (n == 3 && !strcmp(f[0], "id")) {
		char *id = kbsheet_id(f[1]);
		snprintf(what, sizeof(what), "line %d: id of '%.100s'", lineno, f[1]);
		tap_is(id, f[2], what);
		tap_ok(entry_id_valid(id), "  a valid id");
		free(id);
	} else if (n == 3 && !strcmp(f[0], "split")) {
		char **v = NULL;
		size_t nv = 0;
		kbsheet_split(f[1], &v, &nv);
		char *got = joined(v, nv);
		snprintf(what, sizeof(what), "line %d: split '%.100s'", lineno, f[1]);
		tap_is(got, f[2], what);
		free(got);
		for (size_t i = 0; i < nv; i++)
			free(v[i]);
		free(v);
	} else if (n >= 2 && !strcmp(f[0], "yaml")) {
		written(f, n, lineno, NULL);
	} else if (n >= 3 && !strcmp(f[0], "yaml-text")) {
		written(f, n, lineno, f[n - 1]);
	} else {
		tap_ok(0, "line %d: bad case", lineno);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("Bail out! usage: kbsheet CASES\n");
		return 2;
	}
	if (tap_cases(argv[1], run) <= 0)
		return 2;
	return tap_done();
}
