// SPDX-License-Identifier: GPL-2.0
/* Comparing two runs: status changes by category, evidence and environment. */
#include "unit.h"

#include "core/compare.h"

static json_t *test(const char *name, const char *status, json_t *findings, int bounces)
{
	json_t *t = json_object(), *step = json_object(), *ev = json_object();

	json_object_set_new(t, "name", json_string(name));
	json_object_set_new(t, "status", json_string(status));
	json_object_set_new(t, "reason", json_string("because"));
	json_object_set_new(step, "findings", findings ? findings : json_array());
	json_object_set_new(t, "steps", json_pack("[o]", step));
	if (bounces >= 0)
		json_object_set_new(ev, "w", json_pack("{s:{s:i}}", "bounce", "events", bounces));
	json_object_set_new(t, "evidence", ev);
	return t;
}

static json_t *run(const char *kernel, const char *s1, const char *s2, const char *s3, int bounces,
		   const char *extra)
{
	json_t *r = json_object(), *tests = json_array();

	json_object_set_new(r, "meta", json_pack("{s:{s:{s:s}, s:{s:s}}}", "environment", "kernel",
						 "release", kernel, "xen", "version", "4.17.7"));
	json_array_append_new(tests, test("a", s1, NULL, bounces));
	json_array_append_new(tests, test("b", s2, json_pack("[{s:s}]", "kind", "corruption"), -1));
	json_array_append_new(tests, test("c", s3, NULL, -1));
	if (extra)
		json_array_append_new(tests, test(extra, "pass", NULL, -1));
	json_object_set_new(r, "tests", tests);
	return r;
}

static void test_categories(void **state)
{
	json_t *a = run("6.1.0-56-amd64", "pass", "fail", "pass", 10, "gone");
	json_t *b = run("6.1.0-57-amd64", "fail", "pass", "skip", 12, "new");
	json_t *r = xb_compare(a, b);
	json_t *e;

	(void)state;
	assert_int_equal(json_array_size(json_object_get(r, "new_failures")), 1);
	e = json_array_get(json_object_get(r, "new_failures"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "test")), "a");
	assert_string_equal(json_string_value(json_object_get(e, "before")), "pass");
	assert_string_equal(json_string_value(json_object_get(e, "after")), "fail");
	assert_int_equal(json_array_size(json_object_get(r, "fixes")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "fixes"), 0), "test")), "b");
	assert_int_equal(json_array_size(json_object_get(r, "new_skips")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "added")), 1);
	assert_int_equal(json_array_size(json_object_get(r, "removed")), 1);
	/* Bounce events 10 -> 12 on test a. */
	e = json_array_get(json_object_get(r, "evidence"), 0);
	assert_string_equal(json_string_value(json_object_get(e, "what")), "bounce events");
	assert_int_equal(json_integer_value(json_object_get(e, "after")), 12);
	/* The kernel changed, Xen did not. */
	assert_int_equal(json_array_size(json_object_get(r, "environment")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "environment"), 0), "field")),
			    "kernel.release");
	json_decref(r);
	json_decref(a);
	json_decref(b);
}

static void test_identical(void **state)
{
	json_t *a = run("k", "pass", "fail", "skip", 3, NULL);
	json_t *r = xb_compare(a, a);
	const char *k;
	json_t *v;

	(void)state;
	json_object_foreach(r, k, v)
		if (json_array_size(v))
			fail_msg("%s not empty", k);
	json_decref(r);
	json_decref(a);
}

static void test_load_errors(void **state)
{
	char *dir = unit_tmpdir(), path[4200], err[512];

	(void)state;
	assert_null(xb_results_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "no results.json there"));
	snprintf(path, sizeof(path), "%s/results.json", dir);
	unit_write(path, "{\"tests\": [ {\"name\": \"x\"");	/* truncated */
	assert_null(xb_results_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "results.json:1:"));
	unit_write(path, "{\"no\": 1}");
	assert_null(xb_results_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "not a xenbounce results.json"));
	unit_rmrf(dir);
	free(dir);
}

/* A test of the base missing from the new run fails compare, unless allowed. */
static void test_missing_fails(void **state)
{
	json_t *a = run("k", "pass", "pass", "pass", -1, "gone");
	json_t *b = run("k", "pass", "pass", "pass", -1, NULL);
	json_t *c = run("k", "pass", "fail", "pass", -1, NULL);
	json_t *r = xb_compare(a, b);

	(void)state;
	assert_int_equal(json_array_size(json_object_get(r, "new_failures")), 0);
	assert_int_equal(json_array_size(json_object_get(r, "removed")), 1);
	assert_int_equal(xb_compare_exit(r, false), 1);
	assert_int_equal(xb_compare_exit(r, true), 0);
	json_decref(r);
	/* The other way round it is an added test: fine. */
	r = xb_compare(b, a);
	assert_int_equal(xb_compare_exit(r, false), 0);
	json_decref(r);
	/* --allow-missing does not hide a new failure. */
	r = xb_compare(a, c);
	assert_int_equal(xb_compare_exit(r, true), 1);
	json_decref(r);
	r = xb_compare(b, b);
	assert_int_equal(xb_compare_exit(r, false), 0);
	json_decref(r);
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_identical),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_missing_fails),
	};

	return cmocka_run_group_tests_name("compare", tests, NULL, NULL);
}
