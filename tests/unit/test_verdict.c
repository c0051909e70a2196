// SPDX-License-Identifier: GPL-2.0
/* The verdict rules of runner/verdict.c, one by one. */
#include "runner/verdict.h"
#include "core/finding.h"
#include "unit.h"

static json_t *finding(enum xb_kind k, const char *device)
{
	json_t *f = xb_finding_new(k, "x", "test");

	if (device)
		json_object_set_new(f, "device", json_string(device));
	return f;
}

static void step(struct xb_step_result *s, enum xb_status st, json_t *f)
{
	memset(s, 0, sizeof(*s));
	s->status = st;
	snprintf(s->name, sizeof(s->name), "w");
	snprintf(s->reason, sizeof(s->reason), "no host to verify");
	s->findings = json_array();
	s->notes = json_array();
	if (f)
		json_array_append_new(s->findings, f);
}

static void test_skip_keeps_its_evidence(void **state)
{
	struct xb_workload wl = { .expect = XB_EXPECT_PASS };
	struct xb_step_result s;

	(void)state;
	/* A clean skip stays a skip. */
	step(&s, XB_SKIP, NULL);
	xb_judge_step(&wl, &s);
	assert_int_equal(s.status, XB_SKIP);
	json_decref(s.findings);
	json_decref(s.notes);
	/* An oops during a skipped step fails it. */
	step(&s, XB_SKIP, finding(XB_K_OOPS, NULL));
	xb_judge_step(&wl, &s);
	assert_int_equal(s.status, XB_FAIL);
	assert_non_null(strstr(s.reason, "unexpected oops"));
	json_decref(s.findings);
	json_decref(s.notes);
	/* Unless the scenario allows it. */
	wl.allow = XB_KIND_BIT(XB_K_OOPS);
	step(&s, XB_SKIP, finding(XB_K_OOPS, NULL));
	xb_judge_step(&wl, &s);
	assert_int_equal(s.status, XB_SKIP);
	json_decref(s.findings);
	json_decref(s.notes);
	/* A crash with an IOMMU fault stays a crash (worse than fail), reason says both. */
	wl.allow = 0;
	step(&s, XB_CRASH, finding(XB_K_IOMMU_FAULT, NULL));
	xb_judge_step(&wl, &s);
	assert_int_equal(s.status, XB_CRASH);
	assert_non_null(strstr(s.reason, "unexpected iommu_fault"));
	json_decref(s.findings);
	json_decref(s.notes);
}

static void test_setup_evidence_counts(void **state)
{
	struct xb_scenario sc;
	struct xb_test_result t;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	memset(&t, 0, sizeof(t));
	t.nsteps = 1;
	step(&t.steps[0], XB_PASS, NULL);
	snprintf(t.steps[0].reason, sizeof(t.steps[0].reason), "no findings");
	/* The module exhausting the pool on its own device is the injection. */
	t.setup.ran = true;
	t.setup.status = XB_PASS;
	t.setup.findings = json_array();
	json_array_append_new(t.setup.findings, finding(XB_K_POOL_EXHAUSTED, XB_MODULE_DEVICE));
	xb_judge_phase(&sc, &t.setup);
	assert_int_equal(t.setup.status, XB_PASS);
	assert_true(json_is_true(json_object_get(json_array_get(t.setup.findings, 0), "injected")));
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_PASS);
	/* A WARNING while setting up fails the test, named as setup's. */
	json_array_append_new(t.setup.findings, finding(XB_K_WARNING, NULL));
	xb_judge_phase(&sc, &t.setup);
	assert_int_equal(t.setup.status, XB_FAIL);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	assert_non_null(strstr(t.reason, "fault setup: unexpected warning"));
	/* So does one during teardown. */
	json_decref(t.setup.findings);
	t.setup.findings = json_array();
	t.setup.status = XB_PASS;
	t.teardown.ran = true;
	t.teardown.status = XB_PASS;
	t.teardown.findings = json_array();
	json_array_append_new(t.teardown.findings, finding(XB_K_OOPS, NULL));
	xb_judge_phase(&sc, &t.teardown);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	assert_non_null(strstr(t.reason, "fault teardown"));
	/* A known bug that fails with oops turns that into XFAIL... */
	snprintf(sc.xfail, sizeof(sc.xfail), "known");
	sc.xfail_kinds = XB_KIND_BIT(XB_K_OOPS);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_XFAIL);
	/* ... and one known for corruption does not hide the oops. */
	sc.xfail_kinds = XB_KIND_BIT(XB_K_CORRUPTION);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	assert_non_null(strstr(t.reason, "new failure: oops is not the known bug (xfail_kinds = corruption)"));
	xb_test_result_clear(&t);
}

static void test_skipped_steps_do_not_count(void **state)
{
	struct xb_scenario sc;
	struct xb_test_result t;

	(void)state;
	memset(&sc, 0, sizeof(sc));
	memset(&t, 0, sizeof(t));
	t.nsteps = 2;
	step(&t.steps[0], XB_SKIP, NULL);
	step(&t.steps[1], XB_PASS, NULL);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_PASS);
	t.steps[1].status = XB_SKIP;
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_SKIP);
	assert_string_equal(t.reason, "no host to verify");
	xb_test_result_clear(&t);
}

static void test_known_failure_rules(void **state)
{
	struct xb_expect_entry kf = { .kind = XB_EXP_KNOWN_FAILURE, .reason = "bug 7", .where = "e.ini:2",
				      .kinds = XB_KIND_BIT(XB_K_CORRUPTION) | XB_KIND_BIT(XB_K_HANG) |
					       XB_FAILED_CRASH };
	struct xb_workload wl = { .expect = XB_EXPECT_PASS };
	struct xb_step_result s;
	struct xb_test_result t;

	(void)state;
	/* fail, timeout, crash with the entry's kinds: the known bug, XFAIL with both reasons. */
	static const enum xb_status known[] = { XB_FAIL, XB_TIMEOUT, XB_CRASH };
	static const enum xb_kind with[] = { XB_K_CORRUPTION, XB_K_HANG, XB_K_COUNT };
	for (size_t i = 0; i < 3; i++) {
		step(&s, known[i], with[i] < XB_K_COUNT ? finding(with[i], NULL) : NULL);
		xb_judge_step_expected(&kf, &wl, &s);
		assert_int_equal(s.status, XB_XFAIL);
		assert_non_null(strstr(s.reason, "known failure (e.ini:2): bug 7; was "));
		assert_non_null(strstr(s.reason, "no host to verify"));
		json_decref(s.findings);
		json_decref(s.notes);
	}
	/* Another kind beside the known one is a new failure, not hidden behind the old one. */
	step(&s, XB_FAIL, finding(XB_K_CORRUPTION, NULL));
	json_array_append_new(s.findings, finding(XB_K_OOPS, NULL));
	xb_judge_step_expected(&kf, &wl, &s);
	assert_int_equal(s.status, XB_FAIL);
	assert_non_null(strstr(s.reason, "new failure: oops, not the known failure (e.ini:2: kinds = corruption, hang, crash)"));
	json_decref(s.findings);
	json_decref(s.notes);
	/* A failure with no finding at all is not the known one either. */
	step(&s, XB_FAIL, NULL);
	xb_judge_step_expected(&kf, &wl, &s);
	assert_int_equal(s.status, XB_FAIL);
	assert_non_null(strstr(s.reason, "new failure: no finding"));
	json_decref(s.findings);
	json_decref(s.notes);
	/* A known-bad control that was not caught fails with the kind it missed. */
	wl.expect = XB_KIND_BIT(XB_K_CORRUPTION);
	step(&s, XB_FAIL, NULL);
	assert_int_equal(xb_step_failed_kinds(&wl, &s), XB_KIND_BIT(XB_K_CORRUPTION));
	xb_judge_step_expected(&kf, &wl, &s);
	assert_int_equal(s.status, XB_XFAIL);
	json_decref(s.findings);
	json_decref(s.notes);
	wl.expect = XB_EXPECT_PASS;
	/* A pass is an unexpected pass, never silent. */
	step(&s, XB_PASS, NULL);
	xb_judge_step_expected(&kf, &wl, &s);
	assert_int_equal(s.status, XB_XPASS);
	assert_non_null(strstr(s.reason, "unexpected pass"));
	json_decref(s.findings);
	json_decref(s.notes);
	/* Skips, harness errors and lost machines are not the known bug. */
	static const enum xb_status other[] = { XB_SKIP, XB_ERROR, XB_INCOMPLETE };
	for (size_t i = 0; i < 3; i++) {
		step(&s, other[i], NULL);
		xb_judge_step_expected(&kf, &wl, &s);
		assert_int_equal(s.status, other[i]);
		assert_string_equal(s.reason, "no host to verify");
		json_decref(s.findings);
		json_decref(s.notes);
	}
	/* No entry: nothing changes. */
	step(&s, XB_FAIL, NULL);
	xb_judge_step_expected(NULL, &wl, &s);
	assert_int_equal(s.status, XB_FAIL);
	json_decref(s.findings);
	json_decref(s.notes);
	/* At the test level, and the test records which entry applied. */
	struct xb_scenario sc;

	memset(&sc, 0, sizeof(sc));
	sc.nwl = 1;
	sc.wl[0].expect = XB_EXPECT_PASS;
	memset(&t, 0, sizeof(t));
	t.status = XB_PASS;
	xb_judge_test_expected(&kf, &sc, &t);
	assert_int_equal(t.status, XB_XPASS);
	assert_string_equal(t.expectation, "known-failure e.ini:2");
	/* A test whose step corrupted data (known) and whose teardown oopsed (new): a failure. */
	memset(&t, 0, sizeof(t));
	t.nsteps = 1;
	step(&t.steps[0], XB_FAIL, finding(XB_K_CORRUPTION, NULL));
	t.teardown.ran = true;
	t.teardown.status = XB_FAIL;
	t.teardown.findings = json_array();
	json_array_append_new(t.teardown.findings, finding(XB_K_OOPS, NULL));
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	assert_int_equal(xb_test_failed_kinds(&sc, &t), XB_KIND_BIT(XB_K_CORRUPTION) | XB_KIND_BIT(XB_K_OOPS));
	xb_judge_test_expected(&kf, &sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	assert_non_null(strstr(t.reason, "new failure: oops"));
	xb_test_result_clear(&t);
	/* An xpass step outranks an xfail one: the test is reported xpass. */
	memset(&sc, 0, sizeof(sc));
	memset(&t, 0, sizeof(t));
	t.nsteps = 2;
	step(&t.steps[0], XB_XFAIL, NULL);
	step(&t.steps[1], XB_XPASS, NULL);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_XPASS);
	xb_test_result_clear(&t);
}

static void test_flaky_rules(void **state)
{
	struct xb_expect_entry fl = { .kind = XB_EXP_FLAKY, .attempts = 3 };
	const unsigned int corrupt = XB_KIND_BIT(XB_K_CORRUPTION), iommu = XB_KIND_BIT(XB_K_IOMMU_FAULT);
	enum xb_status a[4];
	char why[256] = "";

	(void)state;
	/* Rerun after a failure (or a harness error) while attempts remain. */
	assert_true(xb_flaky_rerun(&fl, XB_FAIL, XB_KIND_BIT(XB_K_HANG), 1, why, sizeof(why)));
	assert_true(xb_flaky_rerun(&fl, XB_CRASH, XB_FAILED_CRASH, 2, why, sizeof(why)));
	assert_true(xb_flaky_rerun(&fl, XB_ERROR, 0, 1, why, sizeof(why)));
	assert_false(xb_flaky_rerun(&fl, XB_FAIL, 0, 3, why, sizeof(why)));
	assert_false(xb_flaky_rerun(&fl, XB_PASS, 0, 1, why, sizeof(why)));
	assert_false(xb_flaky_rerun(&fl, XB_SKIP, 0, 1, why, sizeof(why)));
	assert_string_equal(why, "");
	/* Corruption and IOMMU faults are never flaky by default... */
	assert_false(xb_flaky_rerun(&fl, XB_FAIL, corrupt, 1, why, sizeof(why)));
	assert_string_equal(why, "not run again: corruption is never flaky unless the flaky entry's kinds = names it");
	assert_false(xb_flaky_rerun(&fl, XB_FAIL, iommu | XB_KIND_BIT(XB_K_HANG), 1, why, sizeof(why)));
	/* ... unless the entry names them; then only the kinds it names are rerun. */
	fl.kinds = corrupt;
	assert_true(xb_flaky_rerun(&fl, XB_FAIL, corrupt, 1, why, sizeof(why)));
	why[0] = '\0';
	assert_false(xb_flaky_rerun(&fl, XB_FAIL, XB_KIND_BIT(XB_K_OOPS), 1, why, sizeof(why)));
	assert_string_equal(why, "not run again: oops is not among the flaky entry's kinds =");
	/* Failed, then passed: flaky. */
	why[0] = '\0';
	a[0] = XB_FAIL;
	a[1] = XB_PASS;
	assert_int_equal(xb_judge_flaky(a, 2, why, sizeof(why)), XB_FLAKY);
	assert_string_equal(why, "flaky: failed 1 of 2 attempts, then passed");
	/* Passed first time: a pass. */
	why[0] = '\0';
	assert_int_equal(xb_judge_flaky(a + 1, 1, why, sizeof(why)), XB_PASS);
	assert_string_equal(why, "");
	/* Failed, then skipped: the failure stands. */
	a[1] = XB_SKIP;
	assert_int_equal(xb_judge_flaky(a, 2, why, sizeof(why)), XB_FAIL);
	assert_string_equal(why, "failed 1 of 2 attempts, then skip: the failure stands");
	/* Failed every attempt: a real failure, the last one's. */
	a[0] = XB_FAIL;
	a[1] = XB_TIMEOUT;
	a[2] = XB_CRASH;
	assert_int_equal(xb_judge_flaky(a, 3, why, sizeof(why)), XB_CRASH);
	assert_string_equal(why, "failed all 3 attempts");
	assert_int_equal(xb_judge_flaky(a, 0, why, sizeof(why)), XB_ERROR);
}

static void test_exit_codes_with_expectations(void **state)
{
	enum xb_status ok[] = { XB_PASS, XB_XFAIL, XB_XPASS, XB_FLAKY, XB_SKIP };
	enum xb_status bad[] = { XB_XFAIL, XB_FLAKY, XB_FAIL };

	(void)state;
	assert_int_equal(xb_exit_code(ok, 5, false, false), XB_EXIT_PASS);
	assert_int_equal(xb_exit_code(ok, 5, true, false), XB_EXIT_PASS);
	assert_int_equal(xb_exit_code(bad, 3, false, false), XB_EXIT_FAIL);
	/* Names round-trip and every new word is ok in KTAP. */
	assert_int_equal(xb_status_from_name("xpass"), XB_XPASS);
	assert_int_equal(xb_status_from_name("flaky"), XB_FLAKY);
	assert_true(xb_status_ok(XB_XPASS) && xb_status_ok(XB_FLAKY));
	assert_true(xb_status_passing("flaky") && !xb_status_passing("skip") && !xb_status_passing("nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skip_keeps_its_evidence),
		cmocka_unit_test(test_setup_evidence_counts),
		cmocka_unit_test(test_skipped_steps_do_not_count),
		cmocka_unit_test(test_known_failure_rules),
		cmocka_unit_test(test_flaky_rules),
		cmocka_unit_test(test_exit_codes_with_expectations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
