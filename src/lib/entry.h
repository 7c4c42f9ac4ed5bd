/*
 * entry: one knowledge entry (kb/<category>/<id>.yaml), read and checked.
 *
 * Ownership: entry_parse() fills an entry whose strings it owns;
 * entry_release() frees them. Absent optional text is NULL, an absent
 * date is "".
 */
#ifndef KEFU_ENTRY_H
#define KEFU_ENTRY_H

#include <stddef.h>

#include "problems.h"
#include "status.h"

#define ENTRY_MAX_BYTES (1024 * 1024)
#define ENTRY_ID_MAX 64

struct entry {
	char *id, *title, *category, *scenario;
	char **keywords, **tags;
	size_t nkeywords, ntags;
	char *opening, *answer, *closing, *notes;
	char effective[11], expires[11]; /* YYYY-MM-DD or "" */
};

/*
 * Read the entry in buf[0..len). path, when not NULL, is where the file
 * lives: its stem must equal the id, and when its parent's parent is a
 * directory named "kb" the parent must equal the category.
 *
 * Returns KF_OK with e filled, or KF_EINVAL with every problem found in
 * probs (e is then released). A file over ENTRY_MAX_BYTES is refused.
 */
enum kf_status entry_parse(const char *buf, size_t len, const char *path,
			   struct entry *e, struct diags *probs);
void entry_release(struct entry *e);

/* id matches [a-z0-9][a-z0-9-]{0,63}. */
int entry_id_valid(const char *id);
/* One directory name: not empty, no '/', not "." or "..", at most 255 bytes. */
int entry_category_valid(const char *c);
/* A real calendar date written YYYY-MM-DD. */
int entry_date_valid(const char *s);

/*
 * The entry as the text of its file (entrywrite.c): its keys in the
 * order above, absent ones left out, each value written so that
 * entry_parse() reads back the same strings; a text of several lines as
 * a literal block. A new string; NULL only if libyaml fails.
 */
char *entry_yaml(const struct entry *e);

/*
 * Where an entry's id is written in a path: the stem of its last
 * component when it ends in ".yaml", else NULL. Returns a new string.
 */
char *entry_path_id(const char *path);

#endif
