#include "entrydiff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

static int same(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && !strcmp(a, b);
}

static struct field_change *add(struct entry_diff *d, size_t *alloc, const char *field)
{
	ALLOC_GROW(d->v, d->n + 1, *alloc);
	struct field_change *f = &d->v[d->n++];
	memset(f, 0, sizeof(*f));
	f->field = field;
	return f;
}

static void text(struct entry_diff *d, size_t *alloc, const char *field, const char *a,
		 const char *b)
{
	if (same(a, b))
		return;
	struct field_change *f = add(d, alloc, field);
	f->old = a && *a ? a : NULL;
	f->new = b && *b ? b : NULL;
}

static int member(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

static void list(struct entry_diff *d, size_t *alloc, const char *field, char *const *a,
		 size_t na, char *const *b, size_t nb)
{
	const char **added = xcalloc(nb + 1, sizeof(*added));
	const char **removed = xcalloc(na + 1, sizeof(*removed));
	size_t nadded = 0, nremoved = 0;
	for (size_t i = 0; i < nb; i++)
		if (!member(a, na, b[i]))
			added[nadded++] = b[i];
	for (size_t i = 0; i < na; i++)
		if (!member(b, nb, a[i]))
			removed[nremoved++] = a[i];
	if (!nadded && !nremoved) {
		free(added);
		free(removed);
		return;
	}
	struct field_change *f = add(d, alloc, field);
	f->list = 1;
	f->added = added;
	f->removed = removed;
	f->nadded = nadded;
	f->nremoved = nremoved;
}

void entry_diff(const struct entry *a, const struct entry *b, struct entry_diff *d)
{
	static const struct entry none;
	size_t alloc = 0;
	if (!a)
		a = &none;
	if (!b)
		b = &none;
	d->v = NULL;
	d->n = 0;
	text(d, &alloc, "id", a->id, b->id);
	text(d, &alloc, "title", a->title, b->title);
	text(d, &alloc, "category", a->category, b->category);
	text(d, &alloc, "scenario", a->scenario, b->scenario);
	list(d, &alloc, "keywords", a->keywords, a->nkeywords, b->keywords, b->nkeywords);
	list(d, &alloc, "tags", a->tags, a->ntags, b->tags, b->ntags);
	text(d, &alloc, "opening", a->opening, b->opening);
	text(d, &alloc, "answer", a->answer, b->answer);
	text(d, &alloc, "closing", a->closing, b->closing);
	text(d, &alloc, "notes", a->notes, b->notes);
	text(d, &alloc, "effective", a->effective, b->effective);
	text(d, &alloc, "expires", a->expires, b->expires);
}

void entry_diff_release(struct entry_diff *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].added);
		free(d->v[i].removed);
	}
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

struct lines {
	const char **s;
	size_t *len;
	size_t n;
};

static void split(const char *t, struct lines *l)
{
	size_t alloc = 0, alloc2 = 0;
	l->s = NULL;
	l->len = NULL;
	l->n = 0;
	if (!t)
		return;
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) : strlen(t);
		ALLOC_GROW(l->s, l->n + 1, alloc);
		ALLOC_GROW(l->len, l->n + 1, alloc2);
		l->s[l->n] = t;
		l->len[l->n++] = n;
		t += n + (nl != NULL);
	}
}

static int eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->s[i], b->s[j], a->len[i]);
}

size_t line_diff(const char *ta, const char *tb, struct line_op **ops)
{
	struct lines a, b;
	size_t n = 0;
	split(ta, &a);
	split(tb, &b);
	*ops = xcalloc(a.n + b.n + 1, sizeof(**ops));
	if (a.n > LINEDIFF_MAX || b.n > LINEDIFF_MAX) {
		for (size_t i = 0; i < a.n; i++)
			(*ops)[n++] = (struct line_op){ '-', a.s[i], a.len[i] };
		for (size_t j = 0; j < b.n; j++)
			(*ops)[n++] = (struct line_op){ '+', b.s[j], b.len[j] };
		goto out;
	}
	/* lcs[i][j]: the longest common subsequence of a[i..] and b[j..]. */
	size_t w = b.n + 1;
	uint16_t *lcs = xcalloc((a.n + 1) * w, sizeof(*lcs));
	for (size_t i = a.n; i-- > 0;)
		for (size_t j = b.n; j-- > 0;)
			lcs[i * w + j] = eq(&a, i, &b, j) ? lcs[(i + 1) * w + j + 1] + 1
				: lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
									    : lcs[i * w + j + 1];
	size_t i = 0, j = 0;
	while (i < a.n || j < b.n) {
		if (i < a.n && j < b.n && eq(&a, i, &b, j)) {
			(*ops)[n++] = (struct line_op){ ' ', a.s[i], a.len[i] };
			i++, j++;
		} else if (i < a.n && (j == b.n || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			(*ops)[n++] = (struct line_op){ '-', a.s[i], a.len[i] };
			i++;
		} else {
			(*ops)[n++] = (struct line_op){ '+', b.s[j], b.len[j] };
			j++;
		}
	}
	free(lcs);
out:
	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
	return n;
}
