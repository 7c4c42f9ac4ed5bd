#include "figures.h"

#include <stdlib.h>

#include "sbuf.h"

void samples_add(struct samples *s, int64_t v)
{
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	s->v[s->n++] = v;
	s->sorted = 0;
}

void samples_release(struct samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->alloc = 0;
	s->sorted = 0;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int64_t figure_percentile(struct samples *s, int p)
{
	if (!s->n || p < 1 || p > 100)
		return FIGURE_NONE;
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof(*s->v), cmp64);
		s->sorted = 1;
	}
	/* ceil(p * n / 100), in integers */
	size_t rank = ((size_t)p * s->n + 99) / 100;
	return s->v[rank - 1];
}

int64_t figure_mean(int64_t sum, int64_t n)
{
	return n > 0 ? (2 * sum + n) / (2 * n) : FIGURE_NONE;
}

int64_t figure_share(int64_t k, int64_t n)
{
	return n > 0 ? (20000 * k + n) / (2 * n) : FIGURE_NONE;
}

int64_t figure_score(int64_t sum, int64_t n)
{
	return n > 0 ? (200 * sum + n) / (2 * n) : FIGURE_NONE;
}

const int64_t figure_bucket_edge[FIGURE_BUCKETS] = {
	0, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400,
};

int figure_bucket(int64_t secs)
{
	int i = FIGURE_BUCKETS - 1;
	while (i > 0 && secs < figure_bucket_edge[i])
		i--;
	return i;
}
