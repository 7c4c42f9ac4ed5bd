#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "strmap.h"
#include "utf8.h"

struct parser {
	const char *s, *end, *p;
	struct kf_err *err;
	int failed;
};

static void fail(struct parser *ps, const char *what)
{
	if (ps->failed)
		return;
	int line = 1, col = 1;
	for (const char *q = ps->s; q < ps->p && q < ps->end; q++) {
		if (*q == '\n')
			line++, col = 1;
		else if (((unsigned char)*q & 0xC0) != 0x80)
			col++;
	}
	kf_fail(ps->err, KF_EINVAL, "invalid JSON at line %d, column %d: %s", line, col, what);
	ps->failed = 1;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && strchr(" \t\r\n", *ps->p) && *ps->p)
		ps->p++;
}

static struct json *node(enum json_kind k)
{
	struct json *v = xcalloc(1, sizeof(*v));
	v->kind = k;
	return v;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return 0;
	}
	*out = v;
	return 1;
}

static char *string(struct parser *ps)
{
	struct sbuf sb = SBUF_INIT;
	ps->p++; /* the opening quote */
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p;
		if (c < 0x20) {
			fail(ps, "a control character inside a string");
			goto bad;
		}
		if (c != '\\') {
			uint32_t cp;
			size_t n = utf8_decode((const unsigned char *)ps->p,
					       (size_t)(ps->end - ps->p), &cp);
			if (cp == UTF8_INVALID) {
				fail(ps, "invalid UTF-8 in a string");
				goto bad;
			}
			sbuf_add(&sb, ps->p, n);
			ps->p += n;
			continue;
		}
		if (ps->end - ps->p < 2) {
			fail(ps, "an unfinished escape");
			goto bad;
		}
		char e = ps->p[1];
		ps->p += 2;
		const char *simple = strchr("\"\\/bfnrt", e);
		if (simple && e) {
			static const char out[] = "\"\\/\b\f\n\r\t";
			sbuf_addch(&sb, out[simple - "\"\\/bfnrt"]);
			continue;
		}
		unsigned u, lo;
		if (e != 'u' || ps->end - ps->p < 4 || !hex4(ps->p, &u)) {
			fail(ps, "an invalid escape");
			goto bad;
		}
		ps->p += 4;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' ||
			    !hex4(ps->p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
				fail(ps, "a lone surrogate in a \\u escape");
				goto bad;
			}
			ps->p += 6;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		} else if ((u >= 0xDC00 && u <= 0xDFFF) || u == 0) {
			fail(ps, u ? "a lone surrogate in a \\u escape" : "a NUL character");
			goto bad;
		}
		char enc[4];
		sbuf_add(&sb, enc, utf8_encode(u, enc));
	}
	if (ps->p >= ps->end) {
		fail(ps, "an unterminated string");
		goto bad;
	}
	ps->p++;
	return sbuf_detach(&sb);
bad:
	sbuf_release(&sb);
	return NULL;
}

static struct json *value(struct parser *ps, int depth);

static struct json *number(struct parser *ps)
{
	const char *start = ps->p;
	if (*ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0') {
		ps->p++;
	} else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9') {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	} else {
		fail(ps, "a malformed number");
		return NULL;
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
			fail(ps, "a malformed number");
			return NULL;
		}
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
			fail(ps, "a malformed number");
			return NULL;
		}
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	struct json *v = node(J_NUMBER);
	v->str = xstrndup(start, (size_t)(ps->p - start));
	return v;
}

static int literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, word, n)) {
		ps->p += n;
		return 1;
	}
	return 0;
}

/*
 * Whether obj already has key: a scan while it is small, then a hash set
 * of its keys, so that an object of a million keys is not a trillion
 * comparisons. Each key is added to the set as it is checked.
 */
static int key_seen(const struct json *obj, struct strmap *seen, const char *key)
{
	if (obj->n < 16) {
		for (size_t i = 0; i < obj->n; i++)
			if (!strcmp(obj->keys[i], key))
				return 1;
		return 0;
	}
	if (!seen->n)
		for (size_t i = 0; i < obj->n; i++)
			strmap_put(seen, obj->keys[i], "");
	return !strmap_put(seen, key, "");
}

static struct json *container(struct parser *ps, int depth, int object)
{
	struct json *v = node(object ? J_OBJECT : J_ARRAY);
	struct strmap seen = STRMAP_INIT;
	size_t alloc = 0, kalloc = 0;
	char close = object ? '}' : ']';
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "expected a key in quotes");
				break;
			}
			if (!(key = string(ps)))
				break;
			if (key_seen(v, &seen, key))
				fail(ps, "a key given twice");
			skip_ws(ps);
			if (ps->failed || ps->p >= ps->end || *ps->p != ':') {
				fail(ps, "expected ':' after a key");
				free(key);
				break;
			}
			ps->p++;
		}
		struct json *item = value(ps, depth + 1);
		if (!item) {
			free(key);
			break;
		}
		ALLOC_GROW(v->items, v->n + 1, alloc);
		if (object) {
			ALLOC_GROW(v->keys, v->n + 1, kalloc);
			v->keys[v->n] = key;
		}
		v->items[v->n++] = item;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			strmap_release(&seen);
			return v;
		}
		fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	strmap_release(&seen);
	json_free(v);
	return NULL;
}

static struct json *value(struct parser *ps, int depth)
{
	if (depth > JSON_MAX_DEPTH) {
		fail(ps, "nesting too deep");
		return NULL;
	}
	skip_ws(ps);
	if (ps->p >= ps->end) {
		fail(ps, "a value is missing");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return container(ps, depth, 1);
	case '[':
		return container(ps, depth, 0);
	case '"': {
		char *s = string(ps);
		if (!s)
			return NULL;
		struct json *v = node(J_STRING);
		v->str = s;
		return v;
	}
	default:
		if (literal(ps, "true") || literal(ps, "false")) {
			struct json *v = node(J_BOOL);
			v->boolean = ps->p[-1] == 'e' && ps->p[-2] == 'u';
			return v;
		}
		if (literal(ps, "null"))
			return node(J_NULL);
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return number(ps);
		fail(ps, "not a JSON value");
		return NULL;
	}
}

enum kf_status json_parse(const char *buf, size_t len, struct json **out, struct kf_err *err)
{
	struct parser ps = { buf, buf + len, buf, err, 0 };
	*out = NULL;
	struct json *v = value(&ps, 0);
	if (v) {
		skip_ws(&ps);
		if (ps.p < ps.end) {
			fail(&ps, "more after the value");
			json_free(v);
			v = NULL;
		}
	}
	if (!v)
		return KF_EINVAL;
	*out = v;
	return KF_OK;
}

void json_free(struct json *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->kind != J_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return obj->items[i];
	return NULL;
}

int json_int(const struct json *v, long long min, long long max, long long *out)
{
	if (!v || v->kind != J_NUMBER || strpbrk(v->str, ".eE"))
		return 0;
	char *end;
	errno = 0;
	long long n = strtoll(v->str, &end, 10);
	if (errno || *end || n < min || n > max)
		return 0;
	*out = n;
	return 1;
}

const char *json_kind_name(const struct json *v)
{
	static const char *const names[] = { "null",   "a boolean", "a number",
					     "a string", "an array", "an object" };
	return v ? names[v->kind] : "nothing";
}
