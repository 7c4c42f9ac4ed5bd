/*
 * ticketsheet: tickets as a spreadsheet (CSV, csv.h): written with
 * SPEC's ticket fields for people and other tools (ticket-export --csv),
 * and read back from the sheet a team kept while the desk was down
 * (ticket-import --csv), its columns found by header, in English or in
 * the seeds' Chinese, its values as people write them.
 *
 * Ownership: nothing is kept past a call.
 */
#ifndef KEFU_TICKETSHEET_H
#define KEFU_TICKETSHEET_H

#include <stdio.h>

#include "deskdump.h"
#include "problems.h"
#include "session.h"

/*
 * The tickets o lets through, by id, as CSV on fp: a header row of the
 * fields id, status, type, priority, channel, customer, subject,
 * description, department, assignee, created, first_response,
 * resolved, closed, response_due, resolve_due, sla_policy,
 * satisfaction, result, then one row a ticket; times in the desk's
 * zone with their offset; contacts masked unless o->unmask; with bom,
 * UTF-8's byte-order mark first. *n the tickets written. KF_EIO, KF_EDB.
 */
enum kf_status sheet_write(struct session *s, FILE *fp, const struct dump_options *o, int bom,
			   long *n, struct kf_err *err);

/*
 * Import the sheet text[0..len) (file names it in messages): its
 * charset detected (csv_decode()), its columns matched by header, every
 * row checked, then all its tickets opened in one transaction, or none.
 * Each problem goes to fn as "FILE:ROW: COLUMN: problem" (ROW as the
 * spreadsheet numbers it, the header being row 1), all of them, and
 * then KF_EINVAL. What is worth knowing but no problem (the charset
 * read, a column ignored) goes to note. A ticket keeps its row's id
 * when that is an id of its created day that the desk does not have
 * (one it has is a problem: never overwritten); else it is issued one.
 * Its SLA clocks run from its created time; no hook is run.
 * KF_EINVAL, KF_EDB, KF_EIO, or confirm's status.
 */
enum kf_status sheet_import(struct session *s, const char *text, size_t len, const char *file,
			    problem_fn fn, void *ctx, problem_fn note, void *nctx,
			    import_confirm_fn confirm, void *cctx, struct kf_err *err);

#endif
