/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log classifiers: one table (classify.c) of what the kernel, Xen and GPU
 * drivers print when DMA goes wrong, turned into findings. Works on live
 * kmsg records, Xen's console ring and any saved log (dmesg, journalctl -k,
 * xl dmesg): prefixes, timestamps and CRLF are stripped first.
 */
#ifndef XB_CLASSIFY_H
#define XB_CLASSIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct xb_classifier;

struct xb_classifier *xb_classifier_new(const char *source);
/*
 * Feed one line: a saved log's line or a /dev/kmsg record. A record is
 * held until the next one shows whether it continues it (a KERN_CONT
 * fragment, or a record that ends in an open '['), so its findings are
 * appended to out (an array) when the next record comes or at
 * xb_classify_flush().
 */
void xb_classify_line(struct xb_classifier *c, const char *line, json_t *out);
/* Classify the record held back, if any. */
void xb_classify_flush(struct xb_classifier *c, json_t *out);
/*
 * Feed len bytes of text (many lines; a NUL ends a line like a newline
 * does), then flush. xb_classify_text() does the same up to the first NUL.
 */
void xb_classify_buf(struct xb_classifier *c, const char *buf, size_t len, json_t *out);
void xb_classify_text(struct xb_classifier *c, const char *text, json_t *out);
/* Feed a whole stream, then flush. Returns 0, or -1 with errno on a read error. */
int xb_classify_stream(struct xb_classifier *c, FILE *f, json_t *out);
/* Lines seen, and lines saying messages were rate-limited away. */
size_t xb_classifier_lines(const struct xb_classifier *c);
size_t xb_classifier_suppressed(const struct xb_classifier *c);
/*
 * Lines passed over as xenbounce's own KTAP: after optional blanks (and
 * the prefixes xb_log_normalize() strips), "# ", "ok ", "not ok ",
 * "KTAP version " or "TAP version ". Its diagnostics repeat the kernel
 * lines behind each finding; counting them again would double them.
 */
size_t xb_classifier_ktap_skipped(const struct xb_classifier *c);

/*
 * With on, each finding also says where it came from: "line_no", the
 * number of its input line (of its first line, for a record joined from
 * several; for xb_classify_line(), the count of calls), and "ts" when the
 * line has a timestamp, as printed: the dmesg seconds ("12.345678"), a
 * /dev/kmsg record's microseconds as dmesg prints them, the journal's time
 * ("Dec 06 16:24:53"), or a Xen console stamp.
 */
#define XB_CLASSIFY_TS_MAX 48
void xb_classifier_positions(struct xb_classifier *c, bool on);
void xb_classifier_free(struct xb_classifier *c);

/*
 * Strip syslog/journal prefixes, dmesg -r's "<N>", dmesg and Xen
 * timestamps, "(XEN) " and CR. Writes the message into out; sets *xen when it came from Xen.
 */
void xb_log_normalize(const char *line, char *out, size_t len, int *xen);

#endif
