/* ticket-open: a new ticket (工单), from any channel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascii.h"
#include "cli.h"
#include "ticketopen.h"
#include "json.h"
#include "mail.h"
#include "sbuf.h"

static const char usage[] =
	"usage: ticket-open [--type T] [--priority P] [--channel C] [--customer ID]\n"
	"                   [--subject S] [--tag TAG]... [--complexity N] [-C DIR] [TEXT...]\n"
	"       ticket-open --json [-C DIR] < OBJECT | JSON-LINES\n"
	"       ticket-open --email [-t T] [-p P] [-c C] [--tag TAG]... [--complexity N]\n"
	"                   [-C DIR] < MESSAGE\n"
	"\n"
	"Open a ticket and print its id (GD, the date in the desk's zone, a\n"
	"sequence). The description is TEXT, or stdin when there is no TEXT and\n"
	"stdin is not a terminal. A missing type or priority is guessed from the\n"
	"words by workflows/classify.yaml; angry wording marks the ticket and\n"
	"suggests a soothing script. The same customer's same request again\n"
	"within classify.yaml's repeat_window gives back the open ticket's id.\n"
	"\n"
	"  -t, --type T           the type (classify.yaml's list)\n"
	"  -p, --priority P       urgent, high, normal or low\n"
	"  -c, --channel C        phone, chat, email, social...\n"
	"  -u, --customer ID      who asks: a phone number, an address, an account\n"
	"  -s, --subject S        a line saying what it is about (default: the first\n"
	"                         line of the text)\n"
	"      --tag TAG          a tag of the customer's, e.g. VIP (repeat for more)\n"
	"      --complexity N     how hard, 1 to 10 (routing may send hard cases on)\n"
	"      --json             read one JSON object, or JSON Lines (a ticket a line):\n"
	"                         type, priority, channel, customer (a string or a\n"
	"                         whole number), subject, description, tags,\n"
	"                         complexity; a bad line is reported by its number\n"
	"                         and the others are opened\n"
	"      --email            read an e-mail (RFC 5322): the sender is the customer,\n"
	"                         its subject the subject, the channel email unless -c\n"
	"                         says; a reply to a ticket is added to it; its\n"
	"                         attachments are listed and kept in .kefu/attachments\n"
	"  -C, --directory DIR    use the desk at or above DIR\n"
	"  -h, --help             show this help\n"
	"      --version          show the version\n"
	"\n"
	"Exit status: 0 when the ticket is open (new or already), 2 on error\n"
	"(with JSON Lines: when any line could not be opened).\n";

#define INPUT_MAX (10 * 1024 * 1024)

static void read_stdin(struct sbuf *sb)
{
	int r = sbuf_read_fd(sb, 0, INPUT_MAX);
	if (r == -2)
		die("input on stdin too large (over %d bytes)", INPUT_MAX);
	if (r < 0)
		die("cannot read stdin: %m");
}

/* The id, out before the ticket is committed: one that cannot be said is not opened. */
static enum kf_status print_id(void *ctx, const char *id, enum open_result res,
			       struct kf_err *err)
{
	(void)ctx;
	(void)res;
	if (puts(id) == EOF || fflush(stdout) == EOF)
		return kf_fail_errno(err, "cannot write output");
	return KF_OK;
}

static void say_result(const char *id, enum open_result res, const char *where)
{
	if (res == OPEN_REPEAT)
		warn("%s%s: the same request from this customer is already open", where, id);
	else if (res == OPEN_FOLLOWUP)
		warn("%s%s: added to the ticket this e-mail answers", where, id);
}

/* The first line that is not blank, parsed alone: does the input read as JSON Lines? */
static int json_lines(const struct sbuf *text)
{
	const char *p = text->buf, *end = text->buf + text->len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		if (!ascii_blank(p, (size_t)(le - p))) {
			struct json *v;
			struct kf_err err;
			if (json_parse(p, (size_t)(le - p), &v, &err))
				return 0;
			json_free(v);
			return 1;
		}
		p = le + (nl != NULL);
	}
	return 0;
}

/*
 * JSON Lines: each line its own ticket, in its own transaction. A line
 * that is not a good ticket is said by its number and the next one read:
 * the customers of the other lines are not kept waiting for it. Anything
 * else (the desk's store failing) stops the batch. Returns the lines
 * that failed.
 */
static size_t open_lines(struct session *s, const struct sbuf *text)
{
	const char *p = text->buf, *end = text->buf + text->len;
	size_t line = 0, bad = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		struct ticket_request in;
		struct json *obj = NULL;
		struct kf_err err;
		char id[TICKET_ID_SIZE], where[32];
		enum open_result res;
		enum kf_status st;

		line++;
		snprintf(where, sizeof(where), "line %zu: ", line);
		if (ascii_blank(p, (size_t)(le - p))) {
			p = le + (nl != NULL);
			continue;
		}
		memset(&in, 0, sizeof(in));
		st = json_parse(p, (size_t)(le - p), &obj, &err);
		if (!st)
			st = ticket_request_from_json(obj, &in, &err);
		if (!st)
			st = ticket_open(s, &in, id, &res, print_id, NULL, &err);
		if (st == KF_EINVAL) {
			/* The line is the record: its position within it is the column alone. */
			static const char pos[] = "invalid JSON at line 1, column ";
			if (!strncmp(err.msg, pos, sizeof(pos) - 1))
				error("%sinvalid JSON at column %s", where, err.msg + sizeof(pos) - 1);
			else
				error("%s%s", where, err.msg);
			bad++;
		} else if (st) {
			error("%s%s", where, err.msg);
			die("the lines after line %zu were not read", line);
		} else {
			say_result(id, res, where);
		}
		ticket_request_release(&in);
		json_free(obj);
		p = le + (nl != NULL);
	}
	return bad;
}

int main(int argc, char **argv)
{
	enum { OPT_TAG = CLI_OPT_FIRST_FREE, OPT_COMPLEXITY, OPT_JSON, OPT_EMAIL };
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "channel", required_argument, NULL, 'c' },
		{ "complexity", required_argument, NULL, OPT_COMPLEXITY },
		{ "customer", required_argument, NULL, 'u' },
		{ "email", no_argument, NULL, OPT_EMAIL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "priority", required_argument, NULL, 'p' },
		{ "subject", required_argument, NULL, 's' },
		{ "tag", required_argument, NULL, OPT_TAG },
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct ticket_request in = { 0 };
	struct sbuf text = SBUF_INIT;
	struct json *obj = NULL;
	struct mail mail;
	size_t tags_alloc = 0;
	int json = 0, email = 0, c;
	struct kf_err err;

	cli_init(argc, argv, usage);
	in.source = "from the command line";
	while ((c = getopt_long(argc, argv, ":c:C:hp:s:t:u:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			in.channel = optarg;
			break;
		case OPT_COMPLEXITY:
			in.complexity = cli_number("--complexity", optarg, 1, 10);
			break;
		case 'u':
			in.customer = optarg;
			break;
		case OPT_EMAIL:
			email = 1;
			break;
		case OPT_JSON:
			json = 1;
			break;
		case 'p':
			in.priority = optarg;
			break;
		case 's':
			in.subject = optarg;
			break;
		case OPT_TAG:
			ALLOC_GROW(in.tags, in.ntags + 1, tags_alloc);
			in.tags[in.ntags++] = optarg;
			break;
		case 't':
			in.type = optarg;
			break;
		default:
			cli_common(c, optarg, argv);
		}
	}
	if (json && email)
		die_usage("--json and --email exclude each other");
	if ((json || email) && optind < argc)
		die_usage("with --%s, the input comes on stdin only", json ? "json" : "email");
	if (json && (in.type || in.priority || in.channel || in.customer || in.subject ||
		     in.ntags || in.complexity))
		die_usage("with --json, the fields come in the object");
	if (email && (in.customer || in.subject))
		die_usage("with --email, the customer and subject come from the message");

	struct session s;
	if (json) {
		read_stdin(&text);
		free(in.tags);
		in.tags = NULL;
		if (json_parse(text.buf, text.len, &obj, &err)) {
			if (!json_lines(&text))
				die_err(&err);
			if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line,
					 NULL, &err))
				die_err(&err);
			size_t bad = open_lines(&s, &text);
			session_close(&s);
			sbuf_release(&text);
			return cli_exit(bad ? EXIT_ERROR : EXIT_FOUND);
		}
		if (ticket_request_from_json(obj, &in, &err))
			die_err(&err);
	} else if (email) {
		read_stdin(&text);
		if (mail_parse(text.buf, text.len, &mail, &err))
			die("cannot read the e-mail: %s", err.msg);
		in.customer = mail.from_addr;
		in.subject = mail.subject;
		in.description = mail.body;
		in.message_id = mail.message_id;
		in.in_reply_to = mail.in_reply_to;
		in.att = mail.att;
		in.natt = mail.natt;
		in.att_unread = mail.att_unread;
		if (!in.channel)
			in.channel = "email";
		in.source = "from an e-mail";
	} else {
		for (int i = optind; i < argc; i++) {
			if (text.len)
				sbuf_addch(&text, ' ');
			sbuf_adds(&text, argv[i]);
		}
		if (optind == argc && !isatty(0))
			read_stdin(&text);
		sbuf_trim_newlines(&text);
		in.description = text.len ? text.buf : NULL;
	}

	char id[TICKET_ID_SIZE];
	enum open_result res;
	if (session_open(&s, !cli_dir_given, SESSION_WRITE, ROLE_AGENT, cli_print_line, NULL, &err))
		die_err(&err);
	s.warn = cli_warn_line;
	if (ticket_open(&s, &in, id, &res, print_id, NULL, &err))
		die_err(&err);
	say_result(id, res, "");
	session_close(&s);
	if (email)
		mail_release(&mail);
	if (json)
		ticket_request_release(&in);
	else
		free(in.tags);
	json_free(obj);
	sbuf_release(&text);
	return cli_exit(EXIT_FOUND);
}
