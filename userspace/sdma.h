/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDMA packet builders: pure functions, unit-tested against the dword
 * layouts libdrm's amdgpu tests and the kernel's sdma_v4/v5 code use.
 *
 *   WRITE_LINEAR: header, dst lo (dword aligned), dst hi, count, data...
 *                 count is n dwords on CIK/VI, n - 1 on GFX9+ (family AI
 *                 and later); SI puts the count in its header.
 *   COPY_LINEAR:  header, byte count, parameter 0, src lo, src hi,
 *                 dst lo, dst hi (7 dwords); count is bytes on CIK/VI,
 *                 bytes - 1 on GFX9+. SI: header with count, dst lo,
 *                 src lo, dst hi, src hi (5 dwords).
 */
#ifndef XB_SDMA_H
#define XB_SDMA_H

#include <stddef.h>
#include <stdint.h>

#define XB_SDMA_OP_COPY		1
#define XB_SDMA_OP_WRITE	2
#define XB_SDMA_OP_COPY_SI	3
#define XB_SDMA_SUBOP_LINEAR	0
#define XB_SDMA_PACKET(op, sub, e) \
	((((uint32_t)(e) & 0xFFFF) << 16) | (((uint32_t)(sub) & 0xFF) << 8) | ((uint32_t)(op) & 0xFF))
#define XB_SDMA_PACKET_SI(op, b, t, s, cnt) \
	((((uint32_t)(op) & 0xF) << 28) | (((uint32_t)(b) & 1) << 26) | (((uint32_t)(t) & 1) << 23) | \
	 (((uint32_t)(s) & 1) << 22) | ((uint32_t)(cnt) & 0xFFFFF))

/* Largest copy one packet carries here: well inside every generation's field. */
#define XB_SDMA_COPY_MAX_BYTES	(1u << 20)
/* SI's count field is 20 bits of dwords for writes. */
#define XB_SDMA_WRITE_MAX_DW	(1u << 14)

enum xb_sdma_gen {
	XB_SDMA_SI,	/* family SI (DMA v1) */
	XB_SDMA_CIK,	/* GFX7/8: CI, KV, VI, CZ */
	XB_SDMA_GFX9,	/* family AI (GFX9) and later */
};

/* Generation for an AMDGPU_FAMILY_* id; -1 when unknown. */
int xb_sdma_gen_for_family(uint32_t family_id);
const char *xb_sdma_gen_name(enum xb_sdma_gen g);

/*
 * Each builder appends one packet at ib[*n], at most max dwords in all,
 * and returns 0, or -1 when it does not fit or the arguments are invalid
 * (unaligned destination, zero or oversized count).
 */
int xb_sdma_write_linear(uint32_t *ib, size_t max, size_t *n, enum xb_sdma_gen g,
			 uint64_t dst, const uint32_t *data, uint32_t ndw);
int xb_sdma_copy_linear(uint32_t *ib, size_t max, size_t *n, enum xb_sdma_gen g,
			uint64_t src, uint64_t dst, uint32_t bytes);
/* Copies of any length, split into packets of at most XB_SDMA_COPY_MAX_BYTES. */
int xb_sdma_copy(uint32_t *ib, size_t max, size_t *n, enum xb_sdma_gen g,
		 uint64_t src, uint64_t dst, uint64_t bytes);

#endif
