/*
 * output: records as tab-separated lines or JSON Lines, one emitter for
 * every command.
 *
 * A record is a map: out_begin() opens it, out_end() closes it. Inside,
 * values nest: out_map_begin()/out_map_end() and out_list_begin()/
 * out_list_end() open and close a map or a list, and out_str(),
 * out_int(), out_num(), out_bool(), out_null() and out_list() (a list of
 * strings, for short) write one value. Every call takes a key: the
 * value's name inside a map, NULL inside a list.
 *
 *   out_begin(&o);                         {"id":"GD1",
 *   out_str(&o, "id", "GD1");               "events":[
 *   out_list_begin(&o, "events");            {"what":"open"}]}
 *   out_map_begin(&o, NULL);
 *   out_str(&o, "what", "open");
 *   out_map_end(&o);
 *   out_list_end(&o);
 *   out_end(&o);
 *
 * JSON: one object a line, keys in call order (each command documents
 * its keys), strings escaped per RFC 8259, C1 controls too (\u009b),
 * null for absent values.
 *
 * TSV: one record a line, the record's values in call order, no keys,
 * no header. A backslash, tab, newline or carriage return inside a value
 * is written \\ \t \n \r, so a record is always one line; any other
 * control character is made visible, C0 and DEL as \xHH (ESC is \x1b),
 * C1 (U+0080-U+009F) as \u00HH, so that no field can drive a terminal; a
 * null is empty, a boolean true or false. TSV has no nesting: a list or
 * map inside the record is one field, its items (a map's values, without
 * keys) joined by commas, and deeper ones flatten the same way, so
 * ["a", {"b": 1, "c": null}] is "a,1,". Commas inside items are not
 * escaped: a command whose TSV must be split that way says so.
 *
 * Whole records or nothing: a record is built in memory and reaches the
 * stream at out_end(), in one write. A caller that fails half-way calls
 * out_discard() (or just never calls out_end(): the next out_begin()
 * starts afresh), and nothing of that record is written, so a stream
 * never holds half a record or an unclosed object. A record the calls
 * left ill-formed (a container left open or closed twice, a value with
 * no key in a map, a value outside any record, nesting past
 * OUT_MAX_DEPTH) is a caller's bug: out_end() then writes nothing and
 * returns -1 with errno EINVAL.
 *
 * Ownership: a struct out owns memory only while a record is open;
 * out_end() and out_discard() free it, so there is no release call.
 * The caller checks the stream (cli_exit() does).
 */
#ifndef KEFU_OUTPUT_H
#define KEFU_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "sbuf.h"

enum out_format { OUT_TSV, OUT_JSON };

/* Containers open at once, the record's own map included. */
#define OUT_MAX_DEPTH 16

struct out {
	FILE *fp; /* may be NULL when records are only taken with out_end_string() */
	enum out_format fmt;
	struct sbuf rec;              /* the record so far */
	int depth;                    /* containers open: 0 outside a record */
	char kind[OUT_MAX_DEPTH];     /* 'm' a map, 'l' a list */
	size_t count[OUT_MAX_DEPTH];  /* values written in each */
	int bad;                      /* the calls broke the record */
};

void out_init(struct out *o, FILE *fp, enum out_format fmt);

/* Open a record, dropping one left unfinished. */
void out_begin(struct out *o);
/*
 * Close the record and write it, with its newline, in one write.
 * 0, or -1 with errno set: a write error, or EINVAL for an ill-formed
 * record (nothing written).
 */
int out_end(struct out *o);
/* Close the record and hand it over, without a newline; NULL when ill-formed. */
char *out_end_string(struct out *o);
/* Drop the record: nothing of it is written. */
void out_discard(struct out *o);

void out_map_begin(struct out *o, const char *key);
void out_map_end(struct out *o);
void out_list_begin(struct out *o, const char *key);
void out_list_end(struct out *o);

/* s NULL: null. */
void out_str(struct out *o, const char *key, const char *s);
void out_int(struct out *o, const char *key, long long v);
void out_num(struct out *o, const char *key, double v, int decimals);
void out_bool(struct out *o, const char *key, int v);
void out_null(struct out *o, const char *key);
/* A list of n strings. */
void out_list(struct out *o, const char *key, char *const *v, size_t n);

/*
 * Human-readable text, for a terminal: n bytes of s with every control
 * character visible as in TSV (\x1b, \u009b), except tabs, and newlines
 * when multiline (else they are \n).
 */
void text_write(FILE *fp, const char *s, size_t n, int multiline);

#endif
