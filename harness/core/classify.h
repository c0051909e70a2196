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
#include <stddef.h>

struct xb_classifier;

struct xb_classifier *xb_classifier_new(const char *source);
/* Feed one line; findings are appended to out (an array). */
void xb_classify_line(struct xb_classifier *c, const char *line, json_t *out);
/* Feed a whole text (many lines). */
void xb_classify_text(struct xb_classifier *c, const char *text, json_t *out);
/* Lines seen, and lines saying messages were rate-limited away. */
size_t xb_classifier_lines(const struct xb_classifier *c);
size_t xb_classifier_suppressed(const struct xb_classifier *c);
void xb_classifier_free(struct xb_classifier *c);

/*
 * Strip syslog/journal prefixes, dmesg and Xen timestamps, "(XEN) " and
 * CR. Writes the message into out; sets *xen when it came from Xen.
 */
void xb_log_normalize(const char *line, char *out, size_t len, int *xen);

#endif
