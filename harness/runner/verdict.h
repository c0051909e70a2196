/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict: every rule that turns what a test saw into its result
 * lives in verdict.c and nowhere else. The runner gathers (workload
 * reports, evidence of each step and of fault setup and teardown); this
 * file judges:
 *
 *   - a step that ran to its end passes when every kind its [expect]
 *     names was found and nothing else was, except what allow= lists;
 *   - a step that SKIPs, errors or crashes keeps that result, but its
 *     unexpected findings (an oops, an IOMMU fault, pool exhaustion seen
 *     while it ran) still fail it: a skip never hides evidence;
 *   - fault setup and teardown are judged like steps that expect nothing:
 *     what the module's own injection logs on its own device is recorded
 *     as injected and not held against the test; anything else fails it;
 *   - the test is the worst of its steps and phases (skipped steps do not
 *     count unless every step skipped), and a failure becomes XFAIL when
 *     the scenario says it is a known bug.
 */
#ifndef XB_VERDICT_H
#define XB_VERDICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/results.h"
#include "runner/scenario.h"

/* The device name the module's own mappings are logged under. */
#define XB_MODULE_DEVICE "xenbounce"

/*
 * Findings against an expectation: expect is a set of kinds that must all
 * appear (or XB_EXPECT_PASS), allow a set that may appear. Writes a
 * one-line reason; true when the findings satisfy the expectation.
 */
bool xb_verdict(unsigned int expect, unsigned int allow, const json_t *findings,
		char *why, size_t len);

/* A step, once its workload ended and its evidence is in. */
void xb_judge_step(const struct xb_workload *wl, struct xb_step_result *s);

/* Fault setup or teardown, once its evidence is in. */
void xb_judge_phase(const struct xb_scenario *sc, struct xb_phase_result *p);

/* The test, from its steps and phases. */
void xb_judge_test(const struct xb_scenario *sc, struct xb_test_result *t);

/* Exit code of `run` for a set of test statuses (see core/status.h). */
int xb_exit_code(const enum xb_status *st, size_t n, bool bisect, bool interrupted);

#endif
