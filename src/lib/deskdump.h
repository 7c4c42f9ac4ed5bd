/*
 * deskdump: the desk's records as JSON Lines (ticket-export --json) and
 * back (ticket-import --json): everything the store holds, so that a
 * dump restored into an empty desk dumps again byte for byte the same.
 *
 * One ticket a line, by id: its fields as ticket-show --json gives them,
 * then resolve_start, fingerprint and message_id, then its rows: events
 * (before and after as the store keeps them), pauses, offers, messages,
 * uses and follow-ups. Then, in a whole dump, one line for each of the
 * desk's own records, each with the key "record" first: "agent",
 * "route", "use" (on no ticket the desk holds), "sequence" (a day's
 * highest ticket number ever issued). kefu-backup(7) writes it down.
 *
 * Ownership: nothing is kept past a call.
 */
#ifndef KEFU_DESKDUMP_H
#define KEFU_DESKDUMP_H

#include <stdint.h>
#include <stdio.h>

#include "problems.h"
#include "session.h"

struct dump_options {
	int unmask;           /* contacts as they are; else masked (mask.h) */
	int64_t since, until; /* tickets created in [since, until); TIME_NONE: open */
};

/*
 * Write the dump to fp, one record a line, each whole. With a range,
 * only the tickets in it and their rows, none of the desk's own. *n the
 * tickets written. KF_EIO (fp failed), KF_EDB.
 */
enum kf_status dump_write(struct session *s, FILE *fp, const struct dump_options *o, long *n,
			  struct kf_err *err);

/* What became of one ticket of an import: its id, and where it was read. */
struct imported {
	char id[TICKET_ID_SIZE];
	long row;       /* line of the dump, row of the sheet */
	char *sheet_id; /* the sheet's id when it was not kept, else NULL */
};

/*
 * Called once everything is put, before it is committed, with what was
 * imported: anything but KF_OK (output that cannot be written) undoes
 * the whole import and is returned.
 */
typedef enum kf_status (*import_confirm_fn)(void *ctx, const struct imported *v, size_t n,
					    struct kf_err *err);

/*
 * Restore the dump in fp (file names it in problems) into s's desk, in
 * one transaction: all of it or nothing. Every problem is told to fn as
 * "FILE:LINE: key: problem", all of them, and then KF_EINVAL: a line
 * that is not a record, a value that is not what its key holds, a
 * ticket whose id is in the desk already (never overwritten), the
 * desk's own records into a desk that is not empty (one with tickets,
 * agents, routing memory or uses). Follow-ups keep their numbers in a
 * desk that had none. KF_EINVAL, KF_EDB, KF_EIO, or confirm's status.
 */
enum kf_status dump_restore(struct session *s, FILE *fp, const char *file, problem_fn fn,
			    void *ctx, import_confirm_fn confirm, void *cctx, struct kf_err *err);

/* Free what an import made. */
void imported_free(struct imported *v, size_t n);

#endif
