// SPDX-License-Identifier: GPL-2.0
/*
 * The pool check's judgement (evidence/conserve.c): what a difference
 * between the baseline and the snapshot after a test is, and what it is
 * not. The lab proves the numbers (tests/lab/conserve.sh); this proves
 * every rule, including the ones the lab's kernel never breaks.
 */
#include "unit.h"

#include "core/finding.h"
#include "core/results.h"
#include "evidence/conserve.h"
#include "runner/verdict.h"

/* A whole pool: 32768 slots, none used, every one mapped, runs of 128. */
static struct xb_conserve_snap whole(void)
{
	struct xb_conserve_snap s = {
		.nslabs = 32768, .used = 0, .slots_free = 32768, .longest_run = 128, .max_run = 128,
		.full_runs = 256, .mappings = 256, .check_ns = 1000, .xen_free_4g = 100ll << 20,
		.xen_free_256m = 20ll << 20, .dom0_free_kib = 500000,
	};

	return s;
}

static const json_t *find(const json_t *findings, const char *subkind)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f)
		if (!strcmp(json_string_value(json_object_get(f, "subkind")), subkind))
			return f;
	return NULL;
}

static long long number(const json_t *f, const char *key)
{
	return (long long)json_integer_value(json_object_get(json_object_get(f, "numbers"), key));
}

static void test_whole_pool_no_finding(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	json_t *fs = json_array();

	(void)state;
	/* Noise within the limits: Xen's heap 512 KiB down, dom0's MemFree 60 MiB. */
	s.xen_free_4g -= 512 << 10;
	s.dom0_free_kib -= 60 << 10;
	s.check_ns = 99999;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	assert_int_equal(json_array_size(fs), 0);
	/* More free than at baseline is no loss either (the heap, the run). */
	s.xen_free_256m += 8 << 20;
	b.longest_run = 64;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	json_decref(fs);
}

/* The leak control: 8 slots held past the end: counter and count both see it. */
static void test_leaked_slots(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	json_t *fs = json_array();
	const json_t *f;

	(void)state;
	s.used = 8;
	s.slots_free = 32760;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 2);
	f = find(fs, "swiotlb_used");
	assert_non_null(f);
	assert_string_equal(json_string_value(json_object_get(f, "kind")), "pool_leak");
	assert_int_equal(number(f, "used"), 8);
	assert_int_equal(number(f, "used_baseline"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "summary")),
			    "swiotlb io_tlb_used 8, 0 at baseline (+8 slots)");
	f = find(fs, "swiotlb_slots");
	assert_non_null(f);
	assert_int_equal(number(f, "slots_free_counted"), 32760);
	assert_int_equal(number(f, "slots_free_baseline"), 32768);
	/* The counter agrees with the count: no slot is unusable. */
	assert_null(find(fs, "swiotlb_unusable"));
	json_decref(fs);
}

/* The counter came back, the slots did not: only the count sees it. */
static void test_counter_agrees_slots_lost(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	json_t *fs = json_array();
	const json_t *f;

	(void)state;
	s.slots_free = 32767;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 2);
	f = find(fs, "swiotlb_unusable");
	assert_non_null(f);
	assert_int_equal(number(f, "slots_free_counted"), 32767);
	assert_int_equal(number(f, "slots_free_by_counter"), 32768);
	assert_non_null(find(fs, "swiotlb_slots"));
	assert_null(find(fs, "swiotlb_used"));
	json_decref(fs);
}

/* Every slot free, but no run as long as before: fragmentation left behind. */
static void test_shorter_run(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	json_t *fs = json_array();
	const json_t *f;

	(void)state;
	s.longest_run = 127;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 1);
	f = find(fs, "swiotlb_run");
	assert_non_null(f);
	assert_int_equal(number(f, "longest_run_slots"), 127);
	assert_int_equal(number(f, "longest_run_baseline"), 128);
	json_decref(fs);
}

/*
 * Every slot free and a whole segment still somewhere, but fewer of them:
 * slots freed without joining the free run above them (mutant m02).
 */
static void test_fewer_full_runs(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	json_t *fs = json_array();
	const json_t *f;

	(void)state;
	s.full_runs = 250;
	s.mappings = 262;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 1);
	f = find(fs, "swiotlb_full_runs");
	assert_non_null(f);
	assert_int_equal(number(f, "full_runs"), 250);
	assert_int_equal(number(f, "full_runs_baseline"), 256);
	/* Slots still held cost whole runs too: that is swiotlb_used's finding. */
	json_array_clear(fs);
	s.used = 8;
	s.slots_free = 32760;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 2);
	assert_null(find(fs, "swiotlb_full_runs"));
	s.used = 0;
	s.slots_free = 32768;
	/* More whole runs than at baseline, or a module that did not say: no loss. */
	json_array_clear(fs);
	s.full_runs = 257;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	s.full_runs = -1;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	json_decref(fs);
}

/* Xen's low heap: a loss beyond the limit, per width; exactly the limit is not. */
static void test_xen_heap(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	json_t *fs = json_array();
	const json_t *f;

	(void)state;
	s.xen_free_4g -= XB_CONSERVE_XEN_SLACK;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	s.xen_free_256m -= XB_CONSERVE_XEN_SLACK + 4096;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 1);
	f = find(fs, "xen_heap_256m");
	assert_non_null(f);
	assert_int_equal(number(f, "lost_bytes"), XB_CONSERVE_XEN_SLACK + 4096);
	assert_int_equal(number(f, "limit_bytes"), XB_CONSERVE_XEN_SLACK);
	json_decref(fs);
}

/* What is not known on either side is not judged: no Xen, no module check. */
static void test_unknown_not_judged(void **state)
{
	struct xb_conserve_snap b = whole(), s = whole();
	const struct xb_conserve_limits dom0 = { .xen_bytes = 0, .dom0_kib = 1024 };
	json_t *fs = json_array(), *j;

	(void)state;
	s.xen_free_4g = s.xen_free_256m = -1;
	s.slots_free = s.longest_run = -1;
	snprintf(s.check_why, sizeof(s.check_why), "reserve check: Device or resource busy");
	b.xen_free_4g = 0;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	/* ... and what is left out of the record, with the reason kept. */
	j = xb_conserve_snap_json(&s);
	assert_null(json_object_get(j, "slots_free_counted"));
	assert_null(json_object_get(j, "xen_free_below_4g_bytes"));
	assert_int_equal(json_integer_value(json_object_get(j, "used")), 0);
	assert_string_equal(json_string_value(json_object_get(j, "check_unavailable")),
			    "reserve check: Device or resource busy");
	json_decref(j);
	/* dom0's MemFree: beyond the limit given, or the default one. */
	s = whole();
	s.dom0_free_kib -= 1025;
	assert_int_equal(xb_conserve_judge(&b, &s, &dom0, fs), 1);
	assert_int_equal(number(find(fs, "dom0_free"), "free_kib_baseline"), 500000);
	s.dom0_free_kib = 500000 - XB_CONSERVE_DOM0_SLACK_KIB;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 0);
	s.dom0_free_kib--;
	assert_int_equal(xb_conserve_judge(&b, &s, &xb_conserve_default_limits, fs), 1);
	/* Without a limit it is recorded only. */
	assert_int_equal(xb_conserve_judge(&b, &s, &(struct xb_conserve_limits){ -1, -1 }, fs), 0);
	json_decref(fs);
}

/*
 * A test whose steps passed and whose pool check found a leak fails, named
 * by the pool check; a scenario that knows the leak (xfail_kinds =
 * pool_leak, the control) is an xfail, and one that knows another kind is not.
 */
static void test_verdict_pool_check(void **state)
{
	struct xb_scenario sc;
	struct xb_test_result t;
	json_t *f = xb_finding_new(XB_K_POOL_LEAK, "swiotlb_used", "pool_check");

	(void)state;
	memset(&sc, 0, sizeof(sc));
	memset(&t, 0, sizeof(t));
	sc.nwl = 1;
	sc.wl[0].expect = XB_EXPECT_PASS;
	t.nsteps = 1;
	t.steps[0].status = XB_PASS;
	snprintf(t.steps[0].name, sizeof(t.steps[0].name), "leak");
	t.pool_check.ran = true;
	t.pool_check.status = XB_PASS;
	t.pool_check.findings = json_array();
	json_array_append_new(t.pool_check.findings, f);
	xb_judge_phase(&sc, &t.pool_check);
	assert_int_equal(t.pool_check.status, XB_FAIL);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	assert_string_equal(t.reason, "pool check: unexpected pool_leak");
	assert_int_equal(xb_test_failed_kinds(&sc, &t), XB_KIND_BIT(XB_K_POOL_LEAK));
	snprintf(sc.xfail, sizeof(sc.xfail), "leaks on purpose");
	sc.xfail_kinds = XB_KIND_BIT(XB_K_CORRUPTION);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_FAIL);
	sc.xfail_kinds = XB_KIND_BIT(XB_K_POOL_LEAK);
	xb_judge_test(&sc, &t);
	assert_int_equal(t.status, XB_XFAIL);
	/* Recorded in results.json as its own phase. */
	{
		json_t *j = xb_test_result_json(&t);

		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "pool_check"), "status")),
				    "fail");
		json_decref(j);
	}
	json_decref(t.pool_check.findings);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_pool_no_finding),
		cmocka_unit_test(test_leaked_slots),
		cmocka_unit_test(test_counter_agrees_slots_lost),
		cmocka_unit_test(test_shorter_run),
		cmocka_unit_test(test_fewer_full_runs),
		cmocka_unit_test(test_xen_heap),
		cmocka_unit_test(test_unknown_not_judged),
		cmocka_unit_test(test_verdict_pool_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
