/* SPDX-License-Identifier: GPL-2.0 */
/* Comparing two runs' results.json: what a nightly lab or a bisection reads. */
#ifndef XB_COMPARE_H
#define XB_COMPARE_H

#include <jansson.h>
#include <stdbool.h>

/*
 * Compare run a (before) with run b (after). The result:
 * {"new_failures": [...], "unexpected_passes": [...], "flaky": [...],
 *  "known_failures": [...], "fixes": [...], "new_skips": [...], "changed": [...],
 *  "added": [...], "removed": [...], "evidence": [...], "environment": [...]}
 * new_failures, the run summary's word: a test that was ok in a and is not
 * in b, or is new in b and not ok; unexpected_passes, flaky and
 * known_failures list b's xpass, flaky and xfail tests.
 * Each status change is {"test", "before", "after"}; evidence deltas are
 * {"test", "what", "before", "after"}; environment ones {"field", "before", "after"}.
 */
json_t *xb_compare(const json_t *a, const json_t *b);
/*
 * compare's exit code for an xb_compare result: 1 when it has new failures,
 * or "removed" tests (in run a, missing from run b: a run cut short) unless
 * allow_missing (the suites differ on purpose); else 0.
 */
int xb_compare_exit(const json_t *r, bool allow_missing);
/*
 * The two runs side by side as a markdown table, one row per test: each
 * run's status (with the scenario's [expect MODE] when one applied) and the
 * finding kinds its steps reported, or a skip's reason. Columns are named
 * by the runs' dom0 modes (A and B when those are the same). Caller frees.
 */
char *xb_compare_table(const json_t *a, const json_t *b);
/* Load a results.json from a file, a run directory, or a lab directory (run/). */
json_t *xb_results_load(const char *path, char *err, size_t len);

#endif
