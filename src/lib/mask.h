/*
 * mask: customer contacts made unreadable in text that leaves the desk
 * (ticket-export without --unmask): phone numbers and e-mail addresses,
 * wherever they stand in it, enough of each kept to tell them apart.
 *
 * - An e-mail address keeps the first character of its local part and
 *   its domain: wang.fang@example.cn is w***@example.cn.
 * - A phone number keeps its last four digits and, when it has eleven
 *   or more, its first three: 13800000001 is 138****0001, 0571-88889999
 *   is 057*-****9999, 8765432 is ***5432. A phone number is 7 to 12
 *   digits (15 after a '+'), in groups separated by single spaces or
 *   hyphens, every group after the first at least three digits long, not
 *   touching another digit or an ASCII letter: so dates (2026-03-02),
 *   times, prices, ids like GD202603020001 and order numbers of 13
 *   digits or more are left alone.
 *
 * Masking is the same every time: the same text masks to the same text.
 */
#ifndef KEFU_MASK_H
#define KEFU_MASK_H

struct sbuf;

/* Append s to out with its contacts masked. */
void mask_contacts(const char *s, struct sbuf *out);
/* The same as a new string; NULL for NULL. */
char *mask_text(const char *s);

#endif
