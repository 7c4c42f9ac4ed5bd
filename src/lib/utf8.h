/*
 * utf8: decoding and validation. Pure functions, no allocation.
 */
#ifndef KEFU_UTF8_H
#define KEFU_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point at s (n bytes available). Returns its length in
 * bytes (1..4) and stores it in *cp; an invalid or truncated sequence,
 * an overlong form or a surrogate returns 1 with *cp = UTF8_INVALID.
 */
#define UTF8_INVALID 0xFFFFFFFFu
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Encode cp into out (4 bytes room); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);

/*
 * Check that s is valid UTF-8 without NUL bytes. Returns 1 when it is;
 * otherwise 0 with the 1-based line and byte offset of the first bad byte.
 */
int utf8_valid(const char *s, size_t n, int *line, size_t *offset);

/* Number of code points in a valid string. */
size_t utf8_width(const char *s, size_t n);

#endif
