/* ticket-report: a period's figures against the targets, for a pipe, jq or a person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kbreport.h"
#include "output.h"
#include "period.h"
#include "report.h"
#include "reporthtml.h"
#include "session.h"

static const char usage[] =
	"usage: ticket-report [--from DATE [--to DATE] | --day [DATE] | --week [DATE] |\n"
	"                     --month [YYYY-MM]] [--by FIELD] [--kb] [--json | --html]\n"
	"                     [-C DIR]\n"
	"\n"
	"The figures of a period against workflows/targets.yaml: one record a\n"
	"group, then the whole period's (group *). Columns: by, group, from, to,\n"
	"opened, resolved, backlog, first_response_mean, first_response_median,\n"
	"first_response_p90, resolution_mean, resolution_median, resolution_p90,\n"
	"response_met, resolve_met, fcr, csat, rated, satisfied, handle_mean,\n"
	"reopened, escalated, urged, kb_uses, then for first_response_mean,\n"
	"resolution_mean, fcr, csat and handle_mean its target and whether it is met.\n"
	"Dates are days in the desk's zone. Without a period, yesterday's.\n"
	"\n"
	"      --from DATE        from this day (YYYY-MM-DD)\n"
	"      --to DATE          to this day, included (default: today)\n"
	"      --day [DATE]       that day (default: yesterday)\n"
	"      --week [DATE]      the week, Monday to Sunday, holding DATE (default:\n"
	"                         last week)\n"
	"      --month [YYYY-MM]  that month (default: last month)\n"
	"  -b, --by FIELD         a record for each agent, department, channel, type,\n"
	"                         priority, day, week or month\n"
	"      --kb               the knowledge report: scripts used, unused, gaps\n"
	"      --json             JSON Lines\n"
	"      --html             one self-contained HTML page with charts\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when the report is written, 2 on error.\n";

static void put_share(struct out *o, const char *key, int64_t v)
{
	if (v == FIGURE_NONE)
		out_null(o, key);
	else
		out_num(o, key, (double)v / 10000.0, 4);
}

static void put_score(struct out *o, const char *key, int64_t v)
{
	if (v == FIGURE_NONE)
		out_null(o, key);
	else
		out_num(o, key, (double)v / 100.0, 2);
}

static void put_int(struct out *o, const char *key, int64_t v)
{
	if (v == FIGURE_NONE)
		out_null(o, key);
	else
		out_int(o, key, (long long)v);
}

/* A figure as targets.h keeps it: a time, a share or a score. */
static void put_figure(struct out *o, const char *key, enum target_figure f, int64_t v)
{
	if (f == TARGET_FCR)
		put_share(o, key, v);
	else if (f == TARGET_CSAT)
		put_score(o, key, v);
	else
		put_int(o, key, v);
}

static void record(struct out *o, const struct report *r, const char *by,
		   const struct report_figures *g, int tsv)
{
	out_begin(o);
	out_str(o, "by", by);
	out_str(o, "group", g->group ? g->group : tsv ? "*" : NULL);
	out_str(o, "from", r->period.first);
	out_str(o, "to", r->period.last);
	put_int(o, "opened", g->opened);
	put_int(o, "resolved", g->resolved);
	put_int(o, "backlog", g->backlog);
	put_int(o, "first_response_mean", g->first_response_mean);
	put_int(o, "first_response_median", g->first_response_median);
	put_int(o, "first_response_p90", g->first_response_p90);
	put_int(o, "resolution_mean", g->resolution_mean);
	put_int(o, "resolution_median", g->resolution_median);
	put_int(o, "resolution_p90", g->resolution_p90);
	put_share(o, "response_met", g->response_met);
	put_share(o, "resolve_met", g->resolve_met);
	put_share(o, "fcr", g->fcr);
	put_score(o, "csat", g->csat);
	put_int(o, "rated", g->rated);
	put_share(o, "satisfied", g->satisfied);
	put_int(o, "handle_mean", g->handle_mean);
	put_int(o, "reopened", g->reopened);
	put_int(o, "escalated", g->escalated);
	put_int(o, "urged", g->urged);
	put_int(o, "kb_uses", g->kb_uses);
	for (int f = 0; f < TARGET_COUNT; f++) {
		char key[64];
		snprintf(key, sizeof(key), "%s_target", target_name(f));
		put_figure(o, key, f, g->targets.v[f]);
		snprintf(key, sizeof(key), "%s_met", target_name(f));
		int met = report_target_met(g, f);
		if (met < 0)
			out_null(o, key);
		else
			out_bool(o, key, met);
	}
	out_end(o);
}

static void kb_records(struct out *o, const struct kb_report *k)
{
	for (size_t i = 0; i < k->n; i++) {
		const struct kb_report_entry *e = &k->v[i];
		out_begin(o);
		out_str(o, "kind", e->uses ? "used" : "unused");
		out_str(o, "id", e->id);
		out_str(o, "title", e->title);
		out_int(o, "uses", e->uses);
		out_int(o, "adjusted", e->adjusted);
		out_int(o, "tickets", e->tickets);
		out_str(o, "last_used", e->last_used[0] ? e->last_used : NULL);
		out_end(o);
	}
	for (size_t i = 0; i < k->ngaps; i++) {
		out_begin(o);
		out_str(o, "kind", "gap");
		out_str(o, "id", NULL);
		out_str(o, "title", k->gaps[i].subject);
		out_int(o, "uses", 0);
		out_int(o, "adjusted", 0);
		out_int(o, "tickets", k->gaps[i].tickets);
		out_str(o, "last_used", NULL);
		out_end(o);
	}
}

/* --day [DATE]: an optional argument, given as the next word too. */
static const char *optional_word(int argc, char **argv)
{
	if (optarg)
		return optarg;
	if (optind < argc && argv[optind][0] && argv[optind][0] != '-')
		return argv[optind++];
	return NULL;
}

int main(int argc, char **argv)
{
	enum {
		OPT_FROM = CLI_OPT_FIRST_FREE,
		OPT_TO,
		OPT_DAY,
		OPT_WEEK,
		OPT_MONTH,
		OPT_KB,
		OPT_JSON,
		OPT_HTML,
	};
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "by", required_argument, NULL, 'b' },
		{ "day", optional_argument, NULL, OPT_DAY },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "html", no_argument, NULL, OPT_HTML },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "kb", no_argument, NULL, OPT_KB },
		{ "month", optional_argument, NULL, OPT_MONTH },
		{ "to", required_argument, NULL, OPT_TO },
		{ "week", optional_argument, NULL, OPT_WEEK },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL, *when = NULL;
	int unit = -1, periods = 0, kb = 0, json = 0, html = 0, c;
	enum report_by by = REPORT_BY_NONE;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":b:C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (!report_by_parse(optarg, &by))
				die_usage("unknown --by '%s' (agent department channel type priority "
					  "day week month)",
					  optarg);
			break;
		case OPT_DAY:
		case OPT_WEEK:
		case OPT_MONTH:
			unit = c == OPT_DAY ? PERIOD_DAY : c == OPT_WEEK ? PERIOD_WEEK : PERIOD_MONTH;
			when = optional_word(argc, argv);
			periods++;
			break;
		case OPT_FROM:
			from = optarg;
			periods++;
			break;
		case OPT_HTML:
			html = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case OPT_KB:
			kb = 1;
			break;
		case OPT_TO:
			to = optarg;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);
	if (periods > 1)
		die_usage("one period: --from, --day, --week or --month");
	if (to && !from)
		die_usage("--to needs --from");
	if (json && html)
		die_usage("--json or --html, not both");
	if (kb && by != REPORT_BY_NONE && !html)
		die_usage("--kb lists entries, not groups: no --by with it");

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	int64_t now = s.who.when.t;
	struct period p;
	enum kf_status st = from ? period_days(&s.wf, from, to, now, &p, &err)
			    : period_of(&s.wf, unit < 0 ? PERIOD_DAY : (enum period_unit)unit,
					when, now, &p, &err);
	if (st)
		die_err(&err);

	struct kb_report k;
	int want_kb = kb || html;
	if (want_kb && kb_report_make(&s, &p, &k, cli_print_line, NULL, &err))
		die_err(&err);

	if (html) {
		enum report_by views[] = { REPORT_BY_DAY, REPORT_BY_DEPARTMENT, REPORT_BY_AGENT, by };
		struct report r;
		if (report_make(s.store, &s.wf, &s.wf.targets, &p, views, 4, now, &r, &err))
			die_err(&err);
		struct sbuf page = SBUF_INIT;
		report_html(&r, &k, by, &page);
		fwrite(page.buf, 1, page.len, stdout);
		sbuf_release(&page);
		report_release(&r);
	} else if (kb) {
		struct out o;
		out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
		kb_records(&o, &k);
	} else {
		struct report r;
		if (report_make(s.store, &s.wf, &s.wf.targets, &p, &by, 1, now, &r, &err))
			die_err(&err);
		struct out o;
		out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
		for (size_t i = 0; i < r.nviews; i++)
			for (size_t g = 0; g < r.views[i].n; g++)
				record(&o, &r, report_by_name(by), &r.views[i].v[g], !json);
		record(&o, &r, report_by_name(by), &r.total, !json);
		report_release(&r);
	}
	if (want_kb)
		kb_report_release(&k);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
