/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expectations files (run --expectations FILE): what a nightly lab already
 * knows about a suite on a given machine. INI, parsed like scenarios (every
 * error names file:line; unknown sections and keys are errors that name the
 * valid ones):
 *
 *   [known-failure GLOB]   a test (or, with step = GLOB, a step) that fails
 *                          with the finding kinds kinds = names (required)
 *   [flaky GLOB]           a test rerun up to attempts = N times; kinds =
 *                          the kinds its flake may show (default: any but
 *                          corruption and iommu_fault, never rerun unless named)
 *   [skip GLOB]            a test not run at all
 *
 * kinds = takes finding kinds and "crash" (the workload died by a signal).
 * Each entry has reason = (required) and is optionally matched on the environment
 * fingerprint: kernel, xen, dom0, gpu (vendor:device), firmware, all globs.
 * The first entry that matches wins. This file only parses and matches;
 * what a match does to a result is a verdict rule (runner/verdict.c).
 */
#ifndef XB_EXPECT_H
#define XB_EXPECT_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum xb_expect_kind {
	XB_EXP_KNOWN_FAILURE,
	XB_EXP_FLAKY,
	XB_EXP_SKIP,
};

#define XB_EXP_MAX_ATTEMPTS 10
#define XB_EXP_DEFAULT_ATTEMPTS 3

struct xb_expect_entry {
	enum xb_expect_kind kind;
	char test[128];		/* glob on the test (scenario) name */
	char step[128];		/* known-failure: glob on the step name; "" = the test */
	char reason[256];
	unsigned int attempts;	/* flaky: runs at most, 2..XB_EXP_MAX_ATTEMPTS */
	unsigned int kinds;	/* kinds = (finding.h bits, XB_FAILED_CRASH); 0 = not given */
	/* Environment globs, "" = any. */
	char kernel[128], xen[64], dom0[32], gpu[64], firmware[128];
	char where[PATH_MAX + 16];	/* file:line of the section */
};

struct xb_expectations {
	struct xb_expect_entry *e;
	size_t n;
};

#define XB_EXP_MAX_FACTS 16

/* What the environment globs are matched against (from the fingerprint). */
struct xb_expect_facts {
	char kernel[128];	/* kernel.release */
	char xen[64];		/* xen.version */
	char dom0[32];		/* dom0_mode: pv, hvm, none */
	char gpu[XB_EXP_MAX_FACTS][16];		/* display devices, "1002:73bf" */
	size_t ngpu;
	char firmware[XB_EXP_MAX_FACTS][128];	/* BIOS and GPU firmware versions */
	size_t nfirmware;
};

/* 0, or -1 with "file:line: message" in err. */
int xb_expect_parse(const char *path, struct xb_expectations *x, char *err, size_t errlen);
int xb_expect_parse_file(FILE *f, const char *path, struct xb_expectations *x, char *err,
			 size_t errlen);
void xb_expect_free(struct xb_expectations *x);

/* Facts from an environment fingerprint (results.json meta.environment). */
void xb_expect_facts_from(const json_t *fingerprint, struct xb_expect_facts *f);

/*
 * The first entry of this kind for the test (step NULL) or for one of its
 * steps, whose environment globs all match; NULL when none.
 */
const struct xb_expect_entry *xb_expect_match(const struct xb_expectations *x,
					      enum xb_expect_kind kind, const char *test,
					      const char *step, const struct xb_expect_facts *f);

const char *xb_expect_kind_name(enum xb_expect_kind k);

#endif
