/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload-driver interface. A driver runs in a forked child, in its
 * own process group, with stdout and stderr going to the test's log files.
 * It reports what it saw as findings (JSON lines) and returns one of
 * enum xb_wl_rc as the child's exit code; the runner judges the findings
 * against the scenario's [expect].
 */
#ifndef XB_WORKLOAD_H
#define XB_WORKLOAD_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include <stdbool.h>

#include "core/finding.h"
#include "core/util.h"

#define XB_NAME_MAX 64
#define XB_MAX_LIST 32

struct xb_u64_list {
	size_t n;
	uint64_t v[XB_MAX_LIST];
};

enum xb_dma_path {
	XB_PATH_NONE,
	XB_PATH_DMA_API,
	XB_PATH_FIRST_PAGE,
	XB_PATH_RAW_PHYS,
	XB_PATH_STALE,
	XB_PATH_LAST = XB_PATH_STALE,
};

const char *xb_path_name(enum xb_dma_path p);

/* DMA directions, as the DMA API names them. */
enum xb_dma_dir {
	XB_DIR_TO_DEVICE = 1u << 0,
	XB_DIR_FROM_DEVICE = 1u << 1,
	XB_DIR_BIDIRECTIONAL = 1u << 2,
};

/* The bit for a direction's name; 0 when unknown. */
unsigned int xb_dir_from_name(const char *name);
const char *xb_dir_name(unsigned int bit);

struct xb_driver;

/* One [workload NAME] section: what a driver is given. */
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
	/* dmaapi driver */
	unsigned int directions;	/* bits of enum xb_dma_dir */
	uint64_t segments;
	uint64_t sync_offset, sync_len, rounds;
	uint64_t partial;		/* the device writes only this much */
	bool skip_cpu_sync;
	uint64_t dma_bits;		/* 0: leave the device's mask */
	uint64_t coherent_bits;		/* 0: the coherent mask follows dma_bits */
	uint64_t min_align, max_seg, seg_boundary;
	bool min_align_set;
	char bounce[16];		/* expected, none or any */
	bool above_mask;		/* offsets from pool pages above the mask */
	char buffer[16];		/* pool (default) or allocated */
	char mapping[8];		/* dmaapi transfer: single, page or sg */
	bool contiguous;		/* ttm: a machine-contiguous block */
};

/* What the rest of the scenario tells a driver. */
struct xb_wl_setup {
	const char *test;	/* the scenario's name */
	uint64_t pool_pages;	/* the module's DMA pool, 0 when none */
};

enum xb_wl_rc {
	XB_WL_DONE = 0,		/* ran to the end; findings say what it saw */
	XB_WL_ERROR = 3,	/* could not run: harness or environment */
	XB_WL_SKIP = 4,		/* a precondition is missing */
	XB_WL_REPORT_LOST = 5,	/* what it reported could not all be recorded */
};

struct xb_wl_ctx {
	const struct xb_wl_setup *setup;
	const struct xb_workload *wl;
	uint64_t seed;
	FILE *report;		/* JSON lines for the runner */
	int report_errno;	/* set when a report could not be written: nothing is lost quietly */
	const char *dir;	/* the test's result directory */
};

struct xb_driver {
	const char *name;
	const char *help;
	/* Workload keys this driver takes besides driver, expect and allow. */
	const char *const *keys;
	/* Checks that need more than one key; 0 or -1 with a message. */
	int (*validate)(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			char *err, size_t len);
	enum xb_wl_rc (*run)(struct xb_wl_ctx *ctx);
};

const struct xb_driver *xb_driver_find(const char *name);
extern const struct xb_driver *const xb_drivers[];
extern const size_t xb_ndrivers;

/* Reporting from inside a driver. */
void xb_report_finding(struct xb_wl_ctx *ctx, json_t *finding);
void xb_report_note(struct xb_wl_ctx *ctx, const char *fmt, ...) XB_PRINTF(2, 3);
enum xb_wl_rc xb_wl_skip(struct xb_wl_ctx *ctx, const char *fmt, ...) XB_PRINTF(2, 3);
enum xb_wl_rc xb_wl_error(struct xb_wl_ctx *ctx, const char *fmt, ...) XB_PRINTF(2, 3);

#endif
