/* ticket-route: send tickets to a department and an agent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "assign.h"
#include "output.h"

static const char usage[] =
	"usage: ticket-route [--json] [-C DIR] ID...\n"
	"       ticket-route --pending [--json] [-C DIR]\n"
	"\n"
	"Route new tickets: the department of the first rule of\n"
	"workflows/routing.yaml that fits, then an agent by the department's\n"
	"strategy (sticky ringall linear roundrobin fewest leastrecent recent\n"
	"random) among its agents who are available, on shift and under capacity.\n"
	"Prints id, department, agent; with nobody free the ticket waits in the\n"
	"department's queue (agent empty), and ringall offers it to everyone\n"
	"(agent empty: the first ticket-claim wins). Without ID and with stdin not\n"
	"a terminal, the ids are read from stdin (ticket-open | ticket-route).\n"
	"\n"
	"      --pending          every new ticket nobody has yet: route or retry\n"
	"      --json             JSON Lines: id, department, agent, offered, queued\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when every ticket has an agent or an offer, 1 when one\n"
	"waits in a queue, 2 on error (the others are still routed).\n";

/* A routing, out before it is committed: one that cannot be said is not made. */
static enum kf_status print_route(void *ctx, const char *id, const struct assignment *d,
				  struct kf_err *err)
{
	struct out *o = ctx;
	out_begin(o);
	out_str(o, "id", id);
	out_str(o, "department", d->department);
	out_str(o, "agent", d->agent);
	if (o->fmt == OUT_JSON) {
		out_list(o, "offered", d->offered, d->noffered);
		out_bool(o, "queued", d->queued);
	}
	out_end(o);
	if (fflush(stdout) == EOF || ferror(stdout))
		return kf_fail_errno(err, "cannot write output");
	return KF_OK;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE, OPT_PENDING };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "pending", no_argument, NULL, OPT_PENDING },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, pending = 0, c, status = EXIT_FOUND;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_JSON)
			json = 1;
		else if (c == OPT_PENDING)
			pending = 1;
		else
			cli_common(c, optarg, argv);
	}
	if (pending && optind < argc)
		die_usage("--pending takes no ids");

	struct session s;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;

	/* The ids: the tickets waiting, the arguments, or stdin. */
	char **ids, **waiting = NULL;
	size_t n;
	if (pending) {
		if (assign_waiting(&s, &waiting, &n, &err))
			die_err(&err);
		ids = waiting;
	} else {
		ids = cli_items(argc, argv, "no ticket given", &n);
	}

	struct out o;
	out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
	for (size_t i = 0; i < n; i++) {
		struct assignment d;
		if (assign_ticket(&s, ids[i], &d, print_route, &o, &err)) {
			/* Nothing more can be said, so nothing more is done. */
			if (ferror(stdout))
				die_err(&err);
			error("%s", err.msg);
			status = EXIT_ERROR;
			continue;
		}
		if (d.queued) {
			warn("%s: nobody in %s is available; it waits in the queue", ids[i],
			     d.department);
			if (status == EXIT_FOUND)
				status = EXIT_NONE;
		}
		assignment_release(&d);
	}
	store_names_free(waiting, waiting ? n : 0);
	session_close(&s);
	return cli_exit(status);
}
