/* ticket-show: a ticket and its history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isotime.h"
#include "output.h"
#include "sbuf.h"
#include "session.h"
#include "ticket.h"

static const char usage[] =
	"usage: ticket-show [--json] [-C DIR] ID...\n"
	"\n"
	"Show tickets: their fields, then their history, one event a line (when,\n"
	"who, what, and what changed). Without ID and with stdin not a terminal,\n"
	"the ids are read from stdin (ticket-list | ticket-show).\n"
	"\n"
	"      --json           JSON Lines: the ticket's fields, as ticket-list\n"
	"                       --json gives them, and its events\n"
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

static void show_text(struct session *s, const struct ticket *t)
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
	if (t->feedback)
		put_field("feedback", t->feedback);
	if (t->description && *t->description) {
		putchar('\n');
		put_text(t->description, 1);
		putchar('\n');
	}
}

/* A field's value in an event, a time in the desk's zone. */
static const char *value(struct session *s, const char *field, const char *v, char buf[32])
{
	static const char *const times[] = { "created",	 "first_response", "resolved",
					     "closed",	 "response_due",   "resolve_due",
					     "resolve_start", "updated",	    NULL };
	if (!v)
		return "-";
	if (!strcmp(field, "escalated")) {
		long m = strtol(v, NULL, 10);
		snprintf(buf, 32, "%s%s%s", m & ESCALATED_RESPONSE ? "response" : "",
			 (m & ESCALATED_RESPONSE) && (m & ESCALATED_RESOLVE) ? "," : "",
			 m & ESCALATED_RESOLVE ? "resolve" : m ? "" : "none");
		return buf;
	}
	for (const char *const *t = times; *t; t++)
		if (!strcmp(*t, field)) {
			when(s, strtoll(v, NULL, 10), buf);
			return buf;
		}
	return v;
}

static enum kf_status history(struct session *s, const char *id, struct out *o, int json,
			      struct kf_err *err)
{
	sqlite3_stmt *st;
	enum kf_status ret = deskdb_prepare(&s->db,
					    "SELECT at, who, what, field, before, after, note"
					    " FROM events WHERE ticket = ?1 ORDER BY seq",
					    &st, err);
	if (ret)
		return ret;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (json)
		fputs(",\"events\":[", o->fp);
	else
		putchar('\n');
	int first = 1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char at[32];
		when(s, sqlite3_column_int64(st, 0), at);
		const char *col[6];
		for (int i = 0; i < 6; i++)
			col[i] = (const char *)sqlite3_column_text(st, i + 1);
		if (json) {
			struct out e;
			out_init(&e, o->fp, OUT_JSON);
			if (!first)
				fputc(',', o->fp);
			out_begin(&e);
			out_str(&e, "at", at);
			out_str(&e, "who", col[0]);
			out_str(&e, "what", col[1]);
			char was[32], now[32];
			out_str(&e, "field", col[2]);
			out_str(&e, "before", col[2] && col[3] ? value(s, col[2], col[3], was) : NULL);
			out_str(&e, "after", col[2] && col[4] ? value(s, col[2], col[4], now) : NULL);
			out_str(&e, "note", col[5]);
			fputc('}', o->fp);
		} else {
			printf("%s  %s  %s", at, col[0], col[1]);
			if (col[2]) {
				char was[32], now[32];
				printf("  %s: ", col[2]);
				put_text(value(s, col[2], col[3], was), 0);
				fputs(" -> ", stdout);
				put_text(value(s, col[2], col[4], now), 0);
			}
			if (col[5]) {
				fputs("  \"", stdout);
				put_text(col[5], 1);
				putchar('"');
			}
			putchar('\n');
		}
		first = 0;
	}
	sqlite3_finalize(st);
	if (json)
		fputs("]}\n", o->fp);
	return KF_OK;
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
	char **ids = argv + optind;
	size_t n = (size_t)(argc - optind);
	struct sbuf in = SBUF_INIT;
	char **owned = NULL;
	if (!n) {
		if (!cli_stdin_items())
			die_usage("no ticket given");
		if (sbuf_read_fd(&in, 0, 64 * 1024 * 1024) < 0)
			die("cannot read ids from stdin: %m");
		size_t alloc = 0;
		for (char *line = strtok(in.buf, "\n"); line; line = strtok(NULL, "\n")) {
			line[strcspn(line, "\t\r")] = '\0';
			if (*line) {
				ALLOC_GROW(owned, n + 1, alloc);
				owned[n++] = line;
			}
		}
		ids = owned;
	}

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	struct out o;
	out_init(&o, stdout, OUT_JSON);
	for (size_t i = 0; i < n; i++) {
		struct ticket t;
		if (ticket_load(&s.db, ids[i], &t, &err)) {
			error("%s", err.msg);
			status = EXIT_ERROR;
			continue;
		}
		if (json) {
			out_begin(&o);
			ticket_emit(&o, &t, workflows_offset, &s.wf);
		} else {
			if (i)
				putchar('\n');
			show_text(&s, &t);
		}
		if (history(&s, t.id, &o, json, &err)) {
			error("%s", err.msg);
			status = EXIT_ERROR;
		}
		ticket_release(&t);
	}
	session_close(&s);
	free(owned);
	sbuf_release(&in);
	return cli_exit(status);
}
