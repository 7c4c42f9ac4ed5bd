/* Unit tests of the output emitter, from a case table. */
#include "tap.h"

#include <errno.h>

#include "output.h"

/* A key: "-" for none (a value in a list). */
static const char *key_of(const char *k)
{
	return strcmp(k, "-") ? k : NULL;
}

/*
 * One call, "OP KEY[=VALUE]", on o; what a call returns goes to log:
 * out_end()'s failure as [-1 EINVAL], out_end_string()'s text as <...>.
 */
static int call(struct out *o, char *op, struct sbuf *log)
{
	char *arg = strchr(op, ' ');
	char *val = NULL;
	if (arg) {
		*arg++ = '\0';
		if ((val = strchr(arg, '=')))
			*val++ = '\0';
	}
	const char *k = arg ? key_of(arg) : NULL;
	if (!strcmp(op, "begin")) {
		out_begin(o);
	} else if (!strcmp(op, "end")) {
		errno = 0;
		if (out_end(o))
			sbuf_addf(log, "[-1 %s]", errno == EINVAL ? "EINVAL" : "other");
	} else if (!strcmp(op, "take")) {
		char *s = out_end_string(o);
		sbuf_addf(log, "<%s>", s ? s : "NULL");
		free(s);
	} else if (!strcmp(op, "discard")) {
		out_discard(o);
	} else if (!strcmp(op, "map") && arg) {
		out_map_begin(o, k);
	} else if (!strcmp(op, "/map")) {
		out_map_end(o);
	} else if (!strcmp(op, "list") && arg) {
		out_list_begin(o, k);
	} else if (!strcmp(op, "/list")) {
		out_list_end(o);
	} else if (!strcmp(op, "s") && arg) {
		out_str(o, k, val);
	} else if (!strcmp(op, "null") && arg) {
		out_null(o, k);
	} else if (!strcmp(op, "i") && val) {
		out_int(o, k, strtoll(val, NULL, 10));
	} else if (!strcmp(op, "n") && val && strchr(val, ':')) {
		out_num(o, k, strtod(val, NULL), atoi(strchr(val, ':') + 1));
	} else if (!strcmp(op, "b") && val) {
		out_bool(o, k, atoi(val));
	} else if (!strcmp(op, "strs") && val) {
		char *items[16];
		size_t n = 0;
		for (char *p = val; *p && n < 16; n++) {
			items[n] = p;
			p += strcspn(p, ",");
			if (*p)
				*p++ = '\0';
		}
		out_list(o, k, items, n);
	} else {
		return -1;
	}
	return 0;
}

/*
 * json|tsv<TAB>CALLS<TAB>OUTPUT: the calls, separated by ';', and all
 * that reached the stream, then what the calls returned.
 * text|lines<TAB>INPUT<TAB>OUTPUT: text_write(), one line or multiline.
 */
static void run(char **f, int n, int lineno)
{
	char what[200];
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct sbuf log = SBUF_INIT;

	snprintf(what, sizeof(what), "%s line %d: %.150s", f[0], lineno, n > 1 ? f[1] : "");
	for (char *p = what; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?'; /* one line of TAP */
	if (n != 3 || !fp) {
		tap_ok(0, "line %d: bad case", lineno);
		if (fp)
			fclose(fp);
		free(buf);
		return;
	}
	if (!strcmp(f[0], "text") || !strcmp(f[0], "lines")) {
		text_write(fp, f[1], strlen(f[1]), !strcmp(f[0], "lines"));
	} else {
		struct out o;
		out_init(&o, fp, !strcmp(f[0], "json") ? OUT_JSON : OUT_TSV);
		for (char *op = strtok(f[1], ";"); op; op = strtok(NULL, ";"))
			if (call(&o, op, &log))
				sbuf_addf(&log, "(bad call %s)", op);
		out_discard(&o);
	}
	fclose(fp);
	struct sbuf got = SBUF_INIT;
	sbuf_add(&got, buf, len);
	sbuf_add(&got, log.buf, log.len);
	tap_is(got.buf, f[2], what);
	sbuf_release(&got);
	sbuf_release(&log);
	free(buf);
}

/* A record the stream refuses is reported, not half-written. */
static void write_error(void)
{
	FILE *fp = fopen("/dev/full", "w");
	if (!fp) {
		tap_ok(1, "# SKIP no /dev/full");
		return;
	}
	setvbuf(fp, NULL, _IONBF, 0);
	struct out o;
	out_init(&o, fp, OUT_JSON);
	out_begin(&o);
	out_str(&o, "id", "x");
	tap_ok(out_end(&o) == -1 && errno == ENOSPC, "out_end() on a full disk is -1, ENOSPC");
	fclose(fp);
}

/* Nesting to the limit, and one past it. */
static void depth(void)
{
	struct out o;
	out_init(&o, NULL, OUT_JSON);
	out_begin(&o);
	for (int i = 1; i < OUT_MAX_DEPTH; i++)
		out_list_begin(&o, i == 1 ? "deep" : NULL);
	for (int i = 1; i < OUT_MAX_DEPTH; i++)
		out_list_end(&o);
	char *s = out_end_string(&o);
	tap_ok(s && strlen(s) == 9 + 2 * (OUT_MAX_DEPTH - 1), "nesting to OUT_MAX_DEPTH");
	free(s);
	out_begin(&o);
	for (int i = 1; i <= OUT_MAX_DEPTH; i++)
		out_list_begin(&o, i == 1 ? "deep" : NULL);
	for (int i = 1; i <= OUT_MAX_DEPTH; i++)
		out_list_end(&o);
	s = out_end_string(&o);
	tap_ok(!s, "nesting past OUT_MAX_DEPTH is refused");
	free(s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		printf("Bail out! usage: output CASES\n");
		return 2;
	}
	if (tap_cases(argv[1], run) <= 0)
		return 2;
	write_error();
	depth();
	return tap_done();
}
