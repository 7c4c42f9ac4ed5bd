/*
 * figures: how a report's numbers are made from what it counted, each
 * defined once: nearest-rank percentiles, means and shares rounded the
 * one way, the buckets of a time distribution. ticket-report(1) writes
 * the same definitions for people.
 *
 * Units: times in whole seconds, shares (0-1) in ten-thousandths,
 * satisfaction (1-5) in hundredths, so that a figure is an exact integer
 * and prints as one ("0.8500", "4.50"). FIGURE_NONE: no figure (null),
 * when nothing was counted.
 *
 * Ownership: a struct samples owns its array (samples_release()).
 */
#ifndef KEFU_FIGURES_H
#define KEFU_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#define FIGURE_NONE INT64_C(-1)

/* Some durations, in seconds. */
struct samples {
	int64_t *v;
	size_t n, alloc;
	int sorted;
};
void samples_add(struct samples *s, int64_t v);
void samples_release(struct samples *s);

/*
 * The p-th percentile (1..100) by nearest rank: the smallest value with
 * at least p% of the values at or below it, the value of rank
 * ceil(p / 100 * n) counted from 1 in ascending order. So the median of
 * 10, 20 is 10, of 10, 20, 30 is 20. Sorts s. FIGURE_NONE when empty.
 */
int64_t figure_percentile(struct samples *s, int p);
/* The mean of n values adding up to sum (>= 0), to the nearest whole, halves up. */
int64_t figure_mean(int64_t sum, int64_t n);
/* k of n, in ten-thousandths, to the nearest, halves up. FIGURE_NONE when n is 0. */
int64_t figure_share(int64_t k, int64_t n);
/* A mean score of n scores adding up to sum, in hundredths, halves up. */
int64_t figure_score(int64_t sum, int64_t n);

/*
 * The distribution of times is counted in FIGURE_BUCKETS buckets: bucket
 * i holds the times t with edge[i] <= t < edge[i + 1], the last one all
 * from its edge up: 0, 30s, 1m, 2m, 5m, 10m, 30m, 1h, 2h, 4h, 8h, 24h.
 */
#define FIGURE_BUCKETS 12
extern const int64_t figure_bucket_edge[FIGURE_BUCKETS];
int figure_bucket(int64_t secs);

#endif
