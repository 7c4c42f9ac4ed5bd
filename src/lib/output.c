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

void json_write_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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

static void tsv_write(FILE *fp, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
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
			fputc(*s, fp);
		}
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
