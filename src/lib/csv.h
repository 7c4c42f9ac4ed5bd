/*
 * csv: spreadsheets as comma-separated values (RFC 4180), read and
 * written, for the commands that trade with Excel (ticket-export --csv,
 * ticket-import --csv, kb-import, kb-export --csv).
 *
 * Text: csv_decode() brings a file to UTF-8 as spreadsheets write it:
 * UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's
 * "Unicode text"), or else GB18030 (what Excel writes on a Chinese
 * Windows, GBK and GB2312 included).
 *
 * Reading: fields are separated by the separator (a comma, or a tab when
 * the first line has tabs and no comma), records by CRLF, LF or CR. A
 * field in double quotes may hold separators, line breaks and quotes
 * written twice. A quote inside a field that does not start with one is
 * kept as it is; text after a closing quote is an error, since the
 * writer most likely meant a quote it did not double.
 *
 * A spreadsheet runs a cell that starts with = + - or @ as a formula
 * (CSV injection), so with CSV_SAFE the writer puts an apostrophe before
 * a field that starts with one of them, a tab or a CR, after any
 * apostrophes; the reader takes exactly one such apostrophe off again.
 * Every string survives the trip, and no cell a kefu export holds is run.
 *
 * Ownership: a reader's record points into the reader, valid until the
 * next csv_next() or csv_reader_release().
 */
#ifndef KEFU_CSV_H
#define KEFU_CSV_H

#include <stddef.h>

#include "status.h"

struct sbuf;

/*
 * buf[0..len) as UTF-8 into out (appended), its charset named in
 * charset ("UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE",
 * "GB18030"). KF_EINVAL when it is none of them: the message gives the
 * line of the first byte that is not text, or a NUL byte.
 */
enum kf_status csv_decode(const char *buf, size_t len, struct sbuf *out, const char **charset,
			  struct kf_err *err);

enum { CSV_SAFE = 1 };

struct csv_record {
	char **fields; /* n fields, each a C string */
	size_t n;
	long row;      /* its number in the sheet: 1 for the first record */
	long line;     /* the line of the text it starts on */
};

struct csv_reader {
	const char *p, *end;
	char sep;
	unsigned flags;
	long row, line;
	char *bytes; /* the fields of the record, each ended by a NUL */
	size_t nbytes, abytes;
	size_t *starts, astarts;
	char **fields;
	size_t nfields, afields;
};

/* A reader of text[0..len) (UTF-8, as csv_decode() gives it). */
void csv_reader_init(struct csv_reader *r, const char *text, size_t len, unsigned flags);
/*
 * The next record into rec: 1, or 0 at the end, or -1 for a record that
 * does not parse (KF_EINVAL in err, naming its line): reading stops.
 * Records of empty fields only (a blank line, ",,,") are skipped.
 */
int csv_next(struct csv_reader *r, struct csv_record *rec, struct kf_err *err);
void csv_reader_release(struct csv_reader *r);

/* Append s as one field, quoted when it must be; sep before it unless first. */
void csv_field(struct sbuf *out, const char *s, int first, unsigned flags);
/* End a record: CRLF, as RFC 4180 has it. */
void csv_end(struct sbuf *out);
/* The UTF-8 byte-order mark, which makes Excel read a file as UTF-8. */
#define CSV_BOM "\xEF\xBB\xBF"

/*
 * A column's header as it is matched: spaces (U+3000 too) trimmed, a
 * part in parentheses, ASCII or full-width, dropped ("核心话术内容(节选)"
 * is "核心话术内容"), ASCII letters lowered, '-' and ' ' made '_'.
 * A new string.
 */
char *csv_header_key(const char *header);

#endif
