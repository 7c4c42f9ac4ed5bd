/*
 * The query builder (kb-search) on any text: at most QUERY_MAX_TERMS
 * terms, each a non-empty valid UTF-8 term of the tokenizer; and the
 * MATCH expression made of them never fails in FTS5 with kefu's
 * tokenizer, and finds the text itself once it is indexed, as an entry
 * holding exactly the words a user typed must be found by them.
 */
#include "fuzz.h"

#include <sqlite3.h>
#include <string.h>

#include "query.h"
#include "sbuf.h"
#include "tokenizer.h"
#include "utf8.h"

static sqlite3 *db;
static sqlite3_stmt *ins, *match, *del;

static void setup(void)
{
	struct kf_err err;
	fuzz_assert(sqlite3_open(":memory:", &db) == SQLITE_OK);
	fuzz_assert(tok_register(db, &err) == KF_OK);
	fuzz_assert(sqlite3_exec(db,
				 "CREATE VIRTUAL TABLE fts USING fts5(title, answer,"
				 " tokenize='kefu', detail=column, columnsize=0)",
				 NULL, NULL, NULL) == SQLITE_OK);
	fuzz_assert(sqlite3_prepare_v2(db, "INSERT INTO fts(rowid, title, answer) VALUES(1, 'x', ?)",
				       -1, &ins, NULL) == SQLITE_OK);
	fuzz_assert(sqlite3_prepare_v2(db, "SELECT rowid FROM fts WHERE fts MATCH ?", -1, &match,
				       NULL) == SQLITE_OK);
	fuzz_assert(sqlite3_prepare_v2(db, "DELETE FROM fts", -1, &del, NULL) == SQLITE_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct query_terms q;
	struct sbuf expr = SBUF_INIT;

	if (!db)
		setup();
	size_t n = query_terms(text, size, &q);
	fuzz_assert(n == q.n && n <= QUERY_MAX_TERMS);
	for (size_t i = 0; i < n; i++) {
		size_t len = strnlen(q.v[i].text, sizeof(q.v[i].text));
		fuzz_assert(len > 0 && len <= TOK_MAX);
		fuzz_assert(utf8_valid(q.v[i].text, len, NULL, NULL));
		for (size_t k = 0; k < i; k++)
			fuzz_assert(strcmp(q.v[k].text, q.v[i].text));
	}
	if (!n)
		return 0;
	query_match(&q, &expr, NULL);
	fuzz_assert(expr.len > 0);

	/* The text as an entry's answer: its own query finds it. */
	fuzz_assert(sqlite3_bind_text(ins, 1, text, (int)size, SQLITE_STATIC) == SQLITE_OK);
	fuzz_assert(sqlite3_step(ins) == SQLITE_DONE);
	sqlite3_reset(ins);
	fuzz_assert(sqlite3_bind_text(match, 1, expr.buf, (int)expr.len, SQLITE_STATIC) ==
		    SQLITE_OK);
	int rc = sqlite3_step(match);
	if (rc != SQLITE_ROW) {
		fprintf(stderr, "MATCH %s: %s\n", expr.buf, sqlite3_errmsg(db));
		fuzz_assert(rc == SQLITE_ROW);
	}
	sqlite3_reset(match);
	fuzz_assert(sqlite3_step(del) == SQLITE_DONE);
	sqlite3_reset(del);
	sbuf_release(&expr);
	return 0;
}
