/*
 * The e-mail reader (ticket-open --email) on any bytes: it refuses with
 * KF_EINVAL and a message, or gives fields that are valid UTF-8 with a
 * sender address, a one-line subject and a body.
 */
#include "fuzz.h"

#include <string.h>

#include "mail.h"
#include "utf8.h"

static int text(const char *s)
{
	return s && utf8_valid(s, strlen(s), NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mail m;
	struct kf_err err;

	if (mail_parse((const char *)data, size, &m, &err) != KF_OK) {
		fuzz_assert(err.status == KF_EINVAL && err.msg[0] && fuzz_one_line(err.msg));
		fuzz_assert(!m.from_addr && !m.subject && !m.body);
		return 0;
	}
	fuzz_assert(text(m.from_addr) && strchr(m.from_addr, '@'));
	fuzz_assert(!m.from_name || (text(m.from_name) && *m.from_name &&
				     !strchr(m.from_name, '\n')));
	fuzz_assert(text(m.subject) && !strchr(m.subject, '\n'));
	fuzz_assert(!m.message_id || text(m.message_id));
	fuzz_assert(!m.in_reply_to || text(m.in_reply_to));
	fuzz_assert(text(m.body) && !strchr(m.body, '\r'));
	size_t n = strlen(m.body);
	fuzz_assert(n == 0 || m.body[n - 1] != '\n');
	fuzz_assert(!m.body_type || !strcmp(m.body_type, "text/plain") ||
		    !strcmp(m.body_type, "text/html"));
	fuzz_assert(m.body_type || n == 0);
	mail_release(&m);
	return 0;
}
