/* agent-status: who is available, and marking oneself away. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "agents.h"
#include "output.h"

static const char usage[] =
	"usage: agent-status [--json] [-C DIR] [AGENT] [available|away]\n"
	"\n"
	"Without arguments, list the desk's agents: email, name, department,\n"
	"status, on shift (yes or no, by their calendar), open tickets and\n"
	"capacity. With AGENT (an email), that agent only. With available or\n"
	"away, set it: one's own status, or anyone's by a supervisor. Routing\n"
	"passes over agents who are away, off shift or at capacity.\n"
	"\n"
	"      --json           JSON Lines: email, name, department, status,\n"
	"                       on_shift, open, capacity, last_assigned\n"
	"  -C, --directory DIR  use the desk at or above DIR\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 when shown or set, 1 when no agent is listed, 2 on error.\n";

static int is_state(const char *s)
{
	return !strcmp(s, "available") || !strcmp(s, "away");
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = CLI_OPT_FIRST_FREE };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1) {
		if (c == OPT_JSON)
			json = 1;
		else
			cli_common(c, optarg, argv);
	}
	const char *agent = NULL, *state = NULL;
	int nargs = argc - optind;
	if (nargs > 2)
		die_usage("too many arguments");
	if (nargs == 2) {
		agent = argv[optind];
		state = argv[optind + 1];
		if (!is_state(state))
			die_usage("a status is available or away, not '%s'", state);
	} else if (nargs == 1) {
		if (is_state(argv[optind]))
			state = argv[optind];
		else
			agent = argv[optind];
	}

	struct session s;
	if (state) {
		/* Setting: one's own, or a supervisor anyone's. */
		if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL,
				 &err))
			die_err(&err);
		if (agent_set_status(&s, agent, !strcmp(state, "away"), &err))
			die_err(&err);
		session_close(&s);
		return cli_exit(EXIT_FOUND);
	}

	if (session_open(&s, !cli_dir_given, SESSION_READ, 0, cli_print_line, NULL, &err))
		die_err(&err);
	struct agent_state *v;
	size_t n, shown = 0;
	if (agents_load(&s, &v, &n, &err))
		die_err(&err);
	if (agent && !roles_find(&s.wf.roles, agent))
		die("'%s' is not in workflows/roles.yaml", agent);
	struct out o;
	out_init(&o, stdout, json ? OUT_JSON : OUT_TSV);
	for (size_t i = 0; i < n; i++) {
		const struct person *p = v[i].p;
		if (agent && strcasecmp(agent, p->email))
			continue;
		out_begin(&o);
		out_str(&o, "email", p->email);
		out_str(&o, "name", p->name);
		out_str(&o, "department", p->department);
		out_str(&o, "status", v[i].status);
		if (json)
			out_bool(&o, "on_shift", v[i].on_shift);
		else
			out_str(&o, "on_shift", v[i].on_shift ? "yes" : "no");
		out_int(&o, "open", v[i].open);
		if (p->capacity)
			out_int(&o, "capacity", p->capacity);
		else
			out_str(&o, "capacity", NULL); /* no limit */
		if (json) {
			char at[32];
			if (v[i].last_assigned != TIME_NONE) {
				struct instant in = { v[i].last_assigned,
						      workflows_offset(&s.wf, v[i].last_assigned) };
				iso_format(&in, 0, at);
			}
			out_str(&o, "last_assigned", v[i].last_assigned != TIME_NONE ? at : NULL);
		}
		out_end(&o);
		shown++;
	}
	if (agent && !shown)
		die("'%s' is not an agent in workflows/roles.yaml", agent);
	free(v);
	session_close(&s);
	return cli_exit(shown ? EXIT_FOUND : EXIT_NONE);
}
