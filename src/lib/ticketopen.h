/*
 * ticketopen: a new ticket (ticket-open) from whatever brought it (arguments, a JSON
 * object, an e-mail), checked, classified, and not opened twice.
 *
 * - type and priority, when missing, are guessed by classify.yaml;
 *   angry wording marks the ticket and suggests a soothing script;
 * - the same customer's same request (same subject and text, spacing and
 *   punctuation aside) within classify.yaml's repeat_window, or the same
 *   e-mail delivered twice, gives back the open ticket instead;
 * - an e-mail answering a ticket (In-Reply-To, or its id in the subject,
 *   from the same customer) is added to that ticket as a message, and
 *   brings a pending ticket back to open;
 * - an e-mail's attachments are listed in the text it brings (so that a
 *   picture alone is not an empty ticket), each one an "attachment"
 *   event, and kept as files (attach.h) with the same transaction.
 *
 * Ownership: a ticket_request points at the caller's strings.
 */
#ifndef KEFU_TICKETOPEN_H
#define KEFU_TICKETOPEN_H

#include <stddef.h>

#include "json.h"
#include "mail.h"
#include "session.h"
#include "ticket.h"

struct ticket_request {
	const char *type, *priority, *channel, *customer, *subject, *description;
	char **tags; /* the customer's tags, e.g. VIP */
	size_t ntags;
	long complexity; /* 1-10; 0 when not scored */
	const char *message_id, *in_reply_to;
	const char *source; /* how it came, for the history: "from an e-mail" */
	const struct mail_attachment *att; /* an e-mail's attachments */
	size_t natt, att_unread;
};

enum open_result {
	OPEN_NEW,      /* a ticket was opened */
	OPEN_REPEAT,   /* the same request was already open */
	OPEN_FOLLOWUP, /* a message added to an existing ticket */
};

/*
 * Called inside the transaction, just before it commits, with the id
 * and what became of the request: the command prints its result there
 * and flushes it. Anything but KF_OK (output that cannot be written)
 * rolls the whole transaction back and is ticket_open()'s result.
 */
typedef enum kf_status (*open_confirm_fn)(void *ctx, const char *id, enum open_result res,
					 struct kf_err *err);

/*
 * Open a ticket for in, as s's actor, in one transaction. id receives
 * the ticket's id; confirm (may be NULL) is called before the commit.
 * KF_EINVAL (a bad value, named), KF_EDB, KF_EIO (attachments that
 * cannot be kept), or confirm's error.
 */
enum kf_status ticket_open(struct session *s, const struct ticket_request *in,
			   char id[TICKET_ID_SIZE], enum open_result *res, open_confirm_fn confirm,
			   void *ctx, struct kf_err *err);

/*
 * Read a request from a JSON object with the keys type, priority,
 * channel, customer, subject, description, tags, complexity (others are
 * refused). The customer may be a string or a whole number (an account
 * number, as many systems hand it over). The request points into obj.
 * KF_EINVAL.
 */
enum kf_status ticket_request_from_json(const struct json *obj, struct ticket_request *in,
					struct kf_err *err);
void ticket_request_release(struct ticket_request *in);

#endif
