/*
 * Unit tests of the store (store.h) as store-sqlite.c implements it:
 * what goes in comes out, the filters and orders of ticket lists, the
 * day's sequence, transactions, the refusal of files that are not a
 * desk, and read errors: a table that fails when read (a view whose
 * rows overflow abs()) makes every call that reads it fail, never
 * answer short.
 *
 * With $KEFU_TEST_PG_URI, an empty PostgreSQL database, the same
 * contract is checked again on store-pg.c: the same answers, in the
 * same order, whatever the database's own collation; with
 * $KEFU_TEST_PG_URI2, another, its dump restored there and into a file.
 */
#include "tap.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "isotime.h"
#include "sbuf.h"
#include "store.h"

#define DAY0 1772416800 /* 2026-03-02T10:00:00+08:00 */

static char dir[] = "/tmp/kefu-store.XXXXXX";

static int ok_st(enum kf_status st, const struct kf_err *err, const char *what)
{
	int ok = tap_ok(st == KF_OK, "%s", what);
	if (!ok)
		printf("#   %s\n", err->msg);
	return ok;
}

/* A ticket of day 20260302, seq n, with these fields. */
static void make(struct ticket *t, int n, const char *status, const char *priority,
		 const char *customer, int64_t created)
{
	ticket_init(t);
	ticket_id("20260302", n, t->id);
	t->status = xstrdup(status);
	t->priority = xstrdup(priority);
	t->customer = customer ? xstrdup(customer) : NULL;
	t->subject = xasprintf("subject %d", n);
	t->created = t->updated = created;
}

static enum kf_status put(struct store *st, int n, const char *status, const char *priority,
			  const char *customer, int64_t created, struct kf_err *err)
{
	struct ticket t;
	make(&t, n, status, priority, customer, created);
	enum kf_status r = store_ticket_insert(st, &t, "20260302", n, err);
	ticket_release(&t);
	return r;
}

static enum kf_status collect(void *ctx, const struct ticket *t, struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	sbuf_addf(sb, "%s%s", sb->len ? " " : "", t->id + 10); /* the sequence: "0001" */
	return KF_OK;
}

/* The sequence numbers f lets through, in its order: "0001 0003". */
static char *list(struct store *st, const struct ticket_filter *f)
{
	struct sbuf sb = SBUF_INIT;
	struct kf_err err;
	if (store_tickets_each(st, f, collect, &sb, &err)) {
		sbuf_reset(&sb);
		sbuf_addf(&sb, "error: %s", err.msg);
	}
	return sbuf_detach(&sb);
}

static void check_list(struct store *st, const struct ticket_filter *f, const char *want,
		       const char *what)
{
	char *got = list(st, f);
	tap_is(got, want, what);
	free(got);
}

static void tickets_and_lists(struct store *st)
{
	struct kf_err err;
	struct ticket_filter f;
	enum kf_status r = store_begin(st, &err);
	/* 1 normal open, 2 urgent new, 3 low closed, 4 high pending, 5 urgent resolved, 6 normal */
	if (!r)
		r = put(st, 1, "open", "normal", "c1", DAY0, &err);
	if (!r)
		r = put(st, 2, "new", "urgent", "c2", DAY0 + 10, &err);
	if (!r)
		r = put(st, 3, "closed", "low", "c1", DAY0 + 20, &err);
	if (!r)
		r = put(st, 4, "pending", "high", "c1", DAY0 + 30, &err);
	if (!r)
		r = put(st, 5, "resolved", "urgent", "c3", DAY0 + 40, &err);
	if (!r)
		r = put(st, 6, "assigned", "normal", "c2", DAY0 + 50, &err);
	if (!r)
		r = store_commit(st, &err);
	ok_st(r, &err, "six tickets inserted in one transaction");

	struct ticket t;
	r = store_ticket_get(st, "GD202603020004", &t, &err);
	if (ok_st(r, &err, "a ticket read back")) {
		tap_is(t.status, "pending", "its status");
		tap_is(t.customer, "c1", "its customer");
		tap_ok(t.first_response == TIME_NONE, "an absent time stays TIME_NONE");
		tap_ok(t.satisfaction == 0 && t.type == NULL, "absent score and text stay absent");
		/* a change, written whole */
		ticket_set(&t.assignee, "A1@example.com");
		t.satisfaction = 4;
		t.first_response = DAY0 + 60;
		t.urged = 2;
		r = store_ticket_update(st, &t, &err);
		ok_st(r, &err, "a ticket updated");
		ticket_release(&t);
		r = store_ticket_get(st, "GD202603020004", &t, &err);
		tap_ok(!r && t.satisfaction == 4 && t.first_response == DAY0 + 60 && t.urged == 2 &&
			       !strcmp(t.assignee, "A1@example.com"),
		       "the change read back");
		ticket_release(&t);
	}
	r = store_ticket_get(st, "GD202603020099", &t, &err);
	tap_ok(r == KF_ENOTFOUND, "an unknown ticket: KF_ENOTFOUND");
	tap_is(err.msg, "no ticket 'GD202603020099'", "and its message");
	make(&t, 99, "new", "low", NULL, DAY0);
	r = store_ticket_update(st, &t, &err);
	ticket_release(&t);
	tap_ok(r == KF_ENOTFOUND, "updating an unknown ticket: KF_ENOTFOUND");

	ticket_filter_init(&f);
	check_list(st, &f, "0002 0005 0004 0001 0006 0003", "all, most pressing first");
	f.open = 1;
	check_list(st, &f, "0002 0004 0001 0006", "open: neither resolved nor closed");
	long n = -1;
	r = store_tickets_count(st, &f, &n, &err);
	tap_ok(!r && n == 4, "and counted: %ld", n);
	f.limit = 2;
	check_list(st, &f, "0002 0004", "at most two");
	ticket_filter_init(&f);
	f.order = TICKET_BY_ID;
	f.customer = "c1";
	check_list(st, &f, "0001 0003 0004", "a customer's, by id");
	f.order = TICKET_BY_NEWEST;
	check_list(st, &f, "0004 0003 0001", "a customer's, newest first");
	f.except = "GD202603020004";
	f.limit = 1;
	check_list(st, &f, "0003", "the newest but one");
	ticket_filter_init(&f);
	f.order = TICKET_BY_AGE;
	f.assignee = "a1@EXAMPLE.com";
	check_list(st, &f, "0004", "an assignee, whatever the case");
	f.assignee = "Ä1@example.com";
	check_list(st, &f, "", "whatever the case of ASCII letters only");
	f.assignee = NULL;
	f.assigned = ASSIGNED_NOBODY;
	f.since = DAY0 + 10;
	f.until = DAY0 + 50;
	check_list(st, &f, "0002 0003 0005", "nobody's, created in [since, until)");
	f.assigned = ASSIGNED_SOMEBODY;
	check_list(st, &f, "0004", "somebody's");
	static const char *const two[] = { "new", "closed" };
	ticket_filter_init(&f);
	f.statuses = two;
	f.nstatuses = 2;
	f.order = TICKET_BY_ID;
	check_list(st, &f, "0002 0003", "of some statuses");

	/* urged: first within a priority */
	r = store_ticket_get(st, "GD202603020006", &t, &err);
	if (!r) {
		t.urged = 1;
		r = store_ticket_update(st, &t, &err);
		ticket_release(&t);
	}
	ticket_filter_init(&f);
	f.open = 1;
	check_list(st, &f, "0002 0004 0006 0001", "the chased first within a priority");
}

static enum kf_status add_span(void *ctx, const char *id, const struct span *p,
			       struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	sbuf_addf(sb, "%s%s %lld-", sb->len ? " " : "", id, (long long)(p->start - DAY0));
	if (p->end == TIME_NONE)
		sbuf_addch(sb, '-');
	else
		sbuf_addf(sb, "%lld", (long long)(p->end - DAY0));
	return KF_OK;
}

static void history_and_the_rest(struct store *st)
{
	struct kf_err err;
	enum kf_status r;
	struct ticket_event e = { .at = DAY0, .who = "w@example.com", .what = "open" };
	snprintf(e.ticket, sizeof(e.ticket), "GD202603020001");
	r = store_event_add(st, &e, &err);
	e.what = "status";
	e.field = "status";
	e.before = "new";
	e.after = "open";
	e.note = "说明";
	e.at = DAY0 + 5;
	if (!r)
		r = store_event_add(st, &e, &err);
	ok_st(r, &err, "events added");
	struct ticket_event *v;
	size_t n;
	r = store_events_get(st, "GD202603020001", &v, &n, &err);
	if (ok_st(r, &err, "events read") && tap_ok(n == 2, "two of them")) {
		tap_ok(!strcmp(v[0].what, "open") && !v[0].field && !v[0].note, "the first");
		tap_ok(!strcmp(v[1].field, "status") && !strcmp(v[1].before, "new") &&
			       !strcmp(v[1].after, "open") && !strcmp(v[1].note, "说明") &&
			       v[1].at == DAY0 + 5,
		       "the second, with its change");
	}
	ticket_events_free(v, n);

	struct span *p;
	r = store_pause_start(st, "GD202603020004", DAY0 + 100, &err);
	if (!r)
		r = store_pause_end(st, "GD202603020004", DAY0 + 200, &err);
	if (!r)
		r = store_pause_start(st, "GD202603020004", DAY0 + 300, &err);
	ok_st(r, &err, "pauses begun and ended");
	r = store_pauses_get(st, "GD202603020004", &p, &n, &err);
	tap_ok(!r && n == 2 && p[0].start == DAY0 + 100 && p[0].end == DAY0 + 200 &&
		       p[1].start == DAY0 + 300 && p[1].end == TIME_NONE,
	       "pauses read, the running one without an end");
	free(p);
	struct sbuf all = SBUF_INIT;
	struct ticket_filter f;
	ticket_filter_init(&f);
	f.open = 1;
	r = store_pauses_each(st, &f, add_span, &all, &err);
	tap_ok(!r && !strcmp(all.buf, "GD202603020004 100-200 GD202603020004 300--"),
	       "the pauses of open tickets in one read: %s", all.buf);
	sbuf_release(&all);

	char *who[] = { "b@example.com", "a@example.com", "李娜@example.com", "张伟@example.com",
			"Z@example.com" };
	char **offers;
	r = store_offers_set(st, "GD202603020002", who, 5, DAY0, &err);
	ok_st(r, &err, "offers made");
	r = store_offers_get(st, "GD202603020002", &offers, &n, &err);
	/* By bytes: capitals first, 张 (U+5F20) before 李 (U+674E), as no dictionary has them. */
	tap_ok(!r && n == 5 && !strcmp(offers[0], "Z@example.com") &&
		       !strcmp(offers[1], "a@example.com") && !strcmp(offers[2], "b@example.com") &&
		       !strcmp(offers[3], "张伟@example.com") && !strcmp(offers[4], "李娜@example.com"),
	       "offers read, sorted by bytes");
	store_names_free(offers, n);
	r = store_offers_set(st, "GD202603020002", NULL, 0, DAY0, &err);
	if (!r)
		r = store_offers_get(st, "GD202603020002", &offers, &n, &err);
	tap_ok(!r && n == 0, "offers withdrawn");
	store_names_free(offers, n);

	struct agent_record a;
	r = store_agent_get(st, "new@example.com", &a, &err);
	tap_ok(!r && !a.away && a.since == TIME_NONE && a.last_assigned == TIME_NONE,
	       "an agent never seen is available, never assigned");
	r = store_agent_set_away(st, "new@example.com", 1, DAY0, &err);
	if (!r)
		r = store_agent_assigned(st, "new@example.com", DAY0 + 7, &err);
	if (!r)
		r = store_agent_get(st, "new@example.com", &a, &err);
	tap_ok(!r && a.away && a.since == DAY0 && a.last_assigned == DAY0 + 7,
	       "away, and assigned once");

	char *last;
	r = store_route_last_get(st, "甲部", &last, &err);
	tap_ok(!r && !last, "no round-robin place yet");
	r = store_route_last_set(st, "甲部", "a@example.com", &err);
	if (!r)
		r = store_route_last_set(st, "甲部", "b@example.com", &err);
	if (!r)
		r = store_route_last_get(st, "甲部", &last, &err);
	tap_ok(!r && last && !strcmp(last, "b@example.com"), "the round-robin place kept");
	free(last);

	char id[TICKET_ID_SIZE];
	r = store_message_ticket(st, "<m1@x>", id, &err);
	tap_ok(!r && !id[0], "an e-mail never seen");
	r = store_message_add(st, "<m1@x>", "GD202603020001", &err);
	if (!r)
		r = store_message_add(st, "<m1@x>", "GD202603020002", &err);
	if (!r)
		r = store_message_ticket(st, "<m1@x>", id, &err);
	tap_ok(!r && !strcmp(id, "GD202603020001"), "an e-mail stays with its first ticket");

	const char *entries[] = { "refund", "never-used" };
	long uses[2] = { -1, -1 };
	r = store_usage_add(st, "refund", "GD202603020001", "w@example.com", DAY0, "20260302",
			    "补充", &err);
	if (!r)
		r = store_usage_add(st, "refund", NULL, "w@example.com", DAY0, "20260302", NULL,
				    &err);
	if (!r)
		r = store_usage_counts(st, entries, 2, uses, &err);
	tap_ok(!r && uses[0] == 2 && uses[1] == 0, "uses counted");

	/* On tickets of one type (ticket-show's similar tickets), one left out. */
	long on[2] = { -1, -1 };
	const char *ids[] = { "GD202603020001", "GD202603020002" };
	for (size_t i = 0; i < 2 && !r; i++) {
		struct ticket t;
		ticket_init(&t);
		if (!(r = store_ticket_get(st, ids[i], &t, &err))) {
			free(t.type);
			t.type = xstrdup("售后服务");
			r = store_ticket_update(st, &t, &err);
		}
		ticket_release(&t);
	}
	if (!r)
		r = store_usage_add(st, "refund", "GD202603020002", "w@example.com", DAY0 + 1,
				    "20260302", NULL, &err);
	if (!r)
		r = store_usage_counts_on_type(st, "售后服务", NULL, entries, 2, on, &err);
	tap_ok(!r && on[0] == 2 && on[1] == 0, "uses on tickets of a type");
	if (!r)
		r = store_usage_counts_on_type(st, "售后服务", "GD202603020002", entries, 2, on,
					       &err);
	tap_ok(!r && on[0] == 1 && on[1] == 0, "uses on tickets of a type, but one");
	if (!r)
		r = store_usage_counts_on_type(st, "售后", NULL, entries, 2, on, &err);
	tap_ok(!r && on[0] == 0, "the type compared exactly");
}

/*
 * Every op of struct store_ops is implemented: one an implementation
 * leaves out is a null pointer, a crash when a command first calls it.
 */
typedef void (*any_fn)(void);
_Static_assert(sizeof(struct store_ops) % sizeof(any_fn) == 0, "store_ops holds pointers only");
static void every_op(const struct store *st, const char *which)
{
	any_fn v[sizeof(struct store_ops) / sizeof(any_fn)];
	size_t missing = 0;
	memcpy(v, st->ops, sizeof(v));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		missing += !v[i];
	tap_ok(missing == 0, "%s implements every op of struct store_ops (%zu missing)", which,
	       missing);
}

static enum kf_status add_history(void *ctx, const struct ticket_history *h,
				  struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	sbuf_addf(sb, "%s%s:%zu:%zu", sb->len ? " " : "", h->t->id + 10, h->nevents, h->npauses);
	for (size_t i = 0; i < h->nevents; i++)
		sbuf_addf(sb, ":%s", h->events[i].what);
	return KF_OK;
}

static int by_word(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What store_histories_each() gives for f, "id:events:pauses:what...", sorted. */
static char *histories(struct store *st, const struct ticket_filter *f)
{
	struct sbuf sb = SBUF_INIT, out = SBUF_INIT;
	struct kf_err err;
	if (store_histories_each(st, f, add_history, &sb, &err)) {
		sbuf_addf(&out, "error: %s", err.msg);
		sbuf_release(&sb);
		return sbuf_detach(&out);
	}
	char *w[64];
	size_t n = 0;
	for (char *p = strtok(sb.buf ? sb.buf : (char[]){ 0 }, " "); p && n < 64; p = strtok(NULL, " "))
		w[n++] = p;
	qsort(w, n, sizeof(*w), by_word);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&out, "%s%s", i ? " " : "", w[i]);
	sbuf_release(&sb);
	return sbuf_detach(&out);
}

static enum kf_status add_use(void *ctx, const struct kb_use *u, struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	sbuf_addf(sb, "%s%s/%s/%s/%lld/%s", sb->len ? " " : "", u->entry,
		  u->ticket ? u->ticket + 10 : "-", u->who, (long long)(u->at - DAY0),
		  u->note ? u->note : "-");
	return KF_OK;
}

static void reports(struct store *st)
{
	struct kf_err err;
	struct ticket_filter f;
	/*
	 * 1 open, 2 new, 4 pending and 6 assigned are open; 3 closed and 5
	 * resolved are not. Created before DAY0 + 45 and open, or changed
	 * since DAY0 + 35 (5, at DAY0 + 40): 1, 2, 4 and 5, 1 with its two
	 * events and 4 with its two pauses.
	 */
	ticket_filter_init(&f);
	f.touched_since = DAY0 + 35;
	f.until = DAY0 + 45;
	char *got = histories(st, &f);
	tap_is(got, "0001:2:0:open:status 0002:0:0 0004:0:2 0005:0:0",
	       "histories: the open tickets and those changed since, with events and pauses");
	free(got);
	ticket_filter_init(&f);
	f.open = 1;
	got = histories(st, &f);
	tap_is(got, "0001:2:0:open:status 0002:0:0 0004:0:2 0006:0:0", "histories of a plain filter");
	free(got);
	ticket_filter_init(&f);
	f.touched_since = DAY0 + 1000;
	f.until = DAY0;
	got = histories(st, &f);
	tap_is(got, "", "histories: none created before the bound");
	free(got);

	struct sbuf sb = SBUF_INIT;
	enum kf_status r = store_usage_each(st, DAY0, DAY0 + 1, add_use, &sb, &err);
	tap_ok(!r && sb.buf && !strcmp(sb.buf, "refund/0001/w@example.com/0/补充 refund/-/w@example.com/0/-"),
	       "uses in a range, in the order recorded: %s", sb.buf ? sb.buf : "");
	sbuf_reset(&sb);
	r = store_usage_each(st, DAY0 + 1, TIME_NONE, add_use, &sb, &err);
	tap_ok(!r && sb.buf && !strcmp(sb.buf, "refund/0002/w@example.com/1/-"),
	       "and after them, to no bound: %s", r ? err.msg : sb.buf);
	sbuf_release(&sb);
}

static enum kf_status add_call(void *ctx, const struct followup *f, const struct ticket *t,
			       struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	sbuf_addf(sb, "%s%s:%s@%lld/%s", sb->len ? " " : "", f->ticket + 10, f->name,
		  (long long)(f->due - DAY0), t->status);
	return KF_OK;
}

static char *calls(struct store *st, const struct followup_filter *f)
{
	struct sbuf sb = SBUF_INIT;
	struct kf_err err;
	if (store_followups_each(st, f, add_call, &sb, &err)) {
		sbuf_reset(&sb);
		sbuf_addf(&sb, "error: %s", err.msg);
	}
	return sbuf_detach(&sb);
}

static void followups(struct store *st)
{
	struct kf_err err;
	struct followup f = { .name = "callback", .event = "resolved", .purpose = "回访",
			      .scheduled = DAY0, .due = DAY0 + 300, .notified = TIME_NONE,
			      .done = TIME_NONE };
	int64_t a = 0, b = 0, c = 0;
	snprintf(f.ticket, sizeof(f.ticket), "GD202603020005");
	enum kf_status r = store_followup_add(st, &f, &a, &err);
	f.due = DAY0 + 100;
	f.name = "visit";
	if (!r)
		r = store_followup_add(st, &f, &b, &err);
	snprintf(f.ticket, sizeof(f.ticket), "GD202603020003");
	f.due = DAY0 + 200;
	if (!r)
		r = store_followup_add(st, &f, &c, &err);
	/* One whose ticket is gone is not listed. */
	snprintf(f.ticket, sizeof(f.ticket), "GD209903020001");
	int64_t lost;
	if (!r)
		r = store_followup_add(st, &f, &lost, &err);
	ok_st(r, &err, "follow-ups added");
	tap_ok(a > 0 && b > a && c > b, "each numbered: %lld %lld %lld", (long long)a,
	       (long long)b, (long long)c);

	struct followup_filter ff;
	followup_filter_init(&ff);
	char *got = calls(st, &ff);
	tap_is(got, "0005:visit@100/resolved 0003:visit@200/closed 0005:callback@300/resolved",
	       "by due time, each with its ticket as it is");
	free(got);
	ff.ticket = "GD202603020005";
	ff.name = "callback";
	got = calls(st, &ff);
	tap_is(got, "0005:callback@300/resolved", "of one ticket, of one rule");
	free(got);

	/* Written whole over its number: done, told. */
	struct followup g = f;
	g.id = b;
	snprintf(g.ticket, sizeof(g.ticket), "GD202603020005");
	g.due = DAY0 + 100;
	g.done = DAY0 + 150;
	g.outcome = "done";
	g.who = "w@example.com";
	g.note = "满意";
	g.satisfaction = 5;
	r = store_followup_update(st, &g, &err);
	g.id = c;
	snprintf(g.ticket, sizeof(g.ticket), "GD202603020003");
	g.due = DAY0 + 200;
	g.done = TIME_NONE;
	g.outcome = g.who = g.note = NULL;
	g.satisfaction = 0;
	g.notified = DAY0 + 190;
	if (!r)
		r = store_followup_update(st, &g, &err);
	ok_st(r, &err, "follow-ups updated");
	followup_filter_init(&ff);
	ff.pending = 1;
	got = calls(st, &ff);
	tap_is(got, "0003:visit@200/closed 0005:callback@300/resolved", "the pending ones");
	free(got);
	ff.unnotified = 1;
	got = calls(st, &ff);
	tap_is(got, "0005:callback@300/resolved", "those not told yet");
	free(got);
	followup_filter_init(&ff);
	ff.pending = 1;
	ff.due_before = DAY0 + 300;
	got = calls(st, &ff);
	tap_is(got, "0003:visit@200/closed", "due before an instant (not at it)");
	free(got);
	followup_filter_init(&ff);
	ff.id = b;
	got = calls(st, &ff);
	tap_is(got, "0005:visit@100/resolved", "one by its number");
	free(got);
	g.id = 9999;
	r = store_followup_update(st, &g, &err);
	tap_ok(r == KF_ENOTFOUND, "updating an unknown follow-up: KF_ENOTFOUND");
}

static enum kf_status keep_call(void *ctx, const struct followup *f, const struct ticket *t,
				struct kf_err *err)
{
	struct followup *out = ctx;
	(void)t, (void)err;
	if (f->done != TIME_NONE) {
		*out = *f;
		out->outcome = xstrdup(f->outcome);
		out->who = xstrdup(f->who);
		out->note = xstrdup(f->note);
		out->name = xstrdup(f->name);
		out->event = xstrdup(f->event);
		out->purpose = xstrdup(f->purpose);
	}
	return KF_OK;
}

static void followup_fields(struct store *st)
{
	struct followup_filter ff;
	struct followup got = { .id = 0 };
	struct kf_err err;
	followup_filter_init(&ff);
	ff.ticket = "GD202603020005";
	enum kf_status r = store_followups_each(st, &ff, keep_call, &got, &err);
	tap_ok(!r && got.id && got.done == DAY0 + 150 && !strcmp(got.outcome, "done") &&
		       !strcmp(got.who, "w@example.com") && !strcmp(got.note, "满意") &&
		       got.satisfaction == 5 && !strcmp(got.event, "resolved") &&
		       !strcmp(got.purpose, "回访") && got.scheduled == DAY0 &&
		       got.notified == TIME_NONE,
	       "every field of a follow-up read back");
	followup_release(&got);
}


/* ---- a dump and its restore ---- */

static char *path(const char *name);

static void text_of(struct sbuf *sb, const char *k, const char *v)
{
	sbuf_addf(sb, " %s=%s", k, v ? v : "~");
}

static enum kf_status dump_record(void *ctx, const struct ticket_record *r, struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	sbuf_addf(sb, "ticket %s %s/%lld", r->t.id, r->day, (long long)r->seq);
	for (size_t i = 0; i < ticket_nfields; i++) {
		char *v = ticket_field_text(&r->t, i);
		text_of(sb, ticket_fields[i].name, v);
		free(v);
	}
	sbuf_addch(sb, '\n');
	for (size_t i = 0; i < r->nevents; i++) {
		const struct ticket_event *e = &r->events[i];
		sbuf_addf(sb, " event %lld", (long long)e->at);
		text_of(sb, "who", e->who);
		text_of(sb, "what", e->what);
		text_of(sb, "field", e->field);
		text_of(sb, "before", e->before);
		text_of(sb, "after", e->after);
		text_of(sb, "note", e->note);
		sbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < r->npauses; i++)
		sbuf_addf(sb, " pause %lld %lld\n", (long long)r->pauses[i].start,
			  (long long)r->pauses[i].end);
	for (size_t i = 0; i < r->noffers; i++)
		sbuf_addf(sb, " offer %s %lld\n", r->offers[i].agent, (long long)r->offers[i].at);
	for (size_t i = 0; i < r->nmessages; i++)
		sbuf_addf(sb, " message %s\n", r->messages[i]);
	for (size_t i = 0; i < r->nusage; i++) {
		sbuf_addf(sb, " use %s %s %s %lld", r->usage[i].entry, r->usage[i].ticket,
			  r->usage[i].who, (long long)r->usage[i].at);
		text_of(sb, "note", r->usage[i].note);
		sbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < r->nfollowups; i++) {
		const struct followup *f = &r->followups[i];
		sbuf_addf(sb, " followup %lld %s %s %lld %lld %lld %lld %lld", (long long)f->id,
			  f->ticket, f->name, (long long)f->scheduled, (long long)f->due,
			  (long long)f->notified, (long long)f->done, (long long)f->satisfaction);
		text_of(sb, "event", f->event);
		text_of(sb, "purpose", f->purpose);
		text_of(sb, "outcome", f->outcome);
		text_of(sb, "who", f->who);
		text_of(sb, "note", f->note);
		sbuf_addch(sb, '\n');
	}
	return KF_OK;
}

static enum kf_status dump_desk(void *ctx, const struct desk_record *r, struct kf_err *err)
{
	struct sbuf *sb = ctx;
	(void)err;
	switch (r->kind) {
	case DESK_AGENT:
		sbuf_addf(sb, "agent %s %d %lld %lld\n", r->name, r->agent.away,
			  (long long)r->agent.since, (long long)r->agent.last_assigned);
		break;
	case DESK_ROUTE:
		sbuf_addf(sb, "route %s %s\n", r->name, r->last_agent ? r->last_agent : "~");
		break;
	case DESK_USAGE:
		sbuf_addf(sb, "use %s %s %s %lld", r->usage.entry,
			  r->usage.ticket ? r->usage.ticket : "~", r->usage.who,
			  (long long)r->usage.at);
		text_of(sb, "note", r->usage.note);
		sbuf_addch(sb, '\n');
		break;
	case DESK_SEQUENCE:
		sbuf_addf(sb, "sequence %s %lld\n", r->name, (long long)r->seq);
		break;
	}
	return KF_OK;
}

/* All of a store as text, or "error: ...". */
static char *dump(struct store *st, const struct ticket_filter *f)
{
	struct sbuf sb = SBUF_INIT;
	struct kf_err err;
	struct ticket_filter all;
	ticket_filter_init(&all);
	if (store_records_each(st, f ? f : &all, dump_record, &sb, &err) ||
	    (!f && store_desk_each(st, dump_desk, &sb, &err))) {
		sbuf_reset(&sb);
		sbuf_addf(&sb, "error: %s", err.msg);
	}
	return sbuf_detach(&sb);
}

struct copy {
	struct store *to;
	int renumber; /* follow-ups given new numbers */
};

static enum kf_status copy_record(void *ctx, const struct ticket_record *r, struct kf_err *err)
{
	struct copy *c = ctx;
	struct ticket_record w = *r;
	struct followup *fu = NULL;
	if (c->renumber && r->nfollowups) {
		fu = xcalloc(r->nfollowups, sizeof(*fu));
		memcpy(fu, r->followups, r->nfollowups * sizeof(*fu));
		for (size_t i = 0; i < r->nfollowups; i++)
			fu[i].id = 0;
		w.followups = fu;
	}
	enum kf_status st = store_record_put(c->to, &w, err);
	free(fu);
	return st;
}

static enum kf_status copy_desk(void *ctx, const struct desk_record *r, struct kf_err *err)
{
	return store_desk_put(((struct copy *)ctx)->to, r, err);
}

/* Everything from one store into another, in one transaction. */
static enum kf_status copy_all(struct store *from, struct store *to, struct kf_err *err)
{
	struct ticket_filter all;
	struct copy c = { to, 0 };
	ticket_filter_init(&all);
	enum kf_status r = store_begin(to, err);
	if (r)
		return r;
	r = store_records_each(from, &all, copy_record, &c, err);
	if (!r)
		r = store_desk_each(from, copy_desk, &c, err);
	return store_end(to, r, err);
}

/*
 * Restore st's dump into an empty store, a file, or with to_uri the
 * empty PostgreSQL database there (and then a file too: from one
 * implementation to the other).
 */
static enum kf_status open_to(const char *to_uri, const char *file, struct store **to,
			      struct kf_err *err)
{
	if (to_uri)
		return store_pg_open(to_uri, STORE_WRITE, to, err);
	char *p = path(file);
	enum kf_status r = store_open(p, STORE_WRITE, to, err);
	free(p);
	return r;
}

static void dump_and_restore(struct store *st, const char *to_uri)
{
	struct kf_err err;
	enum kf_status r;
	struct store *to;
	/* a use on a ticket the store does not hold is the desk's */
	r = store_usage_add(st, "refund", "GD209901010001", "x@example.com", DAY0 + 9, "2026-03-02",
			    NULL, &err);
	ok_st(r, &err, "a use on a ticket not held");
	char *before = dump(st, NULL);
	tap_ok(!strncmp(before, "ticket GD202603020001 20260302/1 status=", 40) &&
		       strstr(before, " event 1772416805 who=w@example.com what=status field=status"
				      " before=new after=open note=说明\n") &&
		       strstr(before, " pause 1772416900 1772417000\n") &&
		       strstr(before, " message <m1@x>\n") &&
		       strstr(before, " use refund GD202603020001 w@example.com 1772416800 note=补充\n") &&
		       strstr(before, "agent new@example.com 1 1772416800 1772416807\n") &&
		       strstr(before, "route 甲部 b@example.com\n") &&
		       strstr(before, "use refund ~ w@example.com 1772416800 note=~\n") &&
		       strstr(before, "use refund GD209901010001 x@example.com") &&
		       strstr(before, "sequence 20260302 "),
	       "a dump holds every kind of row");
	r = open_to(to_uri, "restored.db", &to, &err);
	if (!ok_st(r, &err, "an empty store to restore into")) {
		free(before);
		return;
	}
	r = copy_all(st, to, &err);
	ok_st(r, &err, "everything put into it");
	char *after = dump(to, NULL);
	tap_is(after, before, "it reads the same");
	if (to_uri) {
		/* a directory of its own: the marks file beside it is its own too */
		struct store *file;
		char *d = path("from-pg");
		if (mkdir(d, 0700) < 0)
			printf("# cannot make %s\n", d);
		free(d);
		r = open_to(NULL, "from-pg/desk.db", &file, &err);
		if (!r)
			r = copy_all(st, file, &err);
		ok_st(r, &err, "everything put into a desk.db too");
		char *there = r ? NULL : dump(file, NULL);
		tap_is(there ? there : "", before, "which reads the same");
		free(there);
		store_close(file);
	}
	const char *entries[] = { "refund" };
	long uses[2] = { -1, -1 }, was[2] = { -2, -2 };
	r = store_usage_counts(st, entries, 1, was, &err);
	if (!r)
		r = store_usage_counts(to, entries, 1, uses, &err);
	tap_ok(!r && uses[0] == was[0], "uses counted as they were: %ld", uses[0]);

	/* Put again: every ticket exists; nothing of it is put. */
	struct ticket_filter all;
	ticket_filter_init(&all);
	struct copy c = { to, 1 };
	r = store_begin(to, &err);
	if (!r)
		r = store_records_each(st, &all, copy_record, &c, &err);
	store_rollback(to);
	tap_ok(r == KF_EEXIST, "a ticket that exists is refused: %s", err.msg);
	char *again = dump(to, NULL);
	tap_is(again, before, "and nothing was put");

	/* A new ticket whose follow-up's number is taken, or given twice: refused whole. */
	struct ticket_record nr;
	struct followup fu[2];
	memset(&nr, 0, sizeof(nr));
	memset(fu, 0, sizeof(fu));
	make(&nr.t, 9, "new", "low", "c9", DAY0 + 90);
	memcpy(nr.day, "20260302", 9);
	nr.seq = 9;
	for (int i = 0; i < 2; i++) {
		memcpy(fu[i].ticket, nr.t.id, sizeof(fu[i].ticket));
		fu[i].name = "callback";
		fu[i].scheduled = DAY0;
		fu[i].due = DAY0 + 5;
		fu[i].notified = fu[i].done = TIME_NONE;
	}
	fu[0].id = 1;
	nr.followups = fu;
	nr.nfollowups = 1;
	struct ticket t9;
	r = store_begin(to, &err);
	if (!r)
		r = store_record_put(to, &nr, &err);
	tap_ok(r == KF_EEXIST && !strcmp(err.msg, "follow-up 1 exists"), "a follow-up's number taken: %s",
	       err.msg);
	fu[0].id = fu[1].id = 50;
	nr.nfollowups = 2;
	r = store_record_put(to, &nr, &err);
	tap_ok(r == KF_EEXIST && !strcmp(err.msg, "follow-up 50 exists"), "one given twice: %s",
	       err.msg);
	r = store_ticket_get(to, nr.t.id, &t9, &err);
	tap_ok(r == KF_ENOTFOUND, "nothing of it put, and the transaction goes on: %s", err.msg);
	fu[1].id = 51;
	/* with the same script used on it twice: counted twice */
	struct usage_record twice[2] = {
		{ .entry = "refund", .who = "w@example.com", .at = DAY0 + 91, .day = "2026-03-03" },
		{ .entry = "refund", .who = "w@example.com", .at = DAY0 + 92, .day = "2026-03-02" },
	};
	nr.usage = twice;
	nr.nusage = 2;
	long was_uses = -1, now_uses = -2;
	r = store_usage_counts(to, entries, 1, &was_uses, &err);
	if (!r)
		r = store_record_put(to, &nr, &err);
	if (!r)
		r = store_ticket_get(to, nr.t.id, &t9, &err);
	if (!r)
		ticket_release(&t9);
	tap_ok(r == KF_OK, "its numbers free, it is put");
	r = store_usage_counts(to, entries, 1, &now_uses, &err);
	tap_ok(!r && now_uses == was_uses + 2, "a script used twice on it counts twice: %ld, %ld",
	       was_uses, now_uses);
	store_rollback(to);
	ticket_release(&nr.t);

	/* A dump of some tickets: created in a range. */
	ticket_filter_init(&all);
	all.since = DAY0 + 10;
	all.until = DAY0 + 20;
	char *some = dump(to, &all);
	tap_ok(!strncmp(some, "ticket GD202603020002", 21) && !strstr(some, "ticket GD202603020001") && !strstr(some, "ticket GD202603020003") &&
		       !strstr(some, "agent "),
	       "records in a range: only theirs");
	free(some);
	free(again);
	free(after);
	store_close(to);

	/*
	 * The sequence is kept beside the file, raised never lowered; in
	 * PostgreSQL by ticket_mark, which holds the latest day's.
	 */
	r = open_to(to_uri, "restored.db", &to, &err);
	const char *day = to_uri ? "20270101" : "20250101";
	struct desk_record d = { .kind = DESK_SEQUENCE, .name = (char *)day, .seq = 41 };
	if (!r)
		r = store_begin(to, &err);
	if (!r)
		r = store_desk_put(to, &d, &err);
	d.seq = 7;
	if (!r)
		r = store_desk_put(to, &d, &err);
	if (!r)
		r = store_commit(to, &err);
	int64_t seq = 0;
	if (!r)
		r = store_begin(to, &err);
	if (!r)
		r = store_ticket_seq_next(to, day, &seq, &err);
	store_rollback(to);
	tap_ok(!r && seq == 42, "a day's sequence raised: the next is 42 (%lld)", (long long)seq);
	d.name = "2025-1-1";
	r = store_begin(to, &err);
	if (!r)
		r = store_desk_put(to, &d, &err);
	store_rollback(to);
	tap_ok(r == KF_EINVAL, "a sequence of no day is refused");
	store_close(to);
	free(before);
}

static void transactions(struct store *st)
{
	struct kf_err err;
	int64_t seq;
	enum kf_status r = store_ticket_seq_next(st, "20260302", &seq, &err);
	tap_ok(r == KF_EDB, "a sequence is only taken in a transaction");
	r = store_begin(st, &err);
	if (!r)
		r = store_ticket_seq_next(st, "20260302", &seq, &err);
	tap_ok(!r && seq == 7, "the day's next is past its highest: %lld", (long long)seq);
	if (!r)
		r = put(st, 7, "new", "low", NULL, DAY0 + 60, &err);
	store_rollback(st);
	struct ticket t;
	r = store_ticket_get(st, "GD202603020007", &t, &err);
	tap_ok(r == KF_ENOTFOUND, "a rollback undoes the insert");
}

/* A number taken, then undone, is never taken again (store-pg.c's marks). */
static void marks(struct store *st)
{
	struct kf_err err;
	int64_t seq = 0;
	enum kf_status r = store_begin(st, &err);
	if (!r)
		r = store_ticket_seq_next(st, "20260302", &seq, &err);
	store_rollback(st);
	tap_ok(!r && seq == 8, "after one undone, the next is past it: %lld", (long long)seq);
}

static char *path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void files(void)
{
	struct kf_err err;
	struct store *st;
	char *p = path("desk.db");
	enum kf_status r = store_open(p, STORE_READ, &st, &err);
	tap_ok(r == KF_ENOTFOUND, "reading an absent store: KF_ENOTFOUND");
	r = store_open(p, STORE_WRITE, &st, &err);
	if (!ok_st(r, &err, "an absent store is created for writing"))
		return;
	int64_t a = 0, b = 0;
	if (!(r = store_begin(st, &err)) && !(r = store_ticket_seq_next(st, "20260302", &a, &err)))
		r = put(st, (int)a, "new", "low", NULL, DAY0, &err);
	if (!r)
		r = store_commit(st, &err);
	store_close(st);
	/* The store lost: the day's mark beside it still knows what was issued. */
	unlink(p);
	if (!r)
		r = store_open(p, STORE_WRITE, &st, &err);
	if (!r && !(r = store_begin(st, &err)))
		r = store_ticket_seq_next(st, "20260302", &b, &err);
	if (!r)
		store_rollback(st), store_close(st);
	tap_ok(!r && a == 1 && b == 2, "a lost store reissues no sequence: %lld then %lld",
	       (long long)a, (long long)b);

	/* Files that are not a desk are refused, and left as they are. */
	char *empty = path("empty.db"), *text = path("text.db"), *foreign = path("foreign.db");
	FILE *fp = fopen(empty, "w");
	if (fp)
		fclose(fp);
	fp = fopen(text, "w");
	if (fp) {
		fputs("hello\n", fp);
		fclose(fp);
	}
	sqlite3 *db;
	if (sqlite3_open(foreign, &db) == SQLITE_OK)
		sqlite3_exec(db, "CREATE TABLE notes(x)", NULL, NULL, NULL);
	sqlite3_close(db);
	struct {
		const char *file, *says;
	} bad[] = { { empty, "is empty (0 bytes)" },
		    { text, "is not an SQLite database" },
		    { foreign, "is not a kefu desk database" } };
	for (size_t i = 0; i < 3; i++) {
		struct stat before, after;
		stat(bad[i].file, &before);
		r = store_open(bad[i].file, STORE_WRITE, &st, &err);
		stat(bad[i].file, &after);
		tap_ok(r == KF_EDB && strstr(err.msg, bad[i].says) && before.st_size == after.st_size,
		       "refused, untouched: %s", bad[i].says);
	}
	free(empty);
	free(text);
	free(foreign);
	free(p);
}

/* Make table unreadable in the store file at p: reading it fails from the first row. */
static int unreadable(const char *p, const char *table, const char *when)
{
	sqlite3 *db;
	char *sql = xasprintf("ALTER TABLE %s RENAME TO %s_kept;"
			      " CREATE VIEW %s AS SELECT * FROM %s_kept WHERE"
			      " CASE WHEN %s THEN abs(-9223372036854775807 - 1) ELSE 1 END",
			      table, table, table, table, when);
	int rc = sqlite3_open(p, &db);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	free(sql);
	return rc == SQLITE_OK;
}

static enum kf_status count(void *ctx, const struct ticket *t, struct kf_err *err)
{
	(void)t;
	(void)err;
	++*(int *)ctx;
	return KF_OK;
}

static void read_errors(void)
{
	struct kf_err err;
	struct store *st;
	char *p = path("broken.db");
	enum kf_status r = store_open(p, STORE_WRITE, &st, &err);
	if (!ok_st(r, &err, "a store to break"))
		return;
	if (!(r = store_begin(st, &err))) {
		for (int i = 1; i <= 3 && !r; i++)
			r = put(st, i, "open", "normal", "c", DAY0 + i, &err);
		if (!r)
			r = store_pause_start(st, "GD202603020001", DAY0, &err);
		struct followup fu = { .name = "callback", .due = DAY0, .notified = TIME_NONE,
				       .done = TIME_NONE };
		int64_t fid;
		snprintf(fu.ticket, sizeof(fu.ticket), "GD202603020001");
		if (!r)
			r = store_followup_add(st, &fu, &fid, &err);
		if (!r)
			r = store_commit(st, &err);
	}
	ok_st(r, &err, "three tickets, a pause");
	const char *const tables[][2] = {
		{ "tickets", "id = 'GD202603020002'" }, /* half-way */
		{ "pauses", "1" },   { "events", "1" },	 { "offers", "1" },   { "agents", "1" },
		{ "route_state", "1" }, { "messages", "1" }, { "kb_usage", "1" },
		{ "followups", "1" },
	};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!unreadable(p, tables[i][0], tables[i][1]))
			printf("Bail out! cannot break %s\n", tables[i][0]);

	struct ticket_filter f;
	int seen = 0;
	ticket_filter_init(&f);
	f.order = TICKET_BY_ID;
	r = store_tickets_each(st, &f, count, &seen, &err);
	tap_ok(r == KF_EDB && seen == 1, "a list that fails half-way fails (after %d)", seen);
	tap_is(err.msg, "desk database: integer overflow", "saying why");
	long n;
	r = store_tickets_count(st, &f, &n, &err);
	tap_ok(r == KF_EDB, "so does a count");
	struct span none, *sp = &none;
	size_t k = 9;
	r = store_pauses_get(st, "GD202603020001", &sp, &k, &err);
	tap_ok(r == KF_EDB && !sp && !k, "pauses: an error, not none");
	struct sbuf all = SBUF_INIT;
	ticket_filter_init(&f);
	r = store_pauses_each(st, &f, add_span, &all, &err);
	tap_ok(r == KF_EDB, "every ticket's pauses: an error, not none");
	sbuf_release(&all);
	struct ticket_event *ev;
	r = store_events_get(st, "GD202603020001", &ev, &k, &err);
	tap_ok(r == KF_EDB && !ev && !k, "events: an error, not none");
	char **names;
	r = store_offers_get(st, "GD202603020001", &names, &k, &err);
	tap_ok(r == KF_EDB && !names && !k, "offers: an error, not none");
	struct agent_record a;
	r = store_agent_get(st, "a@example.com", &a, &err);
	tap_ok(r == KF_EDB, "an agent's status: an error, not available");
	char *last;
	r = store_route_last_get(st, "甲部", &last, &err);
	tap_ok(r == KF_EDB && !last, "the round-robin place: an error, not the start");
	char id[TICKET_ID_SIZE];
	r = store_message_ticket(st, "<m@x>", id, &err);
	tap_ok(r == KF_EDB, "an e-mail seen: an error, not a new one");
	const char *entry = "refund";
	long uses;
	r = store_usage_counts(st, &entry, 1, &uses, &err);
	tap_ok(r == KF_EDB, "uses: an error, not zero");
	struct followup_filter ff;
	followup_filter_init(&ff);
	char *got = calls(st, &ff);
	tap_ok(!strncmp(got, "error: ", 7), "follow-ups: an error, not none (%s)", got);
	free(got);
	got = dump(st, NULL);
	tap_ok(!strncmp(got, "error: ", 7), "a dump: an error, not a shorter one (%s)", got);
	free(got);
	store_close(st);
	free(p);
}

int main(void)
{
	struct store *st;
	struct kf_err err;
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot make a directory in /tmp\n");
		return 1;
	}
	if (store_open_memory(&st, &err)) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	every_op(st, "store-sqlite.c");
	tickets_and_lists(st);
	history_and_the_rest(st);
	reports(st);
	followups(st);
	followup_fields(st);
	transactions(st);
	files();
	dump_and_restore(st, NULL);
	store_close(st);
	read_errors();
	const char *uri = getenv("KEFU_TEST_PG_URI");
	if (uri && *uri) {
		printf("# again on PostgreSQL\n");
		if (store_pg_open(uri, STORE_WRITE, &st, &err)) {
			printf("Bail out! %s\n", err.msg);
			return 1;
		}
		every_op(st, "store-pg.c");
		tickets_and_lists(st);
		history_and_the_rest(st);
		reports(st);
		followups(st);
		followup_fields(st);
		transactions(st);
		const char *uri2 = getenv("KEFU_TEST_PG_URI2");
		if (uri2 && *uri2)
			dump_and_restore(st, uri2);
		marks(st);
		store_close(st);
	}
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	(void)tap_cases; /* no case table: the cases are the code above */
	return tap_done();
}
