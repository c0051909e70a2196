/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Evidence collectors. Each one brackets a step: begin() just before the
 * workload starts, end() right after it exits. end() saves what it gathered
 * into the test's directory, adds findings, and records numbers under its
 * name in the test's evidence object. A collector that cannot work here
 * (no Xen, not root) says so once and stays out of the way.
 *
 * Log collectors (kernel log, Xen console, taint) mark where the run
 * starts (start(), once, from xb_evidence_open) and read from the last
 * window's end, so nothing logged between two windows is dropped: it is
 * judged with the next window.
 */
#ifndef XB_EVIDENCE_H
#define XB_EVIDENCE_H

#include <jansson.h>
#include <stdbool.h>

struct xb_collector {
	const char *name;
	/* Set up; false when unavailable (why says so). */
	bool (*open)(void **state, char *why, size_t len);
	void (*start)(void *state);	/* the run starts here (NULL: nothing to mark) */
	void (*begin)(void *state);
	void (*end)(void *state, const char *dir, const char *prefix, json_t *findings,
		    json_t *evidence);
	void (*close)(void *state);
};

struct xb_conserve;

struct xb_evidence {
	void *state[8];
	bool on[8];
	char why[8][128];
	struct xb_conserve *conserve;	/* the pool check after each test; NULL: off */
};

extern const struct xb_collector *const xb_collectors[];
extern const size_t xb_ncollectors;

/*
 * Check a XENBOUNCE_COLLECTORS list ("none", or names joined by commas):
 * 0, or -1 with a message naming the valid collectors.
 */
int xb_evidence_check_names(const char *list, char *err, size_t len);
/* Open every collector and mark the start of the run: call it just before the first test. */
void xb_evidence_open(struct xb_evidence *ev);
void xb_evidence_begin(struct xb_evidence *ev);
void xb_evidence_end(struct xb_evidence *ev, const char *dir, const char *prefix,
		     json_t *findings, json_t *evidence);
void xb_evidence_close(struct xb_evidence *ev);
/* Which collectors are on, and why the others are off. */
json_t *xb_evidence_describe(const struct xb_evidence *ev);

#endif
