#include "tokenizer.h"

#include <string.h>

#include "stem.h"
#include "utf8.h"

enum cclass { CC_SEP, CC_WORD, CC_CJK };

static int in(uint32_t c, uint32_t lo, uint32_t hi)
{
	return c >= lo && c <= hi;
}

/* Fold *c to its search form and say what kind of character it is. */
static enum cclass classify(uint32_t *c)
{
	uint32_t v = *c;

	if (in(v, 0xFF01, 0xFF5E))
		v = *c = v - 0xFEE0; /* full-width ASCII */
	if (v < 0x80) {
		if (in(v, 'A', 'Z'))
			*c = v + 32;
		else if (!in(v, 'a', 'z') && !in(v, '0', '9'))
			return CC_SEP;
		return CC_WORD;
	}
	if (v == UTF8_INVALID || v <= 0xBF || v == 0xD7 || v == 0xF7)
		return CC_SEP;
	if (in(v, 0xC0, 0xDE)) {
		*c = v + 32;
		return CC_WORD;
	}
	if (in(v, 0x4E00, 0x9FFF) || in(v, 0x3400, 0x4DBF) ||
	    in(v, 0x3040, 0x30FF) || in(v, 0xAC00, 0xD7AF) ||
	    in(v, 0xF900, 0xFAFF) || in(v, 0x20000, 0x3134F) ||
	    in(v, 0x2E80, 0x2FDF) || in(v, 0x3100, 0x312F) ||
	    in(v, 0x31F0, 0x31FF) || in(v, 0x1100, 0x11FF))
		return CC_CJK;
	if (in(v, 0x2000, 0x2BFF) || in(v, 0x2E00, 0x2E7F) ||
	    in(v, 0x3000, 0x303F) || in(v, 0xFE00, 0xFE6F) ||
	    in(v, 0xFF5F, 0xFF65) || in(v, 0xFFF0, 0xFFFF) ||
	    in(v, 0xE000, 0xF8FF) || in(v, 0x1F000, 0x1FAFF) ||
	    in(v, 0xE0000, 0xE007F))
		return CC_SEP;
	return CC_WORD;
}

struct cjk_char {
	char buf[4];
	size_t n, start, end;
};

int tok_scan(const char *text, size_t len, tok_emit_fn emit, void *ctx)
{
	const unsigned char *s = (const unsigned char *)text;
	char word[TOK_MAX + 8];
	size_t wn = 0, wstart = 0, wend = 0;
	int in_word = 0;
	struct cjk_char prev = { { 0 }, 0, 0, 0 };
	int have_prev = 0;
	int rc;

	for (size_t i = 0; i <= len;) {
		uint32_t c = 0;
		size_t clen = 0;
		enum cclass cc = CC_SEP;
		if (i < len) {
			clen = utf8_decode(s + i, len - i, &c);
			cc = classify(&c);
		}
		/*
		 * An apostrophe inside a word (don't, card's, don’t) is part of
		 * it, and silent: "don't" is the word dont, not don and t.
		 */
		if (in_word && (c == '\'' || c == 0x2019) && i + clen < len) {
			uint32_t next;
			utf8_decode(s + i + clen, len - i - clen, &next);
			if (classify(&next) == CC_WORD && next < 0x80) {
				i += clen;
				continue;
			}
		}
		if (cc != CC_WORD && in_word) {
			size_t n = stem_english(word, wn);
			if ((rc = emit(ctx, TOK_WORD, word, n, wstart, wend)))
				return rc;
			in_word = 0;
		}
		if (cc != CC_CJK && have_prev) {
			if ((rc = emit(ctx, TOK_UNIGRAM, prev.buf, prev.n,
				       prev.start, prev.end)))
				return rc;
			have_prev = 0;
		}
		if (i == len)
			break;
		if (cc == CC_WORD) {
			if (!in_word) {
				in_word = 1;
				wn = 0;
				wstart = i;
			}
			char enc[4];
			size_t en = utf8_encode(c, enc);
			if (wn + en <= TOK_MAX) {
				memcpy(word + wn, enc, en);
				wn += en;
			}
			wend = i + clen;
		} else if (cc == CC_CJK) {
			struct cjk_char cur;
			cur.n = utf8_encode(c, cur.buf);
			cur.start = i;
			cur.end = i + clen;
			if (have_prev) {
				char bi[8];
				memcpy(bi, prev.buf, prev.n);
				memcpy(bi + prev.n, cur.buf, cur.n);
				if ((rc = emit(ctx, TOK_UNIGRAM, prev.buf, prev.n,
					       prev.start, prev.end)))
					return rc;
				if ((rc = emit(ctx, TOK_BIGRAM, bi, prev.n + cur.n,
					       prev.start, cur.end)))
					return rc;
			}
			prev = cur;
			have_prev = 1;
		}
		i += clen;
	}
	return 0;
}

/* FTS5 glue. */

struct fts_ctx {
	void *pctx;
	int (*xToken)(void *, int, const char *, int, int, int);
};

static int fts_emit(void *ctx, enum tok_kind kind, const char *text, size_t n,
		    size_t start, size_t end)
{
	struct fts_ctx *f = ctx;
	/* A bigram shares its position with the unigram before it. */
	int flags = kind == TOK_BIGRAM ? FTS5_TOKEN_COLOCATED : 0;
	return f->xToken(f->pctx, flags, text, (int)n, (int)start, (int)end);
}

static int kefu_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)ud;
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR;
	/* Stateless: any non-NULL handle will do. */
	*out = (Fts5Tokenizer *)&kefu_create;
	return SQLITE_OK;
}

static void kefu_delete(Fts5Tokenizer *t)
{
	(void)t;
}

static int kefu_tokenize(Fts5Tokenizer *t, void *pctx, int flags, const char *text,
			 int len, int (*xToken)(void *, int, const char *, int, int, int))
{
	(void)t;
	if (len <= 0)
		return SQLITE_OK;
	if (flags & FTS5_TOKENIZE_QUERY) {
		/* Finished terms from the query builder, one per piece. */
		int i = 0;
		while (i < len) {
			while (i < len && text[i] == ' ')
				i++;
			int start = i;
			while (i < len && text[i] != ' ')
				i++;
			if (i > start) {
				int rc = xToken(pctx, 0, text + start, i - start, start, i);
				if (rc != SQLITE_OK)
					return rc;
			}
		}
		return SQLITE_OK;
	}
	struct fts_ctx f = { pctx, xToken };
	return tok_scan(text, (size_t)len, fts_emit, &f);
}

enum kf_status tok_fts5_api(sqlite3 *db, fts5_api **api, struct kf_err *err)
{
	sqlite3_stmt *st = NULL;

	*api = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot reach FTS5: %s", sqlite3_errmsg(db));
	sqlite3_bind_pointer(st, 1, (void *)api, "fts5_api_ptr", NULL);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW || !*api || (*api)->iVersion < 2)
		return kf_fail(err, KF_EDB, "cannot reach FTS5: this SQLite lacks it");
	return KF_OK;
}

enum kf_status tok_register(sqlite3 *db, struct kf_err *err)
{
	static fts5_tokenizer tokenizer = { kefu_create, kefu_delete, kefu_tokenize };
	fts5_api *api;

	if (tok_fts5_api(db, &api, err))
		return KF_EDB;
	int rc = api->xCreateTokenizer(api, "kefu", NULL, &tokenizer, NULL);
	if (rc != SQLITE_OK)
		return kf_fail(err, KF_EDB, "cannot register tokenizer 'kefu': %s",
			       sqlite3_errstr(rc));
	return KF_OK;
}
