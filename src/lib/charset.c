/* Text as a message carries it, to UTF-8: charsets and transfer encodings. */
#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ascii.h"
#include "sbuf.h"
#include "utf8.h"

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

/*
 * Normalize a charset label into name (the iconv name for CS_ICONV).
 * Only plain label characters are let through to iconv_open(): glibc
 * reads "//" suffixes and module names in what it is given.
 */
enum cs_kind charset_lookup(const char *label, char name[48])
{
	size_t n = 0;

	while (ascii_space((unsigned char)*label))
		label++;
	for (; *label && *label != '*' && !ascii_space((unsigned char)*label); label++) {
		int c = ascii_lower((unsigned char)*label);
		if (!ascii_alnum(c) && !strchr("-_.:+()", c))
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
 * s converted by cd onto out. Lenient, with bad NULL: each invalid
 * sequence, or one cut off by the end, becomes U+FFFD and conversion
 * goes on; 0. Strict: the first stops it, *bad its offset in s; -1.
 */
static int convert(iconv_t cd, const char *s, size_t n, struct sbuf *out, size_t *bad)
{
	char *in = (char *)s; /* iconv(3) does not write its input */
	size_t inleft = n;
	for (int flushing = 0;;) {
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
				return 0;
			flushing = 1;
		} else if (e == E2BIG) {
			sbuf_grow(out, 4096);
		} else if (bad) {
			/* EILSEQ, or EINVAL: a sequence cut off by the end */
			*bad = (size_t)(in - s);
			return -1;
		} else if (e == EILSEQ && !flushing) {
			sbuf_add(out, CHARSET_REPLACEMENT, 3);
			in++;
			inleft--;
		} else {
			/* EINVAL: a sequence cut off by the end of the text */
			sbuf_add(out, CHARSET_REPLACEMENT, 3);
			if (flushing)
				return 0;
			inleft = 0;
			flushing = 1;
		}
	}
}

/*
 * Append n bytes at s, written in charset label, to out in UTF-8. Bytes
 * invalid in that charset become U+FFFD; under a UTF-8 label they are
 * copied and left to clean() to replace. Returns 0, or -1 when iconv does
 * not know the charset (nothing appended).
 */
int charset_to_utf8(const char *label, const char *s, size_t n, struct sbuf *out)
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
	convert(cd, s, n, out, NULL);
	iconv_close(cd);
	return 0;
}

int charset_unlabelled(const char *label)
{
	char name[48];
	if (charset_lookup(label, name) != CS_UTF8)
		return 0;
	return strcmp(name, "utf-8") && strcmp(name, "utf8") && strcmp(name, "unicode-1-1-utf-8");
}

/* Invalid sequences in s as UTF-8, each counted once, as clean() in mail.c replaces them. */
static size_t utf8_invalid(const char *s, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += utf8_decode((const unsigned char *)s + i, n - i, &cp);
		bad += cp == UTF8_INVALID;
	}
	return bad;
}

static size_t replacements(const char *s, size_t n)
{
	size_t k = 0;
	const char *end = s + n;
	while ((s = memmem(s, (size_t)(end - s), CHARSET_REPLACEMENT, 3))) {
		k++;
		s += 3;
	}
	return k;
}

const char *charset_guess_to_utf8(const char *s, size_t n, struct sbuf *out)
{
	size_t bad = utf8_invalid(s, n);
	if (bad) {
		struct sbuf gb = SBUF_INIT;
		if (!charset_to_utf8("gb18030", s, n, &gb) && replacements(gb.buf, gb.len) < bad) {
			sbuf_add(out, gb.buf, gb.len);
			sbuf_release(&gb);
			return "gb18030";
		}
		sbuf_release(&gb);
	}
	sbuf_add(out, s, n);
	return "utf-8";
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
void charset_qp_decode(const char *s, size_t n, int header, struct sbuf *out)
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
		if (i + 2 < n && ascii_hexval((unsigned char)s[i + 1]) >= 0 &&
		    ascii_hexval((unsigned char)s[i + 2]) >= 0) {
			*o++ = (char)(ascii_hexval((unsigned char)s[i + 1]) * 16 +
				      ascii_hexval((unsigned char)s[i + 2]));
			i += 2;
			continue;
		}
		/* a soft line break: '=', maybe white space a relay added, EOL */
		size_t j = i + 1;
		while (j < n && ascii_wsp(s[j]))
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
void charset_b64_decode(const char *s, size_t n, struct sbuf *out)
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
	w->enc = ascii_lower((unsigned char)s[i + 1]);
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
	if (charset_to_utf8(label, run->bytes.buf, run->bytes.len, out) < 0)
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
void charset_decode_words(const char *s, size_t n, struct sbuf *out)
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
		if (lit < i && !(run.src && ascii_blank(s + lit, i - lit))) {
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
			charset_b64_decode(w.text, w.tlen, &run.bytes);
		else
			charset_qp_decode(w.text, w.tlen, 1, &run.bytes);
		i += wl;
		run.src_end = s + i;
		lit = i;
	}
	ewrun_flush(&run, out);
	sbuf_add(out, s + lit, n - lit);
	sbuf_release(&run.bytes);
}

int charset_convert_strict(const char *name, const char *s, size_t n, struct sbuf *out,
			   size_t *bad)
{
	*bad = 0;
	iconv_t cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return -1;
	size_t start = out->len;
	int ret = convert(cd, s, n, out, bad);
	iconv_close(cd);
	if (ret)
		sbuf_setlen(out, start);
	return ret;
}
