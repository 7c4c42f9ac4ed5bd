#include "query.h"

#include <string.h>

#include "tokenizer.h"

struct term {
	char text[TOK_MAX + 1];
	enum tok_kind kind;
	int stop;
	int covered;       /* a unigram inside a bigram of the query */
	size_t start, end; /* where it last occurred in the input */
};

struct terms {
	struct term v[QUERY_MAX_TERMS];
	size_t n;
};

/*
 * Words that say nothing about which entry is meant. They still count
 * when a query has nothing else, so "how" alone is not an empty query.
 * English words are stemmed forms.
 */
static const char *const stop_words[] = {
	"a",     "about", "am",   "an",   "and",  "ani",   "ar",  "as",   "at",   "be",
	"been",  "by",    "can",  "could", "did", "do",    "doe", "for",  "from", "get",
	"ha",    "have",  "he",   "how",  "i",    "if",    "in",  "is",   "it",   "just",
	"me",    "mi",    "my",   "of",   "on",   "or",    "our", "pleas", "she", "should",
	"so",    "some",  "that", "the",  "their", "them", "there", "thei", "thi", "to",
	"u",     "us",    "wa",   "we",   "what", "when",  "where", "which", "who", "why",
	"will",  "with",  "would", "you", "your", "ye",
	/* contractions, read as one word */
	"dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt",
	"wont", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "im", "ive", "ill", "id",
	"youre", "youv", "theyr", "that", "what", "let", "it", "were",
	/* Chinese: particles, pronouns and question words */
	"的", "了", "吗", "呢", "啊", "吧", "呀", "嘛", "是", "我", "你", "您", "他", "她",
	"它", "们", "在", "有", "和", "与", "及", "或", "就", "都", "也", "还", "要", "会",
	"能", "可", "请", "问", "怎", "么", "什", "哪", "个", "这", "那", "一", "下", "为",
	"把", "被", "让", "给", "对", "从", "到", "多", "少", "呃", "哦", "嗯",
	"怎么", "什么", "请问", "为什", "可以", "如何", "我的", "一下", "是不", "不是",
	"你们", "我们", "这个", "那个", "怎样", "哪里", "哪个", "多少",
	NULL,
};

static int is_stop(const char *t)
{
	/* A single Latin letter is left of a word, never the word meant. */
	if (t[0] >= 'a' && t[0] <= 'z' && !t[1])
		return 1;
	for (const char *const *w = stop_words; *w; w++)
		if (!strcmp(*w, t))
			return 1;
	return 0;
}

static int bigram_of_stops(const char *bi)
{
	/* Two CJK characters of three bytes each. */
	char a[4], b[4];
	if (strlen(bi) != 6)
		return 0;
	memcpy(a, bi, 3);
	memcpy(b, bi + 3, 3);
	a[3] = b[3] = '\0';
	return is_stop(a) && is_stop(b);
}

static int collect(void *ctx, enum tok_kind kind, const char *text, size_t n, size_t start,
		   size_t end)
{
	struct terms *ts = ctx;
	for (size_t i = 0; i < ts->n; i++) {
		if (!strncmp(ts->v[i].text, text, n) && ts->v[i].text[n] == '\0') {
			ts->v[i].start = start;
			ts->v[i].end = end;
			return 0;
		}
	}
	if (ts->n == QUERY_MAX_TERMS)
		return 0; /* a pasted letter: its first terms are enough */
	struct term *t = &ts->v[ts->n++];
	memcpy(t->text, text, n);
	t->text[n] = '\0';
	t->kind = kind;
	t->covered = 0;
	t->start = start;
	t->end = end;
	t->stop = is_stop(t->text);
	return 0;
}

static void add_quoted(struct sbuf *out, const char *s, int prefix, int first)
{
	if (!first)
		sbuf_adds(out, " OR ");
	sbuf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addch(out, '"');
		sbuf_addch(out, *s);
	}
	sbuf_addch(out, '"');
	if (prefix)
		sbuf_addch(out, '*');
}

size_t query_terms(const char *text, size_t len, struct query_terms *q)
{
	struct terms ts;
	size_t nonstop = 0;

	ts.n = 0;
	tok_scan(text, len, collect, &ts);
	for (size_t i = 0; i < ts.n; i++) {
		struct term *t = &ts.v[i];
		/* A bigram across two stop characters (问怎 in 请问怎么) is noise. */
		if (t->kind == TOK_BIGRAM && !t->stop)
			t->stop = bigram_of_stops(t->text);
		nonstop += !t->stop;
	}
	/*
	 * A character inside a run of two or more searches through its
	 * bigrams: alone it matches a large share of any collection, which
	 * costs time and ranks by coincidence. Only a lone character stands
	 * for itself.
	 */
	for (size_t i = 0; i < ts.n; i++) {
		struct term *u = &ts.v[i];
		for (size_t k = 0; u->kind == TOK_UNIGRAM && k < ts.n; k++) {
			const struct term *b = &ts.v[k];
			if (b->kind == TOK_BIGRAM && b->start <= u->start && u->end <= b->end)
				u->covered = 1;
		}
	}
	q->n = 0;
	for (size_t i = 0; i < ts.n; i++) {
		struct term *t = &ts.v[i];
		if (t->covered || (t->stop && nonstop))
			continue;
		struct query_term *k = &q->v[q->n++];
		memcpy(k->text, t->text, sizeof(k->text));
		/*
		 * A word still being typed (the text ends inside it) also
		 * matches as a prefix, so results come while typing.
		 */
		k->typing = t->kind == TOK_WORD && t->end == len && strlen(t->text) >= 3;
		k->cjk = t->kind != TOK_WORD;
	}
	return q->n;
}

void query_match(const struct query_terms *q, struct sbuf *out)
{
	for (size_t i = 0; i < q->n; i++) {
		add_quoted(out, q->v[i].text, 0, i == 0);
		if (q->v[i].typing)
			add_quoted(out, q->v[i].text, 1, 0);
	}
}

size_t query_build(const char *text, size_t len, struct sbuf *out)
{
	struct query_terms q;
	if (query_terms(text, len, &q))
		query_match(&q, out);
	return q.n;
}
