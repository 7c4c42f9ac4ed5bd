/* format=flowed text (RFC 3676), its soft line breaks rejoined. */
#include "flowed.h"

#include <string.h>

#include "sbuf.h"

/* A line as RFC 3676 4 reads it: quote depth, text, soft break or not. */
struct fline {
	size_t depth;
	const char *text;
	size_t len;
	int soft;
};

static void read_line(const char *s, size_t n, int delsp, struct fline *l)
{
	size_t i = 0;
	if (n && s[n - 1] == '\r')
		n--;
	while (i < n && s[i] == '>')
		i++;
	l->depth = i;
	if (i < n && s[i] == ' ')
		i++; /* space-stuffing (4.4), after the quote marks too (4.5) */
	l->text = s + i;
	l->len = n - i;
	/* The signature separator "-- " is a hard break, whatever it ends in. */
	l->soft = l->len && l->text[l->len - 1] == ' ' &&
		  !(l->len == 3 && !memcmp(l->text, "-- ", 3));
	if (l->soft && delsp)
		l->len--;
}

static void start_paragraph(struct sbuf *out, size_t depth)
{
	for (size_t i = 0; i < depth; i++)
		sbuf_addch(out, '>');
	if (depth)
		sbuf_addch(out, ' ');
}

void flowed_unwrap(const char *s, size_t n, int delsp, struct sbuf *out)
{
	const char *end = s + n, *p = s;
	int open = 0; /* a paragraph is running on: the last line was soft */
	size_t depth = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct fline l;
		read_line(p, (size_t)(le - p), delsp, &l);
		/* A soft break into another depth is a mistake of the sender's: end it there. */
		if (open && l.depth != depth) {
			sbuf_addch(out, '\n');
			open = 0;
		}
		if (!open)
			start_paragraph(out, l.depth);
		sbuf_add(out, l.text, l.len);
		depth = l.depth;
		open = l.soft;
		if (!open && nl)
			sbuf_addch(out, '\n');
		p = nl ? nl + 1 : end;
	}
	if (open)
		sbuf_addch(out, '\n');
}
