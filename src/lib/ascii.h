/*
 * ascii: character classes of the C locale, for parsers of formats that
 * define them so (mail, HTML, charset labels) whatever the locale the
 * command runs in. Header only.
 */
#ifndef KEFU_ASCII_H
#define KEFU_ASCII_H

#include <stddef.h>

static inline int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* A space or a tab: RFC 5322's WSP. */
static inline int ascii_wsp(int c)
{
	return c == ' ' || c == '\t';
}

static inline int ascii_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static inline int ascii_alnum(int c)
{
	return (c >= '0' && c <= '9') || (ascii_lower(c) >= 'a' && ascii_lower(c) <= 'z');
}

/* The value of a hex digit, or -1. */
static inline int ascii_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Do the n bytes at s spell the lowercase word w, in any ASCII case? */
static inline int ascii_ieq(const char *s, size_t n, const char *w)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!w[i] || ascii_lower((unsigned char)s[i]) != w[i])
			return 0;
	return !w[i];
}

/* Are the n bytes at s all white space (or none)? */
static inline int ascii_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ascii_space((unsigned char)s[i]))
			return 0;
	return 1;
}

#endif
