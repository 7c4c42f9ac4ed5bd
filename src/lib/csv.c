#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "sbuf.h"
#include "utf8.h"

/* The line (1-based) of byte off of s. */
static long line_of(const char *s, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		line += s[i] == '\n';
	return line;
}

static enum kf_status convert(const char *name, const char *s, size_t n, struct sbuf *out,
			      struct kf_err *err)
{
	size_t bad;
	if (charset_convert_strict(name, s, n, out, &bad) < 0)
		return kf_fail(err, KF_EINVAL, "not %s text at line %ld", name, line_of(s, bad));
	return KF_OK;
}

enum kf_status csv_decode(const char *buf, size_t len, struct sbuf *out, const char **charset,
			  struct kf_err *err)
{
	const unsigned char *u = (const unsigned char *)buf;
	size_t start = out->len;
	enum kf_status st = KF_OK;
	int line;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		*charset = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		st = convert(*charset, buf + 2, len - 2, out, err);
	} else if (len >= 3 && !memcmp(buf, CSV_BOM, 3)) {
		*charset = "UTF-8 with BOM";
		if (!utf8_valid(buf + 3, len - 3, &line, NULL))
			return kf_fail(err, KF_EINVAL,
				       "not UTF-8 at line %d, although it starts with UTF-8's "
				       "byte-order mark",
				       line);
		sbuf_add(out, buf + 3, len - 3);
	} else if (utf8_valid(buf, len, &line, NULL)) {
		*charset = "UTF-8";
		sbuf_add(out, buf, len);
	} else if (memchr(buf, '\0', len)) {
		return kf_fail(err, KF_EINVAL, "a NUL byte at line %d: not a text file", line);
	} else {
		*charset = "GB18030";
		st = convert(*charset, buf, len, out, err);
	}
	/* What UTF-16 or GB18030 held must be text too. */
	if (!st && !utf8_valid(out->buf + start, out->len - start, &line, NULL)) {
		sbuf_setlen(out, start);
		st = kf_fail(err, KF_EINVAL, "a NUL character at line %d: not a text file", line);
	}
	return st;
}

void csv_reader_init(struct csv_reader *r, const char *text, size_t len, unsigned flags)
{
	memset(r, 0, sizeof(*r));
	r->p = text;
	r->end = text + len;
	r->flags = flags;
	r->line = 1;
	size_t first = strcspn(text, "\r\n");
	if (first > len)
		first = len;
	r->sep = memchr(text, '\t', first) && !memchr(text, ',', first) ? '\t' : ',';
}

void csv_reader_release(struct csv_reader *r)
{
	free(r->bytes);
	free(r->starts);
	free(r->fields);
	memset(r, 0, sizeof(*r));
}

static void add_byte(struct csv_reader *r, char c)
{
	ALLOC_GROW(r->bytes, r->nbytes + 1, r->abytes);
	r->bytes[r->nbytes++] = c;
}

/* Does s start with what a spreadsheet would run, after any apostrophes? */
static int formula_like(const char *s)
{
	s += strspn(s, "'");
	return *s && strchr("=+-@\t\r", *s);
}

/* The reader's position at the end: nothing more is read after a problem. */
static int bad(struct csv_reader *r, struct kf_err *err, long line, const char *what)
{
	r->p = r->end;
	kf_fail(err, KF_EINVAL, "line %ld: %s", line, what);
	return -1;
}

/* One field at r->p into r's bytes; *last set when it ends the record. */
static int field(struct csv_reader *r, int *last, struct kf_err *err)
{
	long qline = r->line;
	int quoted = r->p < r->end && *r->p == '"';
	if (quoted)
		r->p++;
	for (;;) {
		if (r->p >= r->end) {
			if (quoted)
				return bad(r, err, qline, "a quoted field is never closed");
			*last = 1;
			return 0;
		}
		char c = *r->p;
		int crlf = c == '\r' && r->p + 1 < r->end && r->p[1] == '\n';
		if (quoted && c == '"') {
			if (r->p + 1 < r->end && r->p[1] == '"') {
				add_byte(r, '"');
				r->p += 2;
				continue;
			}
			r->p++;
			quoted = 0;
			if (r->p < r->end && *r->p != r->sep && *r->p != '\n' && *r->p != '\r')
				return bad(r, err, r->line,
					   "text after a closing quote (a quote inside a quoted "
					   "field is written twice)");
			continue;
		}
		if (!quoted && c == r->sep) {
			r->p++;
			return 0;
		}
		if (!quoted && (c == '\n' || c == '\r')) {
			r->p += crlf ? 2 : 1;
			r->line++;
			*last = 1;
			return 0;
		}
		if (c == '\n' || (c == '\r' && !crlf))
			r->line++;
		add_byte(r, c);
		r->p++;
	}
}

int csv_next(struct csv_reader *r, struct csv_record *rec, struct kf_err *err)
{
	while (r->p < r->end) {
		r->nbytes = r->nfields = 0;
		rec->line = r->line;
		for (int last = 0; !last;) {
			ALLOC_GROW(r->starts, r->nfields + 1, r->astarts);
			r->starts[r->nfields++] = r->nbytes;
			if (field(r, &last, err))
				return -1;
			add_byte(r, '\0');
		}
		ALLOC_GROW(r->fields, r->nfields, r->afields);
		int blank = 1;
		for (size_t i = 0; i < r->nfields; i++) {
			r->fields[i] = r->bytes + r->starts[i];
			if ((r->flags & CSV_SAFE) && r->fields[i][0] == '\'' &&
			    formula_like(r->fields[i]))
				r->fields[i]++;
			blank &= !r->fields[i][0];
		}
		r->row++;
		if (blank)
			continue;
		rec->fields = r->fields;
		rec->n = r->nfields;
		rec->row = r->row;
		return 1;
	}
	return 0;
}

void csv_field(struct sbuf *out, const char *s, int first, unsigned flags)
{
	if (!first)
		sbuf_addch(out, ',');
	if (!s)
		return;
	int apostrophe = (flags & CSV_SAFE) && formula_like(s);
	if (!strpbrk(s, ",\"\r\n")) {
		sbuf_adds(out, apostrophe ? "'" : "");
		sbuf_adds(out, s);
		return;
	}
	sbuf_addch(out, '"');
	if (apostrophe)
		sbuf_addch(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addch(out, '"');
		sbuf_addch(out, *s);
	}
	sbuf_addch(out, '"');
}

void csv_end(struct sbuf *out)
{
	sbuf_adds(out, "\r\n");
}

/* The length of a space at s, ASCII or U+3000 (E3 80 80), else 0. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	return !strncmp(s, "\xE3\x80\x80", 3) ? 3 : 0;
}

char *csv_header_key(const char *header)
{
	struct sbuf sb = SBUF_INIT;
	const char *p = header;
	while (*p) {
		size_t n;
		if (*p == '(' || !strncmp(p, "\xEF\xBC\x88", 3)) { /* ( or （ */
			const char *close = NULL;
			for (const char *q = p; *q && !close; q++)
				if (*q == ')' || !strncmp(q, "\xEF\xBC\x89", 3))
					close = q;
			if (close) {
				p = close + (*close == ')' ? 1 : 3);
				continue;
			}
		}
		if ((n = space_at(p))) {
			sbuf_addch(&sb, ' ');
			p += n;
			continue;
		}
		char c = *p++;
		sbuf_addch(&sb, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	/* trimmed, inner runs of spaces as one '_' */
	struct sbuf out = SBUF_INIT;
	const char *s = sb.buf;
	while (*s == ' ')
		s++;
	for (; *s; s++) {
		if (*s == ' ' || *s == '-') {
			size_t k = strspn(s, " -");
			if (s[k])
				sbuf_addch(&out, '_');
			s += k - 1;
			continue;
		}
		sbuf_addch(&out, *s);
	}
	sbuf_release(&sb);
	return sbuf_detach(&out);
}
