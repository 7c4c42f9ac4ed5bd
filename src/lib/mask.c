#include "mask.h"

#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "sbuf.h"

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* What may not touch a number or an address: it would make it a word. */
static int wordish(char c)
{
	return ascii_alnum((unsigned char)c) || c == '_';
}

/* A character of an e-mail address's local part, or of its domain. */
static int local_char(char c)
{
	return ascii_alnum((unsigned char)c) || (c && strchr(".!#$%&'*+/=?^_`{|}~-", c));
}

static int domain_char(char c)
{
	return ascii_alnum((unsigned char)c) || c == '-' || c == '.';
}

/*
 * An e-mail address whose '@' is at s + at: its start and end, or 0.
 * The domain has a dot, between labels.
 */
static int email_at(const char *s, size_t at, size_t *start, size_t *end)
{
	size_t b = at, e = at + 1, dots = 0;
	while (b > 0 && local_char(s[b - 1]))
		b--;
	while (s[b] == '.')
		b++;
	if (b == at)
		return 0;
	while (domain_char(s[e])) {
		dots += s[e] == '.';
		e++;
	}
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) {
		dots -= s[e - 1] == '.';
		e--;
	}
	if (!dots || s[at + 1] == '.' || e == at + 1)
		return 0;
	*start = b;
	*end = e;
	return 1;
}

/* A phone number starting at s + i: its length, or 0. */
static size_t phone_at(const char *s, size_t i)
{
	size_t p = i, digits = 0, groups = 0;
	int plus = s[p] == '+';
	if (i > 0 && (wordish(s[i - 1]) || s[i - 1] == '+' || s[i - 1] == '.'))
		return 0;
	if (plus)
		p++;
	size_t end = p;
	for (;;) {
		size_t n = 0;
		while (digit(s[p + n]))
			n++;
		if (!n)
			break;
		/* After the first, a group is three digits or more: not a date. */
		if (groups && n < 3)
			break;
		groups++;
		digits += n;
		p += n;
		end = p;
		if ((s[p] == ' ' || s[p] == '-') && digit(s[p + 1]))
			p++;
		else
			break;
	}
	if (!groups || wordish(s[end]) || (s[end] == '.' && digit(s[end + 1])))
		return 0;
	if (digits < 7 || digits > (plus ? 15u : 12u))
		return 0;
	return end - i;
}

static void put_phone(struct sbuf *out, const char *s, size_t n)
{
	size_t digits = 0, seen = 0;
	for (size_t k = 0; k < n; k++)
		digits += digit(s[k]);
	size_t head = digits >= 11 ? 3 : 0;
	for (size_t k = 0; k < n; k++) {
		if (!digit(s[k])) {
			sbuf_addch(out, s[k]);
			continue;
		}
		seen++;
		sbuf_addch(out, seen <= head || seen > digits - 4 ? s[k] : '*');
	}
}

void mask_contacts(const char *s, struct sbuf *out)
{
	size_t len = strlen(s), k = 0, n = 0, alloc = 0;
	struct {
		size_t start, at, end;
	} *mail = NULL;
	/* The addresses first: a number inside one is part of it. */
	for (const char *at = strchr(s, '@'); at; at = strchr(at + 1, '@')) {
		size_t b, e;
		if (email_at(s, (size_t)(at - s), &b, &e) && (!n || b >= mail[n - 1].end)) {
			ALLOC_GROW(mail, n + 1, alloc);
			mail[n].start = b;
			mail[n].at = (size_t)(at - s);
			mail[n++].end = e;
		}
	}
	for (size_t i = 0; i < len;) {
		size_t next = k < n ? mail[k].start : len, m;
		if (i == next) {
			sbuf_addch(out, s[i]);
			sbuf_adds(out, "***");
			sbuf_add(out, s + mail[k].at, mail[k].end - mail[k].at);
			i = mail[k++].end;
		} else if ((digit(s[i]) || (s[i] == '+' && digit(s[i + 1]))) &&
			   (m = phone_at(s, i)) && i + m <= next) {
			put_phone(out, s + i, m);
			i += m;
		} else if (wordish(s[i])) {
			/* the rest of the word, so that no number starts inside it */
			while (i < next && wordish(s[i]))
				sbuf_addch(out, s[i++]);
		} else {
			sbuf_addch(out, s[i++]);
		}
	}
	free(mail);
}

char *mask_text(const char *s)
{
	if (!s)
		return NULL;
	struct sbuf sb = SBUF_INIT;
	mask_contacts(s, &sb);
	return sbuf_detach(&sb);
}
