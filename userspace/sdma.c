// SPDX-License-Identifier: GPL-2.0
/* SDMA packets per GPU generation; see sdma.h for the layouts and sources. */
#include "sdma.h"

#include <inttypes.h>
#include <libdrm/amdgpu_drm.h>
#include <stdio.h>
#include <strings.h>

/* Header fields, in the kernel's words (sid.h DMA_PACKET, cikd.h SDMA_PACKET). */
#define SI_PKT(cmd, b, n)	((((uint32_t)(cmd) & 0xF) << 28) | (((uint32_t)(b) & 1) << 26) | ((uint32_t)(n) & 0xFFFFF))
#define SI_CMD_WRITE	0x2
#define SI_CMD_COPY	0x3
#define SI_CMD_NOP	0xF
#define SDMA_PKT(op, sub, e)	((((uint32_t)(e) & 0xFFFF) << 16) | (((uint32_t)(sub) & 0xFF) << 8) | ((uint32_t)(op) & 0xFF))
#define SDMA_OP_NOP	0
#define SDMA_OP_COPY	1
#define SDMA_OP_WRITE	2
#define SDMA_SUB_LINEAR	0

/*
 * The largest IB: amdgpu_cs.c refuses more than
 * AMDGPU_GFX_SDMA_IB_PACKET_SIZE_MAX_DW (0xFFFFF) dwords, the INDIRECT
 * packet's ib_size field is 20 bits (SDMA_PKT_INDIRECT_IB_SIZE_ib_size_mask)
 * and SI packs length_dw << 12 into one dword (si_dma_ring_emit_ib): 20 bits
 * everywhere. IBs are padded to 8 dwords (the kernel's *_ring_pad_ib), so
 * the largest padded IB is 0xFFFF8.
 */
#define IB_MAX_DW	0xFFFF8u
#define ADDR_ANY	UINT64_MAX

/*
 * copy_max_bytes is the smallest of the kernel's buffer_funcs.copy_max_bytes
 * and Mesa's limit for the generation, rounded down to 32 bytes so split
 * copies keep their alignment:
 *   SI     kernel 0xffff8 (si_dma.c), Mesa SI_DMA_COPY_MAX_BYTE_ALIGNED_SIZE 0xfffe0
 *   CIK    kernel 0x1fffff (cik_sdma.c), Mesa SDMA_V2_0_COPY_MAX_BYTES 0x3fff00
 *   VI     kernel 0x1fffff (sdma_v2_4.c) / 0x3fffe0 (sdma_v3_0.c), Mesa 0x3fff00
 *   GFX9   kernel 0x400000 (sdma_v4_0.c), Mesa 0x3fff00 ("the HW cannot copy the
 *          last 255 bytes of (1 << 22) - 1"), IGT clamps MI100 to 0x3fffff
 *   GFX10  kernel 0x400000 (sdma_v5_0/5_2.c), Mesa 0x3fff00 (5.0)
 *   GFX11+ kernel 0x400000 (sdma_v6_0.c, sdma_v7_0.c), Mesa SDMA_V5_2_COPY_MAX_BYTES
 *          0x3fffff00; count field 30 bits (sdma_v6_0_0_pkt_open.h)
 * write_max_dw: the count fields (SI 20 bits in the header, VI 22, GFX9+ 20
 * bits of n - 1) all exceed what fits in one IB, so the IB bounds a WRITE:
 * IB_MAX_DW minus its 3 (SI) or 4 header dwords.
 */
const struct xb_sdma_family_info xb_sdma_families[XB_SDMA_NFAMILIES] = {
	[XB_SDMA_SI] = { XB_SDMA_SI, "si", "SI/GFX6: DMA v1 (si_dma.c)", 1, true, false,
			 0xfffe0, IB_MAX_DW - 3, IB_MAX_DW, 8, 0xF0000000u, 1ull << 40 },
	[XB_SDMA_CIK] = { XB_SDMA_CIK, "cik", "CIK/GFX7: SDMA 2.0 (cik_sdma.c)", 2, false, false,
			  0x1fffe0, IB_MAX_DW - 4, IB_MAX_DW, 8, 0, ADDR_ANY },
	[XB_SDMA_VI] = { XB_SDMA_VI, "vi", "VI/GFX8: SDMA 2.4, 3.x (sdma_v2_4.c, sdma_v3_0.c)", 3, false, false,
			 0x1fffe0, IB_MAX_DW - 4, IB_MAX_DW, 8, 0, ADDR_ANY },
	[XB_SDMA_GFX9] = { XB_SDMA_GFX9, "gfx9", "GFX9: SDMA 4.x (sdma_v4_0.c, sdma_v4_4_2.c)", 4, false, true,
			   0x3fff00, IB_MAX_DW - 4, IB_MAX_DW, 8, 0, ADDR_ANY },
	[XB_SDMA_GFX10] = { XB_SDMA_GFX10, "gfx10", "GFX10: SDMA 5.x (sdma_v5_0.c, sdma_v5_2.c)", 5, false, true,
			    0x3fff00, IB_MAX_DW - 4, IB_MAX_DW, 8, 0, ADDR_ANY },
	[XB_SDMA_GFX11] = { XB_SDMA_GFX11, "gfx11", "GFX11: SDMA 6.x (sdma_v6_0.c)", 6, false, true,
			    0x400000, IB_MAX_DW - 4, IB_MAX_DW, 8, 0, ADDR_ANY },
	[XB_SDMA_GFX12] = { XB_SDMA_GFX12, "gfx12", "GFX12: SDMA 7.x (sdma_v7_0.c)", 7, false, true,
			    0x400000, IB_MAX_DW - 4, IB_MAX_DW, 8, 0, ADDR_ANY },
};

const struct xb_sdma_family_info *xb_sdma_family(enum xb_sdma_family f)
{
	return (unsigned int)f < XB_SDMA_NFAMILIES ? &xb_sdma_families[f] : NULL;
}

const struct xb_sdma_family_info *xb_sdma_family_by_name(const char *name)
{
	for (size_t i = 0; name && i < XB_SDMA_NFAMILIES; i++)
		if (!strcasecmp(name, xb_sdma_families[i].name))
			return &xb_sdma_families[i];
	return NULL;
}

const char *xb_sdma_family_names(void)
{
	return "si, cik, vi, gfx9, gfx10, gfx11, gfx12";
}

const struct xb_sdma_family_info *xb_sdma_family_detect(uint32_t fam, uint32_t major)
{
	enum xb_sdma_family f;

	switch (fam) {
	case AMDGPU_FAMILY_SI:
		f = XB_SDMA_SI;
		break;
	case AMDGPU_FAMILY_CI:
	case AMDGPU_FAMILY_KV:
		f = XB_SDMA_CIK;
		break;
	case AMDGPU_FAMILY_VI:
	case AMDGPU_FAMILY_CZ:
		/* Iceland/Topaz carry SDMA 2.4, the others 3.x: one packet format. */
		return major == 2 || major == 3 ? &xb_sdma_families[XB_SDMA_VI] : NULL;
	case 141:	/* AMDGPU_FAMILY_AI */
	case 142:	/* AMDGPU_FAMILY_RV */
		f = XB_SDMA_GFX9;
		break;
	case 143:	/* AMDGPU_FAMILY_NV */
	case 144:	/* AMDGPU_FAMILY_VGH */
	case 146:	/* AMDGPU_FAMILY_YC */
	case 149:	/* AMDGPU_FAMILY_GC_10_3_6 */
	case 151:	/* AMDGPU_FAMILY_GC_10_3_7 */
		f = XB_SDMA_GFX10;
		break;
	case 145:	/* AMDGPU_FAMILY_GC_11_0_0 */
	case 148:	/* AMDGPU_FAMILY_GC_11_0_1 */
	case 150:	/* AMDGPU_FAMILY_GC_11_5_0 */
		f = XB_SDMA_GFX11;
		break;
	case 152:	/* AMDGPU_FAMILY_GC_12_0_0 */
		f = XB_SDMA_GFX12;
		break;
	default:
		return NULL;	/* a family this table has not been checked for */
	}
	return xb_sdma_families[f].sdma_major == major ? &xb_sdma_families[f] : NULL;
}

static bool reach(const struct xb_sdma_family_info *f, uint64_t addr, uint64_t bytes)
{
	return addr < f->addr_limit && bytes <= f->addr_limit - addr;
}

int xb_sdma_nop(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f)
{
	if (!f || *n >= max)
		return -1;
	ib[(*n)++] = f->nop;
	return 0;
}

size_t xb_sdma_write_dwords(const struct xb_sdma_family_info *f, uint32_t ndw)
{
	return (f->si_format ? 3 : 4) + (size_t)ndw;
}

int xb_sdma_write_linear(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f,
			 uint64_t dst, const uint32_t *data, uint32_t ndw)
{
	size_t i = *n;

	if (!f || !data || ndw == 0 || ndw > f->write_max_dw || (dst & 3) ||
	    !reach(f, dst, (uint64_t)ndw * 4) || i > max || xb_sdma_write_dwords(f, ndw) > max - i)
		return -1;
	if (f->si_format) {
		/* si_dma_vm_write_pte: DMA_PACKET(DMA_PACKET_WRITE, 0, 0, 0, ndw) */
		ib[i++] = SI_PKT(SI_CMD_WRITE, 0, ndw);
		ib[i++] = (uint32_t)dst;
		ib[i++] = (uint32_t)(dst >> 32) & 0xff;
	} else {
		ib[i++] = SDMA_PKT(SDMA_OP_WRITE, SDMA_SUB_LINEAR, 0);
		ib[i++] = (uint32_t)dst;
		ib[i++] = (uint32_t)(dst >> 32);
		ib[i++] = f->minus_one ? ndw - 1 : ndw;
	}
	for (uint32_t k = 0; k < ndw; k++)
		ib[i++] = data[k];
	*n = i;
	return 0;
}

int xb_sdma_copy_linear(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f,
			uint64_t src, uint64_t dst, uint32_t bytes)
{
	size_t i = *n;

	if (!f || bytes == 0 || bytes > f->copy_max_bytes || !reach(f, src, bytes) ||
	    !reach(f, dst, bytes) || i > max || (f->si_format ? 5u : 7u) > max - i)
		return -1;
	if (f->si_format) {
		/* si_dma_emit_copy_buffer: byte mode (b = 1), count in bytes */
		ib[i++] = SI_PKT(SI_CMD_COPY, 1, bytes);
		ib[i++] = (uint32_t)dst;
		ib[i++] = (uint32_t)src;
		ib[i++] = (uint32_t)(dst >> 32) & 0xff;
		ib[i++] = (uint32_t)(src >> 32) & 0xff;
	} else {
		ib[i++] = SDMA_PKT(SDMA_OP_COPY, SDMA_SUB_LINEAR, 0);
		ib[i++] = f->minus_one ? bytes - 1 : bytes;
		ib[i++] = 0;	/* src/dst endian swap */
		ib[i++] = (uint32_t)src;
		ib[i++] = (uint32_t)(src >> 32);
		ib[i++] = (uint32_t)dst;
		ib[i++] = (uint32_t)(dst >> 32);
	}
	*n = i;
	return 0;
}

size_t xb_sdma_copy_dwords(const struct xb_sdma_family_info *f, uint64_t bytes)
{
	uint64_t npkt = (bytes + f->copy_max_bytes - 1) / f->copy_max_bytes;

	return (size_t)npkt * (f->si_format ? 5 : 7);
}

int xb_sdma_copy(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f,
		 uint64_t src, uint64_t dst, uint64_t bytes)
{
	size_t start = *n;

	if (!f || bytes == 0 || *n > max || xb_sdma_copy_dwords(f, bytes) > max - *n)
		return -1;
	while (bytes) {
		uint32_t chunk = bytes > f->copy_max_bytes ? f->copy_max_bytes : (uint32_t)bytes;

		if (xb_sdma_copy_linear(ib, max, n, f, src, dst, chunk)) {
			*n = start;
			return -1;
		}
		src += chunk;
		dst += chunk;
		bytes -= chunk;
	}
	return 0;
}

int xb_sdma_pad_ib(uint32_t *ib, size_t max, size_t *n, const struct xb_sdma_family_info *f)
{
	size_t pad;

	if (!f || *n > max)
		return -1;
	pad = (f->ib_align_dw - *n % f->ib_align_dw) % f->ib_align_dw;
	if (pad > max - *n)
		return -1;
	while (pad--)
		ib[(*n)++] = f->nop;
	return 0;
}
