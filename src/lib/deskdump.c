#include "deskdump.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "json.h"
#include "mask.h"
#include "output.h"
#include "sbuf.h"
#include "tickethook.h"

/* ---- writing ---- */

struct writer {
	struct session *s;
	struct out o;
	const struct dump_options *opt;
	long n;
};

static void put_time(struct writer *w, const char *key, int64_t t)
{
	if (t == TIME_NONE) {
		out_null(&w->o, key);
		return;
	}
	struct instant in = { t, workflows_offset(&w->s->wf, t) };
	char buf[32];
	iso_format(&in, 0, buf);
	out_str(&w->o, key, buf);
}

/* Text that may hold a customer's contacts. */
static void put_text(struct writer *w, const char *key, const char *v)
{
	if (!v || w->opt->unmask) {
		out_str(&w->o, key, v);
		return;
	}
	char *m = mask_text(v);
	out_str(&w->o, key, m);
	free(m);
}

static void put_score(struct out *o, const char *key, int64_t v)
{
	if (v)
		out_int(o, key, v);
	else
		out_null(o, key);
}

/* The ticket's fields that may hold the customer's words. */
static int contact_field(const char *field)
{
	static const char *const f[] = { "customer", "subject", "description", "result",
					 "feedback", "flagged", NULL };
	for (const char *const *p = f; field && *p; p++)
		if (!strcmp(*p, field))
			return 1;
	return 0;
}

static void put_events(struct writer *w, const struct ticket_record *r)
{
	struct out *o = &w->o;
	out_list_begin(o, "events");
	for (size_t i = 0; i < r->nevents; i++) {
		const struct ticket_event *e = &r->events[i];
		int text = contact_field(e->field);
		out_map_begin(o, NULL);
		put_time(w, "at", e->at);
		out_str(o, "who", e->who);
		out_str(o, "what", e->what);
		out_str(o, "field", e->field);
		if (text) {
			put_text(w, "before", e->before);
			put_text(w, "after", e->after);
		} else {
			out_str(o, "before", e->before);
			out_str(o, "after", e->after);
		}
		put_text(w, "note", e->note);
		out_map_end(o);
	}
	out_list_end(o);
}

static void put_use(struct writer *w, const struct usage_record *u, int with_ticket)
{
	out_str(&w->o, "entry", u->entry);
	if (with_ticket)
		out_str(&w->o, "ticket", u->ticket);
	out_str(&w->o, "who", u->who);
	put_time(w, "at", u->at);
	put_text(w, "note", u->note);
}

static void put_rows(struct writer *w, const struct ticket_record *r)
{
	struct out *o = &w->o;
	put_events(w, r);
	out_list_begin(o, "pauses");
	for (size_t i = 0; i < r->npauses; i++) {
		out_map_begin(o, NULL);
		put_time(w, "start", r->pauses[i].start);
		put_time(w, "end", r->pauses[i].end);
		out_map_end(o);
	}
	out_list_end(o);
	out_list_begin(o, "offers");
	for (size_t i = 0; i < r->noffers; i++) {
		out_map_begin(o, NULL);
		out_str(o, "agent", r->offers[i].agent);
		put_time(w, "at", r->offers[i].at);
		out_map_end(o);
	}
	out_list_end(o);
	out_list(o, "messages", r->messages, r->nmessages);
	out_list_begin(o, "uses");
	for (size_t i = 0; i < r->nusage; i++) {
		out_map_begin(o, NULL);
		put_use(w, &r->usage[i], 0);
		out_map_end(o);
	}
	out_list_end(o);
	out_list_begin(o, "followups");
	for (size_t i = 0; i < r->nfollowups; i++) {
		const struct followup *f = &r->followups[i];
		out_map_begin(o, NULL);
		out_int(o, "id", f->id);
		out_str(o, "name", f->name);
		out_str(o, "event", f->event);
		out_str(o, "purpose", f->purpose);
		put_time(w, "scheduled", f->scheduled);
		put_time(w, "due", f->due);
		put_time(w, "notified", f->notified);
		put_time(w, "done", f->done);
		out_str(o, "outcome", f->outcome);
		out_str(o, "who", f->who);
		put_text(w, "note", f->note);
		put_score(o, "satisfaction", f->satisfaction);
		out_map_end(o);
	}
	out_list_end(o);
}

static enum kf_status written(struct writer *w, struct kf_err *err)
{
	if (out_end(&w->o) < 0)
		return kf_fail(err, KF_EIO, "cannot write the export: %s", strerror(errno));
	return KF_OK;
}

static enum kf_status write_record(void *ctx, const struct ticket_record *r, struct kf_err *err)
{
	struct writer *w = ctx;
	struct ticket t;
	ticket_copy(&t, &r->t);
	if (!w->opt->unmask)
		for (size_t i = 0; i < ticket_nfields; i++)
			if (ticket_fields[i].type == TF_TEXT && contact_field(ticket_fields[i].name)) {
				char **v = ticket_text(&t, i);
				char *m = mask_text(*v);
				free(*v);
				*v = m;
			}
	out_begin(&w->o);
	ticket_emit(&w->o, &t, workflows_offset, &w->s->wf);
	put_time(w, "resolve_start", t.resolve_start);
	out_str(&w->o, "fingerprint", t.fingerprint);
	out_str(&w->o, "message_id", t.message_id);
	ticket_release(&t);
	put_rows(w, r);
	w->n++;
	return written(w, err);
}

static enum kf_status write_desk(void *ctx, const struct desk_record *r, struct kf_err *err)
{
	struct writer *w = ctx;
	struct out *o = &w->o;
	out_begin(o);
	switch (r->kind) {
	case DESK_AGENT:
		out_str(o, "record", "agent");
		out_str(o, "email", r->name);
		out_str(o, "status", r->agent.away ? "away" : "available");
		put_time(w, "since", r->agent.since);
		put_time(w, "last_assigned", r->agent.last_assigned);
		break;
	case DESK_ROUTE:
		out_str(o, "record", "route");
		out_str(o, "department", r->name);
		out_str(o, "agent", r->last_agent);
		break;
	case DESK_USAGE:
		out_str(o, "record", "use");
		put_use(w, &r->usage, 1);
		break;
	case DESK_SEQUENCE:
		out_str(o, "record", "sequence");
		out_str(o, "day", r->name);
		out_int(o, "highest", r->seq);
		break;
	}
	return written(w, err);
}

enum kf_status dump_write(struct session *s, FILE *fp, const struct dump_options *o, long *n,
			  struct kf_err *err)
{
	struct writer w = { .s = s, .opt = o };
	struct ticket_filter f;
	out_init(&w.o, fp, OUT_JSON);
	ticket_filter_init(&f);
	f.since = o->since;
	f.until = o->until;
	enum kf_status st = store_records_each(s->store, &f, write_record, &w, err);
	if (!st && o->since == TIME_NONE && o->until == TIME_NONE)
		st = store_desk_each(s->store, write_desk, &w, err);
	*n = w.n;
	return st;
}

/* ---- reading ---- */

struct reader {
	struct session *s;
	const char *file;
	long line;
	problem_fn fn;
	void *ctx;
	long problems;
	int empty;     /* the desk had none of its own records, nor tickets */
	int followups; /* the desk had follow-ups: new numbers for those put */
	struct imported *done;
	size_t ndone, adone;
};

__attribute__((format(printf, 3, 4))) static void problem(struct reader *r, const char *key,
							 const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;
	sbuf_addf(&sb, "%s:%ld: %s%s", r->file, r->line, key ? key : "", key ? ": " : "");
	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	char one[1024];
	kf_one_line(one, sizeof(one), sb.buf);
	r->fn(r->ctx, one);
	r->problems++;
	sbuf_release(&sb);
}

/* Every key of obj is one of keys (NULL-terminated). */
static int known_keys(struct reader *r, const struct json *obj, const char *const *keys,
		      const char *where)
{
	int ok = 1;
	size_t nkeys = 0;
	while (keys[nkeys])
		nkeys++;
	for (size_t i = 0; i < obj->n; i++) {
		/* A dump writes the keys in this order: the same place first. */
		if (i < nkeys && !strcmp(keys[i], obj->keys[i]))
			continue;
		const char *const *k = keys;
		while (*k && strcmp(*k, obj->keys[i]))
			k++;
		if (!*k) {
			problem(r, obj->keys[i], "unknown key in %s", where);
			ok = 0;
		}
	}
	return ok;
}

/* A string or null under key: *out points into obj. 0 when it is neither. */
static int get_text(struct reader *r, const struct json *obj, const char *key, int required,
		    const char **out)
{
	const struct json *v = json_get(obj, key);
	*out = NULL;
	if (v && v->kind == J_STRING) {
		*out = v->str;
		return 1;
	}
	if ((!v || v->kind == J_NULL) && !required)
		return 1;
	problem(r, key, v && v->kind != J_NULL ? "expected a string, not %s" : "missing",
		json_kind_name(v));
	return 0;
}

static char *dup_text(struct reader *r, const struct json *obj, const char *key, int required,
		      int *ok)
{
	const char *v;
	if (!get_text(r, obj, key, required, &v))
		*ok = 0;
	return v ? xstrdup(v) : NULL;
}

static int64_t get_time(struct reader *r, const struct json *obj, const char *key, int required,
			int *ok)
{
	const char *v;
	int64_t t = TIME_NONE;
	struct kf_err e;
	if (!get_text(r, obj, key, required, &v)) {
		*ok = 0;
	} else if (v && workflows_time(&r->s->wf, v, &t, &e)) {
		problem(r, key, "%s", e.msg);
		*ok = 0;
	}
	return t;
}

/* A whole number, or null (0) when nullable. */
static int64_t get_int(struct reader *r, const struct json *obj, const char *key, int nullable,
		       int *ok)
{
	const struct json *v = json_get(obj, key);
	long long n = 0;
	if (nullable && (!v || v->kind == J_NULL))
		return 0;
	if (!json_int(v, INT64_MIN, INT64_MAX, &n)) {
		problem(r, key, v ? "expected a whole number, not %s" : "missing", json_kind_name(v));
		*ok = 0;
	}
	return n;
}

/* A list of strings under key, or none; n items into *out (allocated). */
static char **get_strings(struct reader *r, const struct json *obj, const char *key, size_t *n,
			  int *ok)
{
	const struct json *v = json_get(obj, key);
	*n = 0;
	if (!v || v->kind == J_NULL)
		return NULL;
	if (v->kind != J_ARRAY) {
		problem(r, key, "expected an array of strings, not %s", json_kind_name(v));
		*ok = 0;
		return NULL;
	}
	char **out = xcalloc(v->n + 1, sizeof(*out));
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != J_STRING) {
			problem(r, key, "expected an array of strings, not one holding %s",
				json_kind_name(v->items[i]));
			*ok = 0;
			break;
		}
		out[(*n)++] = xstrdup(v->items[i]->str);
	}
	return out;
}

/* The array under key (an absent one is empty); NULL when not one. */
static const struct json *get_list(struct reader *r, const struct json *obj, const char *key,
				   int *ok)
{
	static const struct json none = { .kind = J_ARRAY };
	const struct json *v = json_get(obj, key);
	if (!v)
		return &none;
	if (v->kind == J_ARRAY) {
		for (size_t i = 0; i < v->n; i++)
			if (v->items[i]->kind != J_OBJECT) {
				problem(r, key, "expected an array of objects");
				*ok = 0;
				return &none;
			}
		return v;
	}
	problem(r, key, "expected an array, not %s", json_kind_name(v));
	*ok = 0;
	return &none;
}

/* The day a use at t counts for, in the desk's zone (as kb-use counts it). */
static char *use_day(struct reader *r, int64_t t)
{
	char day[11];
	if (t == TIME_NONE)
		return NULL;
	iso_date(&(struct instant){ t, workflows_offset(&r->s->wf, t) }, day);
	return xstrdup(day);
}

static void read_use(struct reader *r, const struct json *u, struct usage_record *out, int *ok)
{
	out->entry = dup_text(r, u, "entry", 1, ok);
	out->who = dup_text(r, u, "who", 1, ok);
	out->at = get_time(r, u, "at", 1, ok);
	out->note = dup_text(r, u, "note", 0, ok);
	out->day = use_day(r, out->at);
}

static const char *const ticket_keys[] = {
	"id",	       "status",     "type",	     "priority",   "channel",	  "customer",
	"subject",     "description", "department",  "assignee",   "created",	  "first_response",
	"resolved",    "closed",     "response_due", "resolve_due", "sla_policy", "satisfaction",
	"result",      "feedback",   "tags",	     "complexity", "angry",	  "suggest",
	"urged",       "flagged",    "escalated",    "updated",	   "worked",	  "resolve_start",
	"fingerprint", "message_id", "events",	     "pauses",	   "offers",	  "messages",
	"uses",	       "followups",  NULL,
};

static void read_ticket_fields(struct reader *r, const struct json *obj, struct ticket *t,
			       int *ok)
{
	for (size_t i = 0; i < ticket_nfields; i++) {
		const char *name = ticket_fields[i].name;
		if (!strcmp(name, "tags")) {
			size_t n;
			char **tags = get_strings(r, obj, "tags", &n, ok);
			struct sbuf sb = SBUF_INIT;
			for (size_t k = 0; k < n; k++)
				sbuf_addf(&sb, "%s%s", k ? "\n" : "", tags[k]);
			t->tags = n ? sbuf_detach(&sb) : NULL;
			sbuf_release(&sb);
			ticket_tags_free(tags, n);
		} else if (!strcmp(name, "escalated")) {
			size_t n;
			char **v = get_strings(r, obj, "escalated", &n, ok);
			for (size_t k = 0; k < n; k++) {
				int bit = !strcmp(v[k], "response") ? ESCALATED_RESPONSE
					  : !strcmp(v[k], "resolve") ? ESCALATED_RESOLVE
					  : !strcmp(v[k], "customer") ? ESCALATED_CUSTOMER
								      : 0;
				if (!bit) {
					problem(r, "escalated", "unknown '%.40s' (response, resolve or "
						"customer)", v[k]);
					*ok = 0;
				}
				t->escalated |= bit;
			}
			ticket_tags_free(v, n);
		} else if (!strcmp(name, "angry")) {
			const struct json *v = json_get(obj, "angry");
			if (!v || v->kind != J_BOOL) {
				problem(r, "angry", "expected true or false, not %s", json_kind_name(v));
				*ok = 0;
			} else {
				t->angry = v->boolean;
			}
		} else if (ticket_fields[i].type == TF_TEXT) {
			*ticket_text(t, i) = dup_text(r, obj, name, 0, ok);
		} else if (ticket_fields[i].type == TF_TIME) {
			int required = !strcmp(name, "created") || !strcmp(name, "updated");
			*ticket_num(t, i) = get_time(r, obj, name, required, ok);
		} else {
			*ticket_num(t, i) = get_int(r, obj, name, ticket_fields[i].type == TF_SCORE, ok);
		}
	}
	if (t->status && !ticket_status_valid(t->status)) {
		problem(r, "status", "unknown '%.40s'", t->status);
		*ok = 0;
	} else if (!t->status) {
		problem(r, "status", "missing");
		*ok = 0;
	}
	if (!t->priority || priority_rank(t->priority) < 0) {
		problem(r, "priority", "'%.40s' is not urgent, high, normal or low",
			t->priority ? t->priority : "null");
		*ok = 0;
	}
}

static void read_rows(struct reader *r, const struct json *obj, struct ticket_record *rec,
		      int *ok)
{
	const struct json *l = get_list(r, obj, "events", ok);
	static const char *const event_keys[] = { "at",	    "who",   "what", "field",
						  "before", "after", "note", NULL };
	rec->events = xcalloc(l->n + 1, sizeof(*rec->events));
	for (size_t i = 0; i < l->n; i++) {
		const struct json *e = l->items[i];
		struct ticket_event *ev = &rec->events[rec->nevents++];
		*ok &= known_keys(r, e, event_keys, "an event");
		snprintf(ev->ticket, sizeof(ev->ticket), "%s", rec->t.id);
		ev->at = get_time(r, e, "at", 1, ok);
		ev->who = dup_text(r, e, "who", 1, ok);
		ev->what = dup_text(r, e, "what", 1, ok);
		ev->field = dup_text(r, e, "field", 0, ok);
		ev->before = dup_text(r, e, "before", 0, ok);
		ev->after = dup_text(r, e, "after", 0, ok);
		ev->note = dup_text(r, e, "note", 0, ok);
	}
	l = get_list(r, obj, "pauses", ok);
	rec->pauses = xcalloc(l->n + 1, sizeof(*rec->pauses));
	static const char *const pause_keys[] = { "start", "end", NULL };
	for (size_t i = 0; i < l->n; i++) {
		*ok &= known_keys(r, l->items[i], pause_keys, "a pause");
		rec->pauses[i].start = get_time(r, l->items[i], "start", 1, ok);
		rec->pauses[i].end = get_time(r, l->items[i], "end", 0, ok);
		rec->npauses++;
	}
	l = get_list(r, obj, "offers", ok);
	rec->offers = xcalloc(l->n + 1, sizeof(*rec->offers));
	static const char *const offer_keys[] = { "agent", "at", NULL };
	for (size_t i = 0; i < l->n; i++) {
		*ok &= known_keys(r, l->items[i], offer_keys, "an offer");
		rec->offers[i].agent = dup_text(r, l->items[i], "agent", 1, ok);
		rec->offers[i].at = get_time(r, l->items[i], "at", 1, ok);
		rec->noffers++;
	}
	rec->messages = get_strings(r, obj, "messages", &rec->nmessages, ok);
	l = get_list(r, obj, "uses", ok);
	rec->usage = xcalloc(l->n + 1, sizeof(*rec->usage));
	static const char *const use_keys[] = { "entry", "who", "at", "note", NULL };
	for (size_t i = 0; i < l->n; i++) {
		*ok &= known_keys(r, l->items[i], use_keys, "a use");
		read_use(r, l->items[i], &rec->usage[rec->nusage++], ok);
	}
	l = get_list(r, obj, "followups", ok);
	rec->followups = xcalloc(l->n + 1, sizeof(*rec->followups));
	static const char *const followup_keys[] = {
		"id",  "name",	  "event", "purpose", "scheduled", "due",	   "notified",
		"done", "outcome", "who",   "note",    "satisfaction", NULL,
	};
	for (size_t i = 0; i < l->n; i++) {
		const struct json *f = l->items[i];
		struct followup *fu = &rec->followups[rec->nfollowups++];
		*ok &= known_keys(r, f, followup_keys, "a follow-up");
		snprintf(fu->ticket, sizeof(fu->ticket), "%s", rec->t.id);
		fu->id = get_int(r, f, "id", 0, ok);
		if (fu->id < 1) {
			problem(r, "followups", "a follow-up's id is a number from 1 on");
			*ok = 0;
		}
		if (r->followups)
			fu->id = 0;
		fu->name = dup_text(r, f, "name", 1, ok);
		fu->event = dup_text(r, f, "event", 0, ok);
		fu->purpose = dup_text(r, f, "purpose", 0, ok);
		fu->scheduled = get_time(r, f, "scheduled", 1, ok);
		fu->due = get_time(r, f, "due", 1, ok);
		fu->notified = get_time(r, f, "notified", 0, ok);
		fu->done = get_time(r, f, "done", 0, ok);
		fu->outcome = dup_text(r, f, "outcome", 0, ok);
		fu->who = dup_text(r, f, "who", 0, ok);
		fu->note = dup_text(r, f, "note", 0, ok);
		fu->satisfaction = get_int(r, f, "satisfaction", 1, ok);
	}
}

static void done_add(struct reader *r, const char *id)
{
	ALLOC_GROW(r->done, r->ndone + 1, r->adone);
	struct imported *d = &r->done[r->ndone++];
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->row = r->line;
	d->sheet_id = NULL;
}

static enum kf_status put_ticket(struct reader *r, const struct json *obj, struct kf_err *err)
{
	struct ticket_record rec;
	int ok = known_keys(r, obj, ticket_keys, "a ticket");
	memset(&rec, 0, sizeof(rec));
	ticket_init(&rec.t);
	const char *id;
	if (!get_text(r, obj, "id", 1, &id)) {
		ok = 0;
	} else if (!ticket_id_parse(id, rec.day, &rec.seq)) {
		problem(r, "id", "'%.40s' is not a ticket id (GD, a date, a sequence)", id);
		ok = 0;
	} else {
		snprintf(rec.t.id, sizeof(rec.t.id), "%s", id);
	}
	read_ticket_fields(r, obj, &rec.t, &ok);
	read_rows(r, obj, &rec, &ok);
	enum kf_status st = KF_OK;
	if (ok) {
		st = store_record_put(r->s->store, &rec, err);
		if (st == KF_EEXIST) {
			problem(r, "id", "%s is in the desk already, or given twice: never overwritten",
				rec.t.id);
			st = KF_OK;
		} else if (!st) {
			done_add(r, rec.t.id);
		}
	}
	ticket_record_release(&rec);
	return st;
}

static enum kf_status put_desk(struct reader *r, const struct json *obj, const char *kind,
			       struct kf_err *err)
{
	struct desk_record d;
	int ok = 1;
	memset(&d, 0, sizeof(d));
	if (!strcmp(kind, "agent")) {
		static const char *const keys[] = { "record", "email", "status", "since",
						    "last_assigned", NULL };
		ok = known_keys(r, obj, keys, "an agent's record");
		d.kind = DESK_AGENT;
		d.name = dup_text(r, obj, "email", 1, &ok);
		const char *status;
		if (get_text(r, obj, "status", 1, &status) && status && strcmp(status, "away") &&
		    strcmp(status, "available")) {
			problem(r, "status", "'%.40s' is not away or available", status);
			ok = 0;
		}
		d.agent.away = status && !strcmp(status, "away");
		d.agent.since = get_time(r, obj, "since", 0, &ok);
		d.agent.last_assigned = get_time(r, obj, "last_assigned", 0, &ok);
	} else if (!strcmp(kind, "route")) {
		static const char *const keys[] = { "record", "department", "agent", NULL };
		ok = known_keys(r, obj, keys, "a department's record");
		d.kind = DESK_ROUTE;
		d.name = dup_text(r, obj, "department", 1, &ok);
		d.last_agent = dup_text(r, obj, "agent", 0, &ok);
	} else if (!strcmp(kind, "use")) {
		static const char *const keys[] = { "record", "entry", "ticket", "who", "at", "note",
						    NULL };
		ok = known_keys(r, obj, keys, "a use");
		d.kind = DESK_USAGE;
		read_use(r, obj, &d.usage, &ok);
		d.usage.ticket = dup_text(r, obj, "ticket", 0, &ok);
	} else if (!strcmp(kind, "sequence")) {
		static const char *const keys[] = { "record", "day", "highest", NULL };
		ok = known_keys(r, obj, keys, "a day's sequence");
		d.kind = DESK_SEQUENCE;
		d.name = dup_text(r, obj, "day", 1, &ok);
		d.seq = get_int(r, obj, "highest", 0, &ok);
		char probe[TICKET_ID_SIZE], day[9];
		int64_t seq;
		if (ok && (d.seq < 1 || strlen(d.name) != 8 ||
			   (ticket_id(d.name, d.seq, probe), !ticket_id_parse(probe, day, &seq)))) {
			problem(r, "day", "not a day YYYYMMDD and its highest number");
			ok = 0;
		}
	} else {
		problem(r, "record", "unknown kind '%.40s' (agent, route, use or sequence)", kind);
		ok = 0;
	}
	/* Kinds that are not a sequence restore only a desk that is empty. */
	if (ok && d.kind != DESK_SEQUENCE && !r->empty) {
		problem(r, "record", "the desk's own records restore only into an empty desk, and "
				     "this one has tickets or records already");
		ok = 0;
	}
	enum kf_status st = KF_OK;
	if (ok)
		st = store_desk_put(r->s->store, &d, err);
	desk_record_release(&d);
	return st;
}

static enum kf_status note_any(void *ctx, const struct desk_record *d, struct kf_err *err)
{
	(void)err;
	if (d->kind != DESK_SEQUENCE)
		*(int *)ctx = 1;
	return KF_OK;
}

static enum kf_status note_followup(void *ctx, const struct followup *f, const struct ticket *t,
				    struct kf_err *err)
{
	(void)f, (void)t, (void)err;
	*(int *)ctx = 1;
	return KF_OK;
}

/* What the desk holds already: whether it is empty, whether it has follow-ups. */
static enum kf_status survey(struct reader *r, struct kf_err *err)
{
	struct ticket_filter f;
	struct followup_filter ff;
	long n = 0;
	int any = 0;
	ticket_filter_init(&f);
	followup_filter_init(&ff);
	enum kf_status st = store_tickets_count(r->s->store, &f, &n, err);
	if (!st)
		st = store_desk_each(r->s->store, note_any, &any, err);
	if (!st)
		st = store_followups_each(r->s->store, &ff, note_followup, &r->followups, err);
	r->empty = !n && !any;
	return st;
}

void imported_free(struct imported *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].sheet_id);
	free(v);
}

enum kf_status dump_restore(struct session *s, FILE *fp, const char *file, problem_fn fn,
			    void *ctx, import_confirm_fn confirm, void *cctx, struct kf_err *err)
{
	struct reader r = { .s = s, .file = file, .fn = fn, .ctx = ctx };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	enum kf_status st;
	ticket_hooks_drop(s);
	if ((st = store_begin(s->store, err)))
		return st;
	st = survey(&r, err);
	while (!st && (len = getline(&line, &cap, fp)) >= 0) {
		r.line++;
		struct json *obj;
		struct kf_err e;
		if (len && line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len)
			continue;
		if (json_parse(line, (size_t)len, &obj, &e)) {
			problem(&r, NULL, "%s", e.msg);
			continue;
		}
		const struct json *kind = json_get(obj, "record");
		if (obj->kind != J_OBJECT)
			problem(&r, NULL, "expected a JSON object, not %s", json_kind_name(obj));
		else if (kind && kind->kind != J_STRING)
			problem(&r, "record", "expected a string, not %s", json_kind_name(kind));
		else if (kind)
			st = put_desk(&r, obj, kind->str, err);
		else
			st = put_ticket(&r, obj, err);
		json_free(obj);
	}
	if (!st && ferror(fp))
		st = kf_fail(err, KF_EIO, "cannot read '%s': %s", file, strerror(errno));
	free(line);
	if (!st && r.problems)
		st = kf_fail(err, KF_EINVAL, "nothing imported: %ld problem%s in '%s'", r.problems,
			     r.problems == 1 ? "" : "s", file);
	if (!st && confirm)
		st = confirm(cctx, r.done, r.ndone, err);
	st = store_end(s->store, st, err);
	imported_free(r.done, r.ndone);
	return st;
}
