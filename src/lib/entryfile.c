/* Reading an entry from its YAML file, and checking all of it. */
#include "entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "yamldoc.h"

enum field_type { F_LINE, F_TEXT, F_LIST, F_DATE };

static const struct field {
	const char *key;
	enum field_type type;
	int required;
	size_t offset;
	size_t count; /* F_LIST: where the item count goes */
} fields[] = {
	{ "id", F_LINE, 1, offsetof(struct entry, id), 0 },
	{ "title", F_LINE, 1, offsetof(struct entry, title), 0 },
	{ "category", F_LINE, 1, offsetof(struct entry, category), 0 },
	{ "scenario", F_LINE, 0, offsetof(struct entry, scenario), 0 },
	{ "keywords", F_LIST, 0, offsetof(struct entry, keywords), offsetof(struct entry, nkeywords) },
	{ "tags", F_LIST, 0, offsetof(struct entry, tags), offsetof(struct entry, ntags) },
	{ "opening", F_TEXT, 0, offsetof(struct entry, opening), 0 },
	{ "answer", F_TEXT, 1, offsetof(struct entry, answer), 0 },
	{ "closing", F_TEXT, 0, offsetof(struct entry, closing), 0 },
	{ "notes", F_TEXT, 0, offsetof(struct entry, notes), 0 },
	{ "effective", F_DATE, 0, offsetof(struct entry, effective), 0 },
	{ "expires", F_DATE, 0, offsetof(struct entry, expires), 0 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The directory an entry sits in, when that directory is under kb/. */
static char *path_category(const char *path)
{
	const char *end = strrchr(path, '/');
	if (!end)
		return NULL;
	const char *start = end;
	while (start > path && start[-1] != '/')
		start--;
	if (start == end)
		return NULL;
	/* start..end is the parent; it counts only when its parent is kb */
	const char *gp_end = start - 1;
	if (start == path || gp_end < path)
		return NULL;
	const char *gp = gp_end;
	while (gp > path && gp[-1] != '/')
		gp--;
	if (gp_end - gp != 2 || strncmp(gp, "kb", 2))
		return NULL;
	return xstrndup(start, (size_t)(end - start));
}

static unsigned edit_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned row[32];
	if (na >= 31 || nb >= 31)
		return 99;
	for (size_t j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

static int blank(const char *s)
{
	return s[strspn(s, " \t\n\r")] == '\0';
}

static const struct field *find_field(const char *key)
{
	for (size_t i = 0; i < NFIELDS; i++)
		if (!strcmp(fields[i].key, key))
			return &fields[i];
	return NULL;
}

static void unknown_key(struct diags *probs, const struct ynode *k)
{
	const char *best = NULL;
	unsigned bestd = 3;
	for (size_t i = 0; i < NFIELDS; i++) {
		unsigned d = edit_distance(k->str, fields[i].key);
		if (d < bestd)
			bestd = d, best = fields[i].key;
	}
	if (best)
		diag_add(probs, k->line, k->str, "unknown key (did you mean '%s'?)", best);
	else
		diag_add(probs, k->line, k->str, "unknown key");
}

static void check_path(const struct entry *e, const char *path, int idline, int catline,
		       struct diags *probs)
{
	char *stem = entry_path_id(path);
	if (!stem)
		diag_add(probs, 0, NULL, "an entry's file name must end in .yaml");
	else if (e->id && strcmp(stem, e->id))
		diag_add(probs, idline, "id", "'%s' does not match the file name '%s.yaml'",
			 e->id, stem);
	free(stem);
	char *dir = path_category(path);
	if (dir && e->category && strcmp(dir, e->category))
		diag_add(probs, catline, "category",
			 "'%s' does not match the directory 'kb/%s'", e->category, dir);
	free(dir);
}

enum kf_status entry_parse(const char *buf, size_t len, const char *path,
			   struct entry *e, struct diags *probs)
{
	struct ydoc doc;
	char msg[512];
	int line = 0, idline = 0, catline = 0;
	size_t before = probs->n;

	memset(e, 0, sizeof(*e));
	if (len > ENTRY_MAX_BYTES) {
		diag_add(probs, 0, NULL, "file too large (%zu bytes; an entry may have %d)",
			 len, ENTRY_MAX_BYTES);
		return KF_EINVAL;
	}
	if (ydoc_parse(buf, len, &doc, &line, msg, sizeof(msg)) != KF_OK) {
		diag_add(probs, line, NULL, "%s", msg);
		return KF_EINVAL;
	}
	const struct ynode *root = doc.root;
	if (!root || ynode_is_null(root)) {
		diag_add(probs, 1, NULL, "empty file: an entry needs id, title, category and answer");
		ydoc_release(&doc);
		return KF_EINVAL;
	}
	if (root->kind != YN_MAP) {
		diag_add(probs, root->line, NULL, "an entry must be a mapping of keys, not %s",
			 ynode_kind_name(root));
		ydoc_release(&doc);
		return KF_EINVAL;
	}

	for (size_t i = 0; i < root->n; i++) {
		const struct ynode *k = root->kids[2 * i], *v = root->kids[2 * i + 1];
		const struct field *f = find_field(k->str);
		if (!f) {
			unknown_key(probs, k);
			continue;
		}
		void *slot = (char *)e + f->offset;
		if (!strcmp(f->key, "id"))
			idline = k->line;
		if (!strcmp(f->key, "category"))
			catline = k->line;
		if (f->type == F_LIST) {
			size_t *count = (size_t *)((char *)e + f->count);
			*(char ***)slot = ynode_list(v, f->key, 1, count, probs);
			continue;
		}
		if (ynode_is_null(v))
			continue; /* reported below when required */
		if (v->kind != YN_SCALAR) {
			diag_add(probs, v->line, f->key, "expected %s, not %s",
				 f->type == F_DATE ? "a date YYYY-MM-DD" : "a string",
				 ynode_kind_name(v));
			continue;
		}
		if (f->type == F_DATE) {
			if (!entry_date_valid(v->str))
				diag_add(probs, v->line, f->key, "'%.40s' is not a date YYYY-MM-DD",
					 v->str);
			else
				memcpy(slot, v->str, 11);
			continue;
		}
		if (f->type == F_LINE && strchr(v->str, '\n')) {
			diag_add(probs, v->line, f->key, "must be one line");
			continue;
		}
		*(char **)slot = xstrdup(v->str);
	}

	for (size_t i = 0; i < NFIELDS; i++) {
		if (!fields[i].required)
			continue;
		const struct ynode *v = ynode_get(root, fields[i].key);
		if (!v)
			diag_add(probs, root->line, fields[i].key, "required key is missing");
		else if (ynode_is_null(v) || (v->kind == YN_SCALAR && blank(v->str)))
			diag_add(probs, v->line, fields[i].key, "must not be empty");
	}
	if (e->id && !entry_id_valid(e->id))
		diag_add(probs, idline, "id",
			 "'%.80s' is not a valid id: 1 to 64 of a-z, 0-9 and '-', not starting with '-'",
			 e->id);
	if (e->category && !entry_category_valid(e->category))
		diag_add(probs, catline, "category",
			 "'%.80s' is not a category: one directory name, without '/', "
			 "not '.' or '..', at most 255 bytes",
			 e->category);
	if (e->effective[0] && e->expires[0] && strcmp(e->effective, e->expires) >= 0)
		diag_add(probs, ynode_get(root, "expires")->line, "expires",
			 "%s is not after effective %s", e->expires, e->effective);
	if (path)
		check_path(e, path, idline, catline, probs);
	ydoc_release(&doc);
	if (probs->n > before) {
		entry_release(e);
		return KF_EINVAL;
	}
	return KF_OK;
}
