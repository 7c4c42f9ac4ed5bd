/* HTML to text, for a message with no plain text. */
#include "html.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "sbuf.h"
#include "utf8.h"

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
		if (++i < n && ascii_lower((unsigned char)s[i]) == 'x')
			base = 16, i++;
		for (d = i; i < n && i - d < 8; i++) {
			int v = base == 16 ? ascii_hexval((unsigned char)s[i])
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
		for (d = i; i < n && i - d < 10 && ascii_alnum((unsigned char)s[i]); i++)
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
		while (j < n && ascii_space((unsigned char)s[j]))
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
		if (i + 1 + len < n && s[i] == '/' && ascii_ieq(s + i + 1, len, name) &&
		    !ascii_alnum((unsigned char)s[i + 1 + len])) {
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
	while (j < n && ascii_alnum((unsigned char)s[j])) {
		if (nl < sizeof(name) - 1)
			name[nl++] = (char)ascii_lower((unsigned char)s[j]);
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

void html_to_text(const char *s, size_t n, struct sbuf *out)
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
		} else if (ascii_space(c) && !h.pre) {
			h.space = 1;
			i++;
		} else if (ascii_space(c)) {
			if (c == '\n')
				ht_newline(&h, 1);
			else if (c != '\r')
				ht_text(&h, s + i, 1);
			i++;
		} else {
			size_t j = i + 1;
			while (j < n && s[j] != '<' && s[j] != '&' &&
			       !ascii_space((unsigned char)s[j]))
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
void html_charset(const char *s, size_t n, struct sbuf *out)
{
	static const char key[] = "charset=";
	size_t klen = sizeof(key) - 1;

	if (n > 4096)
		n = 4096;
	for (size_t i = 0; i + klen < n; i++) {
		if (!ascii_ieq(s + i, klen, key))
			continue;
		i += klen;
		if (i < n && (s[i] == '"' || s[i] == '\''))
			i++;
		while (i < n && (ascii_alnum((unsigned char)s[i]) || (s[i] && strchr("-_.:", s[i]))))
			sbuf_addch(out, s[i++]);
		return;
	}
}

