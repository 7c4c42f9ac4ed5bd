/*
 * sample: files compiled in: the sample desk (the project's kb/ and
 * workflows/) and the hooks of src/hooks/. Read-only data; nothing to free.
 */
#ifndef KEFU_SAMPLE_H
#define KEFU_SAMPLE_H

#include <stddef.h>

struct sample_file {
	const char *path; /* relative to the desk, e.g. "kb/售后服务/refund-7day.yaml" */
	int executable;
	long long size;
	const char *data;
};

extern const struct sample_file sample_files[];
extern const size_t sample_nfiles;
/* path "src/hooks/pre-receive" and so on */
extern const struct sample_file hooks_files[];
extern const size_t hooks_nfiles;

#endif
