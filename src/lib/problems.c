#include "problems.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "status.h"

/* A problem is one line: "FILE:LINE: key: problem" (kf_one_line()). */
static char *one_line(const char *s)
{
	size_t size = 6 * strlen(s) + 1;
	char *out = xmalloc(size);
	kf_one_line(out, size, s);
	return out;
}

void diag_add(struct diags *d, int line, const char *key, const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(d->v, d->n + 1, d->alloc);
	d->v[d->n].line = line;
	d->v[d->n].key = key ? one_line(key) : NULL;
	d->v[d->n].msg = one_line(sb.buf);
	d->n++;
	sbuf_release(&sb);
}

void diags_release(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].key);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->alloc = 0;
}

char *diag_format(const char *file, const struct diag *dg)
{
	struct sbuf sb = SBUF_INIT;
	sbuf_adds(&sb, file);
	if (dg->line > 0)
		sbuf_addf(&sb, ":%d", dg->line);
	sbuf_adds(&sb, ": ");
	if (dg->key)
		sbuf_addf(&sb, "%s: ", dg->key);
	sbuf_adds(&sb, dg->msg);
	return sbuf_detach(&sb);
}

void held_add(struct held *h, long row, const char *line)
{
	ALLOC_GROW(h->v, h->n + 1, h->alloc);
	h->v[h->n].row = row;
	h->v[h->n].n = h->n;
	h->v[h->n].line = xstrdup(line);
	h->n++;
}

static int by_row(const void *a, const void *b)
{
	const struct held_line *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

void held_tell(struct held *h, problem_fn fn, void *ctx)
{
	if (h->n)
		qsort(h->v, h->n, sizeof(*h->v), by_row);
	for (size_t i = 0; i < h->n; i++) {
		fn(ctx, h->v[i].line);
		free(h->v[i].line);
	}
	free(h->v);
	h->v = NULL;
	h->n = h->alloc = 0;
}
