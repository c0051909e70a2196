// SPDX-License-Identifier: GPL-2.0
/* KTAP writer and reader: the writer's output must parse back exactly. */
#include "unit.h"

#include "core/ktap.h"

static char *write_sample(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ktap_writer w;

	ktap_init(&w, f, NULL);
	ktap_header(&w, 4);
	ktap_diag(&w, "first test has two subtests");
	ktap_subtest_begin(&w, 2);
	ktap_result(&w, XB_PASS, "sub-a", NULL);
	ktap_diag(&w, "line one\nline two");
	ktap_result(&w, XB_SKIP, "sub-b", "no edu device");
	ktap_subtest_end(&w);
	ktap_result(&w, XB_PASS, "parent-one", NULL);
	ktap_result(&w, XB_FAIL, "plain # with hash", NULL);
	ktap_result(&w, XB_TIMEOUT, "hangs", "30 seconds");
	ktap_subtest_begin(&w, 1);
	ktap_result(&w, XB_CRASH, "segv", "crash: killed by signal 11");
	ktap_subtest_end(&w);
	ktap_result(&w, XB_ERROR, "broken", "crash: killed by signal 11");
	fclose(f);
	return buf;
}

static void test_writer_format(void **state)
{
	char *text = write_sample();

	(void)state;
	assert_non_null(strstr(text, "KTAP version 1\n1..4\n"));
	assert_non_null(strstr(text, "\n  KTAP version 1\n  1..2\n  ok 1 sub-a\n"));
	assert_non_null(strstr(text, "  # line one\n  # line two\n  ok 2 sub-b # SKIP no edu device\n"));
	assert_non_null(strstr(text, "\nok 1 parent-one\n"));
	/* '#' is not allowed in a description. */
	assert_non_null(strstr(text, "\nnot ok 2 plain _ with hash\n"));
	assert_non_null(strstr(text, "\nnot ok 3 hangs # TIMEOUT 30 seconds\n"));
	assert_non_null(strstr(text, "  not ok 1 segv # ERROR crash: killed by signal 11\n"));
	free(text);
}

static void test_roundtrip(void **state)
{
	char *text = write_sample(), err[256];
	struct ktap_doc doc;

	(void)state;
	assert_int_equal(ktap_parse(text, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.plan, 4);
	assert_int_equal(doc.ntests, 4);
	assert_int_equal(doc.tests[0].nsub, 2);
	assert_int_equal(doc.tests[0].plan, 2);
	assert_int_equal(doc.tests[0].sub[1].status, XB_SKIP);
	assert_string_equal(doc.tests[0].sub[1].reason, "no edu device");
	assert_int_equal(doc.tests[0].sub[1].ndiag, 2);
	assert_string_equal(doc.tests[0].ndiag ? doc.tests[0].diag[0] : "", "first test has two subtests");
	assert_int_equal(doc.tests[1].status, XB_FAIL);
	assert_int_equal(doc.tests[2].status, XB_TIMEOUT);
	assert_int_equal(doc.tests[3].status, XB_ERROR);
	assert_int_equal(doc.tests[3].sub[0].status, XB_ERROR);
	ktap_doc_free(&doc);
	free(text);
}

struct bad {
	const char *text;
	const char *msg;
};

static void test_reader_rejects(void **state)
{
	static const struct bad bad[] = {
		{ "no version here\nok 1 x\n", "no \"KTAP version 1\"" },
		{ "KTAP version 1\n1..2\nok 1 a\nok 3 b\n", "line 4: expected test number 2, found 3" },
		{ "KTAP version 1\n1..3\nok 1 a\nok 2 b\n", "plan 1..3 but 2 test results" },
		{ "KTAP version 1\n1..1\n  ok 1 sub\nok 1 parent\n", "without a \"KTAP version 1\" line" },
		{ "KTAP version 1\n1..1\n  KTAP version 1\n  1..1\n  not ok 1 sub\nok 1 parent\n",
		  "test 1 is ok but its subtest 1 failed" },
		{ "KTAP version 1\n1..1\n  KTAP version 1\n  1..1\n  ok 1 sub\n", "has no result line" },
		{ "KTAP version 1\n1..1\nok x\n", "without a test number" },
		/* A plan past the limit is an error, not console noise. */
		{ "KTAP version 1\n1..1000001\nok 1 a\n", "line 2: plan 1..1000001 is over the limit" },
		{ "KTAP version 1\n1..99999999999999999999\n", "line 2: plan 1..99999999999999999999 is over" },
		{ "KTAP version 1\n1..1\n  KTAP version 1\n  1..2000000\nok 1 p\n", "line 4: plan 1..2000000" },
		/* A version line and nothing else says nothing. */
		{ "KTAP version 1\n", "empty document" },
		{ "noise\nKTAP version 1\n\n# only a comment\n", "empty document" },
		/* Test numbers that do not fit are errors naming the line. */
		{ "KTAP version 1\n1..1\nok 99999999999 x\n", "line 3: test number 99999999999 is out of range" },
		{ "KTAP version 1\n1..1\nok 99999999999999999999 x\n", "line 3: test number 99999999999999999999" },
		{ "KTAP version 1\n1..1\nok 4294967296 x\n", "line 3: test number 4294967296 is out of range" },
		{ "KTAP version 1\n1..1\nok -1 x\n", "line 3: result line without a test number" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ktap_doc doc;
		char err[256];

		assert_int_equal(ktap_parse(bad[i].text, &doc, err, sizeof(err)), -1);
		if (!strstr(err, bad[i].msg))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, bad[i].msg);
	}
}

static void test_reader_prefix_and_noise(void **state)
{
	/* KTAP inside a console log: prefix stripped, other lines tolerated. */
	const char *text = "Booting...\n[    1.0] KTAP version 1\n[    1.0] 1..1\n"
			   "[    1.1] random kernel line\n[    1.2] ok 1 only # SKIP why\n";
	struct ktap_doc doc;
	char err[256];

	(void)state;
	assert_int_equal(ktap_parse(text, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.ntests, 1);
	assert_int_equal(doc.tests[0].status, XB_SKIP);
	assert_int_equal(doc.unknown_lines, 1);
	ktap_doc_free(&doc);
}

static void test_plan_limits(void **state)
{
	/* The largest plan allowed, "1..0" and a bail-out with no plan are documents. */
	static const char *const good[] = {
		"KTAP version 1\n1..0 # SKIP nothing to do\n",
		"KTAP version 1\nBail out! no module\n",
		"KTAP version 1\nok 1 a\n",
	};
	struct ktap_doc doc;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (ktap_parse(good[i], &doc, err, sizeof(err)))
			fail_msg("case %zu: %s", i, err);
		ktap_doc_free(&doc);
	}
	/* 1..1000000 is within the limit: the count is what is wrong. */
	assert_int_equal(ktap_parse("KTAP version 1\n1..1000000\nok 1 a\n", &doc, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "plan 1..1000000 but 1 test results"));
}

static void test_bail_out(void **state)
{
	const char *text = "KTAP version 1\n1..3\nok 1 a\nBail out! interrupted\n";
	struct ktap_doc doc;
	char err[256];

	(void)state;
	assert_int_equal(ktap_parse(text, &doc, err, sizeof(err)), 0);
	assert_true(doc.bailed_out);
	ktap_doc_free(&doc);
}

/*
 * kselftest's totals line (ksft_print_cnts()), after the last top-level
 * result or a bail out; subtests are not counted. The reader takes it as
 * a diagnostic.
 */
static void test_totals(void **state)
{
	static const enum ktap_total want[XB_STATUS_COUNT] = {
		[XB_PASS] = KTAP_T_PASS, [XB_FLAKY] = KTAP_T_PASS, [XB_SKIP] = KTAP_T_SKIP,
		[XB_XFAIL] = KTAP_T_XFAIL, [XB_XPASS] = KTAP_T_XPASS, [XB_FAIL] = KTAP_T_FAIL,
		[XB_TIMEOUT] = KTAP_T_FAIL, [XB_ERROR] = KTAP_T_ERROR, [XB_CRASH] = KTAP_T_ERROR,
		[XB_INCOMPLETE] = KTAP_T_ERROR,
	};
	char *text = write_sample(), *buf = NULL, err[256];
	size_t len = 0, tl = strlen(text);
	struct ktap_doc doc;
	struct ktap_writer w;
	FILE *f;

	(void)state;
	for (int s = 0; s < XB_STATUS_COUNT; s++)
		assert_int_equal(ktap_total_of((enum xb_status)s), want[s]);
	/* pass, fail, timeout (fail), error; the two subtests not counted. */
	assert_true(tl > 60);
	assert_string_equal(text + tl - strlen("# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:0 error:1\n"),
			    "# Totals: pass:1 fail:2 xfail:0 xpass:0 skip:0 error:1\n");
	assert_int_equal(ktap_parse(text, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.ntests, 4);
	assert_int_equal(doc.unknown_lines, 0);
	ktap_doc_free(&doc);
	free(text);
	/* Cut short: the totals follow the bail out, once. */
	f = open_memstream(&buf, &len);
	ktap_init(&w, f, NULL);
	ktap_header(&w, 3);
	ktap_result(&w, XB_FLAKY, "a", NULL);
	ktap_result(&w, XB_XPASS, "b", NULL);
	ktap_bail_out(&w, "interrupted");
	fclose(f);
	assert_string_equal(buf, "KTAP version 1\n1..3\nok 1 a # FLAKY\nok 2 b # XPASS\nBail out! interrupted\n"
			    "# Totals: pass:1 fail:0 xfail:0 xpass:1 skip:0 error:0\n");
	assert_int_equal(ktap_parse(buf, &doc, err, sizeof(err)), 0);
	assert_true(doc.bailed_out);
	ktap_doc_free(&doc);
	free(buf);
	/* An empty plan has its totals at once. */
	buf = NULL;
	f = open_memstream(&buf, &len);
	ktap_init(&w, f, NULL);
	ktap_header(&w, 0);
	fclose(f);
	assert_string_equal(buf, "KTAP version 1\n1..0\n# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:0 error:0\n");
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer_format),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_reader_rejects),
		cmocka_unit_test(test_reader_prefix_and_noise),
		cmocka_unit_test(test_plan_limits),
		cmocka_unit_test(test_bail_out),
		cmocka_unit_test(test_totals),
	};

	return cmocka_run_group_tests_name("ktap", tests, NULL, NULL);
}
