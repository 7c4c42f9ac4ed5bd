/*
 * Unit tests of the desk's rules when the store cannot be read: a store
 * whose ops table passes every call on to a real one, except the read
 * named in `fail`, which fails. Each rule (opening, routing, claiming,
 * the SLA check, escalation, the agents' state) must then fail too, and
 * leave the desk as it was: no ticket routed past an agent's unread
 * status, claimed past an unread offer, escalated past an unread pause.
 */
#include "tap.h"

#include <sys/stat.h>
#include <unistd.h>

#include "agents.h"
#include "assign.h"
#include "claim.h"
#include "followup.h"
#include "isotime.h"
#include "sbuf.h"
#include "session.h"
#include "slacheck.h"
#include "ticketchange.h"
#include "ticketopen.h"

#define DAY0 1772416800 /* Monday 2026-03-02T10:00:00+08:00 */

static char dir[] = "/tmp/kefu-storefault.XXXXXX";
static const char *fail; /* the read that fails, or NULL */

struct faulty {
	struct store base;
	struct store *real;
};

static struct store *real(struct store *st)
{
	return ((struct faulty *)st)->real;
}

static enum kf_status failed(const char *op, struct kf_err *err)
{
	return kf_fail(err, KF_EDB, "desk database: %s failed on purpose", op);
}

/* A read: fails when named. */
#define READ(op, params, args)                                                        \
	static enum kf_status f_##op params                                          \
	{                                                                             \
		if (fail && !strcmp(fail, #op))                                       \
			return failed(#op, err);                                      \
		return real(st)->ops->op args;                                        \
	}
/* A write: passed on. */
#define WRITE(op, params, args)                                                       \
	static enum kf_status f_##op params                                          \
	{                                                                             \
		return real(st)->ops->op args;                                        \
	}

WRITE(begin, (struct store * st, struct kf_err *err), (real(st), err))
WRITE(commit, (struct store * st, struct kf_err *err), (real(st), err))
READ(ticket_get, (struct store * st, const char *id, struct ticket *t, struct kf_err *err),
     (real(st), id, t, err))
READ(ticket_seq_next, (struct store * st, const char *day, int64_t *seq, struct kf_err *err),
     (real(st), day, seq, err))
WRITE(ticket_insert,
      (struct store * st, const struct ticket *t, const char *day, int64_t seq,
       struct kf_err *err),
      (real(st), t, day, seq, err))
WRITE(ticket_update, (struct store * st, const struct ticket *t, struct kf_err *err),
      (real(st), t, err))
READ(tickets_each,
     (struct store * st, const struct ticket_filter *f, store_ticket_fn fn, void *ctx,
      struct kf_err *err),
     (real(st), f, fn, ctx, err))
READ(tickets_count,
     (struct store * st, const struct ticket_filter *f, long *n, struct kf_err *err),
     (real(st), f, n, err))
WRITE(event_add, (struct store * st, const struct ticket_event *e, struct kf_err *err),
      (real(st), e, err))
READ(events_get,
     (struct store * st, const char *id, struct ticket_event **v, size_t *n,
      struct kf_err *err),
     (real(st), id, v, n, err))
WRITE(pause_start, (struct store * st, const char *id, int64_t at, struct kf_err *err),
      (real(st), id, at, err))
WRITE(pause_end, (struct store * st, const char *id, int64_t at, struct kf_err *err),
      (real(st), id, at, err))
READ(pauses_get,
     (struct store * st, const char *id, struct span **v, size_t *n, struct kf_err *err),
     (real(st), id, v, n, err))
READ(pauses_each,
     (struct store * st, const struct ticket_filter *f, store_pause_fn fn, void *ctx,
      struct kf_err *err),
     (real(st), f, fn, ctx, err))
READ(offers_get,
     (struct store * st, const char *id, char ***v, size_t *n, struct kf_err *err),
     (real(st), id, v, n, err))
WRITE(offers_set,
      (struct store * st, const char *id, char *const *v, size_t n, int64_t at,
       struct kf_err *err),
      (real(st), id, v, n, at, err))
READ(agent_get,
     (struct store * st, const char *email, struct agent_record *a, struct kf_err *err),
     (real(st), email, a, err))
WRITE(agent_set_away,
      (struct store * st, const char *email, int away, int64_t at, struct kf_err *err),
      (real(st), email, away, at, err))
WRITE(agent_assigned, (struct store * st, const char *email, int64_t at, struct kf_err *err),
      (real(st), email, at, err))
READ(route_last_get, (struct store * st, const char *dept, char **agent, struct kf_err *err),
     (real(st), dept, agent, err))
WRITE(route_last_set,
      (struct store * st, const char *dept, const char *agent, struct kf_err *err),
      (real(st), dept, agent, err))
READ(message_ticket,
     (struct store * st, const char *mid, char id[TICKET_ID_SIZE], struct kf_err *err),
     (real(st), mid, id, err))
WRITE(message_add, (struct store * st, const char *mid, const char *id, struct kf_err *err),
      (real(st), mid, id, err))
WRITE(usage_add,
      (struct store * st, const char *entry, const char *ticket, const char *who, int64_t at,
       const char *day, const char *note, struct kf_err *err),
      (real(st), entry, ticket, who, at, day, note, err))
READ(usage_counts,
     (struct store * st, const char *const *entries, size_t n, long *uses,
      struct kf_err *err),
     (real(st), entries, n, uses, err))
READ(usage_counts_on_type,
     (struct store * st, const char *type, const char *except, const char *const *entries,
      size_t n, long *uses, struct kf_err *err),
     (real(st), type, except, entries, n, uses, err))
WRITE(followup_add,
      (struct store * st, const struct followup *f, int64_t *id, struct kf_err *err),
      (real(st), f, id, err))
WRITE(followup_update, (struct store * st, const struct followup *f, struct kf_err *err),
      (real(st), f, err))
READ(followups_each,
     (struct store * st, const struct followup_filter *f, store_followup_fn fn, void *ctx,
      struct kf_err *err),
     (real(st), f, fn, ctx, err))
READ(records_each,
     (struct store * st, const struct ticket_filter *f, store_record_fn fn, void *ctx,
      struct kf_err *err),
     (real(st), f, fn, ctx, err))
READ(desk_each, (struct store * st, store_desk_fn fn, void *ctx, struct kf_err *err),
     (real(st), fn, ctx, err))
WRITE(record_put, (struct store * st, const struct ticket_record *r, struct kf_err *err),
      (real(st), r, err))
WRITE(desk_put, (struct store * st, const struct desk_record *r, struct kf_err *err),
      (real(st), r, err))

static void f_close(struct store *st)
{
	store_close(real(st));
	free(st);
}

static void f_rollback(struct store *st)
{
	store_rollback(real(st));
}

static const struct store_ops faulty_ops = {
	.close = f_close,
	.begin = f_begin,
	.commit = f_commit,
	.rollback = f_rollback,
	.ticket_get = f_ticket_get,
	.ticket_seq_next = f_ticket_seq_next,
	.ticket_insert = f_ticket_insert,
	.ticket_update = f_ticket_update,
	.tickets_each = f_tickets_each,
	.tickets_count = f_tickets_count,
	.event_add = f_event_add,
	.events_get = f_events_get,
	.pause_start = f_pause_start,
	.pause_end = f_pause_end,
	.pauses_get = f_pauses_get,
	.pauses_each = f_pauses_each,
	.offers_get = f_offers_get,
	.offers_set = f_offers_set,
	.agent_get = f_agent_get,
	.agent_set_away = f_agent_set_away,
	.agent_assigned = f_agent_assigned,
	.route_last_get = f_route_last_get,
	.route_last_set = f_route_last_set,
	.message_ticket = f_message_ticket,
	.message_add = f_message_add,
	.usage_add = f_usage_add,
	.usage_counts = f_usage_counts,
	.usage_counts_on_type = f_usage_counts_on_type,
	.followup_add = f_followup_add,
	.followup_update = f_followup_update,
	.followups_each = f_followups_each,
	.records_each = f_records_each,
	.desk_each = f_desk_each,
	.record_put = f_record_put,
	.desk_put = f_desk_put,
};

static struct session s;

static void problem(void *ctx, const char *line)
{
	(void)ctx;
	printf("# %s\n", line);
}

static int write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/workflows/%s", dir, name);
	FILE *fp = fopen(p, "w");
	int ok = fp && fputs(text, fp) >= 0;
	if (fp && fclose(fp))
		ok = 0;
	free(p);
	return ok;
}

static int setup(void)
{
	struct kf_err err;
	char *wf = xasprintf("%s/workflows", dir);
	int ok = mkdir(wf, 0777) == 0;
	free(wf);
	ok = ok &&
	     write_file("roles.yaml",
			"people:\n"
			"  - {email: boss@example.com, roles: [supervisor, agent], department: 甲部}\n"
			"  - {email: a1@example.com, roles: [agent], department: 甲部}\n"
			"  - {email: a2@example.com, roles: [agent], department: 甲部}\n"
			"  - {email: b1@example.com, roles: [agent], department: 乙部}\n"
			"  - {email: b2@example.com, roles: [agent], department: 乙部}\n") &&
	     write_file("routing.yaml",
			"departments:\n"
			"  - {name: 甲部, strategy: ringall, supervisor: boss@example.com}\n"
			"  - {name: 乙部, strategy: roundrobin, supervisor: boss@example.com}\n"
			"rules:\n"
			"  - {match: {keywords: [乙]}, department: 乙部}\n"
			"  - department: 甲部\n") &&
	     write_file("calendars.yaml",
			"calendars:\n  24x7: {zone: Asia/Shanghai, daily: [\"00:00-24:00\"]}\n") &&
	     write_file("sla.yaml", "policies:\n"
				    "  - {name: default, calendar: 24x7, response: 10m, resolve: 1h}\n") &&
	     write_file("followups.yaml", "followups:\n"
					  "  - {name: callback, on: resolved, after: 1d}\n");
	if (!ok || workflows_load_dir(dir, &s.wf, problem, NULL, &err)) {
		printf("Bail out! workflows: %s\n", ok ? err.msg : "cannot write them");
		return 0;
	}
	struct faulty *f = xcalloc(1, sizeof(*f));
	f->base.ops = &faulty_ops;
	if (store_open_memory(&f->real, &err)) {
		printf("Bail out! %s\n", err.msg);
		free(f);
		return 0;
	}
	s.store = &f->base;
	s.desk.root = xstrdup(dir);
	s.who.email = xstrdup("boss@example.com");
	s.who.when.t = DAY0;
	return 1;
}

static void as(const char *email, int64_t t)
{
	free(s.who.email);
	s.who.email = xstrdup(email);
	s.who.when.t = t;
}

/* What a rule may change of a ticket, and how many events it has. */
static char *snapshot(const char *id)
{
	struct ticket t;
	struct ticket_event *ev;
	char **offers;
	size_t nev = 0, noffers = 0;
	struct kf_err err;
	const char *was = fail;
	fail = NULL;
	if (store_ticket_get(s.store, id, &t, &err) ||
	    store_events_get(s.store, id, &ev, &nev, &err)) {
		fail = was;
		return xasprintf("error: %s", err.msg);
	}
	ticket_events_free(ev, nev);
	if (store_offers_get(s.store, id, &offers, &noffers, &err))
		noffers = 99;
	store_names_free(offers, noffers == 99 ? 0 : noffers);
	char *snap = xasprintf("%s %s %s %s %s esc=%lld events=%zu offers=%zu", t.status,
			       t.priority, t.department ? t.department : "-",
			       t.assignee ? t.assignee : "-", t.sla_policy ? t.sla_policy : "-",
			       (long long)t.escalated, nev, noffers);
	ticket_release(&t);
	fail = was;
	return snap;
}

static long tickets(void)
{
	struct ticket_filter f;
	struct kf_err err;
	long n = -1;
	const char *was = fail;
	fail = NULL;
	ticket_filter_init(&f);
	if (store_tickets_count(s.store, &f, &n, &err))
		n = -1;
	fail = was;
	return n;
}

static char *open_one(const char *customer, const char *text, const char *message_id,
		      enum kf_status *st, struct kf_err *err)
{
	struct ticket_request in = { .customer = customer, .description = text,
				     .message_id = message_id, .source = "test" };
	char id[TICKET_ID_SIZE] = "";
	enum open_result res;
	*st = ticket_open(&s, &in, id, &res, NULL, NULL, err);
	return xstrdup(id);
}

/* Run the rule with read `op` failing: it must fail, the ticket unchanged. */
#define UNDER_FAULT(op, ticket, call, what)                                            \
	do {                                                                            \
		char *before_ = snapshot(ticket);                                       \
		struct kf_err err_;                                                     \
		enum kf_status st_;                                                     \
		fail = op;                                                              \
		st_ = (call);                                                           \
		fail = NULL;                                                            \
		char *after_ = snapshot(ticket);                                        \
		tap_ok(st_ == KF_EDB && strstr(err_.msg, "failed on purpose"),          \
		       "%s: %s fails (%d)", what, op, st_);                             \
		tap_is(after_, before_, "and changes nothing");                         \
		free(before_);                                                          \
		free(after_);                                                           \
	} while (0)

static enum kf_status route(const char *id, struct kf_err *err)
{
	struct assignment a;
	enum kf_status st = assign_ticket(&s, id, &a, NULL, NULL, err);
	if (!st)
		assignment_release(&a);
	return st;
}

static enum kf_status claim(const char *id, struct kf_err *err)
{
	enum claim_result res;
	return ticket_claim(&s, id, &res, NULL, NULL, err);
}

static enum kf_status check(int64_t at, struct sla_report *r, struct kf_err *err)
{
	enum kf_status st = sla_check(&s, at, NULL, NULL, r, err);
	return st;
}

static enum kf_status escalate_all(const struct sla_report *r, struct kf_err *err)
{
	enum kf_status st = KF_OK;
	for (size_t i = 0; i < r->ntodo && !st; i++) {
		int done;
		st = ticket_escalate(&s, &r->todo[i], &done, err);
	}
	return st;
}

static enum kf_status resolve(const char *id, struct kf_err *err)
{
	struct ticket before, after;
	enum kf_status st = ticket_begin(&s, id, &before, &after, err);
	if (st)
		return st;
	ticket_set(&after.status, "resolved");
	after.resolved = s.who.when.t;
	st = ticket_finish(&s, &before, &after, "status", NULL, err);
	ticket_release(&before);
	ticket_release(&after);
	return st;
}

static enum kf_status call_made(const char *id, struct kf_err *err)
{
	struct followup_outcome o = { NULL, "满意", 5, 0 };
	int escalated;
	return followup_record(&s, id, &o, &escalated, err);
}

static enum kf_status load_agents(struct kf_err *err)
{
	struct agent_state *v;
	size_t n;
	enum kf_status st = agents_load(&s, &v, &n, err);
	if (!st)
		free(v);
	return st;
}

int main(void)
{
	struct kf_err err;
	enum kf_status st;
	if (!mkdtemp(dir)) {
		printf("Bail out! cannot make a directory in /tmp\n");
		return 1;
	}
	if (!setup())
		return 1;

	/* Opening: an e-mail seen before, or the same request, cannot be told. */
	long n = tickets();
	fail = "message_ticket";
	char *id = open_one("c1", "空调不制冷", "<m1@example.com>", &st, &err);
	fail = NULL;
	tap_ok(st == KF_EDB && tickets() == n, "ticket-open: an unread Message-ID opens nothing");
	free(id);
	fail = "tickets_each";
	id = open_one("c1", "空调不制冷", "<m1@example.com>", &st, &err);
	fail = NULL;
	tap_ok(st == KF_EDB && tickets() == n, "ticket-open: an unread repeat check opens nothing");
	free(id);
	id = open_one("c1", "空调不制冷", "<m1@example.com>", &st, &err);
	tap_ok(st == KF_OK && tickets() == n + 1, "ticket-open, readable: opened %s", id);

	/* Routing by ringall. */
	as("a1@example.com", DAY0);
	UNDER_FAULT("agent_get", id, route(id, &err_), "ticket-route");
	UNDER_FAULT("tickets_count", id, route(id, &err_), "ticket-route");
	UNDER_FAULT("offers_get", id, route(id, &err_), "ticket-route");
	UNDER_FAULT("tickets_each", id, route(id, &err_), "ticket-route");
	st = route(id, &err);
	char *snap = snapshot(id);
	tap_is(snap, "new normal 甲部 - default esc=0 events=2 offers=3",
	       "ticket-route, readable: offered to three");
	free(snap);

	/* Claiming: offered to three, so anyone of them, and nobody else. */
	UNDER_FAULT("offers_get", id, claim(id, &err_), "ticket-claim");
	UNDER_FAULT("ticket_get", id, claim(id, &err_), "ticket-claim");
	as("b1@example.com", DAY0);
	st = claim(id, &err);
	tap_ok(st == KF_EPERM, "ticket-claim, readable, by another: %s", err.msg);
	as("a2@example.com", DAY0);
	st = claim(id, &err);
	snap = snapshot(id);
	tap_is(snap, "assigned normal 甲部 a2@example.com default esc=0 events=4 offers=0",
	       "ticket-claim, readable: a2's");
	free(snap);

	/* Routing by roundrobin: the place it goes round from. */
	char *other = open_one("c2", "乙方的问题", NULL, &st, &err);
	UNDER_FAULT("route_last_get", other, route(other, &err_), "ticket-route");
	st = route(other, &err);
	snap = snapshot(other);
	tap_is(snap, "assigned normal 乙部 b1@example.com default esc=0 events=4 offers=0",
	       "ticket-route, readable: b1's");
	free(snap);

	/* Pending for a day: a pause that cannot be read breaches nothing. */
	struct ticket before, after;
	as("a2@example.com", DAY0 + 60);
	st = ticket_begin(&s, id, &before, &after, &err);
	if (!st) {
		ticket_set(&after.status, "pending");
		after.first_response = DAY0 + 60;
		st = ticket_finish(&s, &before, &after, "reply", NULL, &err);
		ticket_release(&before);
		ticket_release(&after);
	}
	tap_ok(st == KF_OK, "answered, waiting on the customer");
	struct sla_report r = { 0 };
	as("boss@example.com", DAY0 + 86400);
	UNDER_FAULT("pauses_each", id, check(DAY0 + 86400, &r, &err_), "sla-check");
	sla_report_release(&r);
	st = check(DAY0 + 86400, &r, &err);
	tap_ok(st == KF_OK && r.ntodo == 2 && !strcmp(r.todo[0].id, other) &&
		       !strcmp(r.todo[1].id, other),
	       "sla-check, readable: only the unanswered one is breached, both its clocks");
	UNDER_FAULT("pauses_get", other, escalate_all(&r, &err_), "escalation");
	UNDER_FAULT("ticket_get", other, escalate_all(&r, &err_), "escalation");
	st = escalate_all(&r, &err);
	snap = snapshot(other);
	tap_is(snap, "assigned urgent 乙部 boss@example.com default esc=3 events=9 offers=0",
	       "escalation, readable: raised twice and given to the supervisor");
	free(snap);
	sla_report_release(&r);

	/* Follow-up calls: made on resolving, recorded; never past an unread one. */
	as("a2@example.com", DAY0 + 90000);
	UNDER_FAULT("followups_each", id, resolve(id, &err_), "resolving, a call to make");
	st = resolve(id, &err);
	tap_ok(st == KF_OK, "resolved, readable: a call to make");
	UNDER_FAULT("followups_each", id, call_made(id, &err_), "ticket-followup --done");
	UNDER_FAULT("ticket_get", id, call_made(id, &err_), "ticket-followup --done");
	st = call_made(id, &err);
	snap = snapshot(id);
	tap_ok(st == KF_OK && strstr(snap, "resolved"), "ticket-followup --done, readable: %s",
	       snap);
	free(snap);
	size_t late;
	fail = "followups_each";
	st = followup_list(&s, NULL, 1, DAY0 + 200000, NULL, NULL, &late, &err);
	fail = NULL;
	tap_ok(st == KF_EDB, "ticket-followup: an unread list is an error, not an empty one");

	/* The agents' state, as agent-status and routing read it. */
	st = load_agents(&err);
	tap_ok(st == KF_OK, "agents read");
	fail = "agent_get";
	st = load_agents(&err);
	fail = "tickets_count";
	tap_ok(st == KF_EDB && load_agents(&err) == KF_EDB, "agents: an unread state fails");
	fail = NULL;

	free(id);
	free(other);
	store_close(s.store);
	workflows_release(&s.wf);
	free(s.desk.root);
	free(s.who.email);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	(void)tap_cases;
	return tap_done();
}
