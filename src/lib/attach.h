/*
 * attach: an e-mail's attachments kept with its ticket, and said in
 * words for the ticket's text and history.
 *
 * They are files, under .kefu/attachments/<ticket>/<n>/<k>-<name>: n
 * counts the ticket's messages that brought attachments (1, 2...), k
 * the attachment's place in its message. Files and not rows of the
 * store, because an agent opens a file, and a store's schema is not an
 * e-mail's business. Each is kept up to ATTACH_KEEP_MAX bytes; a bigger
 * one is named, typed and sized in the history, not kept.
 *
 * Whole or not at all, with the ticket's transaction: attach_stage()
 * writes them, synced, into a directory of their own before the
 * transaction begins; attach_place() renames that directory into place
 * in one step inside it; attach_undo() takes it away again when the
 * transaction does not commit. A kill between the rename and the commit
 * leaves a directory under an id that will never be issued (ids are
 * never reused: highwater.h); a kill before, a staging directory
 * .kefu/attachments/.new.*, which the next attach_stage() removes once
 * it is an hour old. Never a ticket naming files that are not there.
 *
 * Ownership: an attach_stage owns its strings; attach_release() frees
 * them (and a staging directory never placed).
 */
#ifndef KEFU_ATTACH_H
#define KEFU_ATTACH_H

#include <stddef.h>

#include "mail.h"
#include "sbuf.h"
#include "status.h"

/* The largest attachment kept, in bytes: 5 MiB. */
#define ATTACH_KEEP_MAX (5 * 1024 * 1024)

struct attach_stage {
	char *root;   /* .kefu/attachments */
	char *tmp;    /* the staging directory; NULL when nothing is kept */
	char *placed; /* after attach_place(): the message's directory, from the desk's top */
	char *abs;    /* ...and its absolute path */
	char **file;  /* each attachment's file name in it, or NULL: not kept */
	size_t n;
};

/*
 * Write the attachments of at most ATTACH_KEEP_MAX bytes into a new
 * staging directory under kefu_dir/attachments. KF_EIO.
 */
enum kf_status attach_stage(const char *kefu_dir, const struct mail_attachment *att, size_t n,
			    struct attach_stage *st, struct kf_err *err);

/*
 * Move the staged files to the ticket's next message directory. Nothing
 * to do when nothing was staged. KF_EIO.
 */
enum kf_status attach_place(struct attach_stage *st, const char *ticket, struct kf_err *err);

/* Remove what was placed or staged: the transaction did not commit. */
void attach_undo(struct attach_stage *st);

void attach_release(struct attach_stage *st);

/*
 * The lines a ticket's text gets for them, after a blank line when out
 * holds text: "[attachment: NAME (TYPE, SIZE bytes)]" each (NAME
 * "unnamed" when there is none), and a last "[N more attachments, not
 * read]" for those mail.h did not read.
 */
void attach_describe(const struct mail_attachment *att, size_t n, size_t unread,
		     struct sbuf *out);

/*
 * The history's note for attachment i: "NAME (TYPE, SIZE bytes): PATH"
 * where it is kept, from the desk's top, or "...: not kept, over 5 MiB".
 * A new string.
 */
char *attach_note(const struct attach_stage *st, const struct mail_attachment *att, size_t i);

/* A name fit to be a file's: its last component, no controls, not hidden, at most 120 bytes. */
char *attach_file_name(const char *name);

#endif
