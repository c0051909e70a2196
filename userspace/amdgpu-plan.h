/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the amdgpu workload does, as data: for one transfer (action, size,
 * offset, seed) the BOs it allocates, the submissions it makes (BO list,
 * CPU fills before, SDMA operations, CPU checks after) and, given the BOs'
 * GPU addresses, each submission's IB. Pure: the driver (wl-amdgpu.c)
 * executes exactly this plan on a GPU, and `xenbounce amdgpu-plan` prints
 * it for a chosen family without one.
 */
#ifndef XB_AMDGPU_PLAN_H
#define XB_AMDGPU_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sdma.h"

#define XB_AP_GUARD 4096u		/* guard bytes after every destination range */
#define XB_AP_WRITE_CHUNK_DW 16384u	/* data dwords per WRITE packet */
#define XB_AP_EVICT_MAX 32u		/* VRAM BOs of one eviction case, at most */
#define XB_AP_EVICT_BO_PREF (512ull << 20)	/* preferred eviction BO size */
#define XB_AP_EVICT_ALIGN (2ull << 20)
#define XB_AP_SUB_MAX_BOS 4
#define XB_AP_SRC_BUF_ID 11u		/* pattern buffer id of the first source */
#define XB_AP_FILL_SRC 0xA5		/* source bytes around the pattern */
#define XB_AP_FILL_DST 0x5A		/* destination bytes before the transfer */
#define XB_AP_FILL_TAIL 0xC3		/* round trip: beyond what is copied back */
#define XB_AP_DEFAULT_TIMEOUT_MS 10000u	/* amdgpu_device_get_job_timeout_settings */

enum xb_ap_domain { XB_AP_GTT, XB_AP_GTT_USWC, XB_AP_VRAM, XB_AP_USERPTR };

struct xb_ap_bo {
	char role[24];
	enum xb_ap_domain dom;
	uint64_t size;
	bool cpu;		/* CPU-mapped (fills and checks need it) */
};

enum xb_ap_op_kind { XB_AP_OP_WRITE, XB_AP_OP_COPY, XB_AP_OP_WAIT };

struct xb_ap_op {
	enum xb_ap_op_kind kind;
	int src, dst;			/* BO indexes (src unused by WRITE) */
	uint64_t src_off, dst_off, bytes;
	uint32_t pat_id;		/* WRITE: data is pattern pat_id ... */
	uint64_t pat_pos;		/* ... from this position */
};

/* A byte range of a BO and what it holds: a fill byte or a pattern. */
struct xb_ap_region {
	int bo;
	uint64_t off, len;
	bool pattern;
	uint8_t byte;
	uint32_t pat_id;
	uint64_t pat_pos;
	const char *what;		/* "target", "guard before", ... */
};

struct xb_ap_sub {
	size_t op0, nops;
	size_t fill0, nfill;		/* CPU writes before the submission */
	size_t check0, ncheck;		/* CPU checks after its fence */
	int bos[XB_AP_SUB_MAX_BOS];	/* the BO list, without the IB's own BO */
	size_t nbos;
};

struct xb_ap_case {
	char action[16];
	uint64_t size, off, seed;
	bool eviction;			/* the driver must see the kernel move something */
	struct xb_ap_bo *bo;
	struct xb_ap_op *op;
	struct xb_ap_region *fill, *check;
	struct xb_ap_sub *sub;
	size_t nbo, nop, nfill, ncheck, nsub;
	size_t cap_bo, cap_op, cap_fill, cap_check, cap_sub;
};

/* What the plan needs to know of the device (the dry run assumes it). */
struct xb_ap_dev {
	uint64_t vram_usable, vram_max_alloc;	/* AMDGPU_INFO_MEMORY */
	uint64_t gtt_usable, gtt_max_alloc;
	uint32_t page;				/* CPU page size */
	uint32_t ib_max_dw;			/* 0: the family's limit */
};

const char *xb_ap_domain_name(enum xb_ap_domain d);
bool xb_ap_action_known(const char *action);

/*
 * Plan one transfer. buffers: at least this many VRAM BOs for eviction
 * (0: as many as it takes). Returns 0, or -1 with why (the driver SKIPs
 * with it: the device cannot run this case), -ENOMEM on allocation failure.
 */
int xb_ap_case_build(const struct xb_sdma_family_info *f, const struct xb_ap_dev *dev,
		     const char *action, uint64_t size, uint64_t off, uint64_t seed,
		     uint64_t buffers, struct xb_ap_case *c, char *why, size_t len);
void xb_ap_case_free(struct xb_ap_case *c);

/*
 * The IB of submission s, for BOs at GPU addresses va[]: packets, a NOP
 * between dependent copies, NOP padding to the family's alignment.
 * *ib is malloc'd. 0, -ENOMEM, or -EINVAL (a packet the family refuses).
 */
int xb_ap_emit_ib(const struct xb_sdma_family_info *f, const struct xb_ap_case *c, size_t s,
		  const uint64_t *va, uint32_t **ib, size_t *ndw);

/* What region r holds, into buf (r->len bytes). */
void xb_ap_region_bytes(const struct xb_ap_case *c, const struct xb_ap_region *r, uint8_t *buf);

/* Stand-in GPU addresses for a dry run: 2 MiB aligned, from 4 GiB up. */
void xb_ap_fake_va(const struct xb_ap_case *c, uint64_t *va);

/*
 * Print a case: BOs, then each submission with its BO list, fills, IB
 * decoded packet by packet, and checks. Returns 0, or -1 when an IB could
 * not be built or did not decode cleanly.
 */
int xb_ap_print_case(FILE *out, const struct xb_sdma_family_info *f, const struct xb_ap_case *c);

/*
 * The kernel's SDMA job timeout from /sys/module/amdgpu/parameters/
 * lockup_timeout (amdgpu_device_get_job_timeout_settings): "" or NULL, a
 * single value (all non-compute rings) or GFX,Compute,SDMA,Video; 0 keeps
 * the default (10000 ms), a negative value disables the timeout (then the
 * default is used here and infinite is set). wait_ms is how long the
 * workload waits for a fence before calling it a hang: twice the kernel's
 * timeout plus 5 s, so the kernel's own verdict comes first.
 */
struct xb_ap_timeout {
	uint64_t kernel_ms;
	bool infinite;		/* the kernel never times out SDMA jobs */
	bool defaulted;		/* no usable value: the kernel's default */
	uint64_t wait_ms;
};
void xb_ap_sdma_timeout(const char *param, struct xb_ap_timeout *t);

/*
 * How a failed or finished submission is reported. stage: where it failed;
 * err: 0 or -errno; signalled: the fence signalled (err == 0 only);
 * reset_flags: AMDGPU_CTX_QUERY2_FLAGS_* from amdgpu_cs_query_reset_state2.
 * kind is an enum xb_kind, or -1 for nothing to report; gone means the
 * context (or GPU) is unusable and the workload stops. Follows the kernel
 * (amdgpu_job_timedout sets -ETIME on the timed-out job, a reset cancels
 * the others with -ECANCELED, a queue reset / soft recovery gives -ENODATA;
 * a guilty context's submissions fail with -ECANCELED) and IGT, which
 * treats -ECANCELED and -ENODATA as reset outcomes, not as errors.
 */
enum xb_ap_stage { XB_AP_STAGE_ALLOC, XB_AP_STAGE_BO_LIST, XB_AP_STAGE_SUBMIT, XB_AP_STAGE_WAIT };

#define XB_AP_RESET_IN_PROGRESS (1u << 5)	/* AMDGPU_CTX_QUERY2_FLAGS_RESET_IN_PROGRESS */

struct xb_ap_verdict {
	int kind;
	const char *subkind;
	bool gone;
	const char *meaning;
};
void xb_ap_classify(enum xb_ap_stage stage, int err, bool signalled, uint32_t reset_flags,
		    struct xb_ap_verdict *v);

#endif
