/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result vocabulary. One word per outcome, ordered so the most severe
 * wins when results are combined (as XTF does):
 *
 *   pass        the test ran and saw what it expected
 *   skip        a precondition is missing (not a Xen PV dom0, no edu, no GPU)
 *   xfail       a known failure, marked in the scenario ([expect] xfail=)
 *               or in an expectations file (run --expectations)
 *   xpass       unexpected pass: a known failure that passed (the
 *               expectation is stale, or the bug is fixed)
 *   flaky       marked flaky in the expectations file, and it both failed
 *               and passed across its attempts (every attempt is kept)
 *   error       the harness or the environment broke, not the code under test
 *   fail        the code under test misbehaved (or a known-bad control was
 *               not caught)
 *   timeout     the test overran its time and was killed (a hang)
 *   crash       the workload died by a signal
 *   incomplete  the test was running when the machine went down
 *
 * Keep in sync with xb_status_names[] in status.c.
 */
#ifndef XB_STATUS_H
#define XB_STATUS_H

#include <stdbool.h>

enum xb_status {
	XB_PASS,
	XB_SKIP,
	XB_XFAIL,
	XB_XPASS,
	XB_FLAKY,
	XB_ERROR,
	XB_FAIL,
	XB_TIMEOUT,
	XB_CRASH,
	XB_INCOMPLETE,
	XB_STATUS_COUNT
};

const char *xb_status_name(enum xb_status s);
/* -1 when the word is not a status. */
int xb_status_from_name(const char *name);
/* pass, skip, xfail, xpass and flaky are "ok" in KTAP (and exit 0). */
bool xb_status_ok(enum xb_status s);
enum xb_status xb_status_worst(enum xb_status a, enum xb_status b);
/* An ok word other than skip: pass, xfail, xpass, flaky (false when unknown). */
bool xb_status_passing(const char *name);

/*
 * Exit codes of `xenbounce run` (kselftest-compatible) and, with --bisect,
 * those git bisect run understands.
 */
enum {
	XB_EXIT_PASS = 0,
	XB_EXIT_FAIL = 1,
	XB_EXIT_USAGE = 2,
	XB_EXIT_LAB_FAILED = 3,		/* harness/lab/lab.sh only: the lab broke */
	XB_EXIT_SKIP = 4,
	XB_EXIT_BISECT_UNTESTABLE = 125,
	XB_EXIT_BISECT_ABORT = 128,	/* usage error: stop git bisect run */
	XB_EXIT_INTERRUPTED = 130,
};

#endif
