/*
 * skeleton: the files of a new, empty desk (kb-init without --sample),
 * and the git hook that keeps its index in step with main.
 *
 * Ownership: skeleton_file() returns a new string for the caller to free.
 */
#ifndef KEFU_SKELETON_H
#define KEFU_SKELETON_H

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
