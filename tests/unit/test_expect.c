// SPDX-License-Identifier: GPL-2.0
/* Expectations files: parsing (file:line errors) and matching (core/expect.c). */
#include "unit.h"

#include "core/expect.h"

static int parse_text(const char *text, struct xb_expectations *x, char *err, size_t len)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r;

	assert_non_null(f);
	r = xb_expect_parse_file(f, "exp.ini", x, err, len);
	fclose(f);
	return r;
}

static const char good[] =
	"; what the nightly lab knows\n"
	"[known-failure 12-edu-*]\n"
	"reason = bug 1: first_page corrupts\n"
	"kinds = corruption, iommu_fault\n"
	"step = copy\n"
	"kernel = 6.1.*\n"
	"\n"
	"[known-failure 13-edu-raw-phys]\n"
	"reason = bug 2\n"
	"kinds = crash\n"
	"gpu = 1002:*\n"
	"firmware = F20*\n"
	"[flaky 30-swiotlb-*]\n"
	"reason = pool timing\n"
	"attempts = 4\n"
	"[skip 50-balloon]\n"
	"reason = no balloon driver here\n"
	"xen = 4.17*\n"
	"dom0 = pv\n";

static void facts(struct xb_expect_facts *f)
{
	json_t *fp = json_pack("{s:{s:s}, s:{s:s}, s:s, s:{s:s}, s:[{s:s, s:s, s:s, s:{s:i}}, {s:s, s:s, s:s}]}",
			       "kernel", "release", "6.1.0-57-amd64", "xen", "version", "4.17.7",
			       "dom0_mode", "pv", "firmware", "bios_version", "F20c",
			       "pci", "class", "0x030000", "vendor", "0x1002", "device", "0x73bf",
			       "firmware", "smc", 3801088,
			       "class", "0x00ff00", "vendor", "0x1234", "device", "0x11e8");

	xb_expect_facts_from(fp, f);
	json_decref(fp);
}

static void test_parse_and_match(void **state)
{
	struct xb_expectations x;
	struct xb_expect_facts f;
	const struct xb_expect_entry *e;
	char err[512] = "";

	(void)state;
	assert_int_equal(parse_text(good, &x, err, sizeof(err)), 0);
	assert_int_equal(x.n, 4);
	facts(&f);
	assert_string_equal(f.kernel, "6.1.0-57-amd64");
	assert_int_equal(f.ngpu, 1);
	assert_string_equal(f.gpu[0], "1002:73bf");	/* edu (class 00ff) is no GPU */
	assert_int_equal(f.nfirmware, 2);
	/* A step entry matches the step, not the test. */
	e = xb_expect_match(&x, XB_EXP_KNOWN_FAILURE, "12-edu-first-page-shuffled", "copy", &f);
	assert_non_null(e);
	assert_string_equal(e->reason, "bug 1: first_page corrupts");
	assert_string_equal(e->where, "exp.ini:2");
	assert_null(xb_expect_match(&x, XB_EXP_KNOWN_FAILURE, "12-edu-first-page-shuffled", NULL, &f));
	assert_null(xb_expect_match(&x, XB_EXP_KNOWN_FAILURE, "12-edu-first-page-shuffled", "other", &f));
	/* Another kernel: the entry does not apply. */
	snprintf(f.kernel, sizeof(f.kernel), "6.12.117+deb12-amd64");
	assert_null(xb_expect_match(&x, XB_EXP_KNOWN_FAILURE, "12-edu-first-page-shuffled", "copy", &f));
	/* GPU and firmware globs. */
	assert_non_null(xb_expect_match(&x, XB_EXP_KNOWN_FAILURE, "13-edu-raw-phys", NULL, &f));
	snprintf(f.gpu[0], sizeof(f.gpu[0]), "10de:2684");
	assert_null(xb_expect_match(&x, XB_EXP_KNOWN_FAILURE, "13-edu-raw-phys", NULL, &f));
	e = xb_expect_match(&x, XB_EXP_FLAKY, "30-swiotlb-exhausted", NULL, &f);
	assert_non_null(e);
	assert_int_equal(e->attempts, 4);
	assert_null(xb_expect_match(&x, XB_EXP_SKIP, "30-swiotlb-exhausted", NULL, &f));
	assert_non_null(xb_expect_match(&x, XB_EXP_SKIP, "50-balloon", NULL, &f));
	snprintf(f.dom0, sizeof(f.dom0), "none");
	assert_null(xb_expect_match(&x, XB_EXP_SKIP, "50-balloon", NULL, &f));
	assert_null(xb_expect_match(NULL, XB_EXP_SKIP, "50-balloon", NULL, &f));
	xb_expect_free(&x);
}

static void test_first_match_wins_and_default_attempts(void **state)
{
	struct xb_expectations x;
	struct xb_expect_facts f = { 0 };
	char err[512];

	(void)state;
	assert_int_equal(parse_text("[flaky a*]\nreason = one\n[flaky ab]\nreason = two\nattempts = 2\n",
				    &x, err, sizeof(err)), 0);
	assert_string_equal(xb_expect_match(&x, XB_EXP_FLAKY, "ab", NULL, &f)->reason, "one");
	assert_int_equal(xb_expect_match(&x, XB_EXP_FLAKY, "ab", NULL, &f)->attempts, XB_EXP_DEFAULT_ATTEMPTS);
	xb_expect_free(&x);
}

static void test_errors_name_file_line(void **state)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "[known-failure a]\nreason = r\nkinds = oops\n[expected b]\nreason = r\n",
		  "exp.ini:4: unknown section [expected] (sections: known-failure TEST, flaky TEST, skip TEST)" },
		{ "[known-failure a]\nreason = r\nsetp = x\n",
		  "exp.ini:3: unknown key \"setp\" in [known-failure] (reason, kinds, step, kernel, xen, dom0, gpu, firmware)" },
		{ "[flaky a]\nreason = r\nstep = x\n",
		  "exp.ini:3: unknown key \"step\" in [flaky] (reason, kinds, attempts, kernel, xen, dom0, gpu, firmware)" },
		/* A known failure names what it fails with: anything else stays new. */
		{ "[known-failure a]\nreason = r\n[skip b]\nreason = r\n",
		  "exp.ini:3: [known-failure a] (from exp.ini:1) has no kinds =" },
		{ "[known-failure a]\nreason = r\n", "exp.ini:3: [known-failure a] (from exp.ini:1) has no kinds =" },
		{ "[known-failure a]\nreason = r\nkinds = corruption, oopss\n",
		  "exp.ini:3: kinds = corruption, oopss: unknown kind \"oopss\" (corruption, iommu_fault, pool_exhausted, hang, map_error, gpu_fault, oops, warning, taint, device_disabled, contract, pool_leak, crash)" },
		{ "[skip a]\nreason = r\nkinds = oops\n",
		  "exp.ini:3: unknown key \"kinds\" in [skip] (reason, kernel, xen, dom0, gpu, firmware)" },
		{ "[skip a]\nreason = r\nattempts = 2\n",
		  "exp.ini:3: unknown key \"attempts\" in [skip] (reason, kernel, xen, dom0, gpu, firmware)" },
		{ "[flaky a]\nreason = r\nattempts = 1\n", "exp.ini:3: attempts = 1: a number from 2 to 10 (runs in all)" },
		{ "[flaky a]\nreason = r\nattempts = 11\n", "exp.ini:3: attempts = 11: a number from 2 to 10 (runs in all)" },
		{ "[skip a]\nreason = r\nreason = s\n", "exp.ini:3: duplicate key \"reason\" in [skip a]" },
		{ "[skip a]\nxen = 4.17\n\n[skip b]\nreason = r\n", "exp.ini:4: [skip a] (from exp.ini:1) has no reason =" },
		{ "[skip a]\nxen = 4.17\n", "exp.ini:3: [skip a] (from exp.ini:1) has no reason =" },
		{ "[skip]\nreason = r\n", "exp.ini:1: [skip] needs a test name or glob: [skip TEST]" },
		{ "reason = r\n", "exp.ini:1: key \"reason\" outside a section" },
		{ "[skip a]\nreason\n", "exp.ini:2: syntax error (expected [section] or key = value)" },
		{ "[skip a]\nreason = r\n  more\n", "exp.ini:3: indented line: continuation lines are not supported" },
	};
	struct xb_expectations x;
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse_text(bad[i].text, &x, err, sizeof(err)), -1);
		if (strncmp(err, bad[i].err, strlen(bad[i].err))) {
			print_error("case %zu: got \"%s\", want \"%s\"\n", i, err, bad[i].err);
			fail();
		}
		assert_null(x.e);
	}
	assert_int_equal(xb_expect_parse("/nonexistent/exp.ini", &x, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/exp.ini: No such file"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_match),
		cmocka_unit_test(test_first_match_wins_and_default_attempts),
		cmocka_unit_test(test_errors_name_file_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
