#include "reffile.h"

#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

static int is_hex_id(const char *s, size_t n)
{
	if (n != 40 && n != 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return 0;
	return 1;
}

/* The directory holding refs: .git, or where a gitdir file points. */
static char *common_dir(const char *root)
{
	struct sbuf sb = SBUF_INIT;
	char *gitdir = xasprintf("%s/.git", root);
	if (sbuf_read_file(&sb, gitdir, 4096) == 0) {
		/* .git is a file: "gitdir: PATH" (a linked work tree) */
		sbuf_trim_newlines(&sb);
		if (strncmp(sb.buf, "gitdir: ", 8)) {
			sbuf_release(&sb);
			free(gitdir);
			return NULL;
		}
		free(gitdir);
		gitdir = sb.buf[8] == '/' ? xstrdup(sb.buf + 8)
					  : xasprintf("%s/%s", root, sb.buf + 8);
	}
	sbuf_reset(&sb);
	char *cd = xasprintf("%s/commondir", gitdir);
	if (sbuf_read_file(&sb, cd, 4096) == 0) {
		sbuf_trim_newlines(&sb);
		char *common = sb.buf[0] == '/' ? xstrdup(sb.buf)
						: xasprintf("%s/%s", gitdir, sb.buf);
		free(gitdir);
		gitdir = common;
	}
	free(cd);
	sbuf_release(&sb);
	return gitdir;
}

enum kf_status reffile_read(const char *root, const char *refname, char hex[65],
			    struct kf_err *err)
{
	struct sbuf sb = SBUF_INIT;
	enum kf_status st = KF_ENOTFOUND;
	char *dir = common_dir(root);
	if (!dir)
		return kf_fail(err, KF_ENOTFOUND, "cannot read '%s/.git'", root);

	char *loose = xasprintf("%s/%s", dir, refname);
	if (sbuf_read_file(&sb, loose, 4096) == 0) {
		sbuf_trim_newlines(&sb);
		if (is_hex_id(sb.buf, sb.len)) {
			memcpy(hex, sb.buf, sb.len + 1);
			st = KF_OK;
		}
		goto out;
	}
	sbuf_reset(&sb);
	char *packed = xasprintf("%s/packed-refs", dir);
	if (sbuf_read_file(&sb, packed, 0) == 0) {
		size_t rn = strlen(refname);
		for (char *line = sb.buf; line && *line;) {
			char *nl = strchr(line, '\n');
			size_t n = nl ? (size_t)(nl - line) : strlen(line);
			char *sp = memchr(line, ' ', n);
			if (sp && (size_t)(line + n - sp - 1) == rn && !memcmp(sp + 1, refname, rn) &&
			    is_hex_id(line, (size_t)(sp - line))) {
				memcpy(hex, line, (size_t)(sp - line));
				hex[sp - line] = '\0';
				st = KF_OK;
				break;
			}
			line = nl ? nl + 1 : NULL;
		}
	}
	free(packed);
out:
	if (st != KF_OK)
		kf_fail(err, KF_ENOTFOUND, "cannot read ref '%s' without git", refname);
	free(loose);
	free(dir);
	sbuf_release(&sb);
	return st;
}
