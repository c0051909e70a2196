// SPDX-License-Identifier: GPL-2.0
/* Scenario parser: good files parse to the right values; every bad file is
 * rejected with file:line and a message that names the problem. */
#include <glob.h>

#include "unit.h"

#include "core/finding.h"
#include "runner/scenario.h"
#include "userspace/workload.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = unit_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_rmrf(dir);
	free(dir);
	return 0;
}

static int parse_text(const char *name, const char *text, struct xb_scenario *sc, char *err,
		      size_t len)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unit_write(path, text);
	return xb_scenario_parse(path, sc, err, len);
}

static void test_good_full(void **state)
{
	static struct xb_scenario sc;
	char err[1024];

	(void)state;
	assert_int_equal(parse_text("full.ini",
		"; comment\n"
		"[scenario]\n"
		"name = my-test\n"
		"description = does things\n"
		"seed = 0x10\n"
		"timeout = 30\n"
		"requires = root, xen_pv, edu\n"
		"\n"
		"[fault]\n"
		"pool_pages = 16\n"
		"pool_shuffle = yes\n"
		"swiotlb_reserve = fragment=3\n"
		"scramble_mib = 64\n"
		"scramble_misalign = yes\n"
		"scramble_split = yes\n"
		"xen_exhaust_bits = 28\n"
		"xen_exhaust_min_order = 3\n"
		"\n"
		"[workload first]\n"
		"driver = edu\n"
		"path = first_page\n"
		"sizes = 3072, 1, 4095\n"
		"offsets = 2048, 0\n"
		"iterations = 3\n"
		"expect = corruption\n"
		"\n"
		"[workload second]\n"
		"driver = cpu\n"
		"sizes = 4K, 2M, 4097\n"
		"\n"
		"[expect]\n"
		"outcome = iommu_fault, corruption\n"
		"allow = warning\n", &sc, err, sizeof(err)), 0);
	assert_string_equal(sc.name, "my-test");
	assert_int_equal(sc.seed, 16);
	assert_true(sc.seed_set);
	assert_int_equal(sc.timeout_s, 30);
	assert_int_equal(sc.requires, XB_REQ_ROOT | XB_REQ_XEN_PV | XB_REQ_EDU);
	assert_int_equal(sc.fault.pool_pages, 16);
	assert_true(sc.fault.pool_shuffle);
	assert_true(sc.fault.scramble_misalign);
	assert_true(sc.fault.scramble_split);
	assert_int_equal(sc.fault.xen_exhaust_bits, 28);
	assert_int_equal(sc.fault.xen_exhaust_min_order, 3);
	assert_int_equal(sc.fault.reserve_mode, XB_RESERVE_FRAGMENT);
	assert_int_equal(sc.fault.reserve_value, 3);
	assert_int_equal(sc.nwl, 2);
	assert_string_equal(sc.wl[0].driver->name, "edu");
	assert_int_equal(sc.wl[0].path, XB_PATH_FIRST_PAGE);
	assert_int_equal(sc.wl[0].sizes.n, 3);
	assert_int_equal(sc.wl[0].sizes.v[2], 4095);
	assert_int_equal(sc.wl[0].offsets.v[0], 2048);
	assert_int_equal(sc.wl[0].iterations, 3);
	/* The workload's own expect wins over [expect]. */
	assert_int_equal(sc.wl[0].expect, XB_KIND_BIT(XB_K_CORRUPTION));
	assert_int_equal(sc.wl[1].expect, XB_KIND_BIT(XB_K_CORRUPTION) | XB_KIND_BIT(XB_K_IOMMU_FAULT));
	assert_int_equal(sc.wl[1].allow, XB_KIND_BIT(XB_K_WARNING));
	assert_int_equal(sc.wl[1].sizes.v[1], 2u << 20);
}

/* [expect MODE] replaces what it sets, for workloads that did not set their own. */
static void test_mode_expect(void **state)
{
	static struct xb_scenario sc;
	char err[1024];
	const char *text =
		"[workload a]\ndriver = selftest\naction = pass\n"
		"[workload b]\ndriver = selftest\naction = pass\nexpect = hang\n"
		"[expect]\noutcome = corruption\nxfail = known\nxfail_kinds = oops\n"
		"[expect pvh]\noutcome = pass\n"
		"[expect none]\nallow = warning\nxfail = other\nxfail_kinds = crash, warning\n";

	(void)state;
	assert_int_equal(parse_text("modes.ini", text, &sc, err, sizeof(err)), 0);
	xb_scenario_apply_mode(&sc, XB_DOM0_PV);	/* no [expect pv]: unchanged */
	assert_int_equal(sc.wl[0].expect, XB_KIND_BIT(XB_K_CORRUPTION));
	assert_string_equal(sc.expect_mode, "");
	xb_scenario_apply_mode(&sc, XB_DOM0_PVH);
	assert_int_equal(sc.wl[0].expect, XB_EXPECT_PASS);
	assert_int_equal(sc.wl[1].expect, XB_KIND_BIT(XB_K_HANG));
	assert_int_equal(sc.expect, XB_EXPECT_PASS);
	assert_string_equal(sc.xfail, "known");
	assert_int_equal(sc.xfail_kinds, XB_KIND_BIT(XB_K_OOPS));
	assert_string_equal(sc.expect_mode, "pvh");

	assert_int_equal(parse_text("modes.ini", text, &sc, err, sizeof(err)), 0);
	xb_scenario_apply_mode(&sc, XB_DOM0_NONE);
	assert_int_equal(sc.wl[0].expect, XB_KIND_BIT(XB_K_CORRUPTION));
	assert_int_equal(sc.wl[0].allow, XB_KIND_BIT(XB_K_WARNING));
	assert_string_equal(sc.xfail, "other");
	assert_int_equal(sc.xfail_kinds, XB_FAILED_CRASH | XB_KIND_BIT(XB_K_WARNING));
	assert_string_equal(sc.expect_mode, "none");
}

/* [expect domu-pv]: the placement of a PV domU with the device passed through. */
static void test_mode_expect_domu(void **state)
{
	static struct xb_scenario sc;
	char err[1024];
	const char *text =
		"[scenario]\nrequires = root, xen_pv, dom0\n"
		"[workload a]\ndriver = selftest\naction = pass\n"
		"[expect]\noutcome = corruption, iommu_fault\n"
		"[expect domu-pv]\noutcome = corruption\n";

	(void)state;
	assert_int_equal(parse_text("domu.ini", text, &sc, err, sizeof(err)), 0);
	assert_int_equal(sc.requires, XB_REQ_ROOT | XB_REQ_XEN_PV | XB_REQ_DOM0);
	xb_scenario_apply_mode(&sc, XB_DOM0_PV);
	assert_int_equal(sc.wl[0].expect, XB_KIND_BIT(XB_K_CORRUPTION) | XB_KIND_BIT(XB_K_IOMMU_FAULT));
	xb_scenario_apply_mode(&sc, XB_DOM0_DOMU_PV);
	assert_int_equal(sc.wl[0].expect, XB_KIND_BIT(XB_K_CORRUPTION));
	assert_string_equal(sc.expect_mode, "domu-pv");
	assert_int_equal(xb_dom0_mode_from_name("domu-pv"), XB_DOM0_DOMU_PV);
	assert_string_equal(xb_require_name(XB_REQ_DOM0), "dom0");
}

static void test_good_defaults(void **state)
{
	static struct xb_scenario sc;
	char err[1024];

	(void)state;
	assert_int_equal(parse_text("minimal-name.ini", "[workload w]\ndriver = selftest\naction = pass\n",
				    &sc, err, sizeof(err)), 0);
	assert_string_equal(sc.name, "minimal-name");
	assert_false(sc.seed_set);
	assert_int_equal(sc.timeout_s, XB_DEFAULT_TIMEOUT_S);
	assert_int_equal(sc.wl[0].expect, XB_EXPECT_PASS);
	assert_int_equal(sc.wl[0].iterations, 1);
}

struct bad_case {
	const char *text;
	int line;
	const char *msg;
};

static void test_bad_files(void **state)
{
	static const struct bad_case cases[] = {
		{ "[scenario]\nname = x\n", 2, "no [workload NAME] section" },
		{ "[scenario]\nnmae = x\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "unknown key \"nmae\" in [scenario]" },
		{ "[fault]\nscramble_misalign = maybe\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "scramble_misalign = maybe: use yes or no" },
		{ "[fault]\nscramble_misalgn = yes\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "scramble_blocks, scramble_misalign, scramble_split, swiotlb_reserve" },
		{ "[fault]\nscramble_split = half\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "scramble_split = half: use yes or no" },
		{ "[senario]\n[workload w]\ndriver = cpu\nsizes = 1\n", 1, "unknown section [senario]" },
		{ "[workload w]\ndriver = cpu\nsizes = 1\n[workload w]\ndriver = cpu\nsizes = 1\n", 4, "duplicate section [workload w]" },
		{ "[scenario]\n[scenario]\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "duplicate section [scenario]" },
		{ "[workload w]\ndriver = cpu\nsizes = 1\nsizes = 2\n", 4, "duplicate key \"sizes\"" },
		{ "[workload w]\ndriver = gpu9000\n", 2, "unknown driver \"gpu9000\"" },
		{ "[workload w]\nsizes = 1\ndriver = cpu\n", 2, "\"driver\" must come first" },
		{ "[workload w]\ndriver = cpu\nsizes = 1\npath = dma_api\n", 4, "driver cpu takes no key \"path\"" },
		{ "[workload w]\ndriver = cpu\nsizes = 1, , 2\n", 3, "empty list item" },
		{ "[workload w]\ndriver = cpu\nsizes = 4Q\n", 3, "\"4Q\" is not a size" },
		{ "[workload w]\ndriver = cpu\nsizes = 2G\n", 3, "out of range" },
		{ "[workload w]\ndriver = cpu\nsizes = 1\niterations = -1\n", 4, "not a number" },
		{ "[workload w]\ndriver = cpu\nsizes = 1\niterations = 0\n", 4, "out of range" },
		{ "[workload w]\ndriver = cpu\n", 1, "driver cpu needs sizes" },
		{ "[workload w]\ndriver = edu\npath = dma_api\nsizes = 4096\n[fault]\npool_pages = 8\n", 1, "at most 4095 bytes" },
		{ "[workload w]\ndriver = edu\npath = dma_api\nsizes = 100\n", 1, "needs [fault] pool_pages" },
		{ "[workload w]\ndriver = edu\npath = sideways\n", 3, "path = sideways" },
		{ "[fault]\nswiotlb_reserve = half\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "use free=N, slots=N, fragment=K or hole=K" },
		{ "[fault]\nswiotlb_reserve = hole=0\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "swiotlb_reserve" },
		{ "[fault]\npool_pages = 1\n[workload w]\ndriver = cpu\nsizes = 1\n", 2, "out of range (2..1024)" },
		{ "[fault]\npool_shuffle = maybe\n", 2, "use yes or no" },
		{ "[fault]\nxen_exhaust_bits = 12\n", 2, "out of range (20..44)" },
		{ "[fault]\nxen_exhaust_bits = 28\nxen_exhaust_min_order = 10\n", 3, "out of range (0..9)" },
		{ "[fault]\nxen_exhaust_min_order = 0\n[workload w]\ndriver = cpu\nsizes = 1\n", 1, "xen_exhaust_min_order needs xen_exhaust_bits" },
		{ "[fault]\nxen_exhaustbits = 28\n", 2, "balloon_mib, xen_exhaust_bits, xen_exhaust_min_order)" },
		{ "[expect]\noutcome = exploded\n", 2, "unknown outcome \"exploded\"" },
		{ "[expect]\noutcome = pass, corruption\n", 2, "\"pass\" cannot be combined" },
		{ "[scenario]\nrequires = xen_pv, bare\n", 2, "exclude each other" },
		{ "[scenario]\nrequires = unicorn\n", 2, "unknown \"unicorn\"" },
		{ "[scenario]\nname = has space\n", 2, "name = has space" },
		{ "[scenario]\ntimeout = 0\n", 2, "out of range" },
		{ "name = x\n", 1, "outside a section" },
		{ "[workload w]\ndriver = cpu\nsizes = 1\n  continued\n", 4, "continuation lines" },
		{ "[workload w]\ndriver = cpu\nthis is not ini\n", 3, "syntax error" },
		{ "[workload w]\ndriver = cpu\nsizes =\n", 3, "empty value" },
		{ "[workload w]\ndriver = selftest\naction = dance\n", 1, "needs action" },
		{ "[expect pvhh]\noutcome = pass\n", 1, "[expect pvhh]: unknown dom0 mode (pv, pvh, hvm, none, domu-pv)" },
		{ "[expect pvh]\n[expect pvh]\n", 2, "duplicate section [expect pvh]" },
		{ "[expect pvh]\noutcom = pass\n", 2, "unknown key \"outcom\" in [expect MODE] (outcome, allow, xfail, xfail_kinds)" },
		/* A known bug names the kinds it fails with, and they exist. */
		{ "[workload w]\ndriver = cpu\nsizes = 4K\n[expect]\nxfail = bug 1\n", 1, "xfail and xfail_kinds go together" },
		{ "[workload w]\ndriver = cpu\nsizes = 4K\n[expect pvh]\nxfail_kinds = oops\n", 1, "[expect pvh]: xfail and xfail_kinds go together" },
		{ "[expect]\nxfail_kinds = oops, exploded\n", 2, "unknown kind \"exploded\"" },
		{ "[expect pvh]\noutcome = exploded\n", 2, "unknown outcome \"exploded\"" },
		{ "[scenario]\nrequires = xen, bare\n", 2, "exclude each other" },
		{ "[scenario]\nrequires = dom0, bare\n", 2, "exclude each other" },
		{ "[fault]\npool_pages = 8\n[workload w]\ndriver = edu\npath = stale\nsizes = 2048\noffsets = 3072\n", 3, "path = stale: size 2048 at offset 3072 leaves the page" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static struct xb_scenario sc;
		char err[1024], want[64];

		assert_int_equal(parse_text("bad.ini", cases[i].text, &sc, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "bad.ini:%d: ", cases[i].line);
		if (!strstr(err, want) || !strstr(err, cases[i].msg))
			fail_msg("case %zu: got \"%s\", want \"%s\" and \"%s\"", i, err, want, cases[i].msg);
	}
}

static void test_missing_file(void **state)
{
	static struct xb_scenario sc;
	char err[1024];

	(void)state;
	assert_int_equal(xb_scenario_parse("/nonexistent/x.ini", &sc, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/x.ini: No such file"));
}

/* Every scenario the project ships must parse. */
static void test_shipped_scenarios(void **state)
{
	glob_t g;
	size_t n = 0;

	(void)state;
	assert_int_equal(glob("scenarios/*.ini", 0, NULL, &g), 0);
	glob("scenarios/*/*.ini", GLOB_APPEND, NULL, &g);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		static struct xb_scenario sc;
		char err[1024];

		if (xb_scenario_parse(g.gl_pathv[i], &sc, err, sizeof(err)))
			fail_msg("%s", err);
		assert_true(sc.description[0] != '\0');
		n++;
	}
	globfree(&g);
	assert_true(n >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_full),
		cmocka_unit_test(test_good_defaults),
		cmocka_unit_test(test_mode_expect),
		cmocka_unit_test(test_mode_expect_domu),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_shipped_scenarios),
	};

	return cmocka_run_group_tests_name("scenario", tests, setup, teardown);
}
