#include "yamldoc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sbuf.h"
#include "utf8.h"

/* Bump allocation: a document's nodes all die together. */
struct block {
	struct block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

static void *arena_alloc(void **arena, size_t n)
{
	struct block *b = *arena;
	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size_t size = n > 8192 ? n : 8192;
		struct block *nb = xmalloc(sizeof(*nb) + size);
		nb->next = b;
		nb->used = 0;
		nb->size = size;
		*arena = b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void ydoc_release(struct ydoc *doc)
{
	struct block *b = doc->arena;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	doc->arena = NULL;
	doc->root = NULL;
}

/* A container being filled, before its kids move into the arena. */
struct frame {
	struct ynode *node;
	struct ynode **kids;
	size_t n, alloc;
};

#define MAX_MAP_KEYS 4096

static int fail(int *line, char *msg, size_t size, int at, const char *what)
{
	*line = at;
	snprintf(msg, size, "%s", what);
	return KF_EINVAL;
}

/*
 * A NUL inside a scalar (a "\0" escape, or "\x00", "\u0000") would cut
 * every C string made of it short and hide the rest: refused, naming
 * the key whose value holds it, or saying it is a key.
 */
static int nul_in_scalar(const struct frame *stack, int depth, int at, int *line, char *msg,
			 size_t size)
{
	const char *why = "a NUL character (\\0) is not allowed in any text";
	for (int i = depth - 1; i >= 0; i--) {
		const struct frame *f = &stack[i];
		if (f->node->kind != YN_MAP)
			continue;
		if (f->n % 2 == 1) {
			*line = at;
			snprintf(msg, size, "%.100s: %s", f->kids[f->n - 1]->str, why);
			return KF_EINVAL;
		}
		if (i == depth - 1) {
			*line = at;
			snprintf(msg, size, "%s, not even in a key", why);
			return KF_EINVAL;
		}
	}
	*line = at;
	snprintf(msg, size, "%s", why);
	return KF_EINVAL;
}

static int add_kid(struct frame *f, struct ynode *kid, char *msg, size_t size)
{
	if (f->node->kind == YN_MAP && f->n % 2 == 0) {
		if (kid->kind != YN_SCALAR) {
			snprintf(msg, size, "a key must be a plain string");
			return -1;
		}
		if (f->n / 2 >= MAX_MAP_KEYS) {
			snprintf(msg, size, "more than %d keys in one mapping", MAX_MAP_KEYS);
			return -1;
		}
		for (size_t i = 0; i < f->n; i += 2) {
			if (f->kids[i]->len == kid->len &&
			    !memcmp(f->kids[i]->str, kid->str, kid->len)) {
				snprintf(msg, size, "duplicate key '%.64s'", kid->str);
				return -1;
			}
		}
	}
	ALLOC_GROW(f->kids, f->n + 1, f->alloc);
	f->kids[f->n++] = kid;
	return 0;
}

static const char *event_anchor(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.anchor;
	default:
		return NULL;
	}
}

static const char *event_tag(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return (const char *)ev->data.scalar.tag;
	case YAML_SEQUENCE_START_EVENT:
		return (const char *)ev->data.sequence_start.tag;
	case YAML_MAPPING_START_EVENT:
		return (const char *)ev->data.mapping_start.tag;
	default:
		return NULL;
	}
}

enum kf_status ydoc_parse(const char *buf, size_t len, struct ydoc *doc, int *line,
			  char *msg, size_t msgsize)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct frame stack[YDOC_MAX_DEPTH + 1];
	int depth = 0, docs = 0, done = 0;
	enum kf_status st = KF_OK;
	size_t bad;

	doc->root = NULL;
	doc->arena = NULL;
	*line = 0;
	msg[0] = '\0';
	if (!utf8_valid(buf, len, line, &bad)) {
		unsigned char c = (unsigned char)buf[bad];
		if (c == 0)
			snprintf(msg, msgsize, "NUL byte at offset %zu", bad);
		else
			snprintf(msg, msgsize, "invalid UTF-8 (byte 0x%02X at offset %zu)", c, bad);
		return KF_EINVAL;
	}

	/* A byte-order mark is harmless in UTF-8; libyaml would take it as text. */
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		buf += 3;
		len -= 3;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			char what[512];
			snprintf(what, sizeof(what), "%s%s%s",
				 parser.problem ? parser.problem : "syntax error",
				 parser.context ? " " : "",
				 parser.context ? parser.context : "");
			st = fail(line, msg, msgsize, (int)parser.problem_mark.line + 1, what);
			break;
		}
		int at = (int)ev.start_mark.line + 1;
		struct ynode *node = NULL;

		if (event_anchor(&ev)) {
			st = fail(line, msg, msgsize, at, "anchors (&name) are not allowed");
		} else if (event_tag(&ev)) {
			st = fail(line, msg, msgsize, at, "explicit tags (!tag) are not allowed");
		}
		switch (st ? YAML_NO_EVENT : ev.type) {
		case YAML_NO_EVENT:
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				st = fail(line, msg, msgsize, at, "more than one YAML document");
			break;
		case YAML_ALIAS_EVENT:
			st = fail(line, msg, msgsize, at, "aliases (*name) are not allowed");
			break;
		case YAML_SCALAR_EVENT:
			if (memchr(ev.data.scalar.value, '\0', ev.data.scalar.length)) {
				st = nul_in_scalar(stack, depth, at, line, msg, msgsize);
				break;
			}
			node = arena_alloc(&doc->arena, sizeof(*node));
			memset(node, 0, sizeof(*node));
			node->kind = YN_SCALAR;
			node->line = at;
			node->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			node->len = ev.data.scalar.length;
			node->str = arena_alloc(&doc->arena, node->len + 1);
			memcpy(node->str, ev.data.scalar.value, node->len);
			node->str[node->len] = '\0';
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth == YDOC_MAX_DEPTH) {
				st = fail(line, msg, msgsize, at, "nesting too deep");
				break;
			}
			node = arena_alloc(&doc->arena, sizeof(*node));
			memset(node, 0, sizeof(*node));
			node->kind = ev.type == YAML_SEQUENCE_START_EVENT ? YN_SEQ : YN_MAP;
			node->line = at;
			stack[depth].node = node;
			stack[depth].kids = NULL;
			stack[depth].n = stack[depth].alloc = 0;
			depth++;
			node = NULL; /* attached when it closes */
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT: {
			struct frame *f = &stack[--depth];
			node = f->node;
			node->n = node->kind == YN_MAP ? f->n / 2 : f->n;
			node->kids = arena_alloc(&doc->arena, (f->n + 1) * sizeof(*node->kids));
			if (f->n)
				memcpy(node->kids, f->kids, f->n * sizeof(*node->kids));
			free(f->kids);
			break;
		}
		}
		if (!st && node) {
			if (depth == 0) {
				doc->root = node;
			} else if (add_kid(&stack[depth - 1], node, msg, msgsize) < 0) {
				*line = node->line;
				st = KF_EINVAL;
			}
		}
		yaml_event_delete(&ev);
		if (st)
			break;
	}
	while (depth > 0)
		free(stack[--depth].kids);
	yaml_parser_delete(&parser);
	if (st)
		ydoc_release(doc);
	return st;
}

int ynode_is_null(const struct ynode *n)
{
	if (!n)
		return 1;
	if (n->kind != YN_SCALAR || !n->plain)
		return 0;
	return !strcmp(n->str, "") || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
	       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(map->kids[2 * i]->str, key))
			return map->kids[2 * i + 1];
	return NULL;
}

const char *ynode_kind_name(const struct ynode *n)
{
	if (!n)
		return "nothing";
	switch (n->kind) {
	case YN_SCALAR:
		return "a string";
	case YN_SEQ:
		return "a list";
	case YN_MAP:
		return "a mapping";
	}
	return "?";
}

const char *yget_str(const struct ynode *map, const char *key, int required,
		     struct diags *probs)
{
	const struct ynode *v = ynode_get(map, key);
	if (!v || ynode_is_null(v)) {
		if (required)
			diag_add(probs, v ? v->line : map->line, key, "required key is missing");
		return NULL;
	}
	if (v->kind != YN_SCALAR) {
		diag_add(probs, v->line, key, "expected a string, not %s", ynode_kind_name(v));
		return NULL;
	}
	return v->str;
}

char **ynode_list(const struct ynode *v, const char *key, int strict, size_t *n,
		  struct diags *probs)
{
	*n = 0;
	if (!v || ynode_is_null(v))
		return NULL;
	if (v->kind != YN_SEQ) {
		diag_add(probs, v->line, key, "expected a list such as [a, b], not %s",
			 ynode_kind_name(v));
		return NULL;
	}
	char **out = xcalloc(v->n + 1, sizeof(*out));
	for (size_t i = 0; i < v->n; i++) {
		const struct ynode *it = v->kids[i];
		if (it->kind != YN_SCALAR || ynode_is_null(it)) {
			diag_add(probs, it->line, key, "item %zu: expected a word, not %s", i + 1,
				 ynode_is_null(it) ? "an empty value" : ynode_kind_name(it));
			continue;
		}
		if (strict && strchr(it->str, '\n')) {
			diag_add(probs, it->line, key, "item %zu: must be one line", i + 1);
			continue;
		}
		int twice = 0;
		for (size_t k = 0; strict && k < *n && !twice; k++)
			twice = !strcmp(out[k], it->str);
		if (twice) {
			diag_add(probs, it->line, key, "'%s' is listed twice", it->str);
			continue;
		}
		out[(*n)++] = xstrdup(it->str);
	}
	return out;
}

char **yget_list(const struct ynode *map, const char *key, size_t *n, struct diags *probs)
{
	return ynode_list(ynode_get(map, key), key, 0, n, probs);
}

int yget_int(const struct ynode *map, const char *key, long min, long max, long *out,
	     struct diags *probs)
{
	const char *s = yget_str(map, key, 0, probs);
	if (!s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < min || v > max) {
		diag_add(probs, ynode_get(map, key)->line, key,
			 "expected a whole number from %ld to %ld, not '%.40s'", min, max, s);
		return -1;
	}
	*out = v;
	return 1;
}

void ycheck_keys(const struct ynode *map, const char *const *known, const char *where,
		 struct diags *probs)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct ynode *k = map->kids[2 * i];
		const char *const *p = known;
		while (*p && strcmp(*p, k->str))
			p++;
		if (!*p)
			diag_add(probs, k->line, k->str, "unknown key%s%s", where ? " in " : "",
				 where ? where : "");
	}
}

const struct ynode *yexpect_map(const struct ynode *n, const char *what, struct diags *probs)
{
	if (n && n->kind == YN_MAP)
		return n;
	diag_add(probs, n ? n->line : 1, NULL, "%s must be a mapping of keys, not %s", what,
		 ynode_kind_name(n));
	return NULL;
}

void ylist_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}
