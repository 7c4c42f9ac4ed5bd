/*
 * yamldoc: a YAML document read into a small tree, with line numbers,
 * through libyaml's event parser.
 *
 * kefu's files are plain data, so the loader refuses what would make
 * them surprising to read or to review in a diff: anchors, aliases,
 * explicit tags, several documents, duplicate or non-scalar keys, nesting
 * deeper than YDOC_MAX_DEPTH, invalid UTF-8 and NUL bytes.
 *
 * Ownership: every node and string belongs to the ydoc; ydoc_release()
 * frees them in one go. Scalars are NUL-terminated.
 */
#ifndef KEFU_YAMLDOC_H
#define KEFU_YAMLDOC_H

#include <stddef.h>

#include "problems.h"
#include "status.h"

#define YDOC_MAX_DEPTH 32

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	enum ynode_kind kind;
	int line;  /* 1-based line where the node starts */
	int plain; /* a scalar written without quotes */
	char *str; /* scalar text */
	size_t len;
	/* SEQ: n items; MAP: n pairs, kids[2i] the key, kids[2i+1] its value */
	struct ynode **kids;
	size_t n;
};

struct ydoc {
	struct ynode *root; /* NULL for an empty document */
	void *arena;
};

/*
 * Parse buf[0..len). On KF_EINVAL, *line is the 1-based line of the
 * problem and msg (at least 256 bytes) says what it is.
 */
enum kf_status ydoc_parse(const char *buf, size_t len, struct ydoc *doc,
			  int *line, char *msg, size_t msgsize);
void ydoc_release(struct ydoc *doc);

/* A plain empty, "~" or "null" scalar: YAML's null. */
int ynode_is_null(const struct ynode *n);
/* The value under key in a map, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* A human word for the node's kind: "a string", "a list", "a mapping". */
const char *ynode_kind_name(const struct ynode *n);


/*
 * Typed reads for workflow files. Each reports a wrong shape in probs,
 * naming the key, and returns what it could read.
 */
/* The scalar under key (NULL when absent or null); required: report absence. */
const char *yget_str(const struct ynode *map, const char *key, int required,
		     struct diags *probs);
/* The list of scalars under key, copied (NULL-terminated; *n items). */
char **yget_list(const struct ynode *map, const char *key, size_t *n, struct diags *probs);
/*
 * The same of node v, reported as key; strict also refuses an item of
 * several lines or one listed twice.
 */
char **ynode_list(const struct ynode *v, const char *key, int strict, size_t *n,
		  struct diags *probs);
/* An integer in [min, max]: 1 read, 0 absent, -1 wrong (reported). */
int yget_int(const struct ynode *map, const char *key, long min, long max, long *out,
	     struct diags *probs);
/* Report every key of map not in known (a NULL-terminated list). */
void ycheck_keys(const struct ynode *map, const char *const *known, const char *where,
		 struct diags *probs);
/* The node as a mapping, or NULL with a problem reported. */
const struct ynode *yexpect_map(const struct ynode *n, const char *what, struct diags *probs);
/* Free a list from yget_list(). */
void ylist_free(char **v);

#endif
