/*
 * kbuse: a knowledge script used on the desk (kb-use): who used which
 * entry when, on which ticket and with what adjustment. kb-search ranks
 * by the counts; the ticket's history shows the use.
 */
#ifndef KEFU_KBUSE_H
#define KEFU_KBUSE_H

#include "session.h"

/*
 * Record that the session's actor used entry's script, on ticket (NULL:
 * none; it must exist) with note (NULL: none), in one transaction.
 * KF_ENOTFOUND (no such ticket), KF_EDB.
 */
enum kf_status kb_use_record(struct session *s, const char *entry, const char *ticket,
			     const char *note, struct kf_err *err);

#endif
