/*
 * targets: workflows/targets.yaml, the figures a team is held to
 * (seed 003: average response 30 s, first-contact resolution 85 %,
 * satisfaction 90 of 100, average handling time 10 min), overall and
 * per department. ticket-report shows each figure beside its target.
 *
 *   targets:                  # the whole desk's
 *     first_response_mean: 30s   # durations: business time, at most this
 *     resolution_mean: 8h
 *     fcr: 85%                # shares: "85%" or 0.85, at least this
 *     csat: 4.5               # mean satisfaction 1-5, at least this
 *     handle_mean: 10m        # mean time worked per resolved ticket
 *   departments:              # a department's own, over the desk's
 *     技术部:
 *       handle_mean: 30m
 *
 * Every key is optional; a figure without a target is shown without
 * one. Values are kept in the units report figures use (figures.h):
 * seconds, shares in ten-thousandths, satisfaction in hundredths, so a
 * target compares with the figure as it is printed.
 *
 * Ownership: targets_parse() fills strings that targets_release() frees.
 */
#ifndef KEFU_TARGETS_H
#define KEFU_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include "problems.h"
#include "status.h"

/* The figures that take a target, in the order reports show them. */
enum target_figure {
	TARGET_FIRST_RESPONSE_MEAN,
	TARGET_RESOLUTION_MEAN,
	TARGET_FCR,
	TARGET_CSAT,
	TARGET_HANDLE_MEAN,
	TARGET_COUNT
};

/* Its key in targets.yaml and in reports: "first_response_mean"... */
const char *target_name(enum target_figure f);
/* 1 when a higher figure is better (fcr, csat), 0 when lower is (times). */
int target_higher_better(enum target_figure f);

/* No target, no figure. */
#define TARGET_NONE INT64_C(-1)

struct target_set {
	int64_t v[TARGET_COUNT]; /* TARGET_NONE when not set */
};

struct department_targets {
	char *department;
	struct target_set set; /* its own; TARGET_NONE where the desk's apply */
	int line;
};

struct targets {
	struct target_set all;
	struct department_targets *v;
	size_t n;
};

/* Read targets.yaml from buf[0..len). KF_EINVAL with every problem in probs. */
enum kf_status targets_parse(const char *buf, size_t len, struct targets *t,
			     struct diags *probs);
void targets_release(struct targets *t);
/* No targets at all (a desk without the file). */
void targets_init(struct targets *t);

/* The targets of department (NULL: the desk's): its own, else the desk's. */
void targets_for(const struct targets *t, const char *department, struct target_set *out);

/*
 * Is figure value (figures.h's units) on target? 1 met, 0 missed, -1
 * when there is no target or no figure.
 */
int target_met(enum target_figure f, int64_t value, int64_t target);

#endif
