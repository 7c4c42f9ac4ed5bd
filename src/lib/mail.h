/*
 * mail: an RFC 5322 message, as a mail gateway (procmail, fetchmail)
 * pipes it to `ticket-open --email`, reduced to what a ticket needs: who
 * wrote, about what, in reply to which message, and the text they wrote.
 *
 * Everything here is parsed by hand: header unfolding, addresses and the
 * MIME structure (RFC 2045/2046, RFC 2231 parameters) in mail.c;
 * charsets (through iconv(3)), transfer encodings and RFC 2047 encoded
 * words in charset.c; a small HTML-to-text pass in html.c; format=flowed
 * (RFC 3676) in flowed.c. What cannot be shown as text, the
 * attachments, comes back too: their names, types and bytes.
 *
 * The input is hostile until proven otherwise: every scan is bounded by
 * len (buf need not end in a NUL), multiparts nest at most
 * MAIL_MAX_DEPTH deep, and every string handed back is valid UTF-8 with
 * no NUL bytes, whatever the bytes that came in.
 *
 * Ownership: mail_parse() fills the strings of struct mail, each its own
 * allocation; mail_release() frees them and leaves the struct zeroed. On
 * failure mail_parse() leaves nothing allocated (the struct is zeroed),
 * so calling mail_release() then is harmless but not needed.
 */
#ifndef KEFU_MAIL_H
#define KEFU_MAIL_H

#include <stddef.h>

#include "status.h"

/* Bigger messages are refused before any parsing. */
#define MAIL_MAX_BYTES (10 * 1024 * 1024)
/* Multiparts nested deeper than this are not entered. */
#define MAIL_MAX_DEPTH 16
/* Attachments read at most; those beyond are only counted. */
#define MAIL_MAX_ATTACHMENTS 64

/*
 * A part that is not the message's text: an image, a document, a text
 * sent as a file, a forwarded message.
 */
struct mail_attachment {
	char *name; /* as the sender named it: UTF-8, one line; "" when unnamed */
	char *type; /* "image/jpeg", lowercased; never empty */
	char *data; /* the bytes, transfer encoding undone (size of them) */
	size_t size;
};

struct mail {
	char *from_addr;   /* the sender's address, lowercased: user@host */
	char *from_name;   /* the display name, UTF-8, one line, or NULL */
	char *subject;     /* UTF-8, one line, or "" when absent */
	char *message_id;  /* without the angle brackets, or NULL */
	char *in_reply_to; /* the first id of In-Reply-To, no brackets, or NULL */
	/*
	 * The message's text in UTF-8: the first text/plain part that is not
	 * an attachment, else the first text/html one turned into text, else
	 * "". Lines end in \n (CRLF and lone CR too); no trailing blank lines
	 * and no final newline. Flowed text comes rejoined. A body whose
	 * label names no charset (none, or an ASCII one) and that is not
	 * valid UTF-8 is read as GB18030 when that reads it better.
	 */
	char *body;
	/* The MIME type the body came from: "text/plain" or "text/html";
	 * NULL when there was no text part (body is then ""). Not allocated. */
	const char *body_type;
	/*
	 * Every part that is neither the body nor another text part read as
	 * one (an alternative HTML, a second inline text): a part named as a
	 * file (filename or name), marked attachment, or of a type not
	 * text/plain or text/html, in the order of the message; at most
	 * MAIL_MAX_ATTACHMENTS, att_unread counting those beyond.
	 */
	struct mail_attachment *att;
	size_t natt, att_unread;
};

/*
 * Parse len bytes at buf into m. The sender is From, else Sender, else
 * Reply-To: the first mailbox with an address user@host in it.
 *
 * Returns KF_OK, or KF_EINVAL with err naming what is wrong: no sender
 * address; a message over MAIL_MAX_BYTES; a body charset iconv cannot
 * convert (named); a malformed MIME structure, only when no text could be
 * read from it at all. Bytes that are invalid in their declared charset
 * become U+FFFD rather than an error; an encoded word in an unknown
 * charset is left as it was written.
 */
enum kf_status mail_parse(const char *buf, size_t len, struct mail *m, struct kf_err *err);

void mail_release(struct mail *m);

#endif
