/*
 * Unit tests of the mail reader: the messages in tests/fixtures/mail
 * against a table of the fields expected from each, then hostile input
 * built here (every prefix of every fixture, mutations, nesting bombs,
 * huge headers, NUL bytes) that must give valid UTF-8 or a clean error.
 */
#include "tap.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mail.h"
#include "sbuf.h"
#include "utf8.h"

static char fixdir[4096];

/* The fixtures the table names, to find any that it forgot. */
static char *named[256];
static size_t nnamed;

static const struct {
	const char *name;
	size_t off;
} fields[] = {
	{ "from_addr", offsetof(struct mail, from_addr) },
	{ "from_name", offsetof(struct mail, from_name) },
	{ "subject", offsetof(struct mail, subject) },
	{ "message_id", offsetof(struct mail, message_id) },
	{ "in_reply_to", offsetof(struct mail, in_reply_to) },
	{ "body", offsetof(struct mail, body) },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/*
 * The file in exactly as many bytes as it has, with no NUL after them,
 * so that AddressSanitizer sees any read past the end.
 */
static char *load(const char *name, size_t *len)
{
	struct sbuf sb = SBUF_INIT;
	char path[8192];

	snprintf(path, sizeof(path), "%s/%s", fixdir, name);
	if (sbuf_read_file(&sb, path, 0) < 0) {
		sbuf_release(&sb);
		return NULL;
	}
	char *buf = malloc(sb.len ? sb.len : 1);
	memcpy(buf, sb.buf, sb.len);
	*len = sb.len;
	sbuf_release(&sb);
	return buf;
}

static int valid(const char *s)
{
	return s && utf8_valid(s, strlen(s), NULL, NULL);
}

/* What every successful parse promises, whatever came in. */
static int sound(const struct mail *m)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const char *s = *(char *const *)((const char *)m + fields[i].off);
		if (s && !valid(s))
			return 0;
	}
	return m->from_addr && *m->from_addr && strchr(m->from_addr, '@') && m->subject &&
	       m->body && !strchr(m->subject, '\n') && (!m->from_name || *m->from_name);
}

/* Parse len bytes at a copy of exactly that size. */
static enum kf_status parse_exact(const char *buf, size_t len, struct mail *m, struct kf_err *err)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, buf, len);
	enum kf_status st = mail_parse(copy, len, m, err);
	free(copy);
	return st;
}

/* The attachments as "name|type|size; ...", and "+N" for N unread. */
static char *attachments(const struct mail *m)
{
	struct sbuf sb = SBUF_INIT;
	for (size_t i = 0; i < m->natt; i++)
		sbuf_addf(&sb, "%s%s|%s|%zu", i ? "; " : "", m->att[i].name, m->att[i].type,
			  m->att[i].size);
	if (m->att_unread)
		sbuf_addf(&sb, " +%zu", m->att_unread);
	return sbuf_detach(&sb);
}

/*
 * FIXTURE<TAB>FIELD<TAB>EXPECTED. FIELD is one of struct mail's, or
 * body_type, or attachments (as attachments() writes them), or "error"
 * for the message of a failure; "(null)" stands for NULL.
 */
static void run(char **f, int n, int lineno)
{
	char what[320];
	size_t len;
	struct mail m;
	struct kf_err err;

	if (n != 3) {
		tap_ok(0, "line %d: wants 3 fields", lineno);
		return;
	}
	snprintf(what, sizeof(what), "%s %s (line %d)", f[0], f[1], lineno);
	size_t i;
	for (i = 0; i < nnamed && strcmp(named[i], f[0]); i++)
		;
	if (i == nnamed && nnamed < sizeof(named) / sizeof(named[0]))
		named[nnamed++] = strdup(f[0]);
	char *buf = load(f[0], &len);
	if (!buf) {
		tap_ok(0, "%s: cannot read the fixture", what);
		return;
	}
	enum kf_status st = mail_parse(buf, len, &m, &err);
	free(buf);
	if (!strcmp(f[1], "error")) {
		if (st == KF_OK)
			tap_is("(parsed)", f[2], what);
		else
			tap_is(err.status == KF_EINVAL && st == KF_EINVAL ? err.msg
									  : "(not KF_EINVAL)",
			       f[2], what);
		mail_release(&m);
		return;
	}
	if (st != KF_OK) {
		tap_ok(0, "%s: %s", what, err.msg);
		return;
	}
	const char *got = NULL;
	char *list = NULL;
	if (!strcmp(f[1], "body_type")) {
		got = m.body_type;
	} else if (!strcmp(f[1], "attachments")) {
		got = list = attachments(&m);
	} else {
		for (i = 0; i < NFIELDS && strcmp(fields[i].name, f[1]); i++)
			;
		if (i == NFIELDS) {
			tap_ok(0, "%s: no such field", what);
			mail_release(&m);
			return;
		}
		got = *(char **)((char *)&m + fields[i].off);
	}
	tap_is(got ? got : "(null)", f[2], what);
	free(list);
	mail_release(&m);
}

static int is_fixture(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 4 && !strcmp(d->d_name + n - 4, ".eml");
}

/* A small deterministic generator, so that a failure can be replayed. */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Every fixture: sound when parsed, named in the table, and every prefix
 * of it and a few hundred mutations of it sound or refused. */
static void hostile_fixtures(void)
{
	static const char special[] = "\n\r-=?<>\"();:_ \t\0\xff\x80\xe4";
	struct dirent **list;
	int nfix = scandir(fixdir, &list, is_fixture, alphasort);

	tap_ok(nfix >= 20, "at least 20 fixtures in %s (%d)", fixdir, nfix);
	for (int k = 0; k < nfix; k++) {
		const char *name = list[k]->d_name;
		size_t len, i;
		char *buf = load(name, &len);
		struct mail m;
		struct kf_err err;
		int ok = buf != NULL, failed_at = -1;

		for (i = 0; i < nnamed && strcmp(named[i], name); i++)
			;
		tap_ok(i < nnamed, "%s is in the table", name);
		if (ok && mail_parse(buf, len, &m, &err) == KF_OK) {
			tap_ok(sound(&m), "%s: every field is valid UTF-8", name);
			mail_release(&m);
		} else {
			tap_ok(ok && err.status == KF_EINVAL, "%s: refused cleanly", name);
		}
		size_t step = len > 20000 ? len / 2000 : 1;
		for (size_t cut = 0; ok && cut <= len; cut += step) {
			if (parse_exact(buf, cut, &m, &err) == KF_OK)
				ok = sound(&m);
			else
				ok = err.status == KF_EINVAL && !m.from_addr && !m.body;
			mail_release(&m);
		}
		tap_ok(ok, "%s: every prefix parses soundly or is refused", name);
		ok = buf != NULL;
		char *mut = malloc(len * 2 + 64);
		for (int t = 0; ok && t < (len > 20000 ? 20 : 300); t++) {
			size_t mlen = len;
			memcpy(mut, buf, len);
			for (int e = 1 + (int)(rnd() % 8); e > 0 && mlen; e--) {
				size_t at = rnd() % mlen;
				switch (rnd() % 4) {
				case 0:
				case 1:
					mut[at] = special[rnd() % (sizeof(special) - 1)];
					break;
				case 2: /* cut a piece out */
				{
					size_t cnt = rnd() % 64;
					if (cnt > mlen - at)
						cnt = mlen - at;
					memmove(mut + at, mut + at + cnt, mlen - at - cnt);
					mlen -= cnt;
					break;
				}
				default: /* repeat a piece */
				{
					size_t cnt = rnd() % 32;
					if (cnt > mlen - at)
						cnt = mlen - at;
					if (mlen + cnt > len * 2 + 64)
						break;
					memmove(mut + at + cnt, mut + at, mlen - at);
					mlen += cnt;
					break;
				}
				}
			}
			if (parse_exact(mut, mlen, &m, &err) == KF_OK)
				ok = sound(&m);
			else
				ok = err.status == KF_EINVAL;
			if (!ok)
				failed_at = t;
			mail_release(&m);
		}
		tap_ok(ok, "%s: mutations parse soundly or are refused", name);
		if (!ok)
			printf("#   mutation %d failed\n", failed_at);
		free(mut);
		free(buf);
		free(list[k]);
	}
	free(list);
}

static void parse_str(const char *s, size_t len, struct mail *m, enum kf_status *st,
		      struct kf_err *err)
{
	*st = parse_exact(s, len, m, err);
}

/* A message of n nested multiparts with a text part innermost. */
static void nested(struct sbuf *sb, int n)
{
	sbuf_adds(sb, "From: deep@example.com\n");
	for (int i = 0; i < n; i++)
		sbuf_addf(sb, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
	sbuf_adds(sb, "Content-Type: text/plain\n\ndeep text\n");
	for (int i = n - 1; i >= 0; i--)
		sbuf_addf(sb, "--b%d--\n", i);
}

static void hostile_built(void)
{
	struct mail m;
	struct kf_err err;
	enum kf_status st;
	struct sbuf sb = SBUF_INIT;

	/* Over the limit: refused before reading. */
	size_t big = MAIL_MAX_BYTES + 1;
	char *buf = malloc(big);
	memset(buf, 'a', big);
	memcpy(buf, "From: a@b.c\n\n", 13);
	st = mail_parse(buf, big, &m, &err);
	tap_ok(st == KF_EINVAL && strstr(err.msg, "over the limit") && !m.body,
	       "a message over MAIL_MAX_BYTES is refused: %s", err.msg);
	mail_release(&m);
	/* Just under it, a single header line of almost ten megabytes. */
	memcpy(buf, "From: a@b.c\nSubject: ", 21);
	buf[MAIL_MAX_BYTES - 1] = '\n';
	clock_t t0 = clock();
	parse_str(buf, MAIL_MAX_BYTES, &m, &st, &err);
	tap_ok(st == KF_OK && strlen(m.subject) == MAIL_MAX_BYTES - 22 && !strcmp(m.body, ""),
	       "a ten-megabyte header line is read whole");
	mail_release(&m);
	/* Encoded-word openers with no end: linear, left as written. */
	sbuf_adds(&sb, "From: a@b.c\nSubject: ");
	while (sb.len < 3000000)
		sbuf_adds(&sb, "=?a?q?a");
	sbuf_adds(&sb, "\n\n");
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_OK && strlen(m.subject) == sb.len - 23 &&
		       !strncmp(m.subject, "=?a?q?a=?a", 10),
	       "three megabytes of unterminated encoded words stay as written");
	mail_release(&m);
	/* A From of many mailboxes, none with an address: linear too. */
	sbuf_reset(&sb);
	sbuf_adds(&sb, "From: ");
	for (int i = 0; i < 200000; i++)
		sbuf_adds(&sb, i % 2 ? "a@, " : "x, ");
	sbuf_adds(&sb, "\nSender: s@example.com\n\n");
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.from_addr, "s@example.com"),
	       "200000 bad mailboxes in From, then Sender");
	mail_release(&m);
	tap_ok((double)(clock() - t0) / CLOCKS_PER_SEC < 20,
	       "hostile headers take no quadratic time");
	free(buf);

	/* A million tiny header fields cost no memory per field. */
	sbuf_reset(&sb);
	for (int i = 0; i < 1000000; i++)
		sbuf_adds(&sb, "X:\n");
	sbuf_adds(&sb, "From: late@example.com\n\nbody\n");
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.from_addr, "late@example.com") && !strcmp(m.body, "body"),
	       "a million header fields before From");
	mail_release(&m);

	/* Nesting: 16 multiparts are entered, the 17th is not. */
	sbuf_reset(&sb);
	nested(&sb, MAIL_MAX_DEPTH);
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "deep text"), "16 nested multiparts are read");
	mail_release(&m);
	sbuf_reset(&sb);
	nested(&sb, MAIL_MAX_DEPTH + 1);
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_EINVAL && strstr(err.msg, "nested deeper than 16"),
	       "17 nested multiparts with nothing else readable are refused: %s",
	       st ? err.msg : "parsed");
	mail_release(&m);
	sbuf_reset(&sb);
	nested(&sb, 5000);
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_EINVAL, "5000 nested multiparts are refused, not recursed into");
	mail_release(&m);
	/* A readable part beside a nesting bomb is still read. */
	sbuf_reset(&sb);
	sbuf_adds(&sb, "From: a@b.c\nContent-Type: multipart/mixed; boundary=top\n\n--top\n");
	sbuf_adds(&sb, "Content-Type: text/plain\n\nbeside the bomb\n--top\n");
	nested(&sb, 40);
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "beside the bomb"), "text beside a nesting bomb");
	mail_release(&m);

	/* A hundred thousand attachments, then the text. */
	sbuf_reset(&sb);
	sbuf_adds(&sb, "From: a@b.c\nContent-Type: multipart/mixed; boundary=p\n\n");
	for (int i = 0; i < 100000; i++)
		sbuf_adds(&sb, "--p\nContent-Type: image/png\n\nx\n");
	sbuf_adds(&sb, "--p\n\nthe text\n--p--\n");
	parse_str(sb.buf, sb.len, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "the text") && m.natt == MAIL_MAX_ATTACHMENTS &&
		       m.att_unread == 100000 - MAIL_MAX_ATTACHMENTS && m.att[0].size == 1 &&
		       !strcmp(m.att[0].type, "image/png"),
	       "the text after 100000 parts, of which 64 are read as attachments");
	mail_release(&m);

	/* NUL bytes are dropped everywhere. */
	static const char nul[] = "From: Na\0me <a\0@b.c>\nSubject: x\0y\nMessage-ID: <i\0d@x>\n\n"
				  "a\0b\n";
	parse_str(nul, sizeof(nul) - 1, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.from_addr, "a@b.c") && !strcmp(m.from_name, "Name") &&
		       !strcmp(m.subject, "xy") && !strcmp(m.message_id, "id@x") &&
		       !strcmp(m.body, "ab"),
	       "NUL bytes in headers and body are dropped");
	mail_release(&m);
	static const char nul2[] = "From: a@b.c\nContent-Transfer-Encoding: base64\n\nYQBi\n";
	parse_str(nul2, sizeof(nul2) - 1, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "ab"), "a NUL decoded from base64 is dropped");
	mail_release(&m);

	/* Control characters: spaces in one-line fields, gone from text. */
	static const char ctl[] = "From: a@b.c\nSubject: =?utf-8?q?red=1B[31m_x=0Ay?=\n\n"
				  "t\x1b[2Jx\ty\f\r\nz\rw\n";
	parse_str(ctl, sizeof(ctl) - 1, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.subject, "red [31m x y") &&
		       !strcmp(m.body, "t[2Jx\ty\nz\nw"),
	       "control characters cannot reach a terminal");
	mail_release(&m);

	/* Charset labels are not paths or iconv options. */
	static const char lbl[] = "From: a@b.c\n"
				  "Content-Type: text/plain; charset=\"utf-8//IGNORE\"\n\nx\n";
	parse_str(lbl, sizeof(lbl) - 1, &m, &st, &err);
	tap_ok(st == KF_EINVAL && strstr(err.msg, "'utf-8//IGNORE'"),
	       "a charset label with a slash is unknown: %s", st ? err.msg : "parsed");
	mail_release(&m);
	static const char lbl2[] = "From: a@b.c\n"
				   "Content-Type: text/plain; charset=\"a\x1b\"\n\nx\n";
	parse_str(lbl2, sizeof(lbl2) - 1, &m, &st, &err);
	tap_ok(st == KF_EINVAL && strstr(err.msg, "'a?'"),
	       "an unknown charset is named printably: %s", st ? err.msg : "parsed");
	mail_release(&m);

	/* A boundary that is a prefix of a line is no delimiter. */
	static const char pre[] = "From: a@b.c\nContent-Type: multipart/mixed; boundary=abc\n\n"
				  "--abc\n\nline\n--abcdef\nmore\n--abc-- \n";
	parse_str(pre, sizeof(pre) - 1, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "line\n--abcdef\nmore"),
	       "only a whole boundary line delimits a part");
	mail_release(&m);

	/* A multipart whose boundary never comes still has its text. */
	static const char lost[] = "From: a@b.c\nContent-Type: multipart/mixed; boundary=gone\n"
				   "Content-Transfer-Encoding: 8bit\n\nthe mailer lost it\n\n";
	parse_str(lost, sizeof(lost) - 1, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "the mailer lost it"),
	       "a multipart without its boundary is read as text");
	mail_release(&m);

	/* The empty message, and one line with no end. */
	parse_str("", 0, &m, &st, &err);
	tap_ok(st == KF_EINVAL && !m.from_addr, "an empty message has no sender");
	mail_release(&m);
	parse_str("From: x@y.z", 11, &m, &st, &err);
	tap_ok(st == KF_OK && !strcmp(m.body, "") && !strcmp(m.subject, ""),
	       "a lone From line is a message with no body");
	mail_release(&m);
	mail_release(&m);
	tap_ok(!m.from_addr && !m.body, "mail_release twice is harmless");
	sbuf_release(&sb);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 1;
	/* The fixtures sit beside the table: tests/unit/../fixtures/mail. */
	snprintf(fixdir, sizeof(fixdir), "%s", argv[1]);
	char *slash = strrchr(fixdir, '/');
	if (slash)
		slash[1] = '\0';
	else
		fixdir[0] = '\0';
	size_t dl = strlen(fixdir);
	snprintf(fixdir + dl, sizeof(fixdir) - dl, "%s../fixtures/mail", dl ? "" : "./");
	if (tap_cases(argv[1], run) < 0)
		return 1;
	hostile_fixtures();
	hostile_built();
	for (size_t i = 0; i < nnamed; i++)
		free(named[i]);
	return tap_done();
}
