/* ticket-claim: take a ticket; of several offered, the first claim wins. */
#include <stdio.h>

#include "claim.h"
#include "cli.h"

static const char usage[] =
	"usage: ticket-claim [-C DIR] ID\n"
	"\n"
	"Take ticket ID as its agent: from a department's queue, or offered to\n"
	"everyone by ringall, where the first claim wins and the others are told\n"
	"who has it. Claiming one's own ticket again changes nothing.\n"
	"\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when the ticket is yours, 2 when someone has it or on\n"
	"error.\n";

/* Said before the claim is committed: a claim that cannot be said is not made. */
static enum kf_status say_id(void *ctx, const char *id, struct kf_err *err)
{
	(void)ctx;
	if (puts(id) == EOF || fflush(stdout) == EOF)
		return kf_fail_errno(err, "cannot write output");
	return KF_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	while ((c = getopt_long(argc, argv, ":C:h", longopts, NULL)) != -1)
		cli_common(c, optarg, argv);
	if (argc - optind != 1)
		die_usage("one ticket, please");
	const char *id = argv[optind];

	struct session s;
	enum claim_result res;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	if (ticket_claim(&s, id, &res, say_id, NULL, &err))
		die_err(&err);
	if (res == CLAIM_ALREADY)
		puts(id);
	session_close(&s);
	return cli_exit(EXIT_FOUND);
}
