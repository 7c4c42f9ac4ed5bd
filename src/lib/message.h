/*
 * message: commit messages as kefu writes and reads them.
 *
 *   Subject line
 *
 *   The reason, any number of lines.
 *
 *   Proposed-by: 王芳 <wang.fang@example.com>
 *   Entry: refund-7day
 *
 * The last paragraph is the trailer block when every line of it is
 * "Key: value". Ownership: message_parse() fills strings that
 * message_release() frees.
 */
#ifndef KEFU_MESSAGE_H
#define KEFU_MESSAGE_H

#include <stddef.h>

struct trailer {
	char *key, *value;
};

struct message {
	char *subject;
	char *body; /* between subject and trailers, trimmed; "" when none */
	struct trailer *trailers;
	size_t ntrailers;
};

void message_parse(const char *text, struct message *m);
void message_release(struct message *m);

/* The first value of key, or NULL. */
const char *message_trailer(const struct message *m, const char *key);

/* "Name <email>" or "email" -> a new string holding the email. */
char *trailer_email(const char *value);

#endif
