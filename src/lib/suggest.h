/*
 * suggest: the scripts for a ticket (seed 004's automatic answers).
 *
 * The best entries for a ticket's subject and description, ranked as
 * kb-search ranks that text (search.h), then lifted by what agents chose
 * before: each use of an entry on an earlier ticket of the same type
 * counts, +8% for each doubling, at most +25%, so that among entries
 * that match about as well, the one the team reached for on similar
 * tickets comes first, and the knowledge base learns from its agents.
 *
 * Ownership: ticket_suggest() fills an array that suggestions_free()
 * frees.
 */
#ifndef KEFU_SUGGEST_H
#define KEFU_SUGGEST_H

#include <stddef.h>

#include "problems.h"
#include "session.h"

struct suggestion {
	char *id, *title;
	double score;  /* relevance with usage, freshness and similar tickets' uses */
	long similar;  /* uses on earlier tickets of the same type */
	size_t rank;   /* its place by the text alone, from 0: breaks ties */
};

/* The lift of an entry used that often on similar tickets: 1.0 to 1.25. */
double suggest_lift(long similar);

/*
 * The best n scripts for t, best first, into *v (*nv <= n; none when its
 * text holds nothing searchable or nothing matches). The index is brought
 * to main first when it is behind; what kb-index says goes to fn.
 * Returns KF_OK, KF_EDB or KF_EIO (the index or the desk unreadable).
 */
enum kf_status ticket_suggest(struct session *s, const struct ticket *t, size_t n,
			      struct suggestion **v, size_t *nv, problem_fn fn, void *ctx,
			      struct kf_err *err);
void suggestions_free(struct suggestion *v, size_t n);

#endif
