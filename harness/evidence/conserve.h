/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Conservation: nothing the DMA path borrowed may be lost by a test's end.
 * A snapshot at the start of the run is the baseline; after every test
 * (after its fault teardown) a new snapshot is compared with it and then
 * becomes the next test's baseline, so a loss is charged once, to the test
 * that caused it. A snapshot holds:
 *   - swiotlb's counters (debugfs io_tlb_nslabs, io_tlb_used);
 *   - the module's pool check ("reserve check"): every free slot mapped
 *     and counted, and the longest run one mapping gets, all given back;
 *   - Xen's free heap below 4 GiB and below 256 MiB (xc_availheap), where
 *     coherent memory and the swiotlb pool come from under PV;
 *   - dom0's MemFree (noisy: only a loss beyond a wide limit counts).
 * A difference is a pool_leak finding with the numbers (subkinds below).
 */
#ifndef XB_CONSERVE_H
#define XB_CONSERVE_H

#include <jansson.h>
#include <stdbool.h>

/* -1 in a field: not known here (no swiotlb, no module, no Xen). */
struct xb_conserve_snap {
	long long nslabs, used;
	long long slots_free, longest_run, max_run, mappings, check_ns;
	long long full_runs;		/* free runs a maximal mapping can take */
	char check_why[160];		/* why slots_free is -1 */
	bool check_failed;		/* the module refused it or said nothing */
	int tries;			/* checks run until io_tlb_used held still */
	long long xen_free_4g, xen_free_256m;	/* bytes */
	long long dom0_free_kib;
};

/* What a loss may be before it is a finding; < 0: recorded only. */
struct xb_conserve_limits {
	long long xen_bytes;
	long long dom0_kib;
};

/*
 * The limits the run uses, from the lab (README, "The pool check"): over
 * the default suite Xen's free heap below 4 GiB came back within 212 KiB
 * of the baseline (50-balloon; below 256 MiB exactly), dom0's MemFree
 * within 3.5 MiB (page cache, the results written to its tmpfs): the
 * limits are about 5 and 18 times that noise.
 */
#define XB_CONSERVE_XEN_SLACK	(1ll << 20)
#define XB_CONSERVE_DOM0_SLACK_KIB	(64ll << 10)
extern const struct xb_conserve_limits xb_conserve_default_limits;

/*
 * The findings between two snapshots, appended to findings (pure: no I/O).
 * Subkinds of pool_leak:
 *   swiotlb_used      io_tlb_used differs from the baseline
 *   swiotlb_unusable  slots the counters call free that no mapping gets
 *                     (counted != nslabs - used)
 *   swiotlb_slots     fewer (or more) free slots counted than at baseline
 *   swiotlb_run       the longest mappable run got shorter
 *   xen_heap_4g, xen_heap_256m   Xen's free heap below 4 GiB / 256 MiB
 *                     lost more than limits->xen_bytes
 *   dom0_free         dom0's MemFree lost more than limits->dom0_kib
 * Returns the number of findings added.
 */
int xb_conserve_judge(const struct xb_conserve_snap *base, const struct xb_conserve_snap *now,
		      const struct xb_conserve_limits *lim, json_t *findings);
json_t *xb_conserve_snap_json(const struct xb_conserve_snap *s);

struct xb_conserve;

/*
 * Open and take the baseline; NULL with why when the check cannot run here
 * (it needs xenbounce.ko's reserve file; what else is missing, swiotlb's
 * counters or Xen, is left out of the snapshots).
 */
struct xb_conserve *xb_conserve_open(char *why, size_t len);
/*
 * After a test: snapshot, judge against the baseline into findings, record
 * both under record; a deliberate leak the module holds (reserve "leak=",
 * the known-bad control) is released and recorded. The snapshot after that
 * becomes the baseline of the next test. -1 with why when the module's
 * check ran at the baseline and cannot now (the counters are still judged).
 */
int xb_conserve_check(struct xb_conserve *c, json_t *findings, json_t *record, char *why, size_t len);
void xb_conserve_close(struct xb_conserve *c);

#endif
