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
 *     the scenario says it is a known bug (xfail =) and failed only with
 *     the kinds that bug shows (xfail_kinds =);
 *   - expectations files (run --expectations): a step or test covered by a
 *     known-failure entry that fails, times out or crashes only with the
 *     entry's kinds is XFAIL; with any other kind it stays a failure (a new
 *     one hidden behind an old one is still new); one that passes is XPASS
 *     (an unexpected pass, reported as such); errors, skips and incomplete
 *     tests stay what they are (the harness or machine, not the known bug).
 *     A test marked flaky runs again after a failure, up to its attempts,
 *     unless it failed with corruption or an IOMMU fault and the entry's
 *     kinds = does not name them; one that failed and then passed is FLAKY,
 *     one that failed every attempt keeps its last failure, and one that
 *     failed and then skipped keeps the failure.
 */
#ifndef XB_VERDICT_H
#define XB_VERDICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/expect.h"
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

/*
 * What the collectors said about themselves: a window whose kernel log
 * lost records (overwritten before they were read) is an ERROR unless it
 * already failed; the reason says how many.
 */
void xb_judge_evidence(const json_t *evidence, enum xb_status *st, char *reason, size_t len);

/* The test, from its steps and phases. */
void xb_judge_test(const struct xb_scenario *sc, struct xb_test_result *t);

/*
 * What a step or test that failed, timed out or crashed failed with: its
 * unexpected kinds, the expected kinds a step did not find, and
 * XB_FAILED_CRASH (finding.h); 0 for any other result.
 */
unsigned int xb_step_failed_kinds(const struct xb_workload *wl, const struct xb_step_result *s);
unsigned int xb_test_failed_kinds(const struct xb_scenario *sc, const struct xb_test_result *t);

/*
 * A known-failure entry applied to a step (before xb_judge_test) or test:
 * XFAIL only when everything it failed with is among the entry's kinds;
 * any other failure stays a failure, its reason naming what is new.
 */
void xb_judge_step_expected(const struct xb_expect_entry *kf, const struct xb_workload *wl,
			    struct xb_step_result *s);
void xb_judge_test_expected(const struct xb_expect_entry *kf, const struct xb_scenario *sc,
			    struct xb_test_result *t);

/*
 * Whether a flaky-marked test runs again after attempt number done, which
 * ended with last and failed with failed: only when the entry allows those
 * kinds (without kinds =, anything but corruption and IOMMU faults). When
 * it refuses for the kinds, why says so.
 */
bool xb_flaky_rerun(const struct xb_expect_entry *fl, enum xb_status last, unsigned int failed,
		    size_t done, char *why, size_t len);
/* A flaky-marked test's result from its attempts' results, in order. */
enum xb_status xb_judge_flaky(const enum xb_status *attempts, size_t n, char *why, size_t len);

/* Exit code of `run` for a set of test statuses (see core/status.h). */
/*
 * xfail, xpass and flaky count as passed: only new failures fail a run
 * (xpass and flaky are listed first in the summary and report instead).
 */
int xb_exit_code(const enum xb_status *st, size_t n, bool bisect, bool interrupted);

#endif
