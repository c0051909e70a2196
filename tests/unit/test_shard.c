// SPDX-License-Identifier: GPL-2.0
/* Shards (core/shard.c): deterministic, complete, balanced by durations. */
#include "unit.h"

#include "core/results.h"
#include "core/shard.h"

static void test_parse(void **state)
{
	unsigned int i, n;

	(void)state;
	assert_int_equal(xb_shard_parse("1/2", &i, &n), 0);
	assert_int_equal(i, 1);
	assert_int_equal(n, 2);
	assert_int_equal(xb_shard_parse("1000/1000", &i, &n), 0);
	static const char *const bad[] = { "0/2", "3/2", "1/0", "1/1001", "1", "1/", "/2", "-1/2",
					   " 1/2", "1/2 ", "1/+2", "a/b", "1/2/3", "00001/2", "" };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		assert_int_equal(xb_shard_parse(bad[k], &i, &n), -1);
	assert_int_equal(xb_shard_parse(NULL, &i, &n), -1);
}

static void test_names_only_round_robin_any_order(void **state)
{
	const char *a[] = { "d", "a", "c", "e", "b" };
	const char *b[] = { "e", "d", "c", "b", "a" };
	unsigned int sa[5], sb[5];

	(void)state;
	assert_int_equal(xb_shard_assign(a, NULL, 5, 2, sa), 0);
	assert_int_equal(xb_shard_assign(b, NULL, 5, 2, sb), 0);
	/* Name order a b c d e -> 0 1 0 1 0, whatever the input order. */
	assert_int_equal(sa[1], 0);	/* a */
	assert_int_equal(sa[4], 1);	/* b */
	assert_int_equal(sa[2], 0);	/* c */
	assert_int_equal(sa[0], 1);	/* d */
	assert_int_equal(sa[3], 0);	/* e */
	for (int i = 0; i < 5; i++)
		for (int j = 0; j < 5; j++)
			if (!strcmp(a[i], b[j]))
				assert_int_equal(sa[i], sb[j]);
}

static void test_balanced_by_durations(void **state)
{
	const char *names[] = { "long", "s1", "s2", "s3", "s4", "unknown" };
	double dur[] = { 100, 20, 20, 30, 30, -1 };
	double load[3] = { 0 };
	unsigned int of[6];
	int count[3] = { 0 };

	(void)state;
	assert_int_equal(xb_shard_assign(names, dur, 6, 3, of), 0);
	for (int i = 0; i < 6; i++) {
		assert_true(of[i] < 3);
		count[of[i]]++;
		load[of[i]] += dur[i] < 0 ? 30 : dur[i];	/* unknown: the median, 30 */
	}
	/* Longest first, least loaded next: {long}, {s3, s1, s2}, {s4, unknown}. */
	assert_int_equal(of[0], 0);
	assert_int_equal(count[0], 1);
	assert_true(load[1] <= 100 && load[2] <= 100);
	assert_int_equal(of[3], 1);
	assert_int_equal(of[4], 2);
	/* More shards than tests: the rest are empty, nothing is lost. */
	unsigned int of2[2];

	assert_int_equal(xb_shard_assign(names, NULL, 2, 5, of2), 0);
	assert_int_equal(of2[0], 0);
	assert_int_equal(of2[1], 1);
	assert_int_equal(xb_shard_assign(names, NULL, 0, 3, of2), 0);
}

/* A shard's results.json: planned tests (or none), recorded ones, an exit code (-1: none). */
static json_t *shard_doc(const char *planned, const char *recorded, int code)
{
	json_error_t je;
	json_t *doc = json_pack("{s:{}, s:[]}", "meta", "tests");
	json_t *p = planned ? json_loads(planned, 0, &je) : NULL, *r = json_loads(recorded, 0, &je), *x;
	size_t i;

	assert_non_null(doc);
	assert_non_null(r);
	if (p)
		json_object_set_new(json_object_get(doc, "meta"), "planned", p);
	json_array_foreach(r, i, x)
		json_array_append_new(json_object_get(doc, "tests"), json_pack("{s:O, s:s}", "name", x,
									       "status", "pass"));
	json_decref(r);
	if (code >= 0)
		json_object_set_new(doc, "exit_code", json_integer(code));
	return doc;
}

static void assert_missing(const json_t *m, size_t i, const char *name, const char *journal)
{
	const json_t *e = json_array_get(m, i);

	assert_non_null(e);
	assert_string_equal(json_string_value(json_object_get(e, "name")), name);
	assert_string_equal(json_string_value(json_object_get(e, "journal")), journal);
}

static void test_finished(void **state)
{
	json_t *d;
	int code;

	(void)state;
	d = shard_doc(NULL, "[]", 0);
	assert_true(xb_shard_finished(d, &code));
	assert_int_equal(code, 0);
	json_decref(d);
	d = shard_doc(NULL, "[]", 1);	/* a new failure is a finished run */
	assert_true(xb_shard_finished(d, &code));
	json_decref(d);
	d = shard_doc(NULL, "[]", 130);
	assert_false(xb_shard_finished(d, &code));
	assert_int_equal(code, 130);
	json_decref(d);
	d = shard_doc(NULL, "[]", -1);
	assert_false(xb_shard_finished(d, &code));
	assert_int_equal(code, -1);
	json_decref(d);
}

static void test_missing(void **state)
{
	json_t *d, *m;

	(void)state;
	/* Complete: nothing missing, with or without a journal. */
	d = shard_doc("[\"a\", \"c\"]", "[\"a\", \"c\"]", 0);
	m = xb_shard_missing(d, "start a\nend a pass 0.1\nstart c\nend c pass 0.2\n");
	assert_int_equal(json_array_size(m), 0);
	json_decref(m);
	m = xb_shard_missing(d, NULL);
	assert_int_equal(json_array_size(m), 0);
	json_decref(m);
	json_decref(d);
	/* Crashed in c, never reached e: plan order, the journal's word for each. */
	d = shard_doc("[\"a\", \"c\", \"e\"]", "[\"a\"]", -1);
	m = xb_shard_missing(d, "start a\nend a pass 0.1\nstart c\n");
	assert_int_equal(json_array_size(m), 2);
	assert_missing(m, 0, "c", "started");
	assert_missing(m, 1, "e", "none");
	json_decref(m);
	/* Ended but not recorded (results.json lost it); no trailing newline. */
	m = xb_shard_missing(d, "start a\nend a pass 0.1\nstart c\nend c fail 2.000");
	assert_int_equal(json_array_size(m), 2);
	assert_missing(m, 0, "c", "ended");
	json_decref(m);
	json_decref(d);
	/* No plan (older results): the journal alone still names the running test. */
	d = shard_doc(NULL, "[\"a\"]", -1);
	m = xb_shard_missing(d, "start a\nend a pass 0.1\nstart b\n");
	assert_int_equal(json_array_size(m), 1);
	assert_missing(m, 0, "b", "started");
	json_decref(m);
	m = xb_shard_missing(d, NULL);
	assert_int_equal(json_array_size(m), 0);
	json_decref(m);
	json_decref(d);
}

/* meta.planned (run records its list there) survives a crash after the first write. */
static void test_plan_recorded(void **state)
{
	const char *names[] = { "c-2", "c-4" };
	char *dir = unit_tmpdir(), sub[4200], path[4300];
	struct xb_results r;
	json_t *doc, *meta;

	(void)state;
	snprintf(sub, sizeof(sub), "%s/run", dir);
	meta = json_pack("{s:[s, s]}", "planned", names[0], names[1]);
	assert_int_equal(xb_results_open_dir(&r, sub, meta), 0);
	json_decref(meta);
	assert_int_equal(xb_results_begin(&r), 0);
	/* Crashed here: results.json already has the plan and no exit code. */
	snprintf(path, sizeof(path), "%s/results.json", sub);
	doc = json_load_file(path, 0, NULL);
	assert_non_null(doc);
	{
		json_t *want = json_pack("[s, s]", "c-2", "c-4"), *m = xb_shard_missing(doc, NULL);
		int code;

		assert_true(json_equal(json_object_get(json_object_get(doc, "meta"), "planned"), want));
		json_decref(want);

		assert_false(xb_shard_finished(doc, &code));
		assert_int_equal(json_array_size(m), 2);
		json_decref(m);
	}
	json_decref(doc);
	assert_int_equal(xb_results_close(&r, 0), 0);
	unit_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_names_only_round_robin_any_order),
		cmocka_unit_test(test_balanced_by_durations),
		cmocka_unit_test(test_finished),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_plan_recorded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
