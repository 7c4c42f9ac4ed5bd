/*
 * sample: the sample desk (the project's kb/ and workflows/), compiled
 * in. Read-only data; nothing to free.
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

#endif
