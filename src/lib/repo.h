/*
 * repo: the desk's git repository, through libgit2.
 *
 * Commits and blobs are named by their hex ids in this interface, so
 * that callers need not include libgit2's headers.
 * Ownership: a struct repo is closed with repo_close(); strings returned
 * through char ** are the caller's to free.
 */
#ifndef KEFU_REPO_H
#define KEFU_REPO_H

#include <stddef.h>

#include "sbuf.h"
#include "status.h"

struct repo;

/*
 * Open the repository of the work tree at root, and finish an approval
 * that was killed before the work tree followed main (worktree.h).
 * KF_EGIT, KF_EIO.
 */
enum kf_status repo_open(const char *root, struct repo **out, struct kf_err *err);
/*
 * Open the repository a git hook runs in, as git describes it in the
 * environment (GIT_DIR, and the quarantined objects of a push). KF_EGIT.
 */
enum kf_status repo_open_env(struct repo **out, struct kf_err *err);
void repo_close(struct repo *r);

/* Fill err with what libgit2 last said, after what; returns KF_EGIT. */
enum kf_status repo_fail(struct kf_err *err, const char *what);

/* libgit2's handle, for the library files that speak git (review, history). */
struct git_repository *repo_git(struct repo *r);

/* The repository's .git directory, with a trailing slash. */
const char *repo_git_dir(struct repo *r);
/*
 * The file git reads as its system configuration: $GIT_CONFIG_SYSTEM,
 * else /etc/gitconfig; NULL under $GIT_CONFIG_NOSYSTEM. Allocated.
 */
char *repo_system_config(void);

/* Set key to value in the configuration of the repository at root. KF_EGIT. */
enum kf_status repo_config_set(const char *root, const char *key, const char *value,
			       struct kf_err *err);
/* The work tree's directory, with a trailing '/'; NULL for a bare repository. */
const char *repo_workdir(struct repo *r);

/* The commit rev names (a ref, a branch, an id...). KF_ENOTFOUND. */
enum kf_status repo_resolve(struct repo *r, const char *rev, char hex[41], struct kf_err *err);

/* 1 when hex names a commit of the repository. */
int repo_is_commit(struct repo *r, const char *hex);

enum repo_delta { REPO_ADDED, REPO_MODIFIED, REPO_DELETED };

/*
 * Called for each file under kb/ that differs; path is "kb/...", blob
 * the new content's id (NULL when deleted). A file that is not a regular
 * file (a link, a submodule) is reported deleted. Non-zero stops.
 */
typedef int (*repo_delta_fn)(void *ctx, enum repo_delta what, const char *path,
			     const char *blob);

/* Whether parent_hex is the first parent of commit hex. */
int repo_is_child(struct repo *r, const char *hex, const char *parent_hex);

/*
 * The changes under kb/ from commit old_hex (NULL: nothing) to new_hex.
 * KF_EGIT.
 */
enum kf_status repo_kb_changes(struct repo *r, const char *old_hex, const char *new_hex,
			       repo_delta_fn fn, void *ctx, struct kf_err *err);

/* Append blob's content to out; larger than max (when not 0) is KF_EINVAL. */
enum kf_status repo_blob(struct repo *r, const char *blob, size_t max, struct sbuf *out,
			 struct kf_err *err);

/*
 * Walk main's first-parent history from head_hex back to stop_hex (NULL:
 * to the root), calling fn with each path under kb/ a commit added or
 * changed and the commit's date (YYYY-MM-DD at its own offset), newest
 * first. Non-zero from fn stops the walk. KF_EGIT.
 */
typedef int (*repo_date_fn)(void *ctx, const char *path, const char *date);
enum kf_status repo_kb_dates(struct repo *r, const char *head_hex, const char *stop_hex,
			     repo_date_fn fn, void *ctx, struct kf_err *err);

/* The date (YYYY-MM-DD at its offset) of commit hex. KF_EGIT. */
enum kf_status repo_commit_date(struct repo *r, const char *hex, char date[11],
				struct kf_err *err);

/* Append the file at path in the tree of rev to out. KF_ENOTFOUND. */
enum kf_status repo_read_path(struct repo *r, const char *rev, const char *path,
			      struct sbuf *out, struct kf_err *err);

/*
 * Find the entry id in the tree of rev: *path is set to "kb/<cat>/<id>.yaml"
 * and the file appended to out. KF_ENOTFOUND.
 */
enum kf_status repo_find_entry(struct repo *r, const char *rev, const char *id, char **path,
			       struct sbuf *out, struct kf_err *err);

/*
 * Who is acting: email from $KEFU_USER, else git's user.email; name from
 * git's user.name, else the email's local part. r may be NULL (global
 * configuration only). KF_ENOTFOUND when no email is known.
 */
enum kf_status repo_identity(struct repo *r, char **email, char **name, struct kf_err *err);

/*
 * Create a repository at dir with main as its branch, commit every file
 * of its work tree (as git add -A would, .gitignore obeyed) with message,
 * and return its id in hex. KF_EGIT.
 */
enum kf_status repo_init_commit(const char *dir, const char *message, char hex[41],
				struct kf_err *err);

/* Create an empty bare repository at dir, its HEAD naming main. KF_EGIT. */
enum kf_status repo_init_bare(const char *dir, struct kf_err *err);

#endif
