/*
 * trailers: git commit messages as kefu writes and reads them, and the
 * trailers that record who proposed, amended, rejected or approved.
 *
 *   Subject line
 *
 *   The reason, any number of lines.
 *
 *   Proposed-by: 王芳 <wang.fang@example.com>
 *   Entry: refund-7day
 *
 * The last paragraph is the trailer block when every line of it is
 * "Key: value". Ownership: commit_msg_parse() fills strings that
 * commit_msg_release() frees.
 */
#ifndef KEFU_TRAILERS_H
#define KEFU_TRAILERS_H

#include <stddef.h>

struct trailer {
	char *key, *value;
};

struct commit_msg {
	char *subject;
	char *body; /* between subject and trailers, trimmed; "" when none */
	struct trailer *trailers;
	size_t ntrailers;
};

void commit_msg_parse(const char *text, struct commit_msg *m);
void commit_msg_release(struct commit_msg *m);

/* The first value of key, or NULL. */
const char *commit_msg_trailer(const struct commit_msg *m, const char *key);

/* "Name <email>" or "email" -> a new string holding the email. */
char *trailer_email(const char *value);
/* The email of key's first value (a new string), or NULL. */
char *commit_msg_email(const struct commit_msg *m, const char *key);

#endif
