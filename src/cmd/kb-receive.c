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
	"\"OLD NEW REF\" per ref. A push to main is refused when a commit it adds\n"
	"to main changes kb/ and its pusher (or, without one, its committer) is\n"
	"not a supervisor in the new main's workflows/roles.yaml, or when a merge\n"
	"is approved by someone who proposed or amended it. Other branches pass.\n"
	"kb-init --server installs it; the pusher comes from $KEFU_PUSHER,\n"
	"$GITEA_PUSHER_EMAIL, $GL_USERNAME, $GL_USER or $REMOTE_USER.\n"
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
	const char *pusher = receive_pusher();
	struct sbuf in = SBUF_INIT;
	if (sbuf_read_fd(&in, 0, 16 * 1024 * 1024) < 0)
		die("cannot read the updates on stdin: %m");
	for (char *line = strtok(in.buf, "\n"); line; line = strtok(NULL, "\n")) {
		char old[65], new[65], ref[1024];
		if (sscanf(line, "%64s %64s %1023s", old, new, ref) != 3)
			die("not an update line '%.80s'", line);
		enum kf_status st = receive_check(r, old, new, ref, pusher, &err);
		if (st == KF_EPERM) {
			error("%s", err.msg);
			refused = 1;
		} else if (st) {
			die_err(&err);
		}
	}
	sbuf_release(&in);
	repo_close(r);
	return cli_exit(refused ? EXIT_NONE : EXIT_FOUND);
}
