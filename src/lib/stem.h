/*
 * stem: the Porter (1980) stemmer for lowercase ASCII English words, so
 * that "refunds", "refunded" and "refunding" all search as "refund";
 * before it, irregular verbs meet their base (stole, stolen: steal) and
 * -ification nouns their verb (verification: verify).
 */
#ifndef KEFU_STEM_H
#define KEFU_STEM_H

#include <stddef.h>

/*
 * Stem the lowercase ASCII word w[0..n) in place; returns the new length
 * (never longer). Words of two letters or fewer, and anything holding a
 * character outside a-z, are returned unchanged.
 */
size_t stem_english(char *w, size_t n);

#endif
