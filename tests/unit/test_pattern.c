// SPDX-License-Identifier: GPL-2.0
/* The position-tagged pattern and the corruption map; strict parsing. */
#include "unit.h"

#include "core/util.h"
#include "userspace/pattern.h"

static void test_fill_is_positional(void **state)
{
	uint8_t a[8192], b[100];
	struct xb_pat_tag t;

	(void)state;
	xb_pat_fill(a, sizeof(a), 7, 0, 42);
	/* Any window of the buffer is the same bytes, wherever it starts. */
	xb_pat_fill(b, sizeof(b), 7, 4090, 42);
	assert_memory_equal(a + 4090, b, sizeof(b));
	/* Every line starts with a tag naming its buffer and position. */
	assert_true(xb_pat_decode(a + 4096 + 128, &t));
	assert_int_equal(t.buf_id, 7);
	assert_int_equal(t.page, 1);
	assert_int_equal(t.offset, 128);
	assert_int_equal(t.seed, 42);
	/* Different buffers and seeds differ. */
	xb_pat_fill(b, sizeof(b), 8, 4090, 42);
	assert_memory_not_equal(a + 4090, b, sizeof(b));
	/* A corrupted tag does not decode. */
	a[4096 + 128 + 9] ^= 1;
	assert_false(xb_pat_decode(a + 4096 + 128, &t));
}

static void test_verify_maps_misplaced_page(void **state)
{
	static uint8_t exp[4 * 4096], act[4 * 4096];
	struct xb_verify v;

	(void)state;
	xb_pat_fill(exp, sizeof(exp), 1, 0, 9);
	memcpy(act, exp, sizeof(act));
	assert_int_equal(xb_verify(act, exp, sizeof(act), 0, &v), 0);
	/* Page 1 holds page 3's bytes: a misplaced machine frame. */
	memcpy(act + 4096, exp + 3 * 4096, 4096);
	assert_true(xb_verify(act, exp, sizeof(act), 0, &v) > 0);
	assert_int_equal(v.pages_wrong, 1);
	assert_int_equal(v.nruns, 1);
	assert_true(v.runs[0].off >= 4096 && v.runs[0].off < 4096 + 64);
	assert_true(v.runs[0].src_known);
	assert_int_equal(v.runs[0].src.buf_id, 1);
	assert_int_equal(v.runs[0].src.page, 3);
	assert_int_equal(v.runs[0].src_pos, 3 * 4096 + v.runs[0].off - 4096);
	/* One flipped byte is one run of one byte. */
	memcpy(act, exp, sizeof(act));
	act[5000] ^= 0x40;
	assert_int_equal(xb_verify(act, exp, sizeof(act), 0, &v), 1);
	assert_int_equal(v.first_wrong, 5000);
	assert_int_equal(v.runs[0].len, 1);
}

static void test_verify_many_runs(void **state)
{
	static uint8_t exp[64 * 1024], act[64 * 1024];
	struct xb_verify v;
	json_t *j;

	(void)state;
	xb_pat_fill(exp, sizeof(exp), 1, 0, 1);
	memcpy(act, exp, sizeof(act));
	for (size_t i = 0; i < sizeof(act); i += 1024)
		act[i] ^= 1;
	xb_verify(act, exp, sizeof(act), 0, &v);
	assert_int_equal(v.bytes_wrong, 64);
	assert_int_equal(v.nruns_total, 64);
	assert_int_equal(v.nruns, XB_VERIFY_MAX_RUNS);
	j = xb_verify_json(&v);
	assert_int_equal(json_integer_value(json_object_get(j, "runs_total")), 64);
	assert_int_equal(json_array_size(json_object_get(j, "runs")), XB_VERIFY_MAX_RUNS);
	json_decref(j);
}

static void test_parse_strict(void **state)
{
	uint64_t v;
	bool b;

	(void)state;
	assert_int_equal(xb_parse_u64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(xb_parse_u64("0x10", 0, 100, &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(xb_parse_u64("", 0, 100, &v), -EINVAL);
	assert_int_equal(xb_parse_u64("12abc", 0, 100, &v), -EINVAL);
	assert_int_equal(xb_parse_u64("-1", 0, 100, &v), -EINVAL);
	assert_int_equal(xb_parse_u64(" 1", 0, 100, &v), -EINVAL);
	assert_int_equal(xb_parse_u64("101", 0, 100, &v), -ERANGE);
	assert_int_equal(xb_parse_u64("99999999999999999999999", 0, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(xb_parse_size("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(xb_parse_size("2M", &v), 0);
	assert_int_equal(v, 2u << 20);
	assert_int_equal(xb_parse_size("K", &v), -EINVAL);
	assert_int_equal(xb_parse_size("1T", &v), -EINVAL);
	assert_int_equal(xb_parse_size("17179869184G", &v), -ERANGE);
	assert_int_equal(xb_parse_bool("yes", &b), 0);
	assert_true(b);
	assert_int_equal(xb_parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(xb_parse_bool("maybe", &b), -EINVAL);
}

static void test_atomic_write(void **state)
{
	char *dir = unit_tmpdir(), path[4200], *text;

	(void)state;
	snprintf(path, sizeof(path), "%s/f.json", dir);
	assert_int_equal(xb_write_file_atomic(path, "old", 3), 0);
	assert_int_equal(xb_write_file_atomic(path, "new contents", 12), 0);
	text = xb_read_file(path, NULL);
	assert_string_equal(text, "new contents");
	free(text);
	/* An unwritable destination fails and leaves the old file intact. */
	snprintf(path, sizeof(path), "%s/missing-dir/f.json", dir);
	assert_true(xb_write_file_atomic(path, "x", 1) < 0);
	snprintf(path, sizeof(path), "%s/f.json", dir);
	text = xb_read_file(path, NULL);
	assert_string_equal(text, "new contents");
	free(text);
	unit_rmrf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fill_is_positional),
		cmocka_unit_test(test_verify_maps_misplaced_page),
		cmocka_unit_test(test_verify_many_runs),
		cmocka_unit_test(test_parse_strict),
		cmocka_unit_test(test_atomic_write),
	};

	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
