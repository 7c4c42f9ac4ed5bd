/* An entry written as its YAML file, by libyaml's emitter. */
#include "entry.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "sbuf.h"

static int sink(void *data, unsigned char *buf, size_t size)
{
	sbuf_add(data, buf, size);
	return 1;
}

/*
 * A scalar: plain where it reads back as the same string, quoted where
 * a plain one would read as null; a text of several lines as a literal
 * block. The emitter falls back to quoting where a style cannot hold
 * the text (leading spaces, control characters).
 */
static int scalar(yaml_emitter_t *em, const char *s, int block)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = YAML_ANY_SCALAR_STYLE;
	if (!*s || !strcmp(s, "~") || !strcasecmp(s, "null"))
		style = YAML_SINGLE_QUOTED_SCALAR_STYLE;
	else if (block && strchr(s, '\n'))
		style = YAML_LITERAL_SCALAR_STYLE;
	return yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1,
					    1, style) &&
	       yaml_emitter_emit(em, &ev);
}

static int pair(yaml_emitter_t *em, const char *key, const char *v, int block)
{
	return !v || (scalar(em, key, 0) && scalar(em, v, block));
}

static int list(yaml_emitter_t *em, const char *key, char **v, size_t n)
{
	yaml_event_t ev;
	if (!n)
		return 1;
	if (!scalar(em, key, 0) ||
	    !yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE) ||
	    !yaml_emitter_emit(em, &ev))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!scalar(em, v[i], 0))
			return 0;
	return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

char *entry_yaml(const struct entry *e)
{
	struct sbuf out = SBUF_INIT;
	yaml_emitter_t em;
	yaml_event_t ev;
	int ok = yaml_emitter_initialize(&em);
	if (!ok)
		return NULL;
	yaml_emitter_set_output(&em, sink, &out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) &&
	     yaml_emitter_emit(&em, &ev) &&
	     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) &&
	     yaml_emitter_emit(&em, &ev) &&
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) &&
	     yaml_emitter_emit(&em, &ev) && pair(&em, "id", e->id, 0) &&
	     pair(&em, "title", e->title, 0) && pair(&em, "category", e->category, 0) &&
	     pair(&em, "scenario", e->scenario, 0) &&
	     list(&em, "keywords", e->keywords, e->nkeywords) && list(&em, "tags", e->tags, e->ntags) &&
	     pair(&em, "opening", e->opening, 1) && pair(&em, "answer", e->answer, 1) &&
	     pair(&em, "closing", e->closing, 1) && pair(&em, "notes", e->notes, 1) &&
	     pair(&em, "effective", e->effective[0] ? e->effective : NULL, 0) &&
	     pair(&em, "expires", e->expires[0] ? e->expires : NULL, 0) &&
	     yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
	     yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
	     yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) &&
	     yaml_emitter_flush(&em);
	yaml_emitter_delete(&em);
	if (!ok) {
		sbuf_release(&out);
		return NULL;
	}
	return sbuf_detach(&out);
}
