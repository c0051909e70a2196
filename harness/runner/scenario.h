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

#define XB_NAME_MAX 64
#define XB_MAX_WORKLOADS 16
#define XB_MAX_LIST 32

struct xb_driver;

struct xb_u64_list {
	size_t n;
	uint64_t v[XB_MAX_LIST];
};

/* Preconditions; a missing one makes the test SKIP with the reason. */
enum xb_require {
	XB_REQ_ROOT = 1u << 0,
	XB_REQ_XEN_PV = 1u << 1,	/* running in a Xen PV domain */
	XB_REQ_BARE = 1u << 2,		/* not under Xen */
	XB_REQ_KMOD = 1u << 3,		/* xenbounce.ko loaded */
	XB_REQ_EDU = 1u << 4,		/* QEMU edu bound to xenbounce.ko */
	XB_REQ_IOMMU = 1u << 5,		/* Xen: IOMMU on for dom0 */
	XB_REQ_IOMMU_STRICT = 1u << 6,	/* Xen: dom0-iommu=strict */
	XB_REQ_AMDGPU = 1u << 7,	/* an amdgpu render node */
};

enum xb_dma_path {
	XB_PATH_NONE,
	XB_PATH_DMA_API,
	XB_PATH_FIRST_PAGE,
	XB_PATH_RAW_PHYS,
};

enum xb_reserve_mode {
	XB_RESERVE_NONE,
	XB_RESERVE_FREE,	/* leave N slots free */
	XB_RESERVE_SLOTS,	/* hold N slots */
	XB_RESERVE_FRAGMENT,	/* no free run longer than N slots */
};

struct xb_fault {
	uint64_t pool_pages;	/* module DMA pool, PFN-contiguous */
	bool pool_shuffle;	/* permute the pool's machine frames */
	uint64_t scramble_mib;	/* scramble free memory's machine frames */
	bool scramble_blocks;	/* break every free 2 MiB block */
	enum xb_reserve_mode reserve_mode;
	uint64_t reserve_value;
	uint64_t balloon_mib;	/* balloon dom0 down and back up */
};

struct xb_workload {
	char name[XB_NAME_MAX];
	int line;
	const struct xb_driver *driver;
	struct xb_u64_list sizes;
	struct xb_u64_list offsets;
	uint64_t iterations;
	enum xb_dma_path path;
	unsigned int expect;	/* kinds that must be found, or XB_EXPECT_PASS */
	unsigned int allow;	/* kinds that may be found */
	bool expect_set, allow_set;
	char action[16];	/* selftest driver */
	uint64_t seconds;	/* selftest driver */
	char inject[16];	/* cpu driver: deliberate corruption */
	char mode[16];		/* virtio-gpu: preferred or largest */
	uint64_t buffers;
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
	char xfail[256];
};

#define XB_DEFAULT_TIMEOUT_S 60

/*
 * Parse one file. Returns 0, or -1 with "file:line: message" in err.
 */
int xb_scenario_parse(const char *path, struct xb_scenario *sc, char *err, size_t errlen);
/* The same from an open stream; path names it in messages. */
int xb_scenario_parse_file(FILE *f, const char *path, struct xb_scenario *sc, char *err,
			   size_t errlen);

/* Names for the list-valued keys, for messages and results. */
const char *xb_path_name(enum xb_dma_path p);
const char *xb_require_name(unsigned int bit);

#endif
