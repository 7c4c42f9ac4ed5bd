#include "trailers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sbuf.h"

static int trailer_line(const char *s, size_t n)
{
	/* "Key: value": a key of letters, digits and dashes, then ": " */
	size_t i = 0;
	while (i < n && (s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	return i > 0 && i + 1 < n && s[i] == ':' && s[i + 1] == ' ';
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == '\n' || *s == ' '))
		s++, n--;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return xstrndup(s, n);
}

void commit_msg_parse(const char *text, struct commit_msg *m)
{
	size_t len = strlen(text);
	const char *nl = strchr(text, '\n');
	size_t sublen = nl ? (size_t)(nl - text) : len;
	size_t alloc = 0;

	memset(m, 0, sizeof(*m));
	m->subject = xstrndup(text, sublen);
	const char *rest = text + sublen;
	size_t restlen = len - sublen;
	while (restlen && rest[restlen - 1] == '\n')
		restlen--;

	/* The last paragraph, if it is all trailers. */
	const char *last = rest;
	for (const char *p = rest; p + 1 < rest + restlen; p++)
		if (p[0] == '\n' && p[1] == '\n')
			last = p + 2;
	int all = last < rest + restlen && last != rest;
	for (const char *p = last; all && p < rest + restlen;) {
		const char *e = memchr(p, '\n', (size_t)(rest + restlen - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(rest + restlen - p);
		all = trailer_line(p, n);
		p += n + 1;
	}
	if (!all) {
		m->body = trimmed(rest, restlen);
		return;
	}
	m->body = trimmed(rest, (size_t)(last - rest));
	for (const char *p = last; p < rest + restlen;) {
		const char *e = memchr(p, '\n', (size_t)(rest + restlen - p));
		size_t n = e ? (size_t)(e - p) : (size_t)(rest + restlen - p);
		const char *colon = memchr(p, ':', n);
		ALLOC_GROW(m->trailers, m->ntrailers + 1, alloc);
		m->trailers[m->ntrailers].key = xstrndup(p, (size_t)(colon - p));
		m->trailers[m->ntrailers].value = trimmed(colon + 1, (size_t)(p + n - colon - 1));
		m->ntrailers++;
		p += n + 1;
	}
}

void commit_msg_release(struct commit_msg *m)
{
	free(m->subject);
	free(m->body);
	for (size_t i = 0; i < m->ntrailers; i++) {
		free(m->trailers[i].key);
		free(m->trailers[i].value);
	}
	free(m->trailers);
	memset(m, 0, sizeof(*m));
}

const char *commit_msg_trailer(const struct commit_msg *m, const char *key)
{
	for (size_t i = 0; i < m->ntrailers; i++)
		if (!strcasecmp(m->trailers[i].key, key))
			return m->trailers[i].value;
	return NULL;
}

char *trailer_email(const char *value)
{
	const char *lt = strrchr(value, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt)
		return xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return xstrdup(value);
}

char *commit_msg_email(const struct commit_msg *m, const char *key)
{
	const char *v = commit_msg_trailer(m, key);
	return v ? trailer_email(v) : NULL;
}
