/*
 * newdesk: what a new desk starts with: the skeleton files of an empty
 * desk (kb-init without --sample; with it, sample.h's files), and the
 * git hook that keeps its index in step with main.
 *
 * Ownership: skeleton_text() and skeleton_hook() return new strings for
 * the caller to free.
 */
#ifndef KEFU_NEWDESK_H
#define KEFU_NEWDESK_H

#include <stddef.h>

struct skeleton_file {
	const char *path;
	const char *text; /* "%1$s" is the founder's email, "%2$s" the name */
};

extern const struct skeleton_file skeleton_files[];
extern const size_t skeleton_nfiles;

/* The text of a skeleton file with the founder filled in. */
char *skeleton_text(const struct skeleton_file *f, const char *email, const char *name);

/* The reference-transaction hook, calling kb_index (an absolute path). */
char *skeleton_hook(const char *kb_index);

#endif
