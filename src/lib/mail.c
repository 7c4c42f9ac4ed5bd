/* Reading an e-mail message: headers, the sender, MIME parts. */
#include "mail.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "charset.h"
#include "flowed.h"
#include "html.h"
#include "sbuf.h"
#include "utf8.h"

static void sb_trim(struct sbuf *sb)
{
	size_t a = 0, b = sb->len;
	while (a < b && ascii_space((unsigned char)sb->buf[a]))
		a++;
	while (b > a && ascii_space((unsigned char)sb->buf[b - 1]))
		b--;
	if (a)
		memmove(sb->buf, sb->buf + a, b - a);
	sbuf_setlen(sb, b - a);
}

/* The end of the line at p: its '\n', or end. */
static const char *eol(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return nl ? nl : end;
}

static const char *next_line(const char *le, const char *end)
{
	return le < end ? le + 1 : end;
}

/* A label from the message, fit to quote in an error: printable, short. */
static void printable(const char *s, char out[64])
{
	size_t i;
	for (i = 0; s[i] && i < 63; i++)
		out[i] = (unsigned char)s[i] > ' ' && (unsigned char)s[i] < 127 ? s[i] : '?';
	out[i] = '\0';
}

/*
 * Headers.
 *
 * A part is a header block and a body. Header lookups scan the block
 * each time rather than building a table: a part needs only a few
 * fields, and a hostile block of millions of tiny fields then costs no
 * memory.
 */
struct part {
	const char *hdr, *body;
	size_t hlen, blen;
};

/* The length of the field name when the line s..le is "Name:", else 0. */
static size_t field_name(const char *s, const char *le, const char **colon)
{
	const char *p = s;
	while (p < le && (unsigned char)*p > ' ' && (unsigned char)*p < 127 && *p != ':')
		p++;
	size_t n = (size_t)(p - s);
	/* "Subject :" is the obsolete syntax of RFC 5322 4.5, still sent */
	while (p < le && ascii_wsp(*p))
		p++;
	if (!n || p == le || *p != ':')
		return 0;
	*colon = p;
	return n;
}

static int empty_line(const char *ls, const char *le)
{
	return le == ls || (le == ls + 1 && *ls == '\r');
}

/*
 * Split n bytes at p at the first empty line; without one, all of it is
 * header. In a MIME part (lenient), a first line that is no header field
 * starts the body: some mailers omit the empty line of a part with no
 * headers, and its text should not be lost as a header.
 */
static void split_part(const char *p, size_t n, int lenient, struct part *pt)
{
	const char *end = p + n, *ls = p, *colon;

	pt->hdr = p;
	pt->hlen = n;
	pt->body = end;
	pt->blen = 0;
	if (lenient && n) {
		const char *le = eol(p, end);
		if (!empty_line(p, le) && !ascii_wsp(*p) && !field_name(p, le, &colon)) {
			pt->hlen = 0;
			pt->body = p;
			pt->blen = n;
			return;
		}
	}
	while (ls < end) {
		const char *le = eol(ls, end);
		if (empty_line(ls, le)) {
			pt->hlen = (size_t)(ls - p);
			pt->body = next_line(le, end);
			pt->blen = (size_t)(end - pt->body);
			return;
		}
		ls = next_line(le, end);
	}
}

/* Append the line s..le without its CR and without NUL bytes. */
static void add_line(struct sbuf *out, const char *s, const char *le)
{
	if (le > s && le[-1] == '\r')
		le--;
	while (s < le) {
		const char *z = memchr(s, '\0', (size_t)(le - s));
		const char *stop = z ? z : le;
		sbuf_add(out, s, (size_t)(stop - s));
		s = z ? z + 1 : le;
	}
}

/*
 * The first field called name (lowercase) in pt's header block, unfolded
 * into out: the line breaks before continuation lines go, their white
 * space stays (RFC 5322 2.2.3); trimmed. Returns 1 when there is one.
 */
static int header_get(const struct part *pt, const char *name, struct sbuf *out)
{
	const char *p = pt->hdr, *end = pt->hdr + pt->hlen, *colon;

	sbuf_reset(out);
	while (p < end) {
		const char *ls = p, *le = eol(p, end);
		size_t n = field_name(ls, le, &colon);
		p = next_line(le, end);
		if (!n || !ascii_ieq(ls, n, name))
			continue;
		add_line(out, colon + 1, le);
		while (p < end && ascii_wsp(*p)) {
			le = eol(p, end);
			add_line(out, p, le);
			p = next_line(le, end);
		}
		sb_trim(out);
		return 1;
	}
	return 0;
}

/* The "type/subtype" of a Content-Type value, lowercased; "" if none. */
static void mime_type(const char *v, struct sbuf *out)
{
	const char *p, *slash;

	sbuf_reset(out);
	while (ascii_space((unsigned char)*v))
		v++;
	for (p = v; *p && *p != ';' && *p != '(' && !ascii_space((unsigned char)*p); p++)
		;
	slash = memchr(v, '/', (size_t)(p - v));
	if (!slash || slash == v || slash + 1 == p)
		return;
	for (; v < p; v++)
		sbuf_addch(out, ascii_lower((unsigned char)*v));
}

/* Step over the quoted string at p (at its '"'); escapes are \c. */
static const char *skip_quoted(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/*
 * The parameter name (lowercase) of a Content-Type or
 * Content-Disposition value into out, unquoted; names in any case.
 * Returns 1 when it is there.
 */
static int mime_param(const char *v, const char *name, struct sbuf *out)
{
	const char *p = v;

	sbuf_reset(out);
	for (;;) {
		while (*p && *p != ';')
			p = *p == '"' ? skip_quoted(p) : p + 1;
		if (!*p)
			return 0;
		p++;
		while (ascii_space((unsigned char)*p))
			p++;
		const char *attr = p;
		while (*p && *p != '=' && *p != ';' && !ascii_space((unsigned char)*p))
			p++;
		int match = ascii_ieq(attr, (size_t)(p - attr), name);
		while (ascii_space((unsigned char)*p))
			p++;
		if (*p != '=')
			continue;
		p++;
		while (ascii_space((unsigned char)*p))
			p++;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (match)
					sbuf_addch(out, *p);
			}
			if (*p)
				p++;
		} else {
			for (; *p && *p != ';' && !ascii_space((unsigned char)*p); p++)
				if (match)
					sbuf_addch(out, *p);
		}
		if (match)
			return 1;
	}
}

/* Percent-escapes undone, as RFC 2231 writes an extended value. */
static void pct_decode(const char *s, struct sbuf *out)
{
	for (; *s; s++) {
		if (*s == '%' && ascii_hexval((unsigned char)s[1]) >= 0 &&
		    ascii_hexval((unsigned char)s[2]) >= 0) {
			sbuf_addch(out, ascii_hexval((unsigned char)s[1]) * 16 +
						ascii_hexval((unsigned char)s[2]));
			s += 2;
		} else {
			sbuf_addch(out, *s);
		}
	}
}

/* An extended value "charset'language'text": the charset into cs, the text's bytes onto raw. */
static void ext_value(const char *v, int first, struct sbuf *cs, struct sbuf *raw)
{
	const char *q1 = first ? strchr(v, '\'') : NULL;
	const char *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;
	if (q2) {
		sbuf_reset(cs);
		sbuf_add(cs, v, (size_t)(q1 - v));
		v = q2 + 1;
	}
	pct_decode(v, raw);
}

/* RFC 2231 continuations read at most: a name is not a book. */
#define MAX_SECTIONS 32

/*
 * A parameter that may be written the RFC 2231 way (name*=utf-8''%E5...,
 * or in sections name*0*=, name*1=...), else plainly, then perhaps
 * in RFC 2047 encoded words as many mailers do: its bytes into out,
 * UTF-8 as far as the labels say. Returns 1 when it is there.
 */
static int mime_param_ext(const char *v, const char *name, struct sbuf *out)
{
	struct sbuf key = SBUF_INIT, val = SBUF_INIT, raw = SBUF_INIT, cs = SBUF_INIT;
	int found = 0;

	sbuf_reset(out);
	sbuf_addf(&key, "%s*", name);
	if (mime_param(v, key.buf, &val)) {
		ext_value(val.buf, 1, &cs, &raw);
		found = 1;
	} else if (strstr(v, "*0")) {
		for (int k = 0; k < MAX_SECTIONS; k++) {
			sbuf_reset(&key);
			sbuf_addf(&key, "%s*%d*", name, k);
			if (mime_param(v, key.buf, &val)) {
				ext_value(val.buf, k == 0, &cs, &raw);
			} else {
				sbuf_setlen(&key, key.len - 1);
				if (!mime_param(v, key.buf, &val))
					break;
				sbuf_add(&raw, val.buf, val.len);
			}
			found = 1;
		}
	}
	if (found) {
		sb_trim(&cs);
		if (!cs.len || charset_to_utf8(cs.buf, raw.buf, raw.len, out) < 0)
			sbuf_add(out, raw.buf, raw.len);
	} else if (mime_param(v, name, &val)) {
		charset_decode_words(val.buf, val.len, out);
		found = 1;
	}
	sbuf_release(&key);
	sbuf_release(&val);
	sbuf_release(&raw);
	sbuf_release(&cs);
	return found;
}

/*
 * Addresses.
 */

/* user@host: something before the last '@' and after it, no white space
 * or controls outside a quoted local part, none of the specials. */
static int addr_ok(const char *a)
{
	const char *at = strrchr(a, '@');
	int quoted = 0;

	if (!at || at == a || !at[1] || strlen(a) > 320)
		return 0;
	for (const char *p = a; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' && p < at) {
			quoted = !quoted;
			continue;
		}
		if (c < ' ' || c == 127)
			return 0;
		if (!quoted && (c == ' ' || strchr("<>()[],;:\\", c)))
			return 0;
	}
	return !quoted;
}

/* Collapse runs of white space in sb to one space, trimmed. */
static void collapse_space(struct sbuf *sb)
{
	size_t o = 0;
	int sp = 0;

	for (size_t i = 0; i < sb->len; i++) {
		if (ascii_space((unsigned char)sb->buf[i])) {
			sp = o > 0;
			continue;
		}
		if (sp)
			sb->buf[o++] = ' ';
		sp = 0;
		sb->buf[o++] = sb->buf[i];
	}
	sbuf_setlen(sb, o);
}

/* One mailbox, as parse_mailbox() gathers it. */
struct mbox {
	struct sbuf phrase, angle, comment;
	int in_angle, had_angle;
	int at; /* the phrase has an '@' */
};

/*
 * Finish the mailbox gathered in b: the address is in angle brackets,
 * else it is the word with an '@' in the phrase. The name is the phrase
 * beside an angle address, else the comment ("addr (Name)", the old
 * form). Returns 1 with *addr and *name (NULL when none) set, else 0.
 */
static int mbox_finish(struct mbox *b, char **addr, char **name)
{
	struct sbuf a = SBUF_INIT;
	struct sbuf *nm = &b->comment;

	if (b->in_angle || b->had_angle) {
		sbuf_add(&a, b->angle.buf, b->angle.len);
		sb_trim(&a);
		/* an obsolete source route, "@relay,@relay:user@host" */
		if (a.len && a.buf[0] == '@' && strchr(a.buf, ':')) {
			char *colon = strchr(a.buf, ':');
			memmove(a.buf, colon + 1, strlen(colon + 1) + 1);
			a.len = strlen(a.buf);
		}
		collapse_space(&b->phrase);
		if (b->phrase.len)
			nm = &b->phrase;
	} else {
		const char *p = b->phrase.buf;
		while (*p) {
			size_t ws = strspn(p, " \t\r\n");
			size_t wl = strcspn(p + ws, " \t\r\n");
			if (memchr(p + ws, '@', wl)) {
				sbuf_add(&a, p + ws, wl);
				break;
			}
			p += ws + wl;
		}
	}
	if (!addr_ok(a.buf)) {
		sbuf_release(&a);
		return 0;
	}
	for (size_t i = 0; i < a.len; i++)
		a.buf[i] = (char)ascii_lower((unsigned char)a.buf[i]);
	*addr = sbuf_detach(&a);
	collapse_space(nm);
	*name = nm->len ? xstrndup(nm->buf, nm->len) : NULL;
	return 1;
}

static void mbox_reset(struct mbox *b)
{
	sbuf_reset(&b->phrase);
	sbuf_reset(&b->angle);
	sbuf_reset(&b->comment);
	b->in_angle = b->had_angle = b->at = 0;
}

/* Gather the comment at p (at its '('), nested, into out; returns its end. */
static const char *gather_comment(const char *p, struct sbuf *out)
{
	int depth = 0;

	if (out->len)
		sbuf_addch(out, ' ');
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			sbuf_addch(out, *++p);
			continue;
		}
		if (*p == '(' && depth++ == 0)
			continue;
		if (*p == ')' && --depth == 0)
			return p + 1;
		sbuf_addch(out, *p);
	}
	return p;
}

/*
 * The first mailbox with an address in an address list (From, Sender,
 * Reply-To): "Name <addr>", "addr" or "addr (Name)". The name comes back
 * unquoted but still RFC 2047-encoded. Returns 1 when there is one.
 */
static int parse_mailbox(const char *v, char **addr, char **name)
{
	struct mbox b = { SBUF_INIT, SBUF_INIT, SBUF_INIT, 0, 0, 0 };
	const char *p = v;
	int found = 0;

	for (;;) {
		char c = *p;
		if (!c || (c == ',' && !b.in_angle)) {
			/*
			 * Before any '@' or '<' the comma is in an unquoted
			 * name ("Zhang, San <a@b>"). Otherwise the mailbox is
			 * tried once and forgotten, which keeps a list of
			 * a thousand bad ones linear.
			 */
			if (c && !b.had_angle && !b.at) {
				sbuf_addch(&b.phrase, ',');
				p++;
				continue;
			}
			if (mbox_finish(&b, addr, name)) {
				found = 1;
				break;
			}
			if (!c)
				break;
			mbox_reset(&b);
			p++;
		} else if (c == '"') {
			const char *q = skip_quoted(p);
			if (b.in_angle) {
				sbuf_add(&b.angle, p, (size_t)(q - p));
			} else {
				for (p++; p < q && *p != '"'; p++) {
					if (*p == '\\' && p[1])
						p++;
					b.at |= *p == '@';
					sbuf_addch(&b.phrase, *p);
				}
			}
			p = q;
		} else if (c == '(') {
			struct sbuf skip = SBUF_INIT;
			p = gather_comment(p, b.in_angle ? &skip : &b.comment);
			sbuf_release(&skip);
		} else if (c == '<' && !b.in_angle && !b.had_angle) {
			b.in_angle = 1;
			p++;
		} else if (c == '>' && b.in_angle) {
			b.in_angle = 0;
			b.had_angle = 1;
			p++;
		} else {
			b.at |= c == '@' && !b.in_angle;
			sbuf_addch(b.in_angle ? &b.angle : &b.phrase, c);
			p++;
		}
	}
	sbuf_release(&b.phrase);
	sbuf_release(&b.angle);
	sbuf_release(&b.comment);
	return found;
}

/*
 * MIME structure (RFC 2046): find the first text/plain part that is not
 * an attachment, remembering the first such text/html part on the way.
 */
struct found {
	struct part text, html;
	int have_text, have_html;
	int unsplit;   /* the message itself is a multipart that would not split */
	char bad[160]; /* the first thing wrong with the structure, or "" */
	struct part att[MAIL_MAX_ATTACHMENTS];
	char *att_type[MAIL_MAX_ATTACHMENTS];
	size_t natt, more;
};

static void walk(struct found *f, const struct part *pt, int depth);

__attribute__((format(printf, 2, 3))) static void set_bad(struct found *f, const char *fmt, ...)
{
	va_list ap;
	if (f->bad[0])
		return;
	va_start(ap, fmt);
	vsnprintf(f->bad, sizeof(f->bad), fmt, ap);
	va_end(ap);
}

/* Is the line ls..le a delimiter "--boundary", with any padding after
 * it? 1 for one, 2 for the close delimiter "--boundary--", else 0. */
static int delimiter(const char *ls, const char *le, const char *bd, size_t bdlen)
{
	int close = 0;

	if ((size_t)(le - ls) < bdlen + 2 || ls[0] != '-' || ls[1] != '-' ||
	    memcmp(ls + 2, bd, bdlen))
		return 0;
	const char *p = ls + 2 + bdlen;
	if (le - p >= 2 && p[0] == '-' && p[1] == '-')
		close = 1, p += 2;
	while (p < le && (ascii_wsp(*p) || *p == '\r'))
		p++;
	return p == le ? 1 + close : 0;
}

static void walk_child(struct found *f, const char *s, const char *e, int depth)
{
	struct part sub;
	if (ascii_blank(s, (size_t)(e - s)))
		return;
	split_part(s, (size_t)(e - s), 1, &sub);
	walk(f, &sub, depth);
}

/*
 * The parts of a multipart body. The line break before a delimiter
 * belongs to the delimiter. A body cut off before its close delimiter
 * still gives the parts it has. Returns the number of delimiters seen.
 */
static int walk_multipart(struct found *f, const struct part *pt, const char *bd, int depth)
{
	const char *end = pt->body + pt->blen, *ls = pt->body, *start = NULL;
	size_t bdlen = strlen(bd);
	int seen = 0;

	while (ls < end) {
		const char *le = eol(ls, end);
		int d = delimiter(ls, le, bd, bdlen);
		if (d) {
			seen++;
			if (start) {
				const char *e = ls;
				if (e > start && e[-1] == '\n')
					e--;
				if (e > start && e[-1] == '\r')
					e--;
				walk_child(f, start, e, depth + 1);
			}
			start = d == 2 ? NULL : next_line(le, end);
			if (d == 2)
				break;
		}
		ls = next_line(le, end);
	}
	if (start)
		walk_child(f, start, end, depth + 1);
	return seen;
}

static int is_attachment(const struct part *pt, struct sbuf *tmp)
{
	if (!header_get(pt, "content-disposition", tmp))
		return 0;
	return ascii_ieq(tmp->buf, strcspn(tmp->buf, "; \t("), "attachment");
}

/* The file name a part is sent as, into out (bytes as written, encodings undone). */
static int part_name(const struct part *pt, struct sbuf *out)
{
	struct sbuf v = SBUF_INIT;
	int found = (header_get(pt, "content-disposition", &v) &&
		     mime_param_ext(v.buf, "filename", out)) ||
		    (header_get(pt, "content-type", &v) && mime_param_ext(v.buf, "name", out));
	sbuf_release(&v);
	return found;
}

static void walk(struct found *f, const struct part *pt, int depth)
{
	struct sbuf v = SBUF_INIT, type = SBUF_INIT, bd = SBUF_INIT;

	header_get(pt, "content-type", &v);
	mime_type(v.buf, &type);
	/* no or an unreadable Content-Type means text/plain (RFC 2045 5.2) */
	if (!type.len)
		sbuf_adds(&type, "text/plain");
	if (!strncmp(type.buf, "multipart/", 10)) {
		char t[64], b[64];
		printable(type.buf, t);
		if (depth >= MAIL_MAX_DEPTH) {
			set_bad(f, "%s nested deeper than %d multiparts", t, MAIL_MAX_DEPTH);
		} else if (!mime_param(v.buf, "boundary", &bd) || !bd.len) {
			set_bad(f, "%s without a boundary", t);
			f->unsplit = !depth;
		} else if (!walk_multipart(f, pt, bd.buf, depth)) {
			printable(bd.buf, b);
			set_bad(f, "%s without any part with its boundary '%s'", t, b);
			f->unsplit = !depth;
		}
	} else if ((!strcmp(type.buf, "text/plain") || !strcmp(type.buf, "text/html")) &&
		   !is_attachment(pt, &bd) && !part_name(pt, &bd)) {
		int html = type.buf[5] == 'h';
		if (!(html ? f->have_html : f->have_text)) {
			*(html ? &f->html : &f->text) = *pt;
			*(html ? &f->have_html : &f->have_text) = 1;
		}
	} else if (f->natt < MAIL_MAX_ATTACHMENTS) {
		f->att[f->natt] = *pt;
		f->att_type[f->natt++] = sbuf_detach(&type);
	} else {
		f->more++;
	}
	sbuf_release(&v);
	sbuf_release(&type);
	sbuf_release(&bd);
}

/*
 * The bytes of a part with its transfer encoding undone: *data and *n,
 * pointing into the message or into dec.
 */
static void part_bytes(const struct part *pt, struct sbuf *dec, const char **data, size_t *n)
{
	struct sbuf v = SBUF_INIT;

	*data = pt->body;
	*n = pt->blen;
	if (header_get(pt, "content-transfer-encoding", &v)) {
		size_t k = strcspn(v.buf, " \t;(");
		if (ascii_ieq(v.buf, k, "quoted-printable"))
			charset_qp_decode(pt->body, pt->blen, 0, dec);
		else if (ascii_ieq(v.buf, k, "base64"))
			charset_b64_decode(pt->body, pt->blen, dec);
		/* 7bit, 8bit, binary and unknown ones: the bytes as they are */
		if (dec->alloc)
			*data = dec->buf, *n = dec->len;
		else if (ascii_ieq(v.buf, k, "quoted-printable") || ascii_ieq(v.buf, k, "base64"))
			*n = 0;
	}
	sbuf_release(&v);
}

/* Is parameter name of the Content-Type value v the word want? */
static int param_is(const char *v, const char *name, const char *want)
{
	struct sbuf p = SBUF_INIT;
	int is = mime_param(v, name, &p) && (sb_trim(&p), ascii_ieq(p.buf, p.len, want));
	sbuf_release(&p);
	return is;
}

/*
 * The text of a part in UTF-8 into out, its charset label into cs:
 * transfer encoding undone, charset converted (or guessed, when no label
 * names one), flowed lines rejoined, HTML made text.
 */
static enum kf_status part_text(const struct part *pt, int html, struct sbuf *out,
				struct sbuf *cs, struct kf_err *err)
{
	struct sbuf v = SBUF_INIT, dec = SBUF_INIT, conv = SBUF_INIT;
	const char *data;
	size_t n;
	enum kf_status st = KF_OK;

	part_bytes(pt, &dec, &data, &n);
	sbuf_reset(cs);
	if (header_get(pt, "content-type", &v))
		mime_param(v.buf, "charset", cs);
	sb_trim(cs);
	if (!cs->len && html)
		html_charset(data, n, cs);
	if (charset_unlabelled(cs->buf)) {
		/* An unlabelled GBK body from an older Chinese mailer; the headers follow it. */
		if (strcmp(charset_guess_to_utf8(data, n, &conv), "utf-8")) {
			sbuf_reset(cs);
			sbuf_adds(cs, "gb18030");
		}
	} else if (charset_to_utf8(cs->buf, data, n, &conv) < 0) {
		char l[64];
		printable(cs->buf, l);
		st = kf_fail(err, KF_EINVAL, "cannot convert mail body from charset '%s': %s", l,
			     "iconv does not know it");
	}
	if (st) {
		/* said above */
	} else if (html) {
		html_to_text(conv.buf, conv.len, out);
	} else if (v.len && param_is(v.buf, "format", "flowed")) {
		flowed_unwrap(conv.buf, conv.len, param_is(v.buf, "delsp", "yes"), out);
	} else {
		sbuf_add(out, conv.buf, conv.len);
	}
	sbuf_release(&v);
	sbuf_release(&dec);
	sbuf_release(&conv);
	return st;
}

/*
 * Cleaning: what leaves this module is valid UTF-8 without NULs. Invalid
 * bytes become U+FFFD. Control characters go too, since a ticket is shown
 * on terminals and a mail could carry escape sequences: in a one-line
 * field they become spaces, in text all but \n and \t are dropped, and
 * CRLF or a lone CR becomes \n. Trailing white space is trimmed.
 */
static char *clean(const char *s, size_t n, int text)
{
	struct sbuf out = SBUF_INIT;
	const unsigned char *p = (const unsigned char *)s;

	sbuf_grow(&out, n);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp);
		if (cp == UTF8_INVALID) {
			sbuf_add(&out, CHARSET_REPLACEMENT, 3);
		} else if (text && cp == '\r') {
			sbuf_addch(&out, '\n');
			if (i + 1 < n && p[i + 1] == '\n')
				k = 2;
		} else if (cp == 0 || (cp == 0xFEFF && !out.len)) {
			/* NULs and a byte-order mark at the start carry nothing */
		} else if (cp < ' ' || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			if (text && (cp == '\n' || cp == '\t'))
				sbuf_addch(&out, (int)cp);
			else if (!text)
				sbuf_addch(&out, ' ');
		} else {
			sbuf_add(&out, s + i, k);
		}
		i += k;
	}
	if (!text) {
		sb_trim(&out);
	} else {
		size_t len = out.len;
		while (len && ascii_space((unsigned char)out.buf[len - 1]))
			len--;
		sbuf_setlen(&out, len);
	}
	return sbuf_detach(&out);
}

/*
 * A header's text in UTF-8, one line: encoded words decoded. Raw 8-bit
 * bytes that are not UTF-8 are read in the body's charset, which is how
 * older mailers sent a GBK subject unencoded.
 */
static char *header_text(const char *v, const char *body_cs)
{
	struct sbuf raw = SBUF_INIT, out = SBUF_INIT;
	size_t n = strlen(v);
	char name[48];

	if (!utf8_valid(v, n, NULL, NULL)) {
		if (!body_cs || charset_lookup(body_cs, name) != CS_ICONV ||
		    charset_to_utf8(body_cs, v, n, &raw) < 0)
			charset_guess_to_utf8(v, n, &raw);
		v = raw.buf, n = raw.len;
	}
	charset_decode_words(v, n, &out);
	char *s = clean(out.buf, out.len, 0);
	sbuf_release(&raw);
	sbuf_release(&out);
	return s;
}

/* The id inside the first <...>, else the first word; NULL when none. */
static char *msg_id(const char *v)
{
	const char *s = strchr(v, '<'), *e;

	if (s) {
		s++;
		e = strchr(s, '>');
		if (!e)
			e = s + strlen(s);
	} else {
		s = v + strspn(v, " \t");
		e = s + strcspn(s, " \t");
	}
	char *id = clean(s, (size_t)(e - s), 0);
	if (!*id) {
		free(id);
		return NULL;
	}
	return id;
}

static enum kf_status read_body(struct found *f, const struct part *top, struct mail *m,
				struct sbuf *cs, struct kf_err *err)
{
	struct sbuf text = SBUF_INIT;
	const struct part *pt = NULL;
	int html = 0;
	enum kf_status st = KF_OK;

	walk(f, top, 0);
	if (f->have_text) {
		pt = &f->text;
	} else if (f->have_html) {
		pt = &f->html;
		html = 1;
	} else if (f->bad[0] && !f->natt) {
		/* a multipart that would not split may still hold plain text */
		if (!f->unsplit || ascii_blank(top->body, top->blen))
			return kf_fail(err, KF_EINVAL, "cannot read mail body: %s", f->bad);
		pt = top;
	}
	if (pt) {
		st = part_text(pt, html, &text, cs, err);
		m->body_type = html ? "text/html" : "text/plain";
	}
	if (st == KF_OK)
		m->body = clean(text.buf, text.len, 1);
	sbuf_release(&text);
	return st;
}

/* The attachments walk() found, read: names in UTF-8 (raw 8-bit ones in body_cs). */
static void read_attachments(struct found *f, struct mail *m, const char *body_cs)
{
	struct sbuf name = SBUF_INIT, dec = SBUF_INIT;

	m->att = f->natt ? xcalloc(f->natt, sizeof(*m->att)) : NULL;
	for (size_t i = 0; i < f->natt; i++) {
		struct mail_attachment *a = &m->att[m->natt++];
		const char *data;
		size_t n;
		a->name = part_name(&f->att[i], &name) ? header_text(name.buf, body_cs) : xstrdup("");
		a->type = f->att_type[i];
		f->att_type[i] = NULL;
		sbuf_reset(&dec);
		part_bytes(&f->att[i], &dec, &data, &n);
		a->data = xmalloc(n + 1);
		memcpy(a->data, data, n);
		a->data[n] = '\0';
		a->size = n;
	}
	m->att_unread = f->more;
	sbuf_release(&name);
	sbuf_release(&dec);
}

static void found_release(struct found *f)
{
	for (size_t i = 0; i < f->natt; i++)
		free(f->att_type[i]);
}

enum kf_status mail_parse(const char *buf, size_t len, struct mail *m, struct kf_err *err)
{
	static const char *const senders[] = { "from", "sender", "reply-to" };
	struct part top;
	struct sbuf v = SBUF_INIT, cs = SBUF_INIT;
	char *rawname = NULL;
	enum kf_status st;
	struct found *f;

	memset(m, 0, sizeof(*m));
	if (len > MAIL_MAX_BYTES)
		return kf_fail(err, KF_EINVAL,
			       "cannot read mail: %zu bytes is over the limit of %d bytes", len,
			       MAIL_MAX_BYTES);
	f = xcalloc(1, sizeof(*f));
	split_part(buf, len, 0, &top);
	for (size_t i = 0; i < sizeof(senders) / sizeof(senders[0]) && !m->from_addr; i++)
		if (header_get(&top, senders[i], &v) &&
		    parse_mailbox(v.buf, &m->from_addr, &rawname)) {
			char *a = m->from_addr;
			m->from_addr = clean(a, strlen(a), 0);
			free(a);
		}
	if (!m->from_addr) {
		st = kf_fail(err, KF_EINVAL, "cannot read mail sender: %s",
			     "no address user@host in From, Sender or Reply-To");
		goto out;
	}
	st = read_body(f, &top, m, &cs, err);
	if (st != KF_OK)
		goto out;
	read_attachments(f, m, cs.len ? cs.buf : NULL);
	if (rawname) {
		m->from_name = header_text(rawname, cs.len ? cs.buf : NULL);
		if (!*m->from_name) {
			free(m->from_name);
			m->from_name = NULL;
		}
	}
	header_get(&top, "subject", &v);
	m->subject = header_text(v.buf, cs.len ? cs.buf : NULL);
	if (header_get(&top, "message-id", &v))
		m->message_id = msg_id(v.buf);
	if (header_get(&top, "in-reply-to", &v))
		m->in_reply_to = msg_id(v.buf);
out:
	found_release(f);
	free(f);
	free(rawname);
	sbuf_release(&v);
	sbuf_release(&cs);
	if (st != KF_OK)
		mail_release(m);
	return st;
}

void mail_release(struct mail *m)
{
	free(m->from_addr);
	free(m->from_name);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	free(m->body);
	for (size_t i = 0; i < m->natt; i++) {
		free(m->att[i].name);
		free(m->att[i].type);
		free(m->att[i].data);
	}
	free(m->att);
	memset(m, 0, sizeof(*m));
}
