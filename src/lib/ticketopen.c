#include "ticketopen.h"

#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "classify.h"
#include "sbuf.h"
#include "tickethook.h"
#include "ticketchange.h"
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

static void fingerprint(const struct ticket_request *in, char out[17])
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

static enum kf_status check(const struct session *s, const struct ticket_request *in,
			    struct kf_err *err)
{
	const struct classify *c = &s->wf.classify;
	if (in->priority && priority_rank(in->priority) < 0)
		return kf_fail(err, KF_EINVAL,
			       "unknown priority '%.40s' (urgent, high, normal or low)", in->priority);
	if (in->type && !classify_type_known(c, in->type))
		return kf_fail(err, KF_EINVAL,
			       "unknown type '%.40s' (workflows/classify.yaml lists the types)",
			       in->type);
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

/* Keep an e-mail's Message-ID with its ticket. */
static enum kf_status remember(struct session *s, const char *message_id, const char *ticket,
			       struct kf_err *err)
{
	return message_id ? store_message_add(s->store, message_id, ticket, err) : KF_OK;
}

/* Is ticket id the customer's? "" when not (or no such ticket). */
static enum kf_status customers(struct session *s, char id[TICKET_ID_SIZE], const char *customer,
				struct kf_err *err)
{
	struct ticket t;
	enum kf_status st = id[0] ? store_ticket_get(s->store, id, &t, err) : KF_ENOTFOUND;
	if (st == KF_ENOTFOUND) {
		id[0] = '\0';
		return KF_OK;
	}
	if (st)
		return st;
	if (!t.customer || strcmp(t.customer, customer))
		id[0] = '\0';
	ticket_release(&t);
	return KF_OK;
}

/* The ticket an e-mail answers, if any: by In-Reply-To or an id in the subject. */
static enum kf_status answered(struct session *s, const struct ticket_request *in,
			       char id[TICKET_ID_SIZE], struct kf_err *err)
{
	enum kf_status st;
	id[0] = '\0';
	if (!in->customer)
		return KF_OK;
	if (in->in_reply_to &&
	    ((st = store_message_ticket(s->store, in->in_reply_to, id, err)) ||
	     (st = customers(s, id, in->customer, err))))
		return st;
	const char *gd = in->subject ? strstr(in->subject, "GD") : NULL;
	if (!id[0] && gd) {
		size_t n = strspn(gd + 2, "0123456789");
		if (n >= 12 && n < 20) {
			snprintf(id, TICKET_ID_SIZE, "%.*s", (int)n + 2, gd);
			if ((st = customers(s, id, in->customer, err)))
				return st;
		}
	}
	return KF_OK;
}

/* Let the caller say the result, then commit; a failure to say it undoes all. */
static enum kf_status finish(struct session *s, const char *id, enum open_result res,
			     open_confirm_fn confirm, void *ctx, struct kf_err *err)
{
	return ticket_end(s, confirm ? confirm(ctx, id, res, err) : KF_OK, err);
}

static enum kf_status take_id(void *ctx, const struct ticket *t, struct kf_err *err)
{
	(void)err;
	snprintf(ctx, TICKET_ID_SIZE, "%s", t->id);
	return KF_OK;
}

/* The customer's same request, still open and within the window: into id. */
static enum kf_status repeated(struct session *s, const struct ticket_request *in,
			       const char *fp, char id[TICKET_ID_SIZE], struct kf_err *err)
{
	struct ticket_filter f;
	id[0] = '\0';
	if (!in->customer)
		return KF_OK;
	ticket_filter_init(&f);
	f.customer = in->customer;
	f.fingerprint = fp;
	f.since = s->who.when.t - s->wf.classify.repeat_window;
	f.open = 1;
	f.order = TICKET_BY_NEWEST;
	f.limit = 1;
	return store_tickets_each(s->store, &f, take_id, id, err);
}

/* A customer's reply: their message, and the ball in our court again. */
static enum kf_status follow_up(struct session *s, const struct ticket_request *in,
				const char *id, struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st = store_ticket_get(s->store, id, &before, err);
	if (st)
		return st;
	ticket_copy(&after, &before);
	/* Even on a ticket thought resolved. */
	if (!strcmp(after.status, "pending"))
		ticket_set(&after.status, "open");
	else if (!ticket_is_open(after.status))
		ticket_reopen_fields(&after);
	st = ticket_apply(s, &before, &after, "customer", in->description, err);
	if (!st)
		st = remember(s, in->message_id, id, err);
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

/* A new ticket for the request: into id. */
static enum kf_status create(struct session *s, const struct ticket_request *in, const char *fp,
			     char id[TICKET_ID_SIZE], struct kf_err *err)
{
	struct sbuf text = SBUF_INIT, tags = SBUF_INIT;
	struct guess g;
	struct ticket t;
	sbuf_addf(&text, "%s\n%s", in->subject ? in->subject : "",
		  in->description ? in->description : "");
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
	t.created = s->who.when.t;
	t.resolve_start = t.created;
	enum kf_status st = ticket_create(s, &t, in->source, err);
	if (!st) {
		snprintf(id, TICKET_ID_SIZE, "%s", t.id);
		st = remember(s, in->message_id, id, err);
	}
	ticket_release(&t);
	return st;
}

/* The attachments into the ticket's directory, each an event. */
static enum kf_status keep(struct session *s, const struct ticket_request *in,
			   struct attach_stage *stage, const char *id, struct kf_err *err)
{
	enum kf_status st = attach_place(stage, id, err);
	for (size_t i = 0; !st && i < in->natt; i++) {
		char *note = attach_note(stage, in->att, i);
		st = ticket_log(s, id, "attachment", note, err);
		free(note);
	}
	if (!st && in->att_unread) {
		char *note = xasprintf("%zu more attachments, not read: over %d in one message",
				       in->att_unread, MAIL_MAX_ATTACHMENTS);
		st = ticket_log(s, id, "attachment", note, err);
		free(note);
	}
	return st;
}

static enum kf_status open_in(struct session *s, const struct ticket_request *in,
			      struct attach_stage *stage, char id[TICKET_ID_SIZE],
			      enum open_result *res, open_confirm_fn confirm, void *ctx,
			      struct kf_err *err)
{
	enum kf_status st;
	char fp[17];

	fingerprint(in, fp);
	ticket_hooks_drop(s);
	if ((st = store_begin(s->store, err)))
		return st;
	/* The same e-mail delivered twice, be it the first or a reply. */
	id[0] = '\0';
	if (in->message_id && (st = store_message_ticket(s->store, in->message_id, id, err)))
		goto fail;
	if (id[0]) {
		*res = OPEN_REPEAT;
		return finish(s, id, *res, confirm, ctx, err);
	}
	if ((st = answered(s, in, id, err)))
		goto fail;
	if (id[0]) {
		if ((st = follow_up(s, in, id, err)) || (st = keep(s, in, stage, id, err)))
			goto fail;
		*res = OPEN_FOLLOWUP;
		return finish(s, id, *res, confirm, ctx, err);
	}
	if ((st = repeated(s, in, fp, id, err)))
		goto fail;
	if (id[0]) {
		if ((st = ticket_log(s, id, "repeat", "the same request came again", err)))
			goto fail;
		*res = OPEN_REPEAT;
		return finish(s, id, *res, confirm, ctx, err);
	}
	if ((st = create(s, in, fp, id, err)) || (st = keep(s, in, stage, id, err)))
		goto fail;
	*res = OPEN_NEW;
	return finish(s, id, *res, confirm, ctx, err);
fail:
	ticket_rollback(s);
	return st;
}

enum kf_status ticket_open(struct session *s, const struct ticket_request *in,
			   char id[TICKET_ID_SIZE], enum open_result *res, open_confirm_fn confirm,
			   void *ctx, struct kf_err *err)
{
	struct ticket_request req = *in;
	struct sbuf text = SBUF_INIT;
	struct attach_stage stage;
	enum kf_status st;

	/* What cannot be shown is named in the text: a picture alone is not an empty ticket. */
	if (in->description)
		sbuf_adds(&text, in->description);
	attach_describe(in->att, in->natt, in->att_unread, &text);
	req.description = text.len ? text.buf : in->description;
	if ((st = check(s, &req, err))) {
		sbuf_release(&text);
		return st;
	}
	/* Written before the transaction, placed inside it, taken away if it fails. */
	if (!(st = attach_stage(s->desk.kefu_dir, in->att, in->natt, &stage, err))) {
		st = open_in(s, &req, &stage, id, res, confirm, ctx, err);
		if (st)
			attach_undo(&stage);
	}
	attach_release(&stage);
	sbuf_release(&text);
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

enum kf_status ticket_request_from_json(const struct json *obj, struct ticket_request *in,
					struct kf_err *err)
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
	const struct json *cu = json_get(obj, "customer");
	if (cu && cu->kind == J_NUMBER) {
		/* An account number: whole, as written (no sign, fraction or exponent). */
		if (!*cu->str || cu->str[strspn(cu->str, "0123456789")])
			return kf_fail(err, KF_EINVAL,
				       "'customer' must be a string or a whole number, not %.40s",
				       cu->str);
		in->customer = cu->str;
	} else if ((st = get_str(obj, "customer", &in->customer, err))) {
		return st;
	}
	if ((st = get_str(obj, "type", &in->type, err)) ||
	    (st = get_str(obj, "priority", &in->priority, err)) ||
	    (st = get_str(obj, "channel", &in->channel, err)) ||
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
				ticket_request_release(in);
				return kf_fail(err, KF_EINVAL, "'tags' must be an array of strings");
			}
			in->tags[in->ntags++] = tags->items[i]->str;
		}
	}
	return KF_OK;
}

void ticket_request_release(struct ticket_request *in)
{
	free(in->tags);
	in->tags = NULL;
	in->ntags = 0;
}
