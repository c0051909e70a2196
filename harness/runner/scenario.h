/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scenario files: INI, parsed with inih. See README.md, "Scenario files".
 * Every error names file:line and nothing runs.
 */
#ifndef XB_SCENARIO_H
#define XB_SCENARIO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "evidence/env.h"
#include "userspace/workload.h"

#define XB_MAX_WORKLOADS 16


enum xb_reserve_mode {
	XB_RESERVE_NONE,
	XB_RESERVE_FREE,	/* leave N slots free */
	XB_RESERVE_SLOTS,	/* hold N slots */
	XB_RESERVE_FRAGMENT,	/* no free run longer than N slots */
	XB_RESERVE_HOLE,	/* one free run of N slots, the rest full */
};

struct xb_fault {
	uint64_t pool_pages;	/* module DMA pool, PFN-contiguous */
	bool pool_shuffle;	/* permute the pool's machine frames */
	bool pool_contiguous;	/* the pool's frames start machine-contiguous */
	uint64_t scramble_mib;	/* scramble free memory's machine frames */
	bool scramble_blocks;	/* break every free 2 MiB block */
	bool scramble_misalign;	/* every free 4 MiB block: lower 2 MiB misaligned */
	bool scramble_split;	/* every free 4 MiB block: lower 2 MiB contiguous, upper permuted */
	enum xb_reserve_mode reserve_mode;
	uint64_t reserve_value;
	uint64_t balloon_mib;	/* balloon dom0 down and back up */
	uint64_t xen_exhaust_bits;	/* take Xen's free memory below 2^bits (0: no) */
	uint64_t xen_exhaust_min_order;	/* down to extents of this order */
	bool xen_exhaust_min_order_set;
};

/* An [expect MODE] section: what changes when dom0 runs in that mode. */
struct xb_mode_expect {
	bool present;
	bool expect_set, allow_set;
	unsigned int expect;
	unsigned int allow;
	char xfail[256];
	unsigned int xfail_kinds;
};

struct xb_scenario {
	char path[PATH_MAX];
	char name[XB_NAME_MAX];
	char description[256];
	uint64_t seed;
	bool seed_set;
	uint64_t timeout_s;
	unsigned int requires;
	struct xb_fault fault;
	struct xb_workload wl[XB_MAX_WORKLOADS];
	size_t nwl;
	unsigned int expect;
	unsigned int allow;
	char xfail[256];	/* a known bug: its reason ... */
	unsigned int xfail_kinds;	/* ... and the kinds it fails with (required with it) */
	struct xb_mode_expect mode_expect[XB_DOM0_NMODES];
	char expect_mode[8];	/* the [expect MODE] applied, if any */
};

#define XB_DEFAULT_TIMEOUT_S 60
/* Seeds stay exact in JSON (IEEE doubles in jq and browsers): 53 bits. */
#define XB_SEED_MAX ((1ull << 53) - 1)

/*
 * Parse one file. Returns 0, or -1 with "file:line: message" in err.
 */
int xb_scenario_parse(const char *path, struct xb_scenario *sc, char *err, size_t errlen);
/* The same from an open stream; path names it in messages. */
int xb_scenario_parse_file(FILE *f, const char *path, struct xb_scenario *sc, char *err,
			   size_t errlen);


/*
 * Make the [expect MODE] section for this dom0 mode, if the file has one,
 * the expectation: each key it sets (outcome, allow, xfail, xfail_kinds) replaces
 * [expect]'s, and outcome and allow also those of every workload that did
 * not set its own.
 */
void xb_scenario_apply_mode(struct xb_scenario *sc, enum xb_dom0_mode mode);

/* What a workload driver is told of the scenario around it. */
struct xb_wl_setup xb_scenario_wl_setup(const struct xb_scenario *sc);

#endif
