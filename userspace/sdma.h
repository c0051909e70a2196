/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SDMA packet builders and decoder: pure functions, no GPU. Every layout,
 * opcode and limit here was read from the kernel's amdgpu sources (v6.12:
 * sid.h + si_dma.c, cikd.h + cik_sdma.c, iceland/tonga/vega10/navi10/
 * sdma_v6_0_0 *_sdma_pkt_open.h + sdma_v2_4..v7_0.c, amdgpu_cs.c) and
 * Mesa's (src/amd/common/sid.h, ac_cmdbuf_sdma.c, radeonsi si_dma_cs.c);
 * tests/unit/test_sdma.c checks the encoders against those definitions.
 *
 * Two packet formats:
 *   SI (DMA v1):  header = cmd << 28 | b << 26 | t << 23 | s << 22 | n (20 bits)
 *     WRITE:  header(n = dwords), dst lo, dst hi (8 bits), n data dwords
 *     COPY:   header(b = 1: byte mode, n = bytes), dst lo, src lo,
 *             dst hi (8 bits), src hi (8 bits). b = 0 counts dwords and
 *             ignores the low two address bits: never emitted here.
 *     NOP:    0xf0000000
 *   SDMA (CIK and later): header = extra << 16 | sub_op << 8 | op
 *     WRITE_LINEAR: header, dst lo, dst hi, count, data (count = n on
 *             CIK/VI, n - 1 on GFX9+)
 *     COPY_LINEAR:  header, count, parameter (0), src lo, src hi, dst lo,
 *             dst hi (count = bytes on CIK/VI, bytes - 1 on GFX9+)
 *     NOP:    0x00000000; with a count in bits 16..29 (burst NOP) it
 *             skips that many following dwords
 * A NOP between two copies makes the second wait for the first (Mesa:
 * "SDMA NOP acts as a fence command", ac_cmdbuf_sdma.c; "NOP waits for
 * idle", radeonsi si_dma_emit_wait_idle, 0xf0000000 on SI).
 */
#ifndef XB_SDMA_H
#define XB_SDMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum xb_sdma_family {
	XB_SDMA_SI,	/* GFX6, DMA v1 (si_dma.c) */
	XB_SDMA_CIK,	/* GFX7, SDMA 2.0 (cik_sdma.c) */
	XB_SDMA_VI,	/* GFX8, SDMA 2.4 / 3.x (sdma_v2_4.c, sdma_v3_0.c) */
	XB_SDMA_GFX9,	/* SDMA 4.x (sdma_v4_0.c, sdma_v4_4_2.c) */
	XB_SDMA_GFX10,	/* SDMA 5.x (sdma_v5_0.c, sdma_v5_2.c) */
	XB_SDMA_GFX11,	/* SDMA 6.x (sdma_v6_0.c) */
	XB_SDMA_GFX12,	/* SDMA 7.x (sdma_v7_0.c) */
	XB_SDMA_NFAMILIES
};

struct xb_sdma_family_info {
	enum xb_sdma_family id;
	const char *name;	/* "si", "cik", ... as given to --family */
	const char *desc;	/* for humans: generation and kernel file */
	uint32_t sdma_major;	/* amdgpu_query_hw_ip_info(DMA) major (VI: 2 or 3) */
	bool si_format;		/* the SI DMA packet format */
	bool minus_one;		/* counts are n - 1 (GFX9 and later) */
	uint32_t copy_max_bytes;	/* per COPY packet */
	uint32_t write_max_dw;	/* data dwords per WRITE packet */
	uint32_t ib_max_dw;	/* dwords per IB, padding included */
	uint32_t ib_align_dw;	/* IBs are padded with NOPs to a multiple of this */
	uint32_t nop;		/* the single-dword NOP */
	uint64_t addr_limit;	/* addresses must be below this (SI: 40 bits) */
};

extern const struct xb_sdma_family_info xb_sdma_families[XB_SDMA_NFAMILIES];

const struct xb_sdma_family_info *xb_sdma_family(enum xb_sdma_family f);
/* By --family name (case-insensitive); NULL when unknown. */
const struct xb_sdma_family_info *xb_sdma_family_by_name(const char *name);
/* "si, cik, vi, gfx9, gfx10, gfx11, gfx12" */
const char *xb_sdma_family_names(void);
/*
 * The family of a device from its AMDGPU_FAMILY_* id and its SDMA IP major
 * version; NULL when they are unknown or disagree (then nothing is sent).
 */
const struct xb_sdma_family_info *xb_sdma_family_detect(uint32_t family_id, uint32_t sdma_major);

/*
 * Each encoder appends one packet at ib[*n] (ib holds max dwords) and
 * returns 0, or -1 leaving *n unchanged when the packet does not fit or an
 * argument is out of range for the family (zero or oversized count,
 * unaligned write destination, address beyond the family's reach).
 */
int xb_sdma_nop(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f);
int xb_sdma_write_linear(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f,
			 uint64_t dst, const uint32_t *data, uint32_t ndw);
int xb_sdma_copy_linear(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f,
			uint64_t src, uint64_t dst, uint32_t bytes);
/* A copy of any length: packets of at most copy_max_bytes; all or nothing. */
int xb_sdma_copy(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f,
		 uint64_t src, uint64_t dst, uint64_t bytes);
/* Dwords xb_sdma_copy needs for bytes. */
size_t xb_sdma_copy_dwords(const struct xb_sdma_family_info *f, uint64_t bytes);
/* Dwords one WRITE packet of ndw data dwords takes. */
size_t xb_sdma_write_dwords(const struct xb_sdma_family_info *f, uint32_t ndw);
/* Pad with single NOPs to a multiple of ib_align_dw (what the kernel's pad_ib does). */
int xb_sdma_pad_ib(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f);

/* Decoding: one packet at a time. */
enum xb_sdma_pkt_kind {
	XB_PKT_NOP,
	XB_PKT_WRITE,
	XB_PKT_COPY,
	XB_PKT_UNKNOWN,		/* an opcode this decoder does not know: 1 dword */
	XB_PKT_TRUNCATED,	/* the packet runs past the end of the IB */
};

struct xb_sdma_pkt {
	enum xb_sdma_pkt_kind kind;
	size_t ndw;		/* dwords the packet takes */
	uint32_t header;
	uint64_t src, dst;
	uint64_t bytes;		/* COPY: bytes moved; WRITE: ndata * 4 */
	uint32_t ndata;		/* WRITE: data dwords */
	const uint32_t *data;	/* WRITE: points into the IB */
	uint32_t skip;		/* NOP: dwords skipped after the header (burst NOP) */
	bool si_dword_mode;	/* SI COPY with b = 0: count is dwords */
};

/* Decode the packet at ib[0] (n dwords left). Returns p->ndw (>= 1). */
size_t xb_sdma_parse(const struct xb_sdma_family_info *f, const uint32_t *ib, size_t n,
		     struct xb_sdma_pkt *p);
/* One line for a packet, no newline. */
void xb_sdma_pkt_str(const struct xb_sdma_pkt *p, char *buf, size_t len);
/*
 * Print every packet of an IB, one line each, prefixed by indent and the
 * dword index. Returns the number of packets, or -1 when any was unknown
 * or truncated (they are printed too).
 */
int xb_sdma_decode_ib(const struct xb_sdma_family_info *f, const uint32_t *ib, size_t n,
		      FILE *out, const char *indent);

#endif
