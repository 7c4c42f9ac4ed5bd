/*
 * charset: text as an e-mail carries it, brought to UTF-8: charset
 * labels read through iconv(3), the transfer encodings quoted-printable
 * and base64 (RFC 2045), and RFC 2047's encoded words in headers. For
 * mail.c; the input is hostile, every scan bounded by n.
 *
 * Each function appends to out: nothing else is allocated.
 */
#ifndef KEFU_CHARSET_H
#define KEFU_CHARSET_H

#include <stddef.h>

struct sbuf;

/* U+FFFD in UTF-8: what stands for bytes invalid in their charset. */
#define CHARSET_REPLACEMENT "\xEF\xBF\xBD"

enum cs_kind { CS_UTF8, CS_ICONV, CS_BAD };

/*
 * Normalize a charset label into name: CS_UTF8 for a label read as
 * UTF-8 as it is (ASCII, "unknown"...), CS_ICONV with name the iconv
 * name to read it with (gb2312 as GB18030, iso-8859-1 as WINDOWS-1252,
 * since mailers label text by what they think they wrote), CS_BAD for
 * a label iconv must not be given.
 */
enum cs_kind charset_lookup(const char *label, char name[48]);

/*
 * Append n bytes at s, written in charset label, to out in UTF-8. Bytes
 * invalid in that charset become U+FFFD; under a UTF-8 label they are
 * copied as they are, for the caller to check. Returns 0, or -1 when
 * iconv does not know the charset (nothing appended).
 */
int charset_to_utf8(const char *label, const char *s, size_t n, struct sbuf *out);

/*
 * Whether label says nothing of 8-bit bytes: none at all, or one of
 * the ASCII and "unknown" labels that charset_lookup() reads as UTF-8
 * (a label naming UTF-8 itself does say).
 */
int charset_unlabelled(const char *label);

/*
 * Append n bytes at s, in a charset nobody named, to out in UTF-8:
 * as UTF-8 when they are valid UTF-8, else as GB18030 (a Chinese
 * mailer's GBK) when that reads them with fewer invalid sequences than
 * UTF-8 does, else as UTF-8, the bytes copied for the caller to check.
 * Returns the label used: "utf-8" or "gb18030".
 */
const char *charset_guess_to_utf8(const char *s, size_t n, struct sbuf *out);

/*
 * Quoted-printable (RFC 2045 6.7), or with header set the Q encoding of
 * RFC 2047 where '_' is a space; an '=' that starts no escape and no
 * soft line break is kept. Never writes more bytes than it reads.
 */
void charset_qp_decode(const char *s, size_t n, int header, struct sbuf *out);

/*
 * Base64, leniently: characters outside the alphabet are skipped, and a
 * quantum cut short by '=' or by the end gives the bytes it holds.
 */
void charset_b64_decode(const char *s, size_t n, struct sbuf *out);

/*
 * A header's encoded words decoded (RFC 2047 6), the rest as it is.
 * White space between two encoded words goes; adjacent words in one
 * charset are converted together (mailers split a character across
 * two). A word that does not parse, or in a charset iconv does not
 * know, stays as written.
 */
void charset_decode_words(const char *s, size_t n, struct sbuf *out);

/*
 * Append n bytes at s, written in the iconv charset name ("GB18030",
 * "UTF-16LE"), to out in UTF-8, strictly: for a file, where a silent
 * replacement would be damage. Returns 0; -1 when a byte is not text in
 * that charset (*bad its offset; nothing appended) or iconv does not
 * know the charset (*bad 0).
 */
int charset_convert_strict(const char *name, const char *s, size_t n, struct sbuf *out,
			   size_t *bad);

#endif
