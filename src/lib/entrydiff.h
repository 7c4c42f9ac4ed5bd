/*
 * entrydiff: what changed between two versions of an entry, field by
 * field, and between two texts, line by line.
 *
 * Ownership: the diff points into the entries compared (keep them alive)
 * and owns only its arrays; entry_diff_release() frees them.
 */
#ifndef KEFU_ENTRYDIFF_H
#define KEFU_ENTRYDIFF_H

#include <stddef.h>

#include "entry.h"

struct field_change {
	const char *field;
	int list;             /* keywords, tags: items added and removed */
	const char *old, *new; /* text fields; NULL when absent */
	const char **added, **removed;
	size_t nadded, nremoved;
};

struct entry_diff {
	struct field_change *v;
	size_t n;
};

/* The fields that differ between a and b, in the entry's key order. */
void entry_diff(const struct entry *a, const struct entry *b, struct entry_diff *d);
void entry_diff_release(struct entry_diff *d);

struct line_op {
	char op; /* ' ' kept, '-' removed, '+' added */
	const char *s;
	size_t len;
};

/*
 * A shortest edit script from text a to b, by lines (the longest common
 * subsequence). *ops is allocated; returns how many. Texts of more than
 * LINEDIFF_MAX lines each are shown as all removed, then all added.
 */
#define LINEDIFF_MAX 2000
size_t line_diff(const char *a, const char *b, struct line_op **ops);

#endif
