/* ticket-show: a ticket and its history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "cli.h"
#include "isotime.h"
#include "output.h"
#include "session.h"
#include "suggest.h"
#include "ticket.h"

/* How many scripts a ticket suggests. */
#define SUGGESTED 3

static const char usage[] =
	"usage: ticket-show [--json] [-C DIR] ID...\n"
	"\n"
	"Show tickets: their fields, the three scripts that best fit them\n"
	"(suggested), then their history, one event a line (when, who, what, and\n"
	"what changed). Without ID and with stdin not a terminal, the ids are\n"
	"read from stdin (ticket-list | ticket-show).\n"
	"\n"
	"      --json           JSON Lines: the ticket's fields, as ticket-list\n"
	"                       --json gives them, its events and the suggested\n"
	"                       scripts\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when every ticket was shown, 2 when one was not found or\n"
	"on error.\n";

static void when(struct session *s, int64_t t, char buf[32])
{
	struct instant in = { t, workflows_offset(&s->wf, t) };
	iso_format(&in, 0, buf);
}

/* User text on a terminal: its control characters made visible. */
static void put_text(const char *s, int multiline)
{
	text_write(stdout, s, strlen(s), multiline);
}

static void put_field(const char *label, const char *v)
{
	printf("%-15s ", label);
	put_text(v, 0);
	putchar('\n');
}

/* The scripts to read: id and title, one a line. */
static void show_suggested(const struct suggestion *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%-15s %s  ", i ? "" : "suggested", v[i].id);
		put_text(v[i].title, 0);
		putchar('\n');
	}
}

static void show_text(struct session *s, const struct ticket *t, const struct suggestion *sv,
		      size_t nsv)
{
	static const char *const labels[] = { "status", "type", "priority", "channel", "customer",
					      "department", "assignee" };
	const char *values[] = { t->status,   t->type,       t->priority, t->channel,
				 t->customer, t->department, t->assignee };
	printf("%s  ", t->id);
	put_text(t->subject ? t->subject : "", 0);
	putchar('\n');
	for (size_t i = 0; i < 7; i++)
		if (values[i])
			put_field(labels[i], values[i]);
	struct {
		const char *label;
		int64_t t;
	} times[] = { { "created", t->created },	   { "first_response", t->first_response },
		      { "response_due", t->response_due }, { "resolve_due", t->resolve_due },
		      { "resolved", t->resolved },	   { "closed", t->closed } };
	for (size_t i = 0; i < 6; i++) {
		if (times[i].t == TIME_NONE)
			continue;
		char b[32];
		when(s, times[i].t, b);
		printf("%-15s %s\n", times[i].label, b);
	}
	if (t->sla_policy)
		printf("%-15s %s\n", "sla_policy", t->sla_policy);
	if (t->angry)
		printf("%-15s yes: soothe first%s%s%s\n", "angry", t->suggest ? " (kb-show " : "",
		       t->suggest ? t->suggest : "", t->suggest ? ")" : "");
	if (t->urged)
		printf("%-15s %lld times\n", "urged", (long long)t->urged);
	if (t->flagged)
		put_field("flagged", t->flagged);
	if (t->result)
		put_field("result", t->result);
	if (t->satisfaction)
		printf("%-15s %lld/5\n", "satisfaction", (long long)t->satisfaction);
	if (t->worked) {
		char d[40];
		duration_format(t->worked, d);
		printf("%-15s %s\n", "worked", d);
	}
	if (t->feedback)
		put_field("feedback", t->feedback);
	show_suggested(sv, nsv);
	if (t->description && *t->description) {
		putchar('\n');
		put_text(t->description, 1);
		putchar('\n');
	}
}

/* A field's value in an event, a time in the desk's zone. */
static const char *value(struct session *s, const char *what, const char *field, const char *v,
			 int text, char buf[40])
{
	static const char *const times[] = { "created",	 "first_response", "resolved",
					     "closed",	 "response_due",   "resolve_due",
					     "resolve_start", "updated",	    NULL };
	if (!v)
		return "-";
	if (!strcmp(field, "escalated")) {
		ticket_escalated_names(strtoll(v, NULL, 10), buf);
		if (!buf[0])
			snprintf(buf, 32, "none");
		return buf;
	}
	/* Seconds in JSON, for sums; hours and minutes to read. */
	if (!strcmp(field, "worked") && text) {
		duration_format(strtoll(v, NULL, 10), buf);
		return buf;
	}
	/* A date of the customer's (--date sale=...): a time whatever its name. */
	if (!strcmp(what, "date")) {
		when(s, strtoll(v, NULL, 10), buf);
		return buf;
	}
	for (const char *const *t = times; *t; t++)
		if (!strcmp(*t, field)) {
			when(s, strtoll(v, NULL, 10), buf);
			return buf;
		}
	return v;
}

/* The history, read whole before anything of it is written. */
static void history(struct session *s, const struct ticket_event *ev, size_t n, struct out *o,
		    int json)
{
	if (json)
		out_list_begin(o, "events");
	else
		putchar('\n');
	for (size_t i = 0; i < n; i++) {
		const struct ticket_event *e = &ev[i];
		char at[32], was[40], now[40];
		when(s, e->at, at);
		if (json) {
			out_map_begin(o, NULL);
			out_str(o, "at", at);
			out_str(o, "who", e->who);
			out_str(o, "what", e->what);
			out_str(o, "field", e->field);
			out_str(o, "before",
				e->field && e->before ? value(s, e->what, e->field, e->before, 0, was) : NULL);
			out_str(o, "after",
				e->field && e->after ? value(s, e->what, e->field, e->after, 0, now) : NULL);
			out_str(o, "note", e->note);
			out_map_end(o);
		} else {
			printf("%s  %s  %s", at, e->who, e->what);
			if (e->field) {
				printf("  %s: ", e->field);
				put_text(value(s, e->what, e->field, e->before, 1, was), 0);
				fputs(" -> ", stdout);
				put_text(value(s, e->what, e->field, e->after, 1, now), 0);
			}
			if (e->note) {
				fputs("  \"", stdout);
				put_text(e->note, 1);
				putchar('"');
			}
			putchar('\n');
		}
	}
	if (json)
		out_list_end(o);
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c, status = EXIT_FOUND;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_JSON)
			json = 1;
		else
			cli_common(c, optarg, argv);
	}
	size_t n;
	char **ids = cli_items(argc, argv, "no ticket given", &n);

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	struct out o;
	out_init(&o, stdout, OUT_JSON);
	for (size_t i = 0; i < n; i++) {
		struct ticket t;
		struct ticket_event *ev;
		size_t nev;
		/* All of it read first: what is shown is never cut short. */
		if (store_ticket_get(s.store, ids[i], &t, &err)) {
			error("%s", err.msg);
			status = EXIT_ERROR;
			continue;
		}
		if (store_events_get(s.store, t.id, &ev, &nev, &err)) {
			error("%s", err.msg);
			status = EXIT_ERROR;
			ticket_release(&t);
			continue;
		}
		/* The scripts for it: a ticket is still shown when none can be had. */
		struct suggestion *sv = NULL;
		size_t nsv = 0;
		int have_sv = !ticket_suggest(&s, &t, SUGGESTED, &sv, &nsv, cli_print_line, NULL,
					      &err);
		if (!have_sv)
			warn("no suggested scripts: %s", err.msg);
		if (json) {
			out_begin(&o);
			ticket_emit(&o, &t, workflows_offset, &s.wf);
		} else {
			if (i)
				putchar('\n');
			show_text(&s, &t, sv, nsv);
		}
		history(&s, ev, nev, &o, json);
		if (json) {
			if (have_sv) {
				out_list_begin(&o, "suggested");
				for (size_t k = 0; k < nsv; k++) {
					out_map_begin(&o, NULL);
					out_str(&o, "id", sv[k].id);
					out_str(&o, "title", sv[k].title);
					out_num(&o, "score", sv[k].score, 4);
					out_int(&o, "similar", sv[k].similar);
					out_map_end(&o);
				}
				out_list_end(&o);
			} else {
				out_null(&o, "suggested");
			}
			out_end(&o); /* the ticket, its history and its scripts, written whole */
		}
		suggestions_free(sv, nsv);
		ticket_events_free(ev, nev);
		ticket_release(&t);
	}
	session_close(&s);
	return cli_exit(status);
}
