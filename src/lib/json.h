/*
 * json: a strict reader of one JSON value (RFC 8259), for the objects
 * scripts hand to kefu (ticket-open --json, ticket-import).
 *
 * Strings are decoded to UTF-8 (surrogate pairs joined; a lone surrogate
 * or a NUL escape is an error); numbers are kept as written and read
 * with json_int(). Nesting deeper than JSON_MAX_DEPTH is refused.
 *
 * Ownership: every value belongs to the json_doc; json_free() frees all.
 */
#ifndef KEFU_JSON_H
#define KEFU_JSON_H

#include <stddef.h>

#include "status.h"

#define JSON_MAX_DEPTH 64

enum json_kind { J_NULL, J_BOOL, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct json {
	enum json_kind kind;
	char *str;           /* J_STRING, J_NUMBER (as written) */
	int boolean;         /* J_BOOL */
	struct json **items; /* J_ARRAY items; J_OBJECT values */
	char **keys;         /* J_OBJECT keys, paired with items */
	size_t n;
};

/*
 * Parse buf[0..len) as exactly one value (surrounding white space
 * allowed). KF_EINVAL with the line and column of the problem.
 */
enum kf_status json_parse(const char *buf, size_t len, struct json **out, struct kf_err *err);
void json_free(struct json *v);

/* The value under key in an object, or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* A whole number within [min, max]: 1 read, 0 not one. */
int json_int(const struct json *v, long long min, long long max, long long *out);
/* "a string", "an array"... */
const char *json_kind_name(const struct json *v);

#endif
