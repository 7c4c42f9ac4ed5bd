/*
 * strmap: a hash map from strings to strings, both copied and owned by
 * the map; strmap_release() frees everything.
 */
#ifndef KEFU_STRMAP_H
#define KEFU_STRMAP_H

#include <stddef.h>

struct strmap {
	struct strmap_slot {
		char *key, *val;
	} *slots;
	size_t n, cap; /* cap is 0 or a power of two */
};

#define STRMAP_INIT { NULL, 0, 0 }

/* Set key to val (a copy); returns 1 when key was new. */
int strmap_put(struct strmap *m, const char *key, const char *val);
/* The value for key, or NULL. */
const char *strmap_get(const struct strmap *m, const char *key);
void strmap_release(struct strmap *m);

#endif
