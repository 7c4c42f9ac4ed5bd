#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key)
{
	size_t mask = m->cap - 1;
	for (size_t i = hash(key) & mask;; i = (i + 1) & mask)
		if (!m->slots[i].key || !strcmp(m->slots[i].key, key))
			return &m->slots[i];
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof(*m->slots));
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key) = old.slots[i];
	free(old.slots);
}

int strmap_put(struct strmap *m, const char *key, const char *val)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	struct strmap_slot *s = find(m, key);
	if (s->key) {
		free(s->val);
		s->val = xstrdup(val);
		return 0;
	}
	s->key = xstrdup(key);
	s->val = xstrdup(val);
	m->n++;
	return 1;
}

const char *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	struct strmap_slot *s = find(m, key);
	return s->key ? s->val : NULL;
}

void strmap_release(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		free(m->slots[i].key);
		free(m->slots[i].val);
	}
	free(m->slots);
	m->slots = NULL;
	m->n = m->cap = 0;
}
