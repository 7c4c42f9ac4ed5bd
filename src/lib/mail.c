/* Reading an e-mail message: headers, the sender, MIME parts, charsets. */
#include "mail.h"

#include <errno.h>
#include <stdarg.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbuf.h"
#include "utf8.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static int is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'z');
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Do the n bytes at s spell the lowercase word w, in any ASCII case? */
static int ieq(const char *s, size_t n, const char *w)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!w[i] || lower((unsigned char)s[i]) != w[i])
			return 0;
	return !w[i];
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_space((unsigned char)s[i]))
			return 0;
	return 1;
}

static void sb_trim(struct sbuf *sb)
{
	size_t a = 0, b = sb->len;
	while (a < b && is_space((unsigned char)sb->buf[a]))
		a++;
	while (b > a && is_space((unsigned char)sb->buf[b - 1]))
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
	while (p < le && is_wsp(*p))
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
		if (!empty_line(p, le) && !is_wsp(*p) && !field_name(p, le, &colon)) {
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
		if (!n || !ieq(ls, n, name))
			continue;
		add_line(out, colon + 1, le);
		while (p < end && is_wsp(*p)) {
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
	while (is_space((unsigned char)*v))
		v++;
	for (p = v; *p && *p != ';' && *p != '(' && !is_space((unsigned char)*p); p++)
		;
	slash = memchr(v, '/', (size_t)(p - v));
	if (!slash || slash == v || slash + 1 == p)
		return;
	for (; v < p; v++)
		sbuf_addch(out, lower((unsigned char)*v));
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
		while (is_space((unsigned char)*p))
			p++;
		const char *attr = p;
		while (*p && *p != '=' && *p != ';' && !is_space((unsigned char)*p))
			p++;
		int match = ieq(attr, (size_t)(p - attr), name);
		while (is_space((unsigned char)*p))
			p++;
		if (*p != '=')
			continue;
		p++;
		while (is_space((unsigned char)*p))
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
			for (; *p && *p != ';' && !is_space((unsigned char)*p); p++)
				if (match)
					sbuf_addch(out, *p);
		}
		if (match)
			return 1;
	}
}

/*
 * Charsets.
 *
 * Labels are mapped to the superset iconv should read them with, because
 * mailers label text by the charset they think they wrote, not the one
 * they did: GBK and GB18030 text goes out as "gb2312", Windows-1252 as
 * "iso-8859-1" (the WHATWG Encoding Standard maps both the same way).
 */
static const struct {
	const char *label, *iconv;
} charset_aliases[] = {
	{ "gb2312", "GB18030" },
	{ "gbk", "GB18030" },
	{ "gb18030", "GB18030" },
	{ "x-gbk", "GB18030" },
	{ "cp936", "GB18030" },
	{ "ms936", "GB18030" },
	{ "windows-936", "GB18030" },
	{ "euc-cn", "GB18030" },
	{ "x-euc-cn", "GB18030" },
	{ "csgb2312", "GB18030" },
	{ "x-gb2312", "GB18030" },
	{ "gb_2312-80", "GB18030" },
	{ "chinese", "GB18030" },
	{ "iso-8859-1", "WINDOWS-1252" },
	{ "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" },
	{ "latin1", "WINDOWS-1252" },
	{ "l1", "WINDOWS-1252" },
	{ "cp1252", "WINDOWS-1252" },
	{ "x-cp1252", "WINDOWS-1252" },
	{ "windows-1252", "WINDOWS-1252" },
	/* glibc's BIG5 has the ETEN extensions and the euro sign */
	{ "big5", "BIG5" },
	{ "x-big5", "BIG5" },
	{ "cn-big5", "BIG5" },
	{ "csbig5", "BIG5" },
	{ "ks_c_5601-1987", "CP949" },
	{ "euc-kr", "CP949" },
	{ "shift_jis", "CP932" },
	{ "sjis", "CP932" },
	{ "x-sjis", "CP932" },
	{ "windows-31j", "CP932" },
};

/* Labels read as UTF-8 as they are: ASCII is a subset, and 8-bit bytes
 * under them are UTF-8 far more often than anything else today. */
static const char *const utf8_labels[] = {
	"", "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "us", "iso646-us",
	"unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "unknown", "default",
};

enum cs_kind { CS_UTF8, CS_ICONV, CS_BAD };

/*
 * Normalize a charset label into name (the iconv name for CS_ICONV).
 * Only plain label characters are let through to iconv_open(): glibc
 * reads "//" suffixes and module names in what it is given.
 */
static enum cs_kind charset_lookup(const char *label, char name[48])
{
	size_t n = 0;

	while (is_space((unsigned char)*label))
		label++;
	for (; *label && *label != '*' && !is_space((unsigned char)*label); label++) {
		int c = lower((unsigned char)*label);
		if (!is_alnum(c) && !strchr("-_.:+()", c))
			return CS_BAD;
		if (n == 47)
			return CS_BAD;
		name[n++] = (char)c;
	}
	name[n] = '\0';
	for (size_t i = 0; i < sizeof(utf8_labels) / sizeof(utf8_labels[0]); i++)
		if (!strcmp(name, utf8_labels[i]))
			return CS_UTF8;
	for (size_t i = 0; i < sizeof(charset_aliases) / sizeof(charset_aliases[0]); i++)
		if (!strcmp(name, charset_aliases[i].label)) {
			strcpy(name, charset_aliases[i].iconv);
			return CS_ICONV;
		}
	return CS_ICONV;
}

/*
 * Append n bytes at s, written in charset label, to out in UTF-8. Bytes
 * invalid in that charset become U+FFFD; under a UTF-8 label they are
 * copied and left to clean() to replace. Returns 0, or -1 when iconv does
 * not know the charset (nothing appended).
 */
static int to_utf8(const char *label, const char *s, size_t n, struct sbuf *out)
{
	char name[48];
	enum cs_kind kind = charset_lookup(label, name);

	if (kind == CS_BAD)
		return -1;
	if (kind == CS_UTF8) {
		sbuf_add(out, s, n);
		return 0;
	}
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return -1;
	char *in = (char *)s; /* iconv(3) does not write its input */
	size_t inleft = n;
	int flushing = 0;
	for (;;) {
		sbuf_grow(out, inleft * 2 + 64);
		char *o = out->buf + out->len;
		size_t oleft = out->alloc - out->len - 1;
		size_t r = flushing ? iconv(cd, NULL, NULL, &o, &oleft)
				    : iconv(cd, &in, &inleft, &o, &oleft);
		int e = errno;
		out->len = (size_t)(o - out->buf);
		out->buf[out->len] = '\0';
		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = 1;
		} else if (e == E2BIG) {
			sbuf_grow(out, 4096);
		} else if (e == EILSEQ && !flushing) {
			sbuf_add(out, REPLACEMENT, 3);
			in++;
			inleft--;
		} else {
			/* EINVAL: a sequence cut off by the end of the text */
			sbuf_add(out, REPLACEMENT, 3);
			if (flushing)
				break;
			inleft = 0;
			flushing = 1;
		}
	}
	iconv_close(cd);
	return 0;
}

/*
 * Transfer encodings. Both decoders write no more bytes than they read,
 * so they grow out once and fill it directly.
 */

/*
 * Quoted-printable (RFC 2045 6.7), or with header set the Q encoding of
 * RFC 2047 where '_' is a space. An '=' that starts no escape and no soft
 * line break is kept as it is.
 */
static void qp_decode(const char *s, size_t n, int header, struct sbuf *out)
{
	sbuf_grow(out, n);
	char *o = out->buf + out->len;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_' && header) {
			*o++ = ' ';
			continue;
		}
		if (s[i] != '=') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
		    hexval((unsigned char)s[i + 2]) >= 0) {
			*o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 +
				      hexval((unsigned char)s[i + 2]));
			i += 2;
			continue;
		}
		/* a soft line break: '=', maybe white space a relay added, EOL */
		size_t j = i + 1;
		while (j < n && is_wsp(s[j]))
			j++;
		if (j < n && s[j] == '\r')
			j++;
		if (!header && (j == n || s[j] == '\n')) {
			i = j;
			continue;
		}
		*o++ = '=';
	}
	out->len = (size_t)(o - out->buf);
	out->buf[out->len] = '\0';
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Base64, leniently: characters outside the alphabet are skipped, and a
 * quantum cut short by '=' or by the end gives the bytes it holds, so
 * missing padding and concatenated padded blocks both decode.
 */
static void b64_decode(const char *s, size_t n, struct sbuf *out)
{
	uint32_t acc = 0;
	int k = 0;

	sbuf_grow(out, n);
	unsigned char *o = (unsigned char *)out->buf + out->len;
	for (size_t i = 0; i <= n; i++) {
		int v = i < n ? b64val((unsigned char)s[i]) : -1;
		if (v >= 0) {
			acc = acc << 6 | (uint32_t)v;
			if (++k == 4) {
				*o++ = (unsigned char)(acc >> 16);
				*o++ = (unsigned char)(acc >> 8);
				*o++ = (unsigned char)acc;
				acc = 0;
				k = 0;
			}
			continue;
		}
		if (i < n && s[i] != '=')
			continue;
		if (k == 2) {
			*o++ = (unsigned char)(acc >> 4);
		} else if (k == 3) {
			*o++ = (unsigned char)(acc >> 10);
			*o++ = (unsigned char)(acc >> 2);
		}
		acc = 0;
		k = 0;
	}
	out->len = (size_t)((char *)o - out->buf);
	out->buf[out->len] = '\0';
}

/*
 * RFC 2047 encoded words: =?charset?B?text?= and =?charset?Q?text?=.
 */
struct eword {
	const char *cs, *text;
	size_t cslen, tlen;
	int enc; /* 'b' or 'q' */
};

/* Where the last scan for the end of an encoded word began and ended. */
struct escan {
	const char *from, *stop;
};

/*
 * Parse the encoded word at s (n bytes left); returns its length or 0.
 * A text that starts inside the span of the last scan for "?=" ends
 * where that scan did, which keeps a hostile line of "=?a?q?" openers
 * linear instead of quadratic.
 */
static size_t eword_parse(const char *s, size_t n, struct eword *w, struct escan *sc)
{
	size_t i = 2;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	while (i < n && i < 66 && s[i] != '?' && (unsigned char)s[i] > ' ' &&
	       (unsigned char)s[i] < 127)
		i++;
	if (i == 2 || i + 2 >= n || s[i] != '?' || s[i + 2] != '?')
		return 0;
	w->enc = lower((unsigned char)s[i + 1]);
	if (w->enc != 'b' && w->enc != 'q')
		return 0;
	w->cs = s + 2;
	w->cslen = i - 2;
	w->text = s + i + 3;

	const char *end = s + n, *p;
	if (sc->from && sc->from <= w->text && w->text <= sc->stop) {
		p = sc->stop;
	} else {
		for (p = w->text; p + 1 < end; p++)
			if ((p[0] == '?' && p[1] == '=') || (unsigned char)*p <= ' ' ||
			    (unsigned char)*p >= 127)
				break;
		sc->from = w->text;
		sc->stop = p;
	}
	if (p + 1 >= end || p[0] != '?' || p[1] != '=')
		return 0;
	w->tlen = (size_t)(p - w->text);
	return (size_t)(p + 2 - s);
}

/* The pending run of encoded words in one charset, not yet converted. */
struct ewrun {
	const char *src, *src_end; /* as written, in case the charset is unknown */
	const char *cs;
	size_t cslen;
	struct sbuf bytes;
};

static void ewrun_flush(struct ewrun *run, struct sbuf *out)
{
	if (!run->src)
		return;
	char label[64];
	size_t n = run->cslen < sizeof(label) - 1 ? run->cslen : sizeof(label) - 1;
	memcpy(label, run->cs, n);
	label[n] = '\0';
	if (to_utf8(label, run->bytes.buf, run->bytes.len, out) < 0)
		sbuf_add(out, run->src, (size_t)(run->src_end - run->src));
	sbuf_reset(&run->bytes);
	run->src = NULL;
}

/*
 * Decode the encoded words in s into out (RFC 2047 6). White space
 * between two encoded words is dropped. Adjacent words in one charset are
 * decoded together before conversion, because mailers split a multibyte
 * character across two words. A word that does not parse, or whose
 * charset iconv does not know, stays as written.
 */
static void decode_words(const char *s, size_t n, struct sbuf *out)
{
	struct ewrun run = { NULL, NULL, NULL, 0, SBUF_INIT };
	struct escan sc = { NULL, NULL };
	size_t i = 0, lit = 0;

	while (i < n) {
		struct eword w;
		size_t wl = s[i] == '=' ? eword_parse(s + i, n - i, &w, &sc) : 0;
		if (!wl) {
			i++;
			continue;
		}
		if (lit < i && !(run.src && blank(s + lit, i - lit))) {
			ewrun_flush(&run, out);
			sbuf_add(out, s + lit, i - lit);
		}
		if (run.src && (run.cslen != w.cslen || strncasecmp(run.cs, w.cs, w.cslen)))
			ewrun_flush(&run, out);
		if (!run.src) {
			run.src = s + i;
			run.cs = w.cs;
			run.cslen = w.cslen;
		}
		if (w.enc == 'b')
			b64_decode(w.text, w.tlen, &run.bytes);
		else
			qp_decode(w.text, w.tlen, 1, &run.bytes);
		i += wl;
		run.src_end = s + i;
		lit = i;
	}
	ewrun_flush(&run, out);
	sbuf_add(out, s + lit, n - lit);
	sbuf_release(&run.bytes);
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
		if (is_space((unsigned char)sb->buf[i])) {
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
		a.buf[i] = (char)lower((unsigned char)a.buf[i]);
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
 * HTML to text, for a message that has no text/plain part: tags go,
 * <br> and the ends of blocks become newlines, entities are decoded,
 * and what is inside <script>, <style> and <title> is not text at all.
 * Outside <pre>, runs of white space are one space, as a browser shows.
 */
static const struct {
	const char *name;
	uint32_t cp;
} html_entities[] = {
	{ "amp", '&' },	      { "lt", '<' },	      { "gt", '>' },
	{ "quot", '"' },      { "apos", '\'' },
	/* a plain space: the text is read, not laid out */
	{ "nbsp", ' ' },      { "copy", 0xA9 },	      { "reg", 0xAE },
	{ "yen", 0xA5 },      { "middot", 0xB7 },     { "times", 0xD7 },
	{ "ndash", 0x2013 },  { "mdash", 0x2014 },    { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 },  { "ldquo", 0x201C },    { "rdquo", 0x201D },
	{ "bull", 0x2022 },   { "hellip", 0x2026 },   { "euro", 0x20AC },
};

static const char *const html_blocks[] = {
	"p",	  "div",     "tr",	 "li",	    "ul",      "ol",	 "table",  "blockquote",
	"h1",	  "h2",	     "h3",	 "h4",	    "h5",      "h6",	 "pre",	   "dl",
	"dt",	  "dd",	     "hr",	 "section", "article", "header", "footer", "address",
	"center", "form",    "fieldset", "nav",	    "aside",   "main",	 "figure", "caption",
};

static int in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, list[i]))
			return 1;
	return 0;
}

struct htext {
	struct sbuf *out;
	int space; /* white space seen since the last text */
	int pre;   /* inside <pre> */
};

static int at_line_start(const struct htext *h)
{
	return !h->out->len || h->out->buf[h->out->len - 1] == '\n';
}

static void ht_text(struct htext *h, const char *s, size_t n)
{
	if (h->space && !at_line_start(h))
		sbuf_addch(h->out, ' ');
	h->space = 0;
	sbuf_add(h->out, s, n);
}

/* A newline; unless forced (<br>), only where a line has begun. */
static void ht_newline(struct htext *h, int force)
{
	h->space = 0;
	if (force || !at_line_start(h))
		sbuf_addch(h->out, '\n');
}

/* Decode the entity at s (its '&', n bytes left); its length, or 0. */
static size_t html_entity(const char *s, size_t n, struct htext *h)
{
	size_t i = 1, d;
	uint32_t cp = 0;
	char u[4];

	if (i < n && s[i] == '#') {
		int base = 10;
		if (++i < n && lower((unsigned char)s[i]) == 'x')
			base = 16, i++;
		for (d = i; i < n && i - d < 8; i++) {
			int v = base == 16 ? hexval((unsigned char)s[i])
					   : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
			if (v < 0)
				break;
			cp = cp * (uint32_t)base + (uint32_t)v;
		}
		if (i == d || i >= n || s[i] != ';')
			return 0;
		if (!cp || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
	} else {
		for (d = i; i < n && i - d < 10 && is_alnum((unsigned char)s[i]); i++)
			;
		if (i == d || i >= n || s[i] != ';')
			return 0;
		size_t k, nent = sizeof(html_entities) / sizeof(html_entities[0]);
		for (k = 0; k < nent; k++)
			if (strlen(html_entities[k].name) == i - d &&
			    !memcmp(html_entities[k].name, s + d, i - d))
				break;
		if (k == nent)
			return 0;
		cp = html_entities[k].cp;
	}
	ht_text(h, u, utf8_encode(cp, u));
	return i + 1;
}

/* The index of the '>' ending the tag whose name ends at i, or n. Quotes
 * count only around an attribute value, so a stray apostrophe in broken
 * HTML does not swallow the text after it. */
static size_t tag_end(const char *s, size_t i, size_t n)
{
	for (; i < n; i++) {
		if (s[i] == '>')
			return i;
		if (s[i] != '=')
			continue;
		size_t j = i + 1;
		while (j < n && is_space((unsigned char)s[j]))
			j++;
		if (j < n && (s[j] == '"' || s[j] == '\'')) {
			const char *q = memchr(s + j + 1, s[j], n - j - 1);
			if (!q)
				return n;
			i = (size_t)(q - s);
		}
	}
	return n;
}

/* Where the element name that starts at i (its content) ends: after its
 * closing tag "</name", or n when it is never closed. */
static size_t skip_element(const char *s, size_t i, size_t n, const char *name)
{
	size_t len = strlen(name);
	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			return n;
		i = (size_t)(lt - s) + 1;
		if (i + 1 + len < n && s[i] == '/' && ieq(s + i + 1, len, name) &&
		    !is_alnum((unsigned char)s[i + 1 + len])) {
			size_t e = tag_end(s, i + 1 + len, n);
			return e < n ? e + 1 : n;
		}
	}
	return n;
}

/* Handle the tag at s[i] == '<'; returns where the text resumes. */
static size_t html_tag(const char *s, size_t i, size_t n, struct htext *h)
{
	size_t j = i + 1;
	int closing = 0;
	char name[16];
	size_t nl = 0;

	if (j + 2 < n && !memcmp(s + j, "!--", 3)) {
		const char *e = memmem(s + j + 3, n - j - 3, "-->", 3);
		return e ? (size_t)(e - s) + 3 : n;
	}
	if (j < n && s[j] == '/')
		closing = 1, j++;
	while (j < n && is_alnum((unsigned char)s[j])) {
		if (nl < sizeof(name) - 1)
			name[nl++] = (char)lower((unsigned char)s[j]);
		j++;
	}
	name[nl] = '\0';
	if (!nl && !closing && (j >= n || (s[j] != '!' && s[j] != '?'))) {
		ht_text(h, "<", 1); /* "a < b" is text */
		return i + 1;
	}
	size_t e = tag_end(s, j, n);
	if (e == n)
		return n; /* a tag cut off: nothing after it is text */
	int self_closing = e > j && s[e - 1] == '/';
	if (!strcmp(name, "br")) {
		ht_newline(h, 1);
	} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
		h->space = 1;
	} else if (in_list(name, html_blocks, sizeof(html_blocks) / sizeof(html_blocks[0]))) {
		ht_newline(h, 0);
		if (!strcmp(name, "pre"))
			h->pre = !closing;
	} else if (!closing && !self_closing &&
		   (!strcmp(name, "script") || !strcmp(name, "style") || !strcmp(name, "title"))) {
		return skip_element(s, e + 1, n, name);
	}
	return e + 1;
}

static void html_to_text(const char *s, size_t n, struct sbuf *out)
{
	struct sbuf raw = SBUF_INIT;
	struct htext h = { &raw, 0, 0 };
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c == '<') {
			i = html_tag(s, i, n, &h);
		} else if (c == '&') {
			size_t k = html_entity(s + i, n - i, &h);
			if (!k)
				ht_text(&h, "&", 1);
			i += k ? k : 1;
		} else if (is_space(c) && !h.pre) {
			h.space = 1;
			i++;
		} else if (is_space(c)) {
			if (c == '\n')
				ht_newline(&h, 1);
			else if (c != '\r')
				ht_text(&h, s + i, 1);
			i++;
		} else {
			size_t j = i + 1;
			while (j < n && s[j] != '<' && s[j] != '&' &&
			       !is_space((unsigned char)s[j]))
				j++;
			ht_text(&h, s + i, j - i);
			i = j;
		}
	}
	/* Tidy: no spaces ending a line, no leading empty lines, and at most
	 * one empty line in a row, however the blocks nested. */
	size_t nlrun = 0;
	for (size_t k = 0; k < raw.len; k++) {
		char c = raw.buf[k];
		if (c == '\n') {
			while (out->len && out->buf[out->len - 1] == ' ')
				sbuf_setlen(out, out->len - 1);
			if (out->len && nlrun < 2)
				sbuf_addch(out, '\n');
			nlrun++;
			continue;
		}
		nlrun = 0;
		sbuf_addch(out, c);
	}
	sbuf_release(&raw);
}

/* A charset named in an HTML <meta>, for a part whose headers name none. */
static void html_charset(const char *s, size_t n, struct sbuf *out)
{
	static const char key[] = "charset=";
	size_t klen = sizeof(key) - 1;

	if (n > 4096)
		n = 4096;
	for (size_t i = 0; i + klen < n; i++) {
		if (!ieq(s + i, klen, key))
			continue;
		i += klen;
		if (i < n && (s[i] == '"' || s[i] == '\''))
			i++;
		while (i < n && (is_alnum((unsigned char)s[i]) || (s[i] && strchr("-_.:", s[i]))))
			sbuf_addch(out, s[i++]);
		return;
	}
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
	while (p < le && (is_wsp(*p) || *p == '\r'))
		p++;
	return p == le ? 1 + close : 0;
}

static void walk_child(struct found *f, const char *s, const char *e, int depth)
{
	struct part sub;
	if (blank(s, (size_t)(e - s)))
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

	while (ls < end && !f->have_text) {
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
	if (start && !f->have_text)
		walk_child(f, start, end, depth + 1);
	return seen;
}

static int is_attachment(const struct part *pt, struct sbuf *tmp)
{
	if (!header_get(pt, "content-disposition", tmp))
		return 0;
	return ieq(tmp->buf, strcspn(tmp->buf, "; \t("), "attachment");
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
	} else if (!strcmp(type.buf, "text/plain") || !strcmp(type.buf, "text/html")) {
		int html = type.buf[5] == 'h';
		if (!is_attachment(pt, &bd) && !(html ? f->have_html : f->have_text)) {
			*(html ? &f->html : &f->text) = *pt;
			*(html ? &f->have_html : &f->have_text) = 1;
		}
	}
	sbuf_release(&v);
	sbuf_release(&type);
	sbuf_release(&bd);
}

/*
 * The text of a part in UTF-8 into out, its charset label into cs:
 * transfer encoding undone, charset converted, HTML made text.
 */
static enum kf_status part_text(const struct part *pt, int html, struct sbuf *out,
				struct sbuf *cs, struct kf_err *err)
{
	struct sbuf v = SBUF_INIT, dec = SBUF_INIT, conv = SBUF_INIT;
	const char *data = pt->body;
	size_t n = pt->blen;
	enum kf_status st = KF_OK;

	if (header_get(pt, "content-transfer-encoding", &v)) {
		size_t k = strcspn(v.buf, " \t;(");
		if (ieq(v.buf, k, "quoted-printable"))
			qp_decode(data, n, 0, &dec);
		else if (ieq(v.buf, k, "base64"))
			b64_decode(data, n, &dec);
		/* 7bit, 8bit, binary and unknown ones: the bytes as they are */
		if (dec.alloc)
			data = dec.buf, n = dec.len;
		else if (ieq(v.buf, k, "quoted-printable") || ieq(v.buf, k, "base64"))
			n = 0;
	}
	sbuf_reset(cs);
	if (header_get(pt, "content-type", &v))
		mime_param(v.buf, "charset", cs);
	sb_trim(cs);
	if (!cs->len && html)
		html_charset(data, n, cs);
	if (to_utf8(cs->buf, data, n, &conv) < 0) {
		char l[64];
		printable(cs->buf, l);
		st = kf_fail(err, KF_EINVAL, "cannot convert mail body from charset '%s': %s", l,
			     "iconv does not know it");
	} else if (html) {
		html_to_text(conv.buf, conv.len, out);
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
			sbuf_add(&out, REPLACEMENT, 3);
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
		while (len && is_space((unsigned char)out.buf[len - 1]))
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

	if (!utf8_valid(v, n, NULL, NULL) && body_cs &&
	    charset_lookup(body_cs, name) == CS_ICONV && !to_utf8(body_cs, v, n, &raw))
		v = raw.buf, n = raw.len;
	decode_words(v, n, &out);
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

static enum kf_status read_body(const struct part *top, struct mail *m, struct sbuf *cs,
				struct kf_err *err)
{
	struct found f;
	struct sbuf text = SBUF_INIT;
	const struct part *pt = NULL;
	int html = 0;
	enum kf_status st = KF_OK;

	memset(&f, 0, sizeof(f));
	walk(&f, top, 0);
	if (f.have_text) {
		pt = &f.text;
	} else if (f.have_html) {
		pt = &f.html;
		html = 1;
	} else if (f.bad[0]) {
		/* a multipart that would not split may still hold plain text */
		if (!f.unsplit || blank(top->body, top->blen))
			return kf_fail(err, KF_EINVAL, "cannot read mail body: %s", f.bad);
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

enum kf_status mail_parse(const char *buf, size_t len, struct mail *m, struct kf_err *err)
{
	static const char *const senders[] = { "from", "sender", "reply-to" };
	struct part top;
	struct sbuf v = SBUF_INIT, cs = SBUF_INIT;
	char *rawname = NULL;
	enum kf_status st;

	memset(m, 0, sizeof(*m));
	if (len > MAIL_MAX_BYTES)
		return kf_fail(err, KF_EINVAL,
			       "cannot read mail: %zu bytes is over the limit of %d bytes", len,
			       MAIL_MAX_BYTES);
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
	st = read_body(&top, m, &cs, err);
	if (st != KF_OK)
		goto out;
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
	memset(m, 0, sizeof(*m));
}
