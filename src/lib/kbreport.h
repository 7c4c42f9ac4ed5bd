/*
 * kbreport: the knowledge base over a period (ticket-report --kb): how
 * each script was used, the ones in effect that nobody used, and the
 * knowledge gaps, the questions it still lacks an answer to: subjects of
 * tickets resolved in the period with no script used on them and for
 * which a search of the knowledge base finds nothing. Only the
 * KB_GAP_SEARCHES subjects asked most often are searched, so a month of
 * a busy desk costs a few hundred searches, not one a ticket.
 *
 * Ownership: kb_report_release() frees what kb_report_make() filled.
 */
#ifndef KEFU_KBREPORT_H
#define KEFU_KBREPORT_H

#include <stddef.h>
#include <stdint.h>

#include "period.h"
#include "problems.h"
#include "session.h"

struct kb_report_entry {
	char *id, *title;       /* title NULL: no longer in the knowledge base */
	int64_t uses, adjusted; /* adjusted: uses with a note of how it was changed */
	int64_t tickets;        /* distinct tickets it was used on */
	char last_used[32];     /* ISO 8601 in the desk's zone; "" when unused */
};

#define KB_GAP_SEARCHES 200

struct kb_gap {
	char *subject;
	int64_t tickets;
};

struct kb_report {
	/* used ones by uses (most first) then id, then the unused ones by id */
	struct kb_report_entry *v;
	size_t n, nused;
	struct kb_gap *gaps; /* by tickets (most first), then subject (bytes) */
	size_t ngaps;
};

/*
 * The knowledge report of period p, the entries those on main in effect
 * on its last day (the index brought up to date first; what kb-index
 * says goes to fn). KF_EDB, KF_EIO, KF_EGIT.
 */
enum kf_status kb_report_make(struct session *s, const struct period *p, struct kb_report *k,
			      problem_fn fn, void *ctx, struct kf_err *err);
void kb_report_release(struct kb_report *k);

#endif
