/*
 * flowed: text/plain; format=flowed (RFC 3676) made plain again. A
 * mailer sending flowed text breaks long lines where it likes and marks
 * each such soft break with a trailing space; a reader rejoins them.
 * For mail.c; the input is hostile, every scan bounded by n.
 */
#ifndef KEFU_FLOWED_H
#define KEFU_FLOWED_H

#include <stddef.h>

struct sbuf;

/*
 * Append the n bytes of flowed text at s to out, its paragraphs
 * rejoined: a line ending in a space (other than the signature
 * separator "-- ") runs on into the next line of the same quote depth.
 * delsp (the parameter DelSp=yes) drops that space, as CJK text wants;
 * otherwise it stays, between two words. The space a sender stuffs
 * before a line starting with a space, "From " or '>' is taken out;
 * quoted lines come back as ">" repeated, a space, the text. Line ends
 * may be LF or CRLF; the result's are LF.
 */
void flowed_unwrap(const char *s, size_t n, int delsp, struct sbuf *out);

#endif
