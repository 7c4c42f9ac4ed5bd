#include "kbuse.h"

#include <stdlib.h>

#include "isotime.h"
#include "sbuf.h"
#include "ticketchange.h"

enum kf_status kb_use_record(struct session *s, const char *entry, const char *ticket,
			     const char *note, struct kf_err *err)
{
	int64_t now = s->who.when.t;
	char today[11];
	struct ticket t;
	enum kf_status st;
	iso_date(&(struct instant){ now, workflows_offset(&s->wf, now) }, today);
	if ((st = store_begin(s->store, err)))
		return st;
	if (ticket && !(st = store_ticket_get(s->store, ticket, &t, err)))
		ticket_release(&t);
	if (!st)
		st = store_usage_add(s->store, entry, ticket, s->who.email, now, today, note, err);
	if (!st && ticket) {
		char *what = note ? xasprintf("%s: %s", entry, note) : xstrdup(entry);
		st = ticket_log(s, ticket, "kb-use", what, err);
		free(what);
	}
	return store_end(s->store, st, err);
}
