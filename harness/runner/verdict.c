// SPDX-License-Identifier: GPL-2.0
/* The verdict, in one place: see verdict.h for the rules. */
#include "verdict.h"

#include <stdio.h>
#include <string.h>

#include "core/finding.h"
#include "core/util.h"
#include "userspace/workload.h"

/* Limits and codes that must agree across the layers. */
_Static_assert(XB_MAX_WORKLOADS <= XB_MAX_STEPS, "every workload of a scenario needs a step result");
_Static_assert(XB_K_COUNT < 31, "kinds and XB_EXPECT_PASS share one unsigned int");
_Static_assert(XB_WL_DONE != XB_WL_ERROR && XB_WL_DONE != XB_WL_SKIP && XB_WL_ERROR != XB_WL_SKIP,
	       "workload exit codes are distinct");
_Static_assert(XB_EXIT_PASS != XB_EXIT_FAIL && XB_EXIT_FAIL != XB_EXIT_USAGE &&
	       XB_EXIT_USAGE != XB_EXIT_LAB_FAILED && XB_EXIT_LAB_FAILED != XB_EXIT_SKIP &&
	       XB_EXIT_SKIP != XB_EXIT_BISECT_UNTESTABLE &&
	       XB_EXIT_BISECT_UNTESTABLE != XB_EXIT_BISECT_ABORT &&
	       XB_EXIT_BISECT_ABORT != XB_EXIT_INTERRUPTED,
	       "exit codes of run, run --bisect and the lab do not clash");
_Static_assert(XB_EXIT_BISECT_UNTESTABLE == 125 && XB_EXIT_BISECT_ABORT >= 128,
	       "git bisect run: 125 skips a commit, 128 and above stop it");

bool xb_verdict(unsigned int expect, unsigned int allow, const json_t *findings,
		char *why, size_t len)
{
	/* Kinds found, leaving out what the harness injected itself. */
	unsigned int seen = xb_findings_kinds(findings, false), missing, unexpected;
	char a[256], b[256];

	expect &= ~XB_EXPECT_PASS;
	missing = expect & ~seen;
	unexpected = seen & ~expect & ~allow;
	if (!missing && !unexpected) {
		xb_kinds_format(expect, a, sizeof(a));
		xb_kinds_format(seen & ~expect, b, sizeof(b));
		if (expect && b[0])
			snprintf(why, len, "expected %s: found; allowed %s", a, b);
		else if (expect)
			snprintf(why, len, "expected %s: found", a);
		else if (b[0])
			snprintf(why, len, "only allowed findings: %s", b);
		else
			snprintf(why, len, "no findings");
		return true;
	}
	xb_kinds_format(missing, a, sizeof(a));
	xb_kinds_format(unexpected, b, sizeof(b));
	if (missing && unexpected)
		snprintf(why, len, "expected %s: not found; unexpected %s", a, b);
	else if (missing)
		snprintf(why, len, "expected %s: not found", a);
	else
		snprintf(why, len, "unexpected %s", b);
	return false;
}

static bool known_bug_outcome(enum xb_status s)
{
	return s == XB_FAIL || s == XB_TIMEOUT || s == XB_CRASH;
}

/* An expectation covers a failure that failed with some of its kinds, and only those. */
static bool covers(unsigned int kinds, unsigned int failed)
{
	return failed && !(failed & ~kinds);
}

unsigned int xb_step_failed_kinds(const struct xb_workload *wl, const struct xb_step_result *s)
{
	unsigned int expect = wl->expect & ~XB_EXPECT_PASS, seen = xb_findings_kinds(s->findings, false);
	unsigned int failed = seen & ~expect & ~wl->allow;

	if (!known_bug_outcome(s->status))
		return 0;
	if (s->status == XB_FAIL)
		failed |= expect & ~seen;	/* a known-bad control that was not caught */
	if (s->status == XB_CRASH)
		failed |= XB_FAILED_CRASH;
	return failed;
}

unsigned int xb_test_failed_kinds(const struct xb_scenario *sc, const struct xb_test_result *t)
{
	const struct xb_phase_result *phases[] = { &t->setup, &t->teardown, &t->pool_check };
	unsigned int failed = 0;

	for (size_t i = 0; i < t->nsteps && i < sc->nwl; i++)
		failed |= xb_step_failed_kinds(&sc->wl[i], &t->steps[i]);
	for (size_t i = 0; i < XB_ARRAY_SIZE(phases); i++)
		if (phases[i]->ran && known_bug_outcome(phases[i]->status))
			failed |= xb_findings_kinds(phases[i]->findings, false) & ~sc->allow;
	return failed;
}

void xb_judge_step(const struct xb_workload *wl, struct xb_step_result *s)
{
	char v[512], a[256];
	unsigned int unexpected;

	if (s->status == XB_PASS ||
	    (s->status == XB_TIMEOUT && (wl->expect & XB_KIND_BIT(XB_K_HANG)))) {
		bool ok = xb_verdict(wl->expect, wl->allow, s->findings, v, sizeof(v));

		s->status = ok ? XB_PASS : XB_FAIL;
		snprintf(s->reason, sizeof(s->reason), "%s", v);
		return;
	}
	/* Whatever else ended the step, what it left in the logs counts. */
	unexpected = xb_findings_kinds(s->findings, false) & ~(wl->expect & ~XB_EXPECT_PASS) & ~wl->allow;
	/* A timeout is its own hang finding: not counted twice. */
	if (s->status == XB_TIMEOUT)
		unexpected &= ~XB_KIND_BIT(XB_K_HANG);
	if (!unexpected || s->status == XB_FAIL)
		return;
	xb_kinds_format(unexpected, a, sizeof(a));
	snprintf(v, sizeof(v), "%s (%s), and unexpected %s", xb_status_name(s->status), s->reason, a);
	snprintf(s->reason, sizeof(s->reason), "%s", v);
	s->status = xb_status_worst(s->status, XB_FAIL);
}

void xb_judge_evidence(const json_t *evidence, enum xb_status *st, char *reason, size_t len)
{
	json_int_t lost = json_integer_value(json_object_get(json_object_get(evidence, "kmsg"), "lost"));
	char v[1024];

	if (lost <= 0)
		return;
	/* A window whose log was overwritten unread cannot vouch for a pass. */
	snprintf(v, sizeof(v), "kernel log: %lld records overwritten before they were read, findings may be missing%s%s",
		 (long long)lost, reason[0] ? "; " : "", reason);
	snprintf(reason, len, "%s", v);
	if (xb_status_ok(*st))
		*st = XB_ERROR;
}

void xb_judge_phase(const struct xb_scenario *sc, struct xb_phase_result *p)
{
	char v[512];
	size_t i;
	json_t *f;

	if (!p->ran)
		return;
	/* The module's own mappings exhausting the pool is the injection. */
	json_array_foreach(p->findings, i, f) {
		const char *dev = json_string_value(json_object_get(f, "device"));

		if (xb_finding_kind(f) == XB_K_POOL_EXHAUSTED && dev && !strcmp(dev, XB_MODULE_DEVICE))
			json_object_set_new(f, "injected", json_true());
	}
	if (p->status != XB_PASS) {
		unsigned int unexpected = xb_findings_kinds(p->findings, false) & ~sc->allow;

		if (unexpected) {
			char a[256];

			xb_kinds_format(unexpected, a, sizeof(a));
			snprintf(v, sizeof(v), "%s; unexpected %s", p->reason, a);
			snprintf(p->reason, sizeof(p->reason), "%s", v);
			p->status = xb_status_worst(p->status, XB_FAIL);
		}
		return;
	}
	if (!xb_verdict(XB_EXPECT_PASS, sc->allow, p->findings, v, sizeof(v)))
		p->status = XB_FAIL;
	snprintf(p->reason, sizeof(p->reason), "%s", v);
}

void xb_judge_test(const struct xb_scenario *sc, struct xb_test_result *t)
{
	enum xb_status st = XB_PASS;
	bool all_skip = t->nsteps > 0;
	const char *culprit = NULL, *why = NULL;

	for (size_t i = 0; i < t->nsteps; i++) {
		const struct xb_step_result *s = &t->steps[i];

		/* Skipped steps do not change the scenario's result (KTAP). */
		if (s->status == XB_SKIP)
			continue;
		all_skip = false;
		if (xb_status_worst(st, s->status) != st || !culprit) {
			st = xb_status_worst(st, s->status);
			culprit = s->name;
			why = s->reason;
		}
	}
	if (all_skip) {
		st = XB_SKIP;
		culprit = NULL;
		why = t->steps[0].reason;
	}
	/* Setup and teardown are part of the test (a setup that SKIPs is below). */
	const struct {
		const struct xb_phase_result *p;
		const char *name;
	} phases[] = { { &t->setup, "fault setup" }, { &t->teardown, "fault teardown" },
		       { &t->pool_check, "pool check" } };

	for (size_t i = 0; i < XB_ARRAY_SIZE(phases); i++) {
		const struct xb_phase_result *p = phases[i].p;

		if (p->ran && p->status != XB_SKIP && xb_status_worst(st, p->status) != st) {
			st = xb_status_worst(st, p->status);
			culprit = phases[i].name;
			why = p->reason;
		}
	}
	if (st == XB_PASS && !t->nsteps && t->setup.ran && t->setup.status == XB_SKIP) {
		st = XB_SKIP;
		why = t->setup.reason;
	}
	t->status = st;
	if (culprit)
		snprintf(t->reason, sizeof(t->reason), "%s: %s", culprit, why ? why : "");
	else if (why && st != XB_PASS)
		snprintf(t->reason, sizeof(t->reason), "%s", why);
	if (known_bug_outcome(t->status) && sc->xfail[0]) {
		unsigned int failed = xb_test_failed_kinds(sc, t);
		char v[1024], a[256], b[256];

		if (covers(sc->xfail_kinds, failed)) {
			t->status = XB_XFAIL;
			snprintf(t->reason, sizeof(t->reason), "%s", sc->xfail);
		} else {
			xb_kinds_format(failed & ~sc->xfail_kinds, a, sizeof(a));
			xb_kinds_format(sc->xfail_kinds, b, sizeof(b));
			snprintf(v, sizeof(v), "%s; new failure: %s is not the known bug (xfail_kinds = %s)",
				 t->reason, a[0] ? a : "no finding", b);
			snprintf(t->reason, sizeof(t->reason), "%s", v);
		}
	}
}

static void apply_known(const struct xb_expect_entry *kf, unsigned int failed, enum xb_status *st,
			char *reason, size_t len)
{
	char v[1024], a[256], b[256];

	if (!kf)
		return;
	if (known_bug_outcome(*st) && covers(kf->kinds, failed)) {
		snprintf(v, sizeof(v), "known failure (%s): %s; was %s: %s", kf->where, kf->reason,
			 xb_status_name(*st), reason);
		*st = XB_XFAIL;
	} else if (known_bug_outcome(*st)) {
		/* Not the failure the entry knows: it stays a failure, and says why. */
		xb_kinds_format(failed & ~kf->kinds, a, sizeof(a));
		xb_kinds_format(kf->kinds, b, sizeof(b));
		snprintf(v, sizeof(v), "new failure: %s, not the known failure (%s: kinds = %s); %s",
			 a[0] ? a : "no finding", kf->where, b, reason);
	} else if (*st == XB_PASS) {
		snprintf(v, sizeof(v), "unexpected pass: known failure (%s) did not fail: %s", kf->where,
			 kf->reason);
		*st = XB_XPASS;
	} else {
		return;
	}
	snprintf(reason, len, "%s", v);
}

void xb_judge_step_expected(const struct xb_expect_entry *kf, const struct xb_workload *wl,
			    struct xb_step_result *s)
{
	apply_known(kf, xb_step_failed_kinds(wl, s), &s->status, s->reason, sizeof(s->reason));
}

void xb_judge_test_expected(const struct xb_expect_entry *kf, const struct xb_scenario *sc,
			    struct xb_test_result *t)
{
	apply_known(kf, xb_test_failed_kinds(sc, t), &t->status, t->reason, sizeof(t->reason));
	if (kf)
		snprintf(t->expectation, sizeof(t->expectation), "%s %s", xb_expect_kind_name(kf->kind), kf->where);
}

/* What a flaky entry may rerun when it does not name kinds: data loss never. */
#define XB_NEVER_FLAKY (XB_KIND_BIT(XB_K_CORRUPTION) | XB_KIND_BIT(XB_K_IOMMU_FAULT))

bool xb_flaky_rerun(const struct xb_expect_entry *fl, enum xb_status last, unsigned int failed,
		    size_t done, char *why, size_t len)
{
	unsigned int refused = fl->kinds ? failed & ~fl->kinds : failed & XB_NEVER_FLAKY;
	char a[256];

	if (done >= fl->attempts || !(known_bug_outcome(last) || last == XB_ERROR))
		return false;
	if (!refused)
		return true;
	xb_kinds_format(refused, a, sizeof(a));
	snprintf(why, len, "not run again: %s %s", a,
		 fl->kinds ? "is not among the flaky entry's kinds =" :
			     "is never flaky unless the flaky entry's kinds = names it");
	return false;
}

static bool bad_attempt(enum xb_status s)
{
	return known_bug_outcome(s) || s == XB_ERROR;
}

enum xb_status xb_judge_flaky(const enum xb_status *a, size_t n, char *why, size_t len)
{
	enum xb_status worst = XB_PASS;
	size_t bad = 0;

	if (!n)
		return XB_ERROR;
	for (size_t i = 0; i < n; i++) {
		if (bad_attempt(a[i])) {
			bad++;
			worst = xb_status_worst(worst, a[i]);
		}
	}
	if (bad && bad < n && a[n - 1] == XB_PASS) {
		snprintf(why, len, "flaky: failed %zu of %zu attempts, then passed", bad, n);
		return XB_FLAKY;
	}
	if (n > 1 && bad == n)
		snprintf(why, len, "failed all %zu attempts", n);
	/* A failure followed by a skip (or anything but a pass) stands. */
	if (bad && !bad_attempt(a[n - 1])) {
		snprintf(why, len, "failed %zu of %zu attempts, then %s: the failure stands", bad, n,
			 xb_status_name(a[n - 1]));
		return worst;
	}
	return a[n - 1];
}

int xb_exit_code(const enum xb_status *st, size_t n, bool bisect, bool intr)
{
	bool bad = false, err = false, all_skip = n > 0;

	if (intr)
		return XB_EXIT_INTERRUPTED;
	for (size_t i = 0; i < n; i++) {
		if (st[i] != XB_SKIP)
			all_skip = false;
		if (st[i] == XB_FAIL || st[i] == XB_TIMEOUT || st[i] == XB_CRASH)
			bad = true;
		if (st[i] == XB_ERROR || st[i] == XB_INCOMPLETE)
			err = true;
	}
	if (bisect) {
		if (bad)
			return XB_EXIT_FAIL;
		if (err || all_skip)
			return XB_EXIT_BISECT_UNTESTABLE;
		return XB_EXIT_PASS;
	}
	if (bad || err)
		return XB_EXIT_FAIL;
	return all_skip ? XB_EXIT_SKIP : XB_EXIT_PASS;
}
