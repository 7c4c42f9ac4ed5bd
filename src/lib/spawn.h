/*
 * spawn: run another kefu command and wait for it.
 *
 * Commands on the hot path ask kb-index to bring the index up to date
 * instead of linking libgit2 themselves.
 */
#ifndef KEFU_SPAWN_H
#define KEFU_SPAWN_H

#include "status.h"

/*
 * Run the kefu command name with argv (argv[0] is replaced), found beside
 * the running program, else on $PATH. *code receives its exit status
 * (128 + signal when killed). Returns KF_OK once it has run, or KF_EIO.
 */
enum kf_status spawn_sibling(const char *name, char *const argv[], int *code,
			     struct kf_err *err);

/*
 * As spawn_sibling(), with what the command writes on stderr appended to
 * errout instead of reaching ours.
 */
struct sbuf;
enum kf_status spawn_sibling_capture(const char *name, char *const argv[], int *code,
				     struct sbuf *errout, struct kf_err *err);

/* The directory of the running program, or NULL. */
char *self_dir(void);

#endif
