/*
 * classify: workflows/classify.yaml, and the guesses it makes for a
 * ticket opened without a type or priority.
 *
 *   types:             [{type, keywords}]   first whose keywords occur wins
 *   default_type:      when none does
 *   priorities:        [{priority, keywords}]
 *   default_priority:  normal unless said
 *   angry:             {keywords, suggest}  angry wording raises the
 *                      priority one step and suggests a soothing script
 *   repeat_window:     a duration: the same customer's same request within
 *                      it gets the existing ticket back (default 2h)
 *
 * Keywords match as substrings of the subject and description, ASCII
 * letters without regard to case. Ownership: classify_parse() fills
 * strings that classify_release() frees.
 */
#ifndef KEFU_CLASSIFY_H
#define KEFU_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "problems.h"
#include "status.h"

struct keyword_rule {
	char *value; /* the type or priority */
	char **keywords;
	size_t nkeywords;
	int line;
};

struct classify {
	struct keyword_rule *types, *priorities;
	size_t ntypes, npriorities;
	char *default_type, *default_priority;
	char **angry;
	size_t nangry;
	char *suggest;         /* an entry id, or NULL */
	int64_t repeat_window; /* seconds */
};

struct guess {
	const char *type, *priority; /* point into the classify or the given values */
	int angry;
	const char *suggest;         /* when angry */
};

enum kf_status classify_parse(const char *buf, size_t len, struct classify *c,
			      struct diags *probs);
void classify_release(struct classify *c);

/*
 * Guess what is not given (type or priority NULL) from text. Angry
 * wording marks the ticket and raises a guessed priority one step.
 */
void classify_guess(const struct classify *c, const char *text, const char *type,
		    const char *priority, struct guess *g);

/* May a ticket be of type? Any when classify.yaml lists none. */
int classify_type_known(const struct classify *c, const char *type);

/*
 * The priority at key of a workflow map, allocated, with a problem added
 * when it is none of urgent, high, normal, low; NULL when absent.
 */
struct ynode;
char *yget_priority(const struct ynode *map, const char *key, struct diags *probs);

/* Does text contain word, ASCII letters compared without case? */
int text_has(const char *text, const char *word);

#endif
