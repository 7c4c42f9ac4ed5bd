/*
 * fuzz.h: what every harness of tests/fuzz/ shares. A harness defines
 * LLVMFuzzerTestOneInput(), which libFuzzer calls with each input it
 * makes up (`make fuzz`), and replay.c with each file of a corpus
 * (`make test`, under the sanitizers in `make check`).
 *
 * A harness checks what the parser promises on every input, not only
 * that it does not crash: a broken promise aborts, which both drivers
 * report as a failure with the input that caused it.
 */
#ifndef KEFU_FUZZ_H
#define KEFU_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond)                                                          \
	do {                                                                       \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__,   \
				__LINE__, #cond);                                  \
			abort();                                                   \
		}                                                                  \
	} while (0)

/*
 * A message for the user (struct kf_err, a diag): one line, as status.h
 * and kb-lint promise, with no control character (C0, DEL, C1) that
 * could move a terminal's cursor or hide what it says.
 */
static inline int fuzz_one_line(const char *s)
{
	if (!s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f))
			return 0;
	}
	return 1;
}

#endif
