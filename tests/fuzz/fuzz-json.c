/*
 * The JSON reader (ticket-open --json) on any bytes: it refuses with
 * KF_EINVAL, or gives a tree whose strings are valid UTF-8 and which,
 * written out again (strings by the library's own json_write_string()),
 * reads back as the same tree. A tree that is an object then goes
 * through ticket_request_from_json() as ticket-open's would.
 */
#include "fuzz.h"

#include <string.h>

#include "ticketopen.h"
#include "json.h"
#include "output.h"
#include "utf8.h"

static void write_value(FILE *fp, const struct json *v)
{
	switch (v->kind) {
	case J_NULL:
		fputs("null", fp);
		break;
	case J_BOOL:
		fputs(v->boolean ? "true" : "false", fp);
		break;
	case J_NUMBER:
		fputs(v->str, fp);
		break;
	case J_STRING:
		json_write_string(fp, v->str);
		break;
	case J_ARRAY:
	case J_OBJECT:
		fputc(v->kind == J_ARRAY ? '[' : '{', fp);
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				fputc(',', fp);
			if (v->kind == J_OBJECT) {
				json_write_string(fp, v->keys[i]);
				fputc(':', fp);
			}
			write_value(fp, v->items[i]);
		}
		fputc(v->kind == J_ARRAY ? ']' : '}', fp);
		break;
	}
}

static int text(const char *s)
{
	return s && utf8_valid(s, strlen(s), NULL, NULL);
}

static int same(const struct json *a, const struct json *b)
{
	if (a->kind != b->kind || a->n != b->n || a->boolean != b->boolean)
		return 0;
	if ((a->kind == J_STRING || a->kind == J_NUMBER) && strcmp(a->str, b->str))
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if ((a->kind == J_OBJECT && strcmp(a->keys[i], b->keys[i])) ||
		    !same(a->items[i], b->items[i]))
			return 0;
	return 1;
}

static void check(const struct json *v)
{
	if (v->kind == J_STRING || v->kind == J_NUMBER)
		fuzz_assert(text(v->str));
	for (size_t i = 0; i < v->n; i++) {
		if (v->kind == J_OBJECT)
			fuzz_assert(text(v->keys[i]));
		check(v->items[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json *v, *again;
	struct kf_err err;

	if (json_parse((const char *)data, size, &v, &err) != KF_OK) {
		fuzz_assert(!v && err.status == KF_EINVAL && err.msg[0] && fuzz_one_line(err.msg));
		return 0;
	}
	check(v);

	char *out = NULL;
	size_t outlen = 0;
	FILE *fp = open_memstream(&out, &outlen);
	fuzz_assert(fp);
	write_value(fp, v);
	fuzz_assert(fclose(fp) == 0);
	if (json_parse(out, outlen, &again, &err) != KF_OK) {
		fprintf(stderr, "written back as %s\nand refused: %s\n", out, err.msg);
		fuzz_assert(!"what was read and written back reads again");
	}
	fuzz_assert(same(v, again));
	json_free(again);
	free(out);

	if (v->kind == J_OBJECT) {
		struct ticket_request in;
		if (ticket_request_from_json(v, &in, &err) == KF_OK) {
			fuzz_assert(in.complexity >= 0 && in.complexity <= 10);
			for (size_t i = 0; i < in.ntags; i++)
				fuzz_assert(text(in.tags[i]));
			ticket_request_release(&in);
		} else {
			fuzz_assert(err.status == KF_EINVAL && err.msg[0] && fuzz_one_line(err.msg) && !in.tags);
		}
	}
	json_free(v);
	return 0;
}
