/*
 * spawn: run another kefu command, or a program of the user's (an
 * editor, fzf), and wait for it.
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

enum {
	SPAWN_TTY_ERR = 1, /* standard error the terminal (/dev/tty) when there is one */
};

/*
 * Run the program file (looked up in $PATH when it has no '/') with
 * argv: standard input from the descriptor in (-1: ours), standard
 * output appended to out (NULL: ours), standard error ours unless
 * flags say otherwise. *code as above. KF_OK once it has run,
 * KF_ENOTFOUND when there is no such program, KF_EIO.
 */
enum kf_status spawn_program(const char *file, char *const argv[], int in, int flags,
			     struct sbuf *out, int *code, struct kf_err *err);

/* Append s to out quoted for sh(1): in single quotes, a quote as '\''. */
void sh_quote(const char *s, struct sbuf *out);

#endif
