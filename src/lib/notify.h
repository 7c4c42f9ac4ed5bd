/*
 * notify: the desk's own hooks. An executable workflows/hooks/<event> in
 * the work tree is run with one JSON object on stdin when the event
 * happens (proposed, approved, rejected, escalated...): to mail a
 * supervisor, post to a chat, anything. A hook never undoes the change
 * it reports; one that fails or runs over NOTIFY_TIMEOUT seconds is
 * reported to the caller, which warns.
 */
#ifndef KEFU_NOTIFY_H
#define KEFU_NOTIFY_H

#include "status.h"

#define NOTIFY_TIMEOUT 30

/*
 * Run the hook for event in the desk at root, if there is one, with its
 * working directory the desk. KF_OK when absent or it exited 0; KF_EIO
 * with a message otherwise.
 */
enum kf_status notify_hook(const char *root, const char *event, const char *json,
			   struct kf_err *err);

#endif
