/* kb-receive: a bare desk's pre-receive hook: supervisors publish. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "receive.h"
#include "sbuf.h"

static const char usage[] =
	"usage: kb-receive [-C DIR] < UPDATES\n"
	"\n"
	"Check a push as git's pre-receive hook does: stdin holds one line\n"
	"\"OLD NEW REF\" per ref. Main only moves forward, and only when the\n"
	"transport says who pushes: the Unix login bound by login: in roles.yaml,\n"
	"else $KEFU_PUSHER, $GITEA_PUSHER_EMAIL, $GL_USERNAME, $GL_USER or\n"
	"$REMOTE_USER when the hook runs as the repository's owner. What it adds\n"
	"that changes kb/ or workflows/ must be pushed by a supervisor, and a\n"
	"merge of a proposal committed by that supervisor, who neither proposed\n"
	"nor amended it. Refs that shadow main are refused; a new proposal\n"
	"branch may not reuse a number. kb-init --server installs it.\n"
	"\n"
	"  -C, --directory DIR  the repository (default: as git's hook\n"
	"                       environment says, else the current directory)\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Exit status: 0 to accept, 1 to refuse (the reasons on stderr), 2 on\n"
	"error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c, refused = 0;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1)
		cli_common(c, optarg, argv);
	if (optind < argc)
		die_usage("unexpected argument '%s'", argv[optind]);

	struct repo *r;
	if ((cli_dir_given ? repo_open(".", &r, &err) : repo_open_env(&r, &err)))
		die_err(&err);
	struct receive_transport t;
	receive_transport(r, &t);
	struct sbuf in = SBUF_INIT;
	if (sbuf_read_fd(&in, 0, 16 * 1024 * 1024) < 0)
		die("cannot read the updates on stdin: %m");
	for (char *line = strtok(in.buf, "\n"); line; line = strtok(NULL, "\n")) {
		char old[65], new[65], ref[1024];
		if (sscanf(line, "%64s %64s %1023s", old, new, ref) != 3)
			die("not an update line '%.80s'", line);
		enum kf_status st = receive_check(r, old, new, ref, &t, &err);
		if (st == KF_EPERM) {
			error("%s", err.msg);
			refused = 1;
		} else if (st) {
			die_err(&err);
		}
	}
	sbuf_release(&in);
	receive_transport_release(&t);
	repo_close(r);
	return cli_exit(refused ? EXIT_NONE : EXIT_FOUND);
}
