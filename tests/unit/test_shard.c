// SPDX-License-Identifier: GPL-2.0
/* Shards (core/shard.c): deterministic, complete, balanced by durations. */
#include "unit.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_names_only_round_robin_any_order),
		cmocka_unit_test(test_balanced_by_durations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
