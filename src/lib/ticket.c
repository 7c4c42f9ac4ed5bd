#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"
#include "sbuf.h"

const char *const ticket_statuses[] = { "new",      "assigned", "open", "pending",
					"resolved", "closed",   NULL };

int ticket_status_valid(const char *s)
{
	for (const char *const *p = ticket_statuses; *p; p++)
		if (!strcmp(*p, s))
			return 1;
	return 0;
}

int ticket_is_open(const char *status)
{
	return strcmp(status, "resolved") && strcmp(status, "closed");
}

static const char *const priorities[PRIORITY_COUNT] = { "urgent", "high", "normal", "low" };

int priority_rank(const char *p)
{
	for (int i = 0; p && i < PRIORITY_COUNT; i++)
		if (!strcmp(p, priorities[i]))
			return i;
	return -1;
}

const char *priority_name(int rank)
{
	return rank >= 0 && rank < PRIORITY_COUNT ? priorities[rank] : "normal";
}

int ticket_transition_ok(const char *a, const char *b)
{
	/* from: the statuses it may go to */
	static const char *const moves[][2] = {
		{ "new", "assigned open pending resolved closed" },
		{ "assigned", "new assigned open pending resolved closed" },
		{ "open", "new assigned pending resolved closed" },
		{ "pending", "new assigned open resolved closed" },
		{ "resolved", "open closed" },
		{ "closed", "open" },
	};
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i][0], a))
			continue;
		size_t n = strlen(b);
		for (const char *p = moves[i][1]; (p = strstr(p, b)); p += n)
			if ((p == moves[i][1] || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
				return 1;
		return 0;
	}
	return 0;
}

const struct ticket_field ticket_fields[] = {
#define T(n) { #n, TF_TEXT, offsetof(struct ticket, n) }
#define M(n) { #n, TF_TIME, offsetof(struct ticket, n) }
#define I(n) { #n, TF_INT, offsetof(struct ticket, n) }
#define S(n) { #n, TF_SCORE, offsetof(struct ticket, n) }
	T(status),	 T(type),	  T(priority),	  T(channel),	     T(customer),
	T(subject),	 T(description), T(department),   T(assignee),      M(created),
	M(first_response), M(resolved),   M(closed),	  M(response_due),  M(resolve_due),
	T(sla_policy),	 M(resolve_start), S(satisfaction), T(result),	  T(feedback),	     T(tags),
	S(complexity),	 I(angry),	  T(suggest),	  I(urged),	     T(flagged),
	I(escalated),	 T(fingerprint),  T(message_id),  M(updated),	     I(worked),
#undef T
#undef M
#undef I
#undef S
};
const size_t ticket_nfields = sizeof(ticket_fields) / sizeof(ticket_fields[0]);

char **ticket_text(const struct ticket *t, size_t i)
{
	return (char **)((char *)t + ticket_fields[i].offset);
}

int64_t *ticket_num(const struct ticket *t, size_t i)
{
	return (int64_t *)((char *)t + ticket_fields[i].offset);
}

void ticket_set(char **field, const char *value)
{
	char *v = value ? xstrdup(value) : NULL;
	free(*field);
	*field = v;
}

void ticket_reopen_keep_verdict(struct ticket *t)
{
	ticket_set(&t->status, t->assignee ? "open" : "new");
	t->resolved = t->closed = TIME_NONE;
	ticket_set(&t->result, NULL);
	t->escalated &= ~ESCALATED_RESOLVE;
}

void ticket_reopen_fields(struct ticket *t)
{
	ticket_reopen_keep_verdict(t);
	t->satisfaction = 0;
	ticket_set(&t->feedback, NULL);
}

void ticket_escalated_names(int64_t bits, char out[32])
{
	static const struct {
		int bit;
		const char *name;
	} names[] = { { ESCALATED_RESPONSE, "response" },
		      { ESCALATED_RESOLVE, "resolve" },
		      { ESCALATED_CUSTOMER, "customer" } };
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bits & names[i].bit)
			n += (size_t)snprintf(out + n, 32 - n, "%s%s", n ? "," : "", names[i].name);
}

void ticket_release(struct ticket *t)
{
	for (size_t i = 0; i < ticket_nfields; i++)
		if (ticket_fields[i].type == TF_TEXT)
			free(*ticket_text(t, i));
	memset(t, 0, sizeof(*t));
}

void ticket_copy(struct ticket *dst, const struct ticket *src)
{
	*dst = *src;
	for (size_t i = 0; i < ticket_nfields; i++)
		if (ticket_fields[i].type == TF_TEXT && *ticket_text(src, i))
			*ticket_text(dst, i) = xstrdup(*ticket_text(src, i));
}

void ticket_init(struct ticket *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < ticket_nfields; i++)
		if (ticket_fields[i].type == TF_TIME)
			*ticket_num(t, i) = TIME_NONE;
}

void ticket_day(int64_t created, int offset, char day[9])
{
	struct instant in = { created, offset };
	char date[11];
	iso_date(&in, date);
	snprintf(day, 9, "%.4s%.2s%.2s", date, date + 5, date + 8);
}

void ticket_id(const char *day, int64_t seq, char id[TICKET_ID_SIZE])
{
	snprintf(id, TICKET_ID_SIZE, "GD%s%04lld", day, (long long)seq);
}

int ticket_id_parse(const char *id, char day[9], int64_t *seq)
{
	size_t n = strlen(id);
	if (n < 14 || n >= TICKET_ID_SIZE || strncmp(id, "GD", 2) ||
	    strspn(id + 2, "0123456789") != n - 2)
		return 0;
	int y = (id[2] - '0') * 1000 + (id[3] - '0') * 100 + (id[4] - '0') * 10 + (id[5] - '0');
	int m = (id[6] - '0') * 10 + (id[7] - '0'), d = (id[8] - '0') * 10 + (id[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, m) || n - 10 > 18)
		return 0;
	int64_t v = 0;
	for (size_t i = 10; i < n; i++)
		v = v * 10 + (id[i] - '0');
	char again[TICKET_ID_SIZE];
	snprintf(day, 9, "%.8s", id + 2);
	ticket_id(day, v, again);
	if (v < 1 || strcmp(again, id))
		return 0;
	*seq = v;
	return 1;
}

char *ticket_field_text(const struct ticket *t, size_t i)
{
	if (ticket_fields[i].type == TF_TEXT)
		return *ticket_text(t, i) ? xstrdup(*ticket_text(t, i)) : NULL;
	int64_t v = *ticket_num(t, i);
	enum ticket_field_type type = ticket_fields[i].type;
	if ((v == TIME_NONE && type == TF_TIME) || (!v && type == TF_SCORE))
		return NULL;
	return xasprintf("%lld", (long long)v);
}

int ticket_field_differs(const struct ticket *a, const struct ticket *b, size_t i)
{
	if (ticket_fields[i].type != TF_TEXT)
		return *ticket_num(a, i) != *ticket_num(b, i);
	const char *x = *ticket_text(a, i), *y = *ticket_text(b, i);
	return (x == NULL) != (y == NULL) || (x && strcmp(x, y));
}

void ticket_events_free(struct ticket_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].who);
		free(v[i].what);
		free(v[i].field);
		free(v[i].before);
		free(v[i].after);
		free(v[i].note);
	}
	free(v);
}

static void emit_time(struct out *o, const char *key, int64_t t, zone_fn zone,
		      const void *zctx)
{
	if (t == TIME_NONE) {
		out_str(o, key, NULL);
		return;
	}
	struct instant in = { t, zone ? zone(zctx, t) : 0 };
	char buf[32];
	iso_format(&in, 0, buf);
	out_str(o, key, buf);
}

char **ticket_tags(const struct ticket *t, size_t *n)
{
	const char *s = t->tags;
	*n = 0;
	if (!s || !*s)
		return NULL;
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == '\n';
	char **v = xcalloc(cap + 1, sizeof(*v));
	for (const char *p = s; *p;) {
		size_t len = strcspn(p, "\n");
		v[(*n)++] = xstrndup(p, len);
		p += len + (p[len] == '\n');
	}
	return v;
}

void ticket_tags_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ticket_emit(struct out *o, const struct ticket *t, zone_fn zone, const void *zctx)
{
	out_str(o, "id", t->id);
	out_str(o, "status", t->status);
	out_str(o, "type", t->type);
	out_str(o, "priority", t->priority);
	out_str(o, "channel", t->channel);
	out_str(o, "customer", t->customer);
	out_str(o, "subject", t->subject);
	out_str(o, "description", t->description);
	out_str(o, "department", t->department);
	out_str(o, "assignee", t->assignee);
	emit_time(o, "created", t->created, zone, zctx);
	emit_time(o, "first_response", t->first_response, zone, zctx);
	emit_time(o, "resolved", t->resolved, zone, zctx);
	emit_time(o, "closed", t->closed, zone, zctx);
	emit_time(o, "response_due", t->response_due, zone, zctx);
	emit_time(o, "resolve_due", t->resolve_due, zone, zctx);
	out_str(o, "sla_policy", t->sla_policy);
	if (t->satisfaction)
		out_int(o, "satisfaction", t->satisfaction);
	else
		out_str(o, "satisfaction", NULL);
	out_str(o, "result", t->result);
	if (o->fmt != OUT_JSON)
		return;
	out_str(o, "feedback", t->feedback);
	size_t ntags;
	char **tags = ticket_tags(t, &ntags);
	out_list(o, "tags", tags, ntags);
	ticket_tags_free(tags, ntags);
	if (t->complexity)
		out_int(o, "complexity", t->complexity);
	else
		out_str(o, "complexity", NULL);
	out_bool(o, "angry", (int)t->angry);
	out_str(o, "suggest", t->suggest);
	out_int(o, "urged", t->urged);
	out_str(o, "flagged", t->flagged);
	char *esc[3];
	size_t nesc = 0;
	if (t->escalated & ESCALATED_RESPONSE)
		esc[nesc++] = "response";
	if (t->escalated & ESCALATED_RESOLVE)
		esc[nesc++] = "resolve";
	if (t->escalated & ESCALATED_CUSTOMER)
		esc[nesc++] = "customer";
	out_list(o, "escalated", esc, nesc);
	emit_time(o, "updated", t->updated, zone, zctx);
	out_int(o, "worked", t->worked);
}
