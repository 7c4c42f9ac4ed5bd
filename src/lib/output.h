/*
 * output: records as tab-separated lines or JSON Lines, one emitter for
 * every command.
 *
 * TSV: one record a line, fields in call order, no header. A backslash,
 * tab, newline or carriage return inside a field is written \\ \t \n \r,
 * so a record is always one line; any other control character is made
 * visible, C0 and DEL as \xHH (ESC is \x1b), C1 (U+0080-U+009F) as
 * \u00HH, so that no field can drive a terminal; a null is an empty
 * field; a list is its items joined by commas.
 * JSON: one object a line, keys in call order (each command documents
 * its keys), strings escaped per RFC 8259, C1 controls too (\u009b),
 * null for absent values.
 *
 * Nothing is buffered beyond stdio: the caller checks the stream.
 */
#ifndef KEFU_OUTPUT_H
#define KEFU_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

enum out_format { OUT_TSV, OUT_JSON };

struct out {
	FILE *fp;
	enum out_format fmt;
	int nfields; /* fields written in the current record */
};

void out_init(struct out *o, FILE *fp, enum out_format fmt);
void out_begin(struct out *o);
void out_end(struct out *o);
/* s NULL: null. */
void out_str(struct out *o, const char *key, const char *s);
void out_int(struct out *o, const char *key, long long v);
void out_num(struct out *o, const char *key, double v, int decimals);
void out_bool(struct out *o, const char *key, int v);
void out_list(struct out *o, const char *key, char *const *v, size_t n);
/* An already-formatted JSON value (JSON only; TSV writes it as text). */
void out_raw(struct out *o, const char *key, const char *json);

/*
 * Human-readable text, for a terminal: n bytes of s with every control
 * character visible as in TSV (\x1b, \u009b), except tabs, and newlines
 * when multiline (else they are \n).
 */
void text_write(FILE *fp, const char *s, size_t n, int multiline);

/* Write s as a JSON string literal. */
void json_write_string(FILE *fp, const char *s);

#endif
