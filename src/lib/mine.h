/*
 * mine: an agent's own knowledge entries (个人知识库, seed 004), the
 * questions and phrasings they keep for themselves beside the desk's.
 *
 * The same format as the desk's entries (kefu-entry(5)), in a base of
 * the agent's own, outside the desk:
 *
 *	$XDG_DATA_HOME/kefu/desks/<desk>/kb/<category>/<id>.yaml
 *	$XDG_DATA_HOME/kefu/desks/<desk>/index.db	(derived)
 *
 * $XDG_DATA_HOME is ~/.local/share unless set (to an absolute path);
 * <desk> is the desk's absolute path without its first '/', each '%'
 * written %25 and each '/' %2F. In the home directory, never in the
 * desk: so it is in no git history, needs no review, and on a server
 * the team shares it is its owner's alone, since the directories are
 * made 0700 and the files 0600. One base per Unix account and desk:
 * what decides who reads it is who can read the files.
 *
 * The index is the desk's kind (index.h), kept in step with the files
 * by a stamp of their names, sizes, times and inodes: a reader that
 * finds the stamp changed rebuilds it whole, which on a few hundred
 * entries costs less than a journal of changes would. A desk where the
 * base does not exist costs one stat(2).
 *
 * Ownership: mine_locate() fills strings that mine_release() frees.
 */
#ifndef KEFU_MINE_H
#define KEFU_MINE_H

#include <sys/types.h>

#include "desk.h"
#include "entry.h"
#include "index.h"
#include "problems.h"
#include "status.h"

/* How an id names an entry of the base, where a desk's id could be meant. */
#define MINE_PREFIX "mine:"

struct mine {
	char *dir;	/* the base */
	char *kb;	/* dir/kb: the entries */
	char *index_db; /* dir/index.db */
};

/*
 * Where the base of the desk d is (whether it exists or not). KF_ENOTFOUND
 * when there is no home to put it in ($HOME and $XDG_DATA_HOME unset).
 */
enum kf_status mine_locate(const struct desk *d, struct mine *m, struct kf_err *err);
void mine_release(struct mine *m);

/* Make the base's directories, each 0700. KF_EIO. */
enum kf_status mine_make(const struct mine *m, struct kf_err *err);

/* 0, or the mode of the base's directory when others may enter or read it. */
mode_t mine_exposed(const struct mine *m);

/*
 * Open the base's index for reading, rebuilt first when its files have
 * changed since. A file that is not a valid entry is told to fn, as
 * kb-lint says it ("FILE:LINE: key: problem"), once, when the index is
 * rebuilt, and left out. KF_ENOTFOUND when there is no base; KF_EDB.
 */
enum kf_status mine_open(const struct mine *m, struct kbindex *ix, problem_fn fn, void *ctx,
			 struct kf_err *err);

/* An entry of the base, as mine_each() finds it. */
struct mine_entry {
	const char *path;    /* absolute */
	const struct entry *e;
	const char *updated; /* YYYY-MM-DD of its last change, local time */
};

/*
 * Call fn for each valid entry of the base, in the order of their
 * paths; an invalid file is told to bad. fn returning non-zero stops
 * the walk. KF_OK (also when there is no base), KF_EIO.
 */
enum kf_status mine_each(const struct mine *m, int (*fn)(void *ctx, const struct mine_entry *me),
			 void *ctx, problem_fn bad, void *bctx, struct kf_err *err);

/* The file of the entry id in the base, or NULL. A new string. */
char *mine_find(const struct mine *m, const char *id);

/*
 * Save len bytes of yaml as an entry of the base, whole (a new file
 * renamed into place): kb/<category>/<id>.yaml by what it says. When
 * replace is the file it was edited from and it is another one now (its
 * id or category changed), that file goes. KF_EINVAL with every problem
 * in probs when it is not a valid entry; KF_EEXIST when another file of
 * the base has its id; KF_EIO. *saved (may be NULL) gets the new path.
 */
enum kf_status mine_save(const struct mine *m, const char *yaml, size_t len, const char *replace,
			 char **saved, struct diags *probs, struct kf_err *err);

/* Remove the entry id. KF_ENOTFOUND, KF_EIO. */
enum kf_status mine_remove(const struct mine *m, const char *id, struct kf_err *err);

#endif
