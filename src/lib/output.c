#include "output.h"

#include <string.h>

void out_init(struct out *o, FILE *fp, enum out_format fmt)
{
	o->fp = fp;
	o->fmt = fmt;
	o->nfields = 0;
}

void out_begin(struct out *o)
{
	o->nfields = 0;
	if (o->fmt == OUT_JSON)
		fputc('{', o->fp);
}

void out_end(struct out *o)
{
	if (o->fmt == OUT_JSON)
		fputc('}', o->fp);
	fputc('\n', o->fp);
}

/* A C1 control, U+0080 to U+009F, in UTF-8: 0xC2 then 0x80..0x9F. */
static int c1_at(const unsigned char *p)
{
	return p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
}

void json_write_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (c1_at(p)) {
			/* Legal raw in JSON, but a terminal may obey it. */
			fprintf(fp, "\\u%04x", *++p);
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(fp, "\\u%04x", *p);
			else
				fputc(*p, fp);
		}
	}
	fputc('"', fp);
}

/*
 * A control character made visible: C0 and DEL as \xHH, C1 as \u00HH.
 * Returns how many bytes of p it took, 0 when *p starts none.
 */
static size_t control_write(FILE *fp, const unsigned char *p, size_t left)
{
	if (*p < 0x20 || *p == 0x7F) {
		fprintf(fp, "\\x%02x", *p);
		return 1;
	}
	if (left >= 2 && c1_at(p)) {
		fprintf(fp, "\\u%04x", p[1]);
		return 2;
	}
	return 0;
}

static void tsv_write(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	while (left) {
		size_t k = 1;
		switch (*p) {
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		default:
			if (!(k = control_write(fp, p, left))) {
				fputc(*p, fp);
				k = 1;
			}
		}
		p += k;
		left -= k;
	}
}

void text_write(FILE *fp, const char *s, size_t n, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	while (n) {
		size_t k = 1;
		if (*p == '\t' || (*p == '\n' && multiline))
			fputc(*p, fp);
		else if (*p == '\n')
			fputs("\\n", fp);
		else if (!(k = control_write(fp, p, n))) {
			fputc(*p, fp);
			k = 1;
		}
		p += k;
		n -= k;
	}
}

static void field(struct out *o, const char *key)
{
	if (o->fmt == OUT_JSON) {
		if (o->nfields)
			fputc(',', o->fp);
		json_write_string(o->fp, key);
		fputc(':', o->fp);
	} else if (o->nfields) {
		fputc('\t', o->fp);
	}
	o->nfields++;
}

void out_str(struct out *o, const char *key, const char *s)
{
	field(o, key);
	if (o->fmt == OUT_JSON) {
		if (s)
			json_write_string(o->fp, s);
		else
			fputs("null", o->fp);
	} else if (s) {
		tsv_write(o->fp, s);
	}
}

void out_int(struct out *o, const char *key, long long v)
{
	field(o, key);
	fprintf(o->fp, "%lld", v);
}

void out_num(struct out *o, const char *key, double v, int decimals)
{
	field(o, key);
	fprintf(o->fp, "%.*f", decimals, v);
}

void out_bool(struct out *o, const char *key, int v)
{
	field(o, key);
	fputs(v ? "true" : "false", o->fp);
}

void out_list(struct out *o, const char *key, char *const *v, size_t n)
{
	field(o, key);
	if (o->fmt == OUT_JSON)
		fputc('[', o->fp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', o->fp);
		if (o->fmt == OUT_JSON)
			json_write_string(o->fp, v[i]);
		else
			tsv_write(o->fp, v[i]);
	}
	if (o->fmt == OUT_JSON)
		fputc(']', o->fp);
}

void out_raw(struct out *o, const char *key, const char *json)
{
	field(o, key);
	if (o->fmt == OUT_JSON)
		fputs(json, o->fp);
	else
		tsv_write(o->fp, json);
}
