/* Unit tests of contact masking (mask.h), from a case table. */
#include "tap.h"

#include "mask.h"

/* TEXT<TAB>MASKED */
static void run(char **f, int n, int lineno)
{
	if (n != 2) {
		tap_ok(0, "line %d: bad case", lineno);
		return;
	}
	char *got = mask_text(f[0]);
	char what[160];
	snprintf(what, sizeof(what), "line %d: %.120s", lineno, f[0]);
	tap_is(got, f[1], what);
	free(got);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("Bail out! usage: mask CASES\n");
		return 2;
	}
	if (tap_cases(argv[1], run) <= 0)
		return 2;
	return tap_done();
}
