/*
 * reffile: the commit a ref points at, read from the files of the
 * repository without libgit2.
 *
 * Loading libgit2 costs a search several milliseconds; asking "has main
 * moved since the index was built?" needs only a small file read. When
 * the answer is not plain (a symbolic ref, an unusual layout), reffile
 * says so and the caller asks kb-index, which uses libgit2.
 */
#ifndef KEFU_REFFILE_H
#define KEFU_REFFILE_H

#include "status.h"

/*
 * The object id refname ("refs/heads/main") holds in the repository of
 * the work tree at root, as 40 or 64 hex digits in hex.
 * Returns KF_OK, or KF_ENOTFOUND when it cannot tell.
 */
enum kf_status reffile_read(const char *root, const char *refname, char hex[65],
			    struct kf_err *err);

#endif
