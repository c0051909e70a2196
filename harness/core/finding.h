/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Findings: what a test saw. Workloads report corruption and hangs; the
 * evidence classifiers report what the kernel and Xen logged. A scenario's
 * [expect] names the kinds it must see; anything else is unexpected.
 *
 * Keep in sync with xb_kind_names[] in finding.c.
 */
#ifndef XB_FINDING_H
#define XB_FINDING_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

enum xb_kind {
	XB_K_CORRUPTION,	/* data wrong in the target or in a neighbour */
	XB_K_IOMMU_FAULT,	/* Xen or Linux IOMMU fault */
	XB_K_POOL_EXHAUSTED,	/* swiotlb could not bounce a mapping */
	XB_K_HANG,		/* DMA or fence never completed; test timeout */
	XB_K_MAP_ERROR,		/* a DMA mapping failed for another reason */
	XB_K_GPU_FAULT,		/* GPUVM page fault, ring timeout, reset, lockup */
	XB_K_OOPS,		/* oops, BUG, panic; a GPF, SLUB corruption, RCU stall,
				 * hung task or soft/hard lockup the kernel reports */
	XB_K_WARNING,		/* kernel WARNING */
	XB_K_TAINT,		/* a new taint flag */
	XB_K_DEVICE_DISABLED,	/* Xen turned a device's bus mastering off */
	XB_K_CONTRACT,		/* the DMA API broke a promise: alignment, segments,
				 * mask, a bounce where none was needed or none
				 * where one was */
	XB_K_POOL_LEAK,		/* something the DMA path borrowed was not given
				 * back by the test's end: swiotlb slots, free
				 * runs, Xen's free heap below 4 GiB / 256 MiB */
	XB_K_COUNT
};

/* Bit set of kinds, plus the pseudo-outcome "pass" (no findings at all). */
#define XB_EXPECT_PASS (1u << XB_K_COUNT)
#define XB_KIND_BIT(k) (1u << (k))
/*
 * What a failure failed with (its signature, matched by expectations): the
 * kinds it found unexpectedly, the expected kinds it did not find, and
 * XB_FAILED_CRASH when the workload died by a signal.
 */
#define XB_FAILED_CRASH (1u << (XB_K_COUNT + 1))

const char *xb_kind_name(enum xb_kind k);
int xb_kind_from_name(const char *name);
/* The kinds in set, comma-separated in enum order ("" for none; "crash" for XB_FAILED_CRASH). */
void xb_kinds_format(unsigned int set, char *buf, size_t len);
/*
 * "kind, kind, ..." into a set; crash_ok: the word "crash" too
 * (XB_FAILED_CRASH). -1 with the unknown word and the valid ones in err.
 */
int xb_kinds_parse(const char *list, bool crash_ok, unsigned int *set, char *err, size_t errlen);

/*
 * A finding is a JSON object: {"kind", "subkind", "device", "source",
 * "line", "numbers": {...}}. Helpers keep the shape in one place.
 */
json_t *xb_finding_new(enum xb_kind kind, const char *subkind, const char *source);
int xb_finding_kind(const json_t *f);
/* The set of kinds in an array of findings; with_injected: also those the harness injected. */
unsigned int xb_findings_kinds(const json_t *findings, bool with_injected);

#endif
