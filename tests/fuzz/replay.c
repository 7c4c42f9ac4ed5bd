/*
 * replay: feed files to a harness's LLVMFuzzerTestOneInput() without
 * libFuzzer, so that any compiler runs the corpora (`make test`, and
 * under AddressSanitizer and UBSan in `make check`).
 *
 *   fuzz-NAME FILE|DIR...
 *
 * A directory means each regular file in it, in name order. Each input
 * is handed over in a buffer of exactly its size, so a read past its
 * end is caught by the sanitizers. Each name goes to stderr before its
 * input: the last one named is the input a crash came from. Exits 0
 * when every input ran, 2 when a file could not be read.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path, size_t *count)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	char *buf = NULL;
	size_t len = 0, alloc = 0, n;
	char chunk[65536];
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (len + n > alloc) {
			alloc = (len + n) * 2;
			buf = realloc(buf, alloc);
			if (!buf)
				abort();
		}
		memcpy(buf + len, chunk, n);
		len += n;
	}
	int bad = ferror(fp);
	fclose(fp);
	if (bad) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		free(buf);
		return -1;
	}
	/* Exactly len bytes, not a byte more (malloc(0) may give NULL). */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	if (len)
		memcpy(exact, buf, len);
	free(buf);
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*count)++;
	return 0;
}

static int is_file(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: cannot read '%s': %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			failed |= replay_file(argv[i], &count) < 0;
			continue;
		}
		struct dirent **list;
		int n = scandir(argv[i], &list, is_file, alphasort);
		if (n < 0) {
			fprintf(stderr, "replay: cannot read '%s': %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/%s", argv[i], list[k]->d_name);
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				failed |= replay_file(path, &count) < 0;
			free(list[k]);
		}
		free(list);
	}
	printf("replayed %zu inputs\n", count);
	return failed ? 2 : 0;
}
