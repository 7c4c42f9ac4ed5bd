/*
 * html: the text of an HTML part, for an e-mail that has no text/plain
 * one. Tags go, <br> and the ends of blocks become newlines, entities
 * are decoded, and what is inside <script>, <style> and <title> is not
 * text at all; outside <pre>, runs of white space are one space, as a
 * browser shows them. Not a browser: enough to read what a customer
 * wrote. The input is hostile, every scan bounded by n.
 */
#ifndef KEFU_HTML_H
#define KEFU_HTML_H

#include <stddef.h>

struct sbuf;

/* Append the text of n bytes of HTML at s to out. */
void html_to_text(const char *s, size_t n, struct sbuf *out);

/* Append the charset a <meta> names in the first 4 KiB, if any. */
void html_charset(const char *s, size_t n, struct sbuf *out);

#endif
