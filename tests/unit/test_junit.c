// SPDX-License-Identifier: GPL-2.0
/*
 * junit.xml from a results document: one testcase per test (its verdict and
 * reason, classname "xenbounce") besides one per step, so a test with no
 * step (a skip before any step, a fault-setup error, an incomplete test)
 * and a test failed by its fault teardown while every step passed are
 * still there for a CI system; the counts on <testsuites> and on each
 * <testsuite> are the elements it holds.
 */
#include "unit.h"

#include "core/results.h"

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The testcase element that starts with head, up to its end. */
static char *testcase(const char *xml, const char *head)
{
	const char *p = strstr(xml, head), *e;

	if (!p) {
		print_error("no %s in\n%s\n", head, xml);
		fail();
	}
	e = strstr(p, "/>\n");
	if (strstr(p, ">\n") && strstr(p, ">\n") < e)	/* has children */
		e = strstr(p, "</testcase>");
	assert_non_null(e);
	return strndup(p, (size_t)(e - p));
}

static json_t *step(const char *name, const char *status, const char *reason)
{
	return json_pack("{s:s, s:s, s:s, s:f, s:[]}", "name", name, "status", status, "reason", reason,
			 "duration_s", 0.25, "findings");
}

static json_t *test(const char *name, const char *status, const char *reason, json_t *steps)
{
	return json_pack("{s:s, s:s, s:s, s:f, s:o}", "name", name, "status", status, "reason", reason,
			 "duration_s", 1.0, "steps", steps);
}

static json_t *doc(void)
{
	json_t *tests = json_array(), *t;

	json_array_append_new(tests, test("ok", "pass", "a: no findings", json_pack("[o]", step("a", "pass", "no findings"))));
	t = test("teardown", "fail", "fault teardown: pool not released", json_pack("[o]", step("a", "pass", "no findings")));
	json_object_set_new(t, "fault_teardown", json_pack("{s:s, s:s}", "status", "fail", "reason", "pool not released"));
	json_array_append_new(tests, t);
	json_array_append_new(tests, test("req", "skip", "not a Xen PV domain & <no> \"PV\"", json_array()));
	json_array_append_new(tests, test("setup", "error", "fault setup: no module", json_array()));
	json_array_append_new(tests, test("gone", "incomplete", "the machine went down during this test", json_array()));
	json_array_append_new(tests, test("known", "xfail", "known: bug 12", json_pack("[o]", step("k", "xfail", "bug 12"))));
	json_array_append_new(tests, test("fixed", "xpass", "expected to fail, passed", json_pack("[o]", step("x", "xpass", "passed"))));
	t = test("flake", "flaky", "s: no findings", json_pack("[o]", step("s", "pass", "no findings")));
	json_object_set_new(t, "attempts", json_pack("[{s:s, s:s, s:[o]}, {s:s, s:s, s:[o]}]",
		"status", "fail", "reason", "s: corrupt", "steps", step("s", "fail", "corrupt"),
		"status", "pass", "reason", "s: no findings", "steps", step("s", "pass", "no findings")));
	json_array_append_new(tests, t);
	return json_pack("{s:s, s:o}", "run_id", "r", "tests", tests);
}

static void test_one_case_per_test_and_step(void **state)
{
	json_t *d = doc();
	char *xml = xb_junit_xml(d), *c;

	(void)state;
	assert_non_null(xml);
	/* 8 tests, 5 steps. */
	assert_int_equal(count(xml, "<testcase "), 13);
	assert_int_equal(count(xml, "<testcase classname=\"xenbounce\" "), 8);
	/* The totals are the elements: skip, xfail test and step; the teardown
	 * failure; the setup error and the incomplete test. */
	assert_non_null(strstr(xml, "<testsuites name=\"xenbounce\" tests=\"13\" failures=\"1\" errors=\"2\" skipped=\"3\" time=\"8.000\">"));
	assert_int_equal(count(xml, "<skipped "), 3);
	assert_int_equal(count(xml, "<failure "), 1);
	assert_int_equal(count(xml, "<error "), 2);
	/* A skip before any step: its own testcase, with the reason. */
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"req\"");
	assert_non_null(strstr(c, "<skipped message=\"not a Xen PV domain &amp; &lt;no&gt; &quot;PV&quot;\" type=\"skip\"/>"));
	free(c);
	assert_non_null(strstr(xml, "<testsuite name=\"req\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\" time=\"1.000\">"));
	/* Every step passed, the fault teardown failed the test. */
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"teardown\"");
	assert_non_null(strstr(c, "<failure message=\"fault teardown: pool not released\" type=\"fail\"/>"));
	free(c);
	c = testcase(xml, "<testcase classname=\"xenbounce.teardown\" name=\"a\"");
	assert_null(strstr(c, "<failure"));
	free(c);
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"setup\"");
	assert_non_null(strstr(c, "<error message=\"fault setup: no module\" type=\"error\"/>"));
	free(c);
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"gone\"");
	assert_non_null(strstr(c, "<error message=\"the machine went down during this test\" type=\"incomplete\"/>"));
	free(c);
	/* A known failure is skipped with its reason (pytest's mapping). */
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"known\"");
	assert_non_null(strstr(c, "<skipped message=\"known failure: known: bug 12\" type=\"xfail\"/>"));
	free(c);
	c = testcase(xml, "<testcase classname=\"xenbounce.known\" name=\"k\"");
	assert_non_null(strstr(c, "<skipped message=\"known failure: bug 12\" type=\"xfail\"/>"));
	free(c);
	/* An unexpected pass passes and says so. */
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"fixed\"");
	assert_non_null(strstr(c, "<system-out>unexpected pass (a known failure passed): expected to fail, passed</system-out>"));
	free(c);
	/* A flaky test passes with its failed attempt, at both levels. */
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"flake\"");
	assert_non_null(strstr(c, "<flakyFailure message=\"attempt 1: s: corrupt\" type=\"fail\"/>"));
	assert_null(strstr(c, "attempt 2"));
	free(c);
	c = testcase(xml, "<testcase classname=\"xenbounce.flake\" name=\"s\"");
	assert_non_null(strstr(c, "<flakyFailure message=\"attempt 1: corrupt\" type=\"fail\"/>"));
	free(c);
	c = testcase(xml, "<testcase classname=\"xenbounce\" name=\"ok\"");
	assert_null(strstr(c, "<skipped"));
	assert_null(strstr(c, "<failure"));
	free(c);
	free(xml);
	json_decref(d);
}

/* A document with no tests is still a valid, empty report. */
static void test_empty(void **state)
{
	json_t *d = json_pack("{s:s, s:[]}", "run_id", "r", "tests");
	char *xml = xb_junit_xml(d);

	(void)state;
	assert_non_null(strstr(xml, "<testsuites name=\"xenbounce\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0.000\">\n</testsuites>\n"));
	free(xml);
	json_decref(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_case_per_test_and_step),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
