#include "query.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"
#include "stem.h"
#include "tokenizer.h"

/* Occurrences read from one query at most; a pasted letter's first are enough. */
#define MAX_OCC 1024

struct occ {
	char text[TOK_MAX + 1];
	enum tok_kind kind;
	size_t start, end;
};

struct occs {
	struct occ *v;
	size_t n;
};

struct term {
	char text[TOK_MAX + 1];
	enum tok_kind kind;
	int stop;
	int join;
	int loose; /* CJK: seen apart from any stop word's pair */
	size_t end; /* where it last occurred in the input */
};

/* Twice the terms at most, a power of two. */
#define TERM_SLOTS 512

struct terms {
	struct term v[QUERY_MAX_TERMS];
	size_t n;
	uint16_t slot[TERM_SLOTS]; /* 1 + index into v, 0: free */
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
	/* greetings and thanks around what is asked */
	"hi", "hello", "hey", "thank", "thx",
	/* contractions, read as one word */
	"dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "couldnt",
	"wont", "wouldnt", "shouldnt", "havent", "hasnt", "hadnt", "im", "ive", "ill", "id",
	"youre", "youv", "theyr", "that", "what", "let", "it", "were",
	/*
	 * Chinese: sentence particles and courtesies only. Pronouns and
	 * question words (我, 什么, 哪个) tell paraphrases apart: on make
	 * eval's sets, dropping them cost 0.02 of MRR.
	 */
	"吗", "呢", "啊", "吧", "呀", "嘛", "呃", "哦", "嗯",
	"你好", "您好", "谢谢", "感谢", "多谢", "请问",
	NULL,
};

int query_is_stop(const char *t)
{
	/* A single Latin letter is left of a word, never the word meant. */
	if (t[0] >= 'a' && t[0] <= 'z' && !t[1])
		return 1;
	for (const char *const *w = stop_words; *w; w++)
		if (**w == *t && !strcmp(*w, t))
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
	return query_is_stop(a) && query_is_stop(b);
}

static int collect(void *ctx, enum tok_kind kind, const char *text, size_t n, size_t start,
		   size_t end)
{
	struct occs *o = ctx;
	if (o->n == MAX_OCC)
		return 0;
	struct occ *x = &o->v[o->n++];
	memcpy(x->text, text, n);
	x->text[n] = '\0';
	x->kind = kind;
	x->start = start;
	x->end = end;
	return 0;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct term *term_add(struct terms *ts, const char *text, enum tok_kind kind)
{
	/* A pasted message has hundreds of occurrences: find each by hash. */
	size_t j = hash(text) & (TERM_SLOTS - 1);
	for (; ts->slot[j]; j = (j + 1) & (TERM_SLOTS - 1))
		if (!strcmp(ts->v[ts->slot[j] - 1].text, text))
			return &ts->v[ts->slot[j] - 1];
	if (ts->n == QUERY_MAX_TERMS)
		return NULL;
	ts->slot[j] = (uint16_t)(ts->n + 1);
	struct term *t = &ts->v[ts->n++];
	memset(t, 0, sizeof(*t));
	snprintf(t->text, sizeof(t->text), "%s", text);
	t->kind = kind;
	t->stop = query_is_stop(text);
	if (kind == TOK_BIGRAM && !t->stop)
		t->stop = bigram_of_stops(text);
	return t;
}

/*
 * The occurrence at i shares a character with a stop word's pair: 谢 of
 * 谢谢, or 问退 of 请问退款.
 */
static int in_stop_pair(const struct occs *o, size_t i)
{
	for (size_t k = i > 3 ? i - 3 : 0; k < o->n && k <= i + 3; k++)
		if (k != i && o->v[k].kind == TOK_BIGRAM && query_is_stop(o->v[k].text) &&
		    o->v[k].start < o->v[i].end && o->v[i].start < o->v[k].end)
			return 1;
	return 0;
}

/*
 * Two words with only a space or a hyphen between them may be one word
 * of the desk: "log in" and "login", "e-mail" and "email".
 */
static void add_joins(const char *text, const struct occs *o, struct terms *ts)
{
	for (size_t i = 0, prev = (size_t)-1; i < o->n; i++) {
		if (o->v[i].kind != TOK_WORD)
			continue;
		/* Not after a stop word ("please refund"), but after a letter ("e mail"). */
		if (prev != (size_t)-1 &&
		    (!query_is_stop(o->v[prev].text) || !o->v[prev].text[1]) &&
		    o->v[i].start == o->v[prev].end + 1 &&
		    (text[o->v[prev].end] == ' ' || text[o->v[prev].end] == '-')) {
			char w[2 * TOK_MAX + 2];
			size_t a = strlen(o->v[prev].text), b = strlen(o->v[i].text);
			if (a + b <= TOK_MAX) {
				memcpy(w, o->v[prev].text, a);
				memcpy(w + a, o->v[i].text, b);
				size_t n = stem_english(w, a + b);
				w[n] = '\0';
				struct term *t = term_add(ts, w, TOK_WORD);
				if (t && t->kind == TOK_WORD && !t->loose && !t->join &&
				    t->end == 0)
					t->join = 1;
			}
		}
		prev = i;
	}
}

size_t query_terms(const char *text, size_t len, struct query_terms *q)
{
	struct occs o = { xmalloc(MAX_OCC * sizeof(*o.v)), 0 };
	struct terms *ts = xmalloc(sizeof(*ts));
	size_t nonstop = 0;

	ts->n = 0;
	memset(ts->slot, 0, sizeof(ts->slot));
	tok_scan(text, len, collect, &o);
	for (size_t i = 0; i < o.n; i++) {
		struct term *t = term_add(ts, o.v[i].text, o.v[i].kind);
		if (!t)
			continue;
		t->end = o.v[i].end;
		/*
		 * A character that only ever comes as part of a stop word
		 * (好 of 你好, 谢 of 谢谢), or a pair across one's edge, is as
		 * empty as the word.
		 */
		if (o.v[i].kind == TOK_WORD || !in_stop_pair(&o, i))
			t->loose = 1;
	}
	for (size_t i = 0; i < ts->n; i++) {
		struct term *t = &ts->v[i];
		if (t->kind != TOK_WORD && !t->loose && !query_is_stop(t->text))
			t->stop = 1;
	}
	add_joins(text, &o, ts);
	for (size_t i = 0; i < ts->n; i++)
		nonstop += !ts->v[i].stop && !ts->v[i].join;
	q->n = 0;
	q->tokens = 0;
	for (size_t i = 0; i < o.n; i++)
		q->tokens += o.v[i].kind != TOK_BIGRAM;
	for (size_t i = 0; i < ts->n; i++) {
		struct term *t = &ts->v[i];
		if ((t->stop && nonstop) || (t->join && !nonstop))
			continue;
		struct query_term *k = &q->v[q->n++];
		memcpy(k->text, t->text, sizeof(k->text));
		/*
		 * A word still being typed (the text ends inside it) also
		 * matches as a prefix, so results come while typing.
		 */
		k->typing = t->kind == TOK_WORD && !t->join && t->end == len &&
			    strlen(t->text) >= 3;
		k->cjk = t->kind != TOK_WORD;
		k->kind = t->kind;
		k->join = t->join;
		k->m8 = RANK_FULL;
	}
	free(o.v);
	free(ts);
	return q->n;
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

void query_phrase(const char *term, int prefix, struct sbuf *out)
{
	add_quoted(out, term, prefix, 1);
}

size_t query_match(const struct query_terms *q, struct sbuf *out, unsigned char *m8)
{
	size_t n = 0;
	for (size_t i = 0; i < q->n; i++) {
		add_quoted(out, q->v[i].text, 0, i == 0);
		if (m8)
			m8[n] = (unsigned char)q->v[i].m8;
		n++;
		if (q->v[i].typing) {
			add_quoted(out, q->v[i].text, 1, 0);
			if (m8)
				m8[n] = (unsigned char)q->v[i].m8;
			n++;
		}
	}
	return n;
}

size_t query_build(const char *text, size_t len, struct sbuf *out)
{
	struct query_terms *q = xmalloc(sizeof(*q));
	size_t n = query_terms(text, len, q);
	if (n)
		query_match(q, out, NULL);
	free(q);
	return n;
}
