#include "intake.h"

#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "sbuf.h"
#include "sla.h"
#include "ticket.h"
#include "tokenizer.h"

/*
 * The request reduced to its terms, as search sees them (no spacing,
 * punctuation, case or inflection), hashed with the customer.
 */
static int hash_term(void *ctx, enum tok_kind kind, const char *text, size_t n, size_t start,
		     size_t end)
{
	uint64_t *h = ctx;
	(void)start, (void)end;
	if (kind == TOK_BIGRAM)
		return 0; /* the unigrams already say it */
	for (size_t i = 0; i < n; i++)
		*h = (*h ^ (unsigned char)text[i]) * 1099511628211ULL;
	*h = (*h ^ 0x1F) * 1099511628211ULL;
	return 0;
}

static void fingerprint(const struct intake *in, char out[17])
{
	uint64_t h = 1469598103934665603ULL;
	const char *parts[] = { in->customer, in->subject, in->description };
	for (size_t k = 0; k < 3; k++) {
		if (parts[k])
			tok_scan(parts[k], strlen(parts[k]), hash_term, &h);
		h = (h ^ 0x1E) * 1099511628211ULL;
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int one_line_word(const char *s)
{
	return s && *s && !strpbrk(s, "\n\r\t");
}

static enum kf_status check(const struct session *s, const struct intake *in,
			    struct kf_err *err)
{
	const struct classify *c = &s->wf.classify;
	if (in->priority && priority_rank(in->priority) < 0)
		return kf_fail(err, KF_EINVAL,
			       "unknown priority '%.40s' (urgent, high, normal or low)", in->priority);
	if (in->type && c->ntypes) {
		int known = c->default_type && !strcmp(c->default_type, in->type);
		for (size_t i = 0; i < c->ntypes && !known; i++)
			known = !strcmp(c->types[i].value, in->type);
		if (!known)
			return kf_fail(err, KF_EINVAL,
				       "unknown type '%.40s' (workflows/classify.yaml lists the types)",
				       in->type);
	}
	if (in->channel && !one_line_word(in->channel))
		return kf_fail(err, KF_EINVAL, "a channel is one word, not '%.40s'", in->channel);
	if (in->customer && !one_line_word(in->customer))
		return kf_fail(err, KF_EINVAL, "a customer is one line, not '%.40s'", in->customer);
	if (in->complexity && (in->complexity < 1 || in->complexity > 10))
		return kf_fail(err, KF_EINVAL, "complexity runs from 1 to 10, not %ld",
			       in->complexity);
	for (size_t i = 0; i < in->ntags; i++)
		if (!one_line_word(in->tags[i]))
			return kf_fail(err, KF_EINVAL, "a tag is one word, not '%.40s'", in->tags[i]);
	if ((!in->subject || !*in->subject) && (!in->description || !*in->description))
		return kf_fail(err, KF_EINVAL, "nothing to open a ticket for: no subject or text");
	return KF_OK;
}

/* A subject from the text's first line when none was given. */
static char *derive_subject(const char *text)
{
	size_t n = strcspn(text, "\n");
	/* about forty characters, cut at a character's edge */
	size_t chars = 0, i = 0;
	while (i < n && chars < 40) {
		i++;
		while (i < n && ((unsigned char)text[i] & 0xC0) == 0x80)
			i++;
		chars++;
	}
	return xstrndup(text, i);
}

static enum kf_status find_one(struct deskdb *d, const char *sql, const char *a,
			       const char *b, int64_t c, char id[32], struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret;
	id[0] = '\0';
	if ((ret = deskdb_prepare(d, sql, &st, err)))
		return ret;
	deskdb_bind_text(st, 1, a);
	deskdb_bind_text(st, 2, b);
	sqlite3_bind_int64(st, 3, c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(id, 32, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? KF_OK : deskdb_fail(d, err);
}

/* Keep an e-mail's Message-ID with its ticket. */
static enum kf_status remember(struct session *s, const char *message_id, const char *ticket,
			       struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret;
	if (!message_id)
		return KF_OK;
	if ((ret = deskdb_prepare(&s->db,
				  "INSERT OR IGNORE INTO messages(message_id, ticket) VALUES(?1, ?2)",
				  &st, err)))
		return ret;
	sqlite3_bind_text(st, 1, message_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, ticket, -1, SQLITE_STATIC);
	return deskdb_run(&s->db, st, err);
}

/* The ticket an e-mail answers, if any: by In-Reply-To or an id in the subject. */
static enum kf_status answered(struct session *s, const struct intake *in, char id[32],
			       struct kf_err *err)
{
	enum kf_status st;
	id[0] = '\0';
	if (!in->customer)
		return KF_OK;
	if (in->in_reply_to &&
	    (st = find_one(&s->db,
			   "SELECT m.ticket FROM messages m JOIN tickets t ON t.id = m.ticket"
			   " WHERE m.message_id = ?1 AND t.customer = ?2",
			   in->in_reply_to, in->customer, 0, id, err)))
		return st;
	const char *gd = in->subject ? strstr(in->subject, "GD") : NULL;
	if (!id[0] && gd) {
		size_t n = strspn(gd + 2, "0123456789");
		if (n >= 12 && n < 20) {
			char want[32];
			snprintf(want, sizeof(want), "%.*s", (int)n + 2, gd);
			if ((st = find_one(&s->db,
					   "SELECT id FROM tickets WHERE id = ?1 AND customer = ?2",
					   want, in->customer, 0, id, err)))
				return st;
		}
	}
	return KF_OK;
}

/* Let the caller say the result, then commit; a failure to say it undoes all. */
static enum kf_status finish(struct session *s, const char *id, enum intake_result res,
			     intake_confirm_fn confirm, void *ctx, struct kf_err *err)
{
	enum kf_status st = confirm ? confirm(ctx, id, res, err) : KF_OK;
	if (!st)
		st = deskdb_commit(&s->db, err);
	if (st)
		deskdb_rollback(&s->db);
	return st;
}

enum kf_status intake_open(struct session *s, const struct intake *in, char id[32],
			   enum intake_result *res, intake_confirm_fn confirm, void *ctx,
			   struct kf_err *err)
{
	enum kf_status st;
	int64_t now = s->who.when.t;
	char fp[17];
	struct ticket t;

	if ((st = check(s, in, err)))
		return st;
	fingerprint(in, fp);
	if ((st = deskdb_begin(&s->db, err)))
		return st;
	/* The same e-mail delivered twice, be it the first or a reply. */
	if (in->message_id &&
	    (st = find_one(&s->db, "SELECT ticket FROM messages WHERE message_id = ?1",
			   in->message_id, NULL, 0, id, err)))
		goto fail;
	if (id[0]) {
		*res = INTAKE_REPEAT;
		return finish(s, id, *res, confirm, ctx, err);
	}
	if ((st = answered(s, in, id, err)))
		goto fail;
	if (id[0]) {
		/*
		 * A reply from the customer: their message, and the ball in our
		 * court again, even on a ticket thought resolved.
		 */
		struct ticket before, after;
		if ((st = ticket_load(&s->db, id, &before, err)))
			goto fail;
		ticket_copy(&after, &before);
		if (!strcmp(after.status, "pending"))
			ticket_set(&after.status, "open");
		else if (!ticket_is_open(after.status))
			ticket_reopen_fields(&after);
		st = sla_update(s, &before, &after, now, err);
		if (!st)
			st = ticket_store(&s->db, &before, &after, s->who.email, now, "customer",
					  in->description, err);
		if (!st)
			st = remember(s, in->message_id, id, err);
		ticket_release(&before);
		ticket_release(&after);
		if (st)
			goto fail;
		*res = INTAKE_FOLLOWUP;
		return finish(s, id, *res, confirm, ctx, err);
	}
	/* The same request again within the window. */
	if (in->customer &&
	    (st = find_one(&s->db,
			   "SELECT id FROM tickets WHERE customer = ?1 AND fingerprint = ?2"
			   " AND created >= ?3 AND status NOT IN ('resolved', 'closed')"
			   " ORDER BY created DESC LIMIT 1",
			   in->customer, fp, now - s->wf.classify.repeat_window, id, err)))
		goto fail;
	if (id[0]) {
		if ((st = ticket_event(&s->db, id, s->who.email, now, "repeat",
				       "the same request came again", err)))
			goto fail;
		*res = INTAKE_REPEAT;
		return finish(s, id, *res, confirm, ctx, err);
	}

	struct sbuf text = SBUF_INIT, tags = SBUF_INIT;
	sbuf_addf(&text, "%s\n%s", in->subject ? in->subject : "",
		  in->description ? in->description : "");
	struct guess g;
	classify_guess(&s->wf.classify, text.buf, in->type, in->priority, &g);
	sbuf_release(&text);
	ticket_init(&t);
	t.status = xstrdup("new");
	t.type = g.type ? xstrdup(g.type) : NULL;
	t.priority = xstrdup(g.priority);
	t.channel = in->channel ? xstrdup(in->channel) : NULL;
	t.customer = in->customer ? xstrdup(in->customer) : NULL;
	t.subject = in->subject && *in->subject ? xstrdup(in->subject)
						: derive_subject(in->description);
	t.description = in->description ? xstrdup(in->description) : NULL;
	for (size_t i = 0; i < in->ntags; i++)
		sbuf_addf(&tags, "%s%s", i ? "\n" : "", in->tags[i]);
	t.tags = in->ntags ? sbuf_detach(&tags) : NULL;
	sbuf_release(&tags);
	t.complexity = in->complexity;
	t.angry = g.angry;
	t.suggest = g.suggest ? xstrdup(g.suggest) : NULL;
	t.fingerprint = xstrdup(fp);
	t.message_id = in->message_id ? xstrdup(in->message_id) : NULL;
	t.created = now;
	t.resolve_start = now;
	if ((st = sla_update(s, NULL, &t, now, err)) ||
	    (st = ticket_create(&s->db, &t, workflows_offset(&s->wf, now), s->who.email,
				in->source, err))) {
		ticket_release(&t);
		goto fail;
	}
	snprintf(id, 32, "%s", t.id);
	ticket_release(&t);
	if ((st = remember(s, in->message_id, id, err)))
		goto fail;
	*res = INTAKE_NEW;
	return finish(s, id, *res, confirm, ctx, err);
fail:
	deskdb_rollback(&s->db);
	return st;
}

static enum kf_status get_str(const struct json *obj, const char *key, const char **out,
			      struct kf_err *err)
{
	const struct json *v = json_get(obj, key);
	*out = NULL;
	if (!v || v->kind == J_NULL)
		return KF_OK;
	if (v->kind != J_STRING)
		return kf_fail(err, KF_EINVAL, "'%s' must be a string, not %s", key,
			       json_kind_name(v));
	*out = v->str;
	return KF_OK;
}

enum kf_status intake_from_json(const struct json *obj, struct intake *in, struct kf_err *err)
{
	static const char *const keys[] = { "type",        "priority", "channel",
					    "customer",    "subject",  "description",
					    "tags",        "complexity", NULL };
	enum kf_status st;
	memset(in, 0, sizeof(*in));
	in->source = "from JSON";
	if (!obj || obj->kind != J_OBJECT)
		return kf_fail(err, KF_EINVAL, "expected one JSON object, not %s",
			       json_kind_name(obj));
	for (size_t i = 0; i < obj->n; i++) {
		const char *const *k = keys;
		while (*k && strcmp(*k, obj->keys[i]))
			k++;
		if (!*k)
			return kf_fail(err, KF_EINVAL, "unknown key '%.40s' in the JSON object",
				       obj->keys[i]);
	}
	if ((st = get_str(obj, "type", &in->type, err)) ||
	    (st = get_str(obj, "priority", &in->priority, err)) ||
	    (st = get_str(obj, "channel", &in->channel, err)) ||
	    (st = get_str(obj, "customer", &in->customer, err)) ||
	    (st = get_str(obj, "subject", &in->subject, err)) ||
	    (st = get_str(obj, "description", &in->description, err)))
		return st;
	const struct json *c = json_get(obj, "complexity");
	long long cx = 0;
	if (c && c->kind != J_NULL && !json_int(c, 1, 10, &cx))
		return kf_fail(err, KF_EINVAL, "'complexity' must be a whole number from 1 to 10");
	in->complexity = (long)cx;
	const struct json *tags = json_get(obj, "tags");
	if (tags && tags->kind != J_NULL) {
		if (tags->kind != J_ARRAY)
			return kf_fail(err, KF_EINVAL, "'tags' must be an array of strings");
		in->tags = xcalloc(tags->n + 1, sizeof(*in->tags));
		for (size_t i = 0; i < tags->n; i++) {
			if (tags->items[i]->kind != J_STRING) {
				intake_release_json(in);
				return kf_fail(err, KF_EINVAL, "'tags' must be an array of strings");
			}
			in->tags[in->ntags++] = tags->items[i]->str;
		}
	}
	return KF_OK;
}

void intake_release_json(struct intake *in)
{
	free(in->tags);
	in->tags = NULL;
	in->ntags = 0;
}
