#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* How a string is written: in a JSON string, a TSV field, or for a terminal. */
enum esc { ESC_JSON, ESC_TSV, ESC_TEXT, ESC_TEXT_LINES };

/* A C1 control, U+0080 to U+009F, in UTF-8: 0xC2 then 0x80..0x9F. */
static int c1_at(const unsigned char *p, size_t left)
{
	return left >= 2 && p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
}

/*
 * n bytes of s into sb, escaped for mode. Controls are never written
 * raw, C1 ones included: legal in JSON and in text, but a terminal may
 * obey them.
 */
static void escape(struct sbuf *sb, const char *s, size_t n, enum esc mode)
{
	const unsigned char *p = (const unsigned char *)s;
	int json = mode == ESC_JSON, text = mode >= ESC_TEXT;
	while (n) {
		unsigned char c = *p;
		size_t k = 1;
		if (c1_at(p, n)) {
			sbuf_addf(sb, "\\u%04x", p[1]);
			k = 2;
		} else if ((c == '\t' && text) || (c == '\n' && mode == ESC_TEXT_LINES)) {
			sbuf_addch(sb, c);
		} else if ((c == '\\' || c == '"') && !text && (json || c == '\\')) {
			sbuf_addch(sb, '\\');
			sbuf_addch(sb, c);
		} else if (c == '\t' || c == '\n' || (c == '\r' && !text)) {
			sbuf_addch(sb, '\\');
			sbuf_addch(sb, c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
		} else if (c < 0x20 || c == 0x7F) {
			sbuf_addf(sb, json ? "\\u%04x" : "\\x%02x", c);
		} else {
			sbuf_addch(sb, c);
		}
		p += k;
		n -= k;
	}
}

void text_write(FILE *fp, const char *s, size_t n, int multiline)
{
	struct sbuf sb = SBUF_INIT;
	escape(&sb, s, n, multiline ? ESC_TEXT_LINES : ESC_TEXT);
	fwrite(sb.buf, 1, sb.len, fp);
	sbuf_release(&sb);
}

void out_init(struct out *o, FILE *fp, enum out_format fmt)
{
	memset(o, 0, sizeof(*o));
	o->fp = fp;
	o->fmt = fmt;
	sbuf_init(&o->rec);
}

static int json(const struct out *o)
{
	return o->fmt == OUT_JSON;
}

/* Start a value of the innermost container: its separator and key. */
static int value(struct out *o, const char *key)
{
	if (o->bad)
		return 0;
	if (!o->depth || (o->kind[o->depth - 1] == 'm' && !key)) {
		o->bad = 1;
		return 0;
	}
	int d = o->depth - 1;
	if (o->count[d]++)
		sbuf_addch(&o->rec, json(o) || d ? ',' : '\t');
	if (json(o) && o->kind[d] == 'm') {
		sbuf_addch(&o->rec, '"');
		escape(&o->rec, key, strlen(key), ESC_JSON);
		sbuf_adds(&o->rec, "\":");
	}
	return 1;
}

static void open_container(struct out *o, char kind)
{
	if (o->depth >= OUT_MAX_DEPTH) {
		o->bad = 1;
		return;
	}
	o->kind[o->depth] = kind;
	o->count[o->depth++] = 0;
	if (json(o))
		sbuf_addch(&o->rec, kind == 'm' ? '{' : '[');
}

/* The record's own map is closed by out_end(), never here. */
static void close_container(struct out *o, char kind)
{
	if (o->bad)
		return;
	if (o->depth < 2 || o->kind[o->depth - 1] != kind) {
		o->bad = 1;
		return;
	}
	o->depth--;
	if (json(o))
		sbuf_addch(&o->rec, kind == 'm' ? '}' : ']');
}

void out_begin(struct out *o)
{
	sbuf_reset(&o->rec);
	o->depth = 0;
	o->bad = 0;
	open_container(o, 'm');
}

void out_discard(struct out *o)
{
	sbuf_release(&o->rec);
	o->depth = 0;
	o->bad = 0;
}

/* Close the record; 0 when it is whole, else -1 and it is dropped. */
static int finish(struct out *o)
{
	if (o->bad || o->depth != 1) {
		out_discard(o);
		errno = EINVAL;
		return -1;
	}
	if (json(o))
		sbuf_addch(&o->rec, '}');
	o->depth = 0;
	return 0;
}

int out_end(struct out *o)
{
	if (finish(o))
		return -1;
	sbuf_addch(&o->rec, '\n');
	size_t len = o->rec.len;
	int ok = fwrite(o->rec.buf, 1, len, o->fp) == len;
	out_discard(o);
	return ok ? 0 : -1;
}

char *out_end_string(struct out *o)
{
	return finish(o) ? NULL : sbuf_detach(&o->rec);
}

void out_map_begin(struct out *o, const char *key)
{
	if (value(o, key))
		open_container(o, 'm');
}

void out_map_end(struct out *o)
{
	close_container(o, 'm');
}

void out_list_begin(struct out *o, const char *key)
{
	if (value(o, key))
		open_container(o, 'l');
}

void out_list_end(struct out *o)
{
	close_container(o, 'l');
}

void out_str(struct out *o, const char *key, const char *s)
{
	if (!value(o, key))
		return;
	if (!s) {
		if (json(o))
			sbuf_adds(&o->rec, "null");
	} else if (json(o)) {
		sbuf_addch(&o->rec, '"');
		escape(&o->rec, s, strlen(s), ESC_JSON);
		sbuf_addch(&o->rec, '"');
	} else {
		escape(&o->rec, s, strlen(s), ESC_TSV);
	}
}

void out_null(struct out *o, const char *key)
{
	out_str(o, key, NULL);
}

void out_int(struct out *o, const char *key, long long v)
{
	if (value(o, key))
		sbuf_addf(&o->rec, "%lld", v);
}

void out_num(struct out *o, const char *key, double v, int decimals)
{
	if (value(o, key))
		sbuf_addf(&o->rec, "%.*f", decimals, v);
}

void out_bool(struct out *o, const char *key, int v)
{
	if (value(o, key))
		sbuf_adds(&o->rec, v ? "true" : "false");
}

void out_list(struct out *o, const char *key, char *const *v, size_t n)
{
	out_list_begin(o, key);
	for (size_t i = 0; i < n; i++)
		out_str(o, NULL, v[i]);
	out_list_end(o);
}
