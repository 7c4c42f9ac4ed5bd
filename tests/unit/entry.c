/* Unit tests of the entry parser, from a table of good and bad files. */
#include "tap.h"

#include "entry.h"
#include "sbuf.h"

/*
 * PATH<TAB>FILE<TAB>EXPECTED: EXPECTED is "ok id=ID" for a good file, else
 * every problem as "LINE: key: message", joined by " | ".
 */
static void run(char **f, int n, int lineno)
{
	struct diags probs = DIAGS_INIT;
	struct entry e;
	struct sbuf got = SBUF_INIT;
	char what[160];

	if (n != 3) {
		tap_ok(0, "line %d: wants 3 fields", lineno);
		return;
	}
	snprintf(what, sizeof(what), "%s (line %d)", f[0], lineno);
	if (entry_parse(f[1], strlen(f[1]), f[0], &e, &probs) == KF_OK) {
		sbuf_addf(&got, "ok id=%s", e.id);
		if (e.nkeywords)
			sbuf_addf(&got, " keywords=%zu", e.nkeywords);
		entry_release(&e);
	}
	for (size_t i = 0; i < probs.n; i++) {
		if (i)
			sbuf_adds(&got, " | ");
		sbuf_addf(&got, "%d: %s%s%s", probs.v[i].line, probs.v[i].key ? probs.v[i].key : "",
			  probs.v[i].key ? ": " : "", probs.v[i].msg);
	}
	tap_is(got.buf, f[2], what);
	diags_release(&probs);
	sbuf_release(&got);
}

int main(int argc, char **argv)
{
	if (argc != 2 || tap_cases(argv[1], run) < 0)
		return 1;
	/* Over a megabyte is refused before parsing. */
	size_t big = ENTRY_MAX_BYTES + 1;
	char *buf = malloc(big);
	memset(buf, 'a', big);
	struct diags probs = DIAGS_INIT;
	struct entry e;
	tap_ok(entry_parse(buf, big, "kb/x/big.yaml", &e, &probs) == KF_EINVAL && probs.n == 1 &&
		       strstr(probs.v[0].msg, "file too large"),
	       "a file over the limit is refused as too large");
	diags_release(&probs);
	free(buf);
	/* A NUL byte cannot travel through the table's C strings. */
	static const char nul[] = "id: x\ntitle: t\0\n";
	tap_ok(entry_parse(nul, sizeof(nul) - 1, "kb/a/x.yaml", &e, &probs) == KF_EINVAL &&
		       probs.n == 1 && probs.v[0].line == 2 &&
		       !strcmp(probs.v[0].msg, "NUL byte at offset 14"),
	       "a NUL byte is refused with its line and offset");
	diags_release(&probs);
	tap_ok(entry_id_valid("refund-7day") && !entry_id_valid("-x") && !entry_id_valid("A") &&
		       !entry_id_valid("") &&
		       entry_id_valid("a234567890123456789012345678901234567890123456789012345678901234") &&
		       !entry_id_valid("a2345678901234567890123456789012345678901234567890123456789012345"),
	       "entry ids: [a-z0-9][a-z0-9-]{0,63}");
	return tap_done();
}
