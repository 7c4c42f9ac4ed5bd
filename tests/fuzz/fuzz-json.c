/*
 * The JSON reader (ticket-open --json) on any bytes: it refuses with
 * KF_EINVAL, or gives a tree whose strings are valid UTF-8 and which,
 * written out again by the library's own emitter (output.h, as the value
 * of a record's key "v"), reads back as the same tree; a tree nested
 * deeper than the emitter allows is refused whole. A tree that is an
 * object then goes through ticket_request_from_json() as ticket-open's
 * would.
 */
#include "fuzz.h"

#include <string.h>

#include "json.h"
#include "output.h"
#include "ticketopen.h"
#include "utf8.h"

static void write_value(struct out *o, const char *key, const struct json *v)
{
	switch (v->kind) {
	case J_NULL:
		out_null(o, key);
		break;
	case J_BOOL:
		out_bool(o, key, v->boolean);
		break;
	case J_NUMBER: /* as written, which out_num() would round: as a string */
	case J_STRING:
		out_str(o, key, v->str);
		break;
	case J_ARRAY:
		out_list_begin(o, key);
		for (size_t i = 0; i < v->n; i++)
			write_value(o, NULL, v->items[i]);
		out_list_end(o);
		break;
	case J_OBJECT:
		out_map_begin(o, key);
		for (size_t i = 0; i < v->n; i++)
			write_value(o, v->keys[i], v->items[i]);
		out_map_end(o);
		break;
	}
}

static int depth(const struct json *v)
{
	int d = 0;
	for (size_t i = 0; i < v->n; i++) {
		int k = depth(v->items[i]);
		d = k > d ? k : d;
	}
	return d + (v->kind == J_ARRAY || v->kind == J_OBJECT);
}

static int text(const char *s)
{
	return s && utf8_valid(s, strlen(s), NULL, NULL);
}

/* b is a read back: its numbers came back as strings. */
static int same(const struct json *a, const struct json *b)
{
	if ((a->kind != b->kind && !(a->kind == J_NUMBER && b->kind == J_STRING)) ||
	    a->n != b->n || a->boolean != b->boolean)
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

	struct out o;
	out_init(&o, NULL, OUT_JSON);
	out_begin(&o);
	write_value(&o, "v", v);
	char *out = out_end_string(&o);
	if (depth(v) >= OUT_MAX_DEPTH) {
		fuzz_assert(!out);
	} else {
		fuzz_assert(out);
		if (json_parse(out, strlen(out), &again, &err) != KF_OK) {
			fprintf(stderr, "written back as %s\nand refused: %s\n", out, err.msg);
			fuzz_assert(!"what was read and written back reads again");
		}
		fuzz_assert(again->kind == J_OBJECT && again->n == 1 && !strcmp(again->keys[0], "v"));
		fuzz_assert(same(v, again->items[0]));
		json_free(again);
	}
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
