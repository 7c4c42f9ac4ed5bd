/*
 * workflows: the desk's rules, the files of workflows/, read together and
 * checked against each other: roles (who), routing (where tickets go),
 * classify (guesses), calendars (business hours), sla (promises),
 * followups (the calls to make afterwards).
 *
 * Read from main by the commands that act (never the work tree, where
 * anyone may edit them), or from a directory by kb-lint. A file that is
 * absent leaves its part empty (has_* 0); one that is invalid is an error.
 *
 * Ownership: workflows_release() frees everything workflows_*() filled.
 */
#ifndef KEFU_WORKFLOWS_H
#define KEFU_WORKFLOWS_H

#include <stdint.h>

#include "calendar.h"
#include "classify.h"
#include "followups.h"
#include "repo.h"
#include "roles.h"
#include "routing.h"
#include "sla.h"
#include "status.h"

struct workflows {
	struct roles roles;
	struct routing routing;
	struct classify classify;
	struct calendars calendars;
	struct sla sla;
	struct followups followups;
	int has_roles, has_routing, has_classify, has_calendars, has_sla, has_followups;
	/* The desk's zone: calendar "business", else the first; NULL: $TZ. */
	const struct calendar *zone;
	struct {
		int64_t bucket;
		int offset;
	} cache[1024];
};

/* Told of each problem, as "workflows/FILE:LINE: key: problem". */
typedef void (*workflows_problem_fn)(void *ctx, const char *line);

/*
 * Read the workflow files of main. KF_EINVAL when one is invalid or they
 * disagree (each problem told to fn; err has the first), KF_EGIT.
 */
enum kf_status workflows_load(struct repo *r, struct workflows *wf, workflows_problem_fn fn,
			      void *ctx, struct kf_err *err);
/* The same from a directory holding workflows/ (a work tree). */
enum kf_status workflows_load_dir(const char *root, struct workflows *wf,
				  workflows_problem_fn fn, void *ctx, struct kf_err *err);
void workflows_release(struct workflows *wf);

/* The desk zone's UTC offset at t (a zone_fn: ctx is the workflows). */
int workflows_offset(const void *wf, int64_t t);

/*
 * Read an ISO 8601 time; without an offset it is a wall time in the
 * desk's zone (YYYY-MM-DD: its midnight). KF_EINVAL.
 */
enum kf_status workflows_time(struct workflows *wf, const char *s, int64_t *t,
			      struct kf_err *err);
/* The same in a calendar's zone (NULL: $TZ). */
enum kf_status zone_time(const struct calendar *cal, const char *s, int64_t *t,
			 struct kf_err *err);

/* The calendar a person works by: theirs, else their department's; NULL: always. */
const struct calendar *workflows_shift(const struct workflows *wf, const struct person *p);

#endif
