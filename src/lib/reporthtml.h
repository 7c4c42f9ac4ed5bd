/*
 * reporthtml: a report as one self-contained HTML5 page for people:
 * inline CSS and inline SVG charts, no script and nothing fetched, a CJK
 * font stack, laid out to print on A4. Every number on it is one of the
 * report's (report.h), written as ticket-report --json writes it, and
 * each is marked with its key (data-key) so that a program can check them.
 *
 * Ownership: the page is appended to the caller's buffer.
 */
#ifndef KEFU_REPORTHTML_H
#define KEFU_REPORTHTML_H

#include "kbreport.h"
#include "report.h"
#include "sbuf.h"

/*
 * The page of r, whose views are by day, department and agent, then by
 * (REPORT_BY_NONE: none more), and of k.
 */
void report_html(const struct report *r, const struct kb_report *k, enum report_by by,
		 struct sbuf *page);

#endif
