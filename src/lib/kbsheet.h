/*
 * kbsheet: the knowledge base as a spreadsheet (CSV, csv.h), for the
 * team's FAQ kept in Excel: read into entries (kb-import), each checked
 * as kb-lint checks a file, and written back with the same columns
 * (kb-export --csv), so that a sheet makes the round trip.
 *
 * Columns are found by header, in SPEC's keys or the seed's Chinese
 * (编号, 主题, 知识分类, 适用场景, 核心话术内容, 关联问题关键词, 标签,
 * 开场白, 结束语, 备注, 生效日期, 失效日期); approval columns (审核状态,
 * 审核人) are ignored, since approval is the proposal's review.
 *
 * An entry's id is its row's 编号 when that is a valid id; else the id
 * of main's entry with the same title; else one derived from the title
 * (kbsheet_id()), made unique with -2, -3... in the order of the rows.
 *
 * Ownership: kbsheet_rows_free() and kb_files_free() free what the
 * calls below fill.
 */
#ifndef KEFU_KBSHEET_H
#define KEFU_KBSHEET_H

#include <stddef.h>

#include "entry.h"
#include "problems.h"
#include "status.h"

struct repo;
struct sbuf;

/* An entry of main: its file and what it says. */
struct kb_file {
	char *path; /* kb/<category>/<id>.yaml */
	struct entry e;
};

/*
 * Every entry file of main that parses, by path, into *v. Files that do
 * not parse are left out (kb-lint tells of them). KF_EGIT.
 */
enum kf_status kb_files_main(struct repo *r, struct kb_file **v, size_t *n, struct kf_err *err);
void kb_files_free(struct kb_file *v, size_t n);

/* One entry of the sheet. */
struct kbsheet_row {
	long row;       /* as the spreadsheet numbers it: the header is row 1 */
	struct entry e;
	char *text;     /* its file's text, entry_yaml() */
	int changed;    /* 0: main has this entry as it is; 1: new; 2: changed */
};

/*
 * Read the sheet text[0..len) (file names it in messages): its charset
 * detected, its columns matched, every row made an entry and checked.
 * Each problem goes to fn as "FILE:ROW: COLUMN: problem", all of them,
 * and then KF_EINVAL with nothing in *rows. What is worth knowing but
 * no problem (the charset, a column ignored) goes to note. main[0..nmain)
 * are main's entries: ids are kept, and each row says whether it
 * changes one.
 */
enum kf_status kbsheet_read(const char *text, size_t len, const char *file,
			    const struct kb_file *main, size_t nmain, problem_fn fn, void *ctx,
			    problem_fn note, void *nctx, struct kbsheet_row **rows, size_t *n,
			    struct kf_err *err);
void kbsheet_rows_free(struct kbsheet_row *v, size_t n);

/*
 * The entries v[0..n) as a sheet, appended to out: a header row of the
 * seed's columns (编号 first), one row an entry, keywords and tags
 * joined by 、, RFC 4180 with CRLF; with bom, UTF-8's byte-order mark
 * first.
 */
void kbsheet_write(const struct kb_file *v, size_t n, int bom, struct sbuf *out);

/*
 * An id derived from a title, a new string: its ASCII letters and digits
 * lowered, words joined by '-', when the title is ASCII and gives one;
 * else "faq-" and the eight hex digits of the title's FNV-1a hash
 * (a stable short form: the same title, the same id).
 */
char *kbsheet_id(const char *title);

/*
 * Split a cell of keywords on the separators people type (、，, ; ；
 * / ／ and spaces, U+3000 too) into *v (appended), empty pieces and
 * repeats dropped.
 */
void kbsheet_split(const char *s, char ***v, size_t *n);

/* Whether two entries say the same, key by key. */
int entry_same(const struct entry *a, const struct entry *b);

#endif
