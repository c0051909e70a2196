// SPDX-License-Identifier: GPL-2.0
/*
 * SDMA encoders, decoder and the amdgpu plan, checked against the real
 * packet definitions. Expected dwords are written out from the kernel's
 * and Mesa's definitions (cited at each use), never taken from the code
 * under test. Sources (Linux v6.12, drivers/gpu/drm/amd/amdgpu/):
 *   sid.h       DMA_PACKET(cmd, b, t, s, n) = cmd<<28 | b<<26 | t<<23 | s<<22 | n (20 bits)
 *               DMA_PACKET_WRITE 0x2, DMA_PACKET_COPY 0x3, DMA_PACKET_NOP 0xf
 *   si_dma.c    si_dma_emit_copy_buffer: DMA_PACKET(COPY, 1, 0, 0, bytes), dst lo,
 *               src lo, dst hi & 0xff, src hi & 0xff; copy_max_bytes 0xffff8;
 *               si_dma_vm_write_pte: DMA_PACKET(WRITE, 0, 0, 0, ndw), lo, hi;
 *               si_dma_ring_pad_ib: NOPs while (length_dw & 7); ring .major = 1
 *   cikd.h      SDMA_PACKET(op, sub_op, e) = e<<16 | sub_op<<8 | op; SDMA_OPCODE_NOP 0,
 *               COPY 1, WRITE 2; SDMA_NOP_COUNT(x) = (x & 0x3FFF) << 16
 *   cik_sdma.c  emit_copy_buffer: hdr, byte_count, 0, src lo, src hi, dst lo, dst hi;
 *               vm_write_pte: hdr, lo, hi, ndw, data; copy_max_bytes 0x1fffff; .major 2
 *   sdma_v2_4.c / sdma_v3_0.c  same layout; copy_max_bytes 0x1fffff / 0x3fffe0; .major 2 / 3
 *   sdma_v4_0.c .. sdma_v7_0.c emit_copy_buffer: byte_count - 1; copy_max_bytes 0x400000;
 *               *_ring_pad_ib: pad_count = (-length_dw) & 7, NOP = SDMA_PKT_HEADER_OP(SDMA_OP_NOP)
 *   tonga_sdma_pkt_open.h  COPY_LINEAR_COUNT_count_mask 0x003FFFFF, WRITE_UNTILED_DW_3_count_mask 0x003FFFFF
 *   vega10/navi10_sdma_pkt_open.h  COPY count 0x003FFFFF, WRITE count 0x000FFFFF
 *   sdma_v6_0_0_pkt_open.h (v6 and v7)  COPY count 0x3FFFFFFF, WRITE count 0x000FFFFF,
 *               INDIRECT_IB_SIZE_ib_size_mask 0x000FFFFF, NOP_HEADER_count 0x3FFF << 16
 *   amdgpu_cs.c AMDGPU_GFX_SDMA_IB_PACKET_SIZE_MAX_DW 0xFFFFF
 * Mesa src/amd/common/sid.h: SI_DMA_PACKET(cmd, sub_cmd, n) = cmd<<28 | sub_cmd<<20 | n,
 *   SI_DMA_COPY_BYTE_ALIGNED 0x40, SI_DMA_COPY_MAX_BYTE_ALIGNED_SIZE 0xfffe0,
 *   SDMA_V2_0_COPY_MAX_BYTES 0x3fff00, SDMA_V5_2_COPY_MAX_BYTES 0x3fffff00;
 *   ac_cmdbuf_sdma.c ac_emit_sdma_nop: "SDMA NOP acts as a fence command".
 */
#include <libdrm/amdgpu_drm.h>

#include "unit.h"

#include "core/finding.h"
#include "userspace/amdgpu-plan.h"
#include "userspace/sdma.h"

#define FAM(x) xb_sdma_family(XB_SDMA_##x)

static void test_family_table(void **state)
{
	/* kernel buffer_funcs.copy_max_bytes (smallest per family), Mesa's limit, field capacity in bytes */
	static const struct { enum xb_sdma_family f; const char *name; uint32_t major; bool m1; uint32_t nop;
			      uint64_t kernel, mesa, field; } want[] = {
		{ XB_SDMA_SI, "si", 1, false, 0xF0000000u, 0xffff8, 0xfffe0, 0xFFFFF },
		{ XB_SDMA_CIK, "cik", 2, false, 0, 0x1fffff, 0x3fff00, 0x3FFFFF },
		{ XB_SDMA_VI, "vi", 3, false, 0, 0x1fffff, 0x3fff00, 0x3FFFFF },
		{ XB_SDMA_GFX9, "gfx9", 4, true, 0, 0x400000, 0x3fff00, 0x3FFFFF + 1 },
		{ XB_SDMA_GFX10, "gfx10", 5, true, 0, 0x400000, 0x3fff00, 0x3FFFFF + 1 },
		{ XB_SDMA_GFX11, "gfx11", 6, true, 0, 0x400000, 0x3fffff00, 0x3FFFFFFFull + 1 },
		{ XB_SDMA_GFX12, "gfx12", 7, true, 0, 0x400000, 0x3fffff00, 0x3FFFFFFFull + 1 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(want[i].f);

		assert_non_null(f);
		assert_string_equal(f->name, want[i].name);
		assert_ptr_equal(xb_sdma_family_by_name(want[i].name), f);
		assert_int_equal(f->sdma_major, want[i].major);
		assert_int_equal(f->minus_one, want[i].m1);
		assert_int_equal(f->si_format, want[i].f == XB_SDMA_SI);
		assert_int_equal(f->nop, want[i].nop);
		assert_int_equal(f->ib_align_dw, 8);
		/* 0xFFFFF dwords (20-bit ib_size; amdgpu_cs.c) rounded down to the 8-dword padding */
		assert_int_equal(f->ib_max_dw, 0xFFFF8);
		assert_true(f->copy_max_bytes <= want[i].kernel);
		assert_true(f->copy_max_bytes <= want[i].mesa);
		assert_true(f->copy_max_bytes <= want[i].field);
		assert_int_equal(f->copy_max_bytes % 32, 0);
		/* a WRITE packet plus its header fits the largest IB */
		assert_int_equal(f->write_max_dw + (f->si_format ? 3 : 4), 0xFFFF8);
	}
	assert_int_equal(FAM(SI)->copy_max_bytes, 0xfffe0);
	assert_int_equal(FAM(CIK)->copy_max_bytes, 0x1fffe0);
	assert_int_equal(FAM(GFX9)->copy_max_bytes, 0x3fff00);
	assert_int_equal(FAM(GFX12)->copy_max_bytes, 0x400000);
	assert_ptr_equal(xb_sdma_family_by_name("GFX11"), FAM(GFX11));
	assert_null(xb_sdma_family_by_name("gfx8"));
	assert_null(xb_sdma_family_by_name(NULL));
}

static void test_detect(void **state)
{
	(void)state;
	/* AMDGPU_FAMILY_* (amdgpu_drm.h) with the SDMA IP block's .major */
	assert_ptr_equal(xb_sdma_family_detect(110, 1), FAM(SI));
	assert_ptr_equal(xb_sdma_family_detect(120, 2), FAM(CIK));
	assert_ptr_equal(xb_sdma_family_detect(125, 2), FAM(CIK));
	assert_ptr_equal(xb_sdma_family_detect(130, 2), FAM(VI));	/* Iceland: sdma_v2_4 */
	assert_ptr_equal(xb_sdma_family_detect(130, 3), FAM(VI));
	assert_ptr_equal(xb_sdma_family_detect(135, 3), FAM(VI));
	assert_ptr_equal(xb_sdma_family_detect(141, 4), FAM(GFX9));
	assert_ptr_equal(xb_sdma_family_detect(142, 4), FAM(GFX9));
	assert_ptr_equal(xb_sdma_family_detect(143, 5), FAM(GFX10));
	assert_ptr_equal(xb_sdma_family_detect(144, 5), FAM(GFX10));
	assert_ptr_equal(xb_sdma_family_detect(146, 5), FAM(GFX10));
	assert_ptr_equal(xb_sdma_family_detect(149, 5), FAM(GFX10));
	assert_ptr_equal(xb_sdma_family_detect(151, 5), FAM(GFX10));
	assert_ptr_equal(xb_sdma_family_detect(145, 6), FAM(GFX11));
	assert_ptr_equal(xb_sdma_family_detect(148, 6), FAM(GFX11));
	assert_ptr_equal(xb_sdma_family_detect(150, 6), FAM(GFX11));
	assert_ptr_equal(xb_sdma_family_detect(152, 7), FAM(GFX12));
	/* Disagreement or the unknown: nothing is sent. */
	assert_null(xb_sdma_family_detect(110, 2));
	assert_null(xb_sdma_family_detect(120, 3));
	assert_null(xb_sdma_family_detect(130, 4));
	assert_null(xb_sdma_family_detect(141, 5));
	assert_null(xb_sdma_family_detect(152, 8));
	assert_null(xb_sdma_family_detect(160, 8));
	assert_null(xb_sdma_family_detect(0, 0));
}

static void test_si(void **state)
{
	const struct xb_sdma_family_info *f = FAM(SI);
	uint32_t ib[64], data[3] = { 0xdeadbeef, 0x11111111, 0x22222222 };
	size_t n = 0;

	(void)state;
	/* WRITE: DMA_PACKET(DMA_PACKET_WRITE, 0, 0, 0, 3) = 0x2<<28 | 3 */
	assert_int_equal(xb_sdma_write_linear(ib, 64, &n, f, 0xAB12345678ull, data, 3), 0);
	assert_int_equal(n, 6);
	assert_int_equal(ib[0], 0x20000003);
	assert_int_equal(ib[1], 0x12345678);
	assert_int_equal(ib[2], 0xAB);
	assert_int_equal(ib[3], 0xdeadbeef);
	assert_int_equal(ib[5], 0x22222222);
	/* COPY: DMA_PACKET(DMA_PACKET_COPY, 1, 0, 0, 4096) = 0x3<<28 | 1<<26 | 0x1000;
	 * Mesa SI_DMA_PACKET(SI_DMA_PACKET_COPY, SI_DMA_COPY_BYTE_ALIGNED, 4096) is the same dword. */
	n = 0;
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0x1100000000ull, 0x2200000040ull, 4096), 0);
	assert_int_equal(n, 5);
	assert_int_equal(ib[0], 0x34001000);
	assert_int_equal(ib[1], 0x00000040);	/* dst lo */
	assert_int_equal(ib[2], 0x00000000);	/* src lo */
	assert_int_equal(ib[3], 0x22);		/* dst hi & 0xff */
	assert_int_equal(ib[4], 0x11);		/* src hi & 0xff */
	/* Byte mode: odd sizes and byte addresses are exact. */
	n = 0;
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0x1001, 0x2003, 5), 0);
	assert_int_equal(ib[0], 0x34000005);
	assert_int_equal(ib[1], 0x2003);
	assert_int_equal(ib[2], 0x1001);
	/* The limit (Mesa SI_DMA_COPY_MAX_BYTE_ALIGNED_SIZE 0xfffe0) and one past it. */
	n = 0;
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0x1000, 0xfffe0), 0);
	assert_int_equal(ib[0], 0x340FFFE0);
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0x1000, 0xfffe1), -1);
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0x1000, 0), -1);
	/* 40-bit addresses: the hi dwords carry 8 bits. */
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, (1ull << 40) - 1, 0, 1), 0);
	assert_int_equal(ib[n - 1], 0xff);
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 1ull << 40, 0, 1), -1);
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, (1ull << 40) - 4, 8), -1);
	assert_int_equal(xb_sdma_write_linear(ib, 64, &n, f, 0x12345678000ull, data, 3), -1);
	/* NOP: DMA_PACKET(DMA_PACKET_NOP, 0, 0, 0, 0) */
	n = 0;
	assert_int_equal(xb_sdma_nop(ib, 64, &n, f), 0);
	assert_int_equal(ib[0], 0xF0000000);
}

static void test_sdma_copy(void **state)
{
	uint32_t ib[64];
	size_t n;

	(void)state;
	for (int fam = XB_SDMA_CIK; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);
		bool m1 = fam >= XB_SDMA_GFX9;

		/* SDMA_PACKET(SDMA_OPCODE_COPY, SDMA_COPY_SUB_OPCODE_LINEAR, 0) = 0x00000001 */
		n = 0;
		assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0x123456789000ull, 0xfedcba98700ull, 1024), 0);
		assert_int_equal(n, 7);
		assert_int_equal(ib[0], 0x00000001);
		assert_int_equal(ib[1], m1 ? 1023 : 1024);	/* byte_count - 1 from sdma_v4_0 on */
		assert_int_equal(ib[2], 0);			/* src/dst endian swap */
		assert_int_equal(ib[3], 0x56789000);
		assert_int_equal(ib[4], 0x1234);
		assert_int_equal(ib[5], 0xcba98700);
		assert_int_equal(ib[6], 0xfed);
		/* One byte, odd addresses. */
		n = 0;
		assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 1, 3, 1), 0);
		assert_int_equal(ib[1], m1 ? 0 : 1);
		/* The edge of each family's limit, and one past it. */
		n = 0;
		assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0, f->copy_max_bytes), 0);
		assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0, f->copy_max_bytes + 1), -1);
		assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0, 0), -1);
		assert_int_equal(n, 7);
		switch (fam) {
		case XB_SDMA_CIK:
		case XB_SDMA_VI:
			assert_int_equal(ib[1], 0x1fffe0);	/* <= 0x1fffff (cik_sdma.c, sdma_v2_4.c) */
			break;
		case XB_SDMA_GFX9:
		case XB_SDMA_GFX10:
			assert_int_equal(ib[1], 0x3ffeff);	/* 0x3fff00 - 1 (Mesa SDMA_V2_0_COPY_MAX_BYTES) */
			break;
		default:
			assert_int_equal(ib[1], 0x3fffff);	/* 0x400000 - 1 (sdma_v6_0.c, sdma_v7_0.c) */
		}
		/* No room: nothing written. */
		n = 60;
		assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, f, 0, 0, 16), -1);
		assert_int_equal(n, 60);
		/* NOP: SDMA_PKT_HEADER_OP(SDMA_OP_NOP) */
		n = 0;
		assert_int_equal(xb_sdma_nop(ib, 64, &n, f), 0);
		assert_int_equal(ib[0], 0);
	}
}

static void test_write_linear(void **state)
{
	uint32_t ib[32], data[3] = { 0xdeadbeef, 0x11111111, 0x22222222 };
	size_t n;

	(void)state;
	for (int fam = XB_SDMA_CIK; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);

		/* SDMA_PACKET(SDMA_OPCODE_WRITE, SDMA_WRITE_SUB_OPCODE_LINEAR, 0) = 0x00000002 */
		n = 0;
		assert_int_equal(xb_sdma_write_linear(ib, 32, &n, f, 0x123456789abcull, data, 3), 0);
		assert_int_equal(n, 7);
		assert_int_equal(ib[0], 0x00000002);
		assert_int_equal(ib[1], 0x56789abc);
		assert_int_equal(ib[2], 0x1234);
		assert_int_equal(ib[3], fam >= XB_SDMA_GFX9 ? 2 : 3);	/* n - 1 from GFX9 (libdrm, IGT) */
		assert_int_equal(ib[4], 0xdeadbeef);
		assert_int_equal(ib[6], 0x22222222);
		n = 0;
		assert_int_equal(xb_sdma_write_linear(ib, 32, &n, f, 0x1002, data, 3), -1);	/* dword aligned only */
		assert_int_equal(xb_sdma_write_linear(ib, 32, &n, f, 0x1000, data, 0), -1);
		assert_int_equal(xb_sdma_write_linear(ib, 6, &n, f, 0x1000, data, 3), -1);	/* does not fit */
		assert_int_equal(n, 0);
	}
}

/* The largest WRITE each family takes, and one dword more. */
static void test_write_edge(void **state)
{
	size_t cap = 0xFFFF8 + 8;
	uint32_t *ib = malloc(cap * 4), *data = calloc(cap, 4);

	(void)state;
	assert_non_null(ib);
	assert_non_null(data);
	for (int fam = 0; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);
		size_t n = 0;

		assert_int_equal(xb_sdma_write_linear(ib, cap, &n, f, 0x1000, data, f->write_max_dw), 0);
		assert_int_equal(n, 0xFFFF8);
		if (fam == XB_SDMA_SI)
			assert_int_equal(ib[0], 0x200FFFF5);	/* DMA_PACKET(WRITE, 0, 0, 0, 0xFFFF5): 20-bit n */
		else
			assert_int_equal(ib[3], fam >= XB_SDMA_GFX9 ? 0xFFFF3 : 0xFFFF4);
		n = 0;
		assert_int_equal(xb_sdma_write_linear(ib, cap, &n, f, 0x1000, data, f->write_max_dw + 1), -1);
		assert_int_equal(n, 0);
	}
	free(ib);
	free(data);
}

static void test_pad(void **state)
{
	uint32_t ib[16];
	size_t n;

	(void)state;
	for (int fam = 0; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);
		uint32_t nop = fam == XB_SDMA_SI ? 0xF0000000 : 0;

		/* pad_count = (-length_dw) & 7 (every *_ring_pad_ib) */
		n = 5;
		assert_int_equal(xb_sdma_pad_ib(ib, 16, &n, f), 0);
		assert_int_equal(n, 8);
		assert_int_equal(ib[5], nop);
		assert_int_equal(ib[7], nop);
		assert_int_equal(xb_sdma_pad_ib(ib, 16, &n, f), 0);
		assert_int_equal(n, 8);
		n = 9;
		assert_int_equal(xb_sdma_pad_ib(ib, 12, &n, f), -1);
		assert_int_equal(n, 9);
	}
}

static void test_copy_split(void **state)
{
	uint32_t ib[64];

	(void)state;
	for (int fam = 0; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);
		uint64_t max = f->copy_max_bytes, total = 2 * max + 7, sum = 0;
		size_t n = 0, per = f->si_format ? 5 : 7;

		assert_int_equal(xb_sdma_copy(ib, 64, &n, f, 0x10000000, 0x40000000, total), 0);
		assert_int_equal(n, 3 * per);
		assert_int_equal(xb_sdma_copy_dwords(f, total), 3 * per);
		for (int k = 0; k < 3; k++) {
			struct xb_sdma_pkt p;

			assert_int_equal(xb_sdma_parse(f, ib + k * per, per, &p), per);
			assert_int_equal(p.kind, XB_PKT_COPY);
			assert_int_equal(p.src, 0x10000000 + k * max);
			assert_int_equal(p.dst, 0x40000000 + k * max);
			sum += p.bytes;
		}
		assert_int_equal(sum, total);
		/* No room for all packets: nothing is left half-written. */
		n = 0;
		assert_int_equal(xb_sdma_copy(ib, 2 * per, &n, f, 0, 0, total), -1);
		assert_int_equal(n, 0);
	}
}

/* What the encoders write, the decoder reads back, family by family. */
static void test_decode_roundtrip(void **state)
{
	uint32_t ib[128], data[4] = { 1, 2, 3, 0xcafef00d };
	struct xb_sdma_pkt p;
	char line[256];

	(void)state;
	for (int fam = 0; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);
		size_t n = 0, i = 0;
		char *text = NULL;
		size_t tlen = 0;
		FILE *mem;

		assert_int_equal(xb_sdma_write_linear(ib, 128, &n, f, 0x12345678, data, 4), 0);
		assert_int_equal(xb_sdma_nop(ib, 128, &n, f), 0);
		assert_int_equal(xb_sdma_copy_linear(ib, 128, &n, f, 0x3000001, 0x80000003, 4097), 0);
		assert_int_equal(xb_sdma_pad_ib(ib, 128, &n, f), 0);
		assert_int_equal(n % 8, 0);

		i += xb_sdma_parse(f, ib + i, n - i, &p);
		assert_int_equal(p.kind, XB_PKT_WRITE);
		assert_int_equal(p.dst, 0x12345678);
		assert_int_equal(p.ndata, 4);
		assert_int_equal(p.data[3], 0xcafef00d);
		i += xb_sdma_parse(f, ib + i, n - i, &p);
		assert_int_equal(p.kind, XB_PKT_NOP);
		i += xb_sdma_parse(f, ib + i, n - i, &p);
		assert_int_equal(p.kind, XB_PKT_COPY);
		assert_int_equal(p.src, 0x3000001);
		assert_int_equal(p.dst, 0x80000003);
		assert_int_equal(p.bytes, 4097);
		assert_false(p.si_dword_mode);
		xb_sdma_pkt_str(&p, line, sizeof(line));
		assert_non_null(strstr(line, "COPY_LINEAR src=0x0003000001 dst=0x0080000003 bytes=4097"));
		while (i < n) {
			i += xb_sdma_parse(f, ib + i, n - i, &p);
			assert_int_equal(p.kind, XB_PKT_NOP);
		}
		mem = open_memstream(&text, &tlen);
		assert_non_null(mem);
		assert_int_equal(xb_sdma_decode_ib(f, ib, n, mem, "") , (int)(3 + n - (fam == XB_SDMA_SI ? 13 : 16)));
		fclose(mem);
		assert_non_null(strstr(text, "WRITE_LINEAR dst=0x0012345678 dwords=4"));
		free(text);
	}
	/* SI dword mode (b = 0), the old defect, is named when decoded: 0x30000400 = 1024 dwords. */
	ib[0] = 0x30000400;
	ib[1] = 0x1003;
	ib[2] = 0x2000;
	ib[3] = 0;
	ib[4] = 0;
	assert_int_equal(xb_sdma_parse(FAM(SI), ib, 5, &p), 5);
	assert_true(p.si_dword_mode);
	assert_int_equal(p.bytes, 4096);
	assert_int_equal(p.dst, 0x1000);
	xb_sdma_pkt_str(&p, line, sizeof(line));
	assert_non_null(strstr(line, "dword mode"));
	/* Burst NOP: SDMA_NOP_COUNT(2) skips 2 dwords. */
	ib[0] = 0x00020000;
	assert_int_equal(xb_sdma_parse(FAM(GFX9), ib, 5, &p), 3);
	assert_int_equal(p.kind, XB_PKT_NOP);
	assert_int_equal(p.skip, 2);
	/* Unknown opcode (SDMA_OPCODE_CONSTANT_FILL 0xb is not ours) and a truncated copy. */
	ib[0] = 0x0000000b;
	assert_int_equal(xb_sdma_parse(FAM(GFX10), ib, 5, &p), 1);
	assert_int_equal(p.kind, XB_PKT_UNKNOWN);
	ib[0] = 0x00000001;
	assert_int_equal(xb_sdma_parse(FAM(GFX10), ib, 3, &p), 3);
	assert_int_equal(p.kind, XB_PKT_TRUNCATED);
	ib[0] = 0x20000010;	/* SI WRITE of 16 dwords in a 4-dword IB */
	xb_sdma_parse(FAM(SI), ib, 4, &p);
	assert_int_equal(p.kind, XB_PKT_TRUNCATED);
	{
		char *text = NULL;
		size_t tlen = 0;
		FILE *mem = open_memstream(&text, &tlen);

		ib[0] = 0x0000000b;
		assert_int_equal(xb_sdma_decode_ib(FAM(GFX11), ib, 1, mem, ""), -1);
		fclose(mem);
		assert_non_null(strstr(text, "UNKNOWN header=0x0000000b"));
		free(text);
	}
}

static const struct xb_ap_dev dev2g = { 2048ull << 20, 1536ull << 20, 8192ull << 20, 6144ull << 20, 4096, 0 };

/* Every IB of a case: built, aligned, within the limit, every packet known. */
static void ibs_ok(const struct xb_sdma_family_info *f, const struct xb_ap_case *c, size_t ib_max)
{
	uint64_t *va = calloc(c->nbo, sizeof(*va));

	assert_non_null(va);
	xb_ap_fake_va(c, va);
	for (size_t s = 0; s < c->nsub; s++) {
		uint32_t *ib = NULL;
		size_t ndw = 0;

		assert_int_equal(xb_ap_emit_ib(f, c, s, va, &ib, &ndw), 0);
		assert_int_equal(ndw % f->ib_align_dw, 0);
		assert_true(ndw <= ib_max);
		for (size_t i = 0; i < ndw;) {
			struct xb_sdma_pkt p;

			i += xb_sdma_parse(f, ib + i, ndw - i, &p);
			assert_true(p.kind == XB_PKT_NOP || p.kind == XB_PKT_WRITE || p.kind == XB_PKT_COPY);
			assert_false(p.si_dword_mode);
		}
		free(ib);
	}
	free(va);
}

static void test_plan_roundtrip(void **state)
{
	char why[256];

	(void)state;
	for (int fam = 0; fam < XB_SDMA_NFAMILIES; fam++) {
		const struct xb_sdma_family_info *f = xb_sdma_family(fam);
		struct xb_ap_case c;
		uint64_t va[3] = { 0x100000, 0x200000, 0x400000 };
		uint32_t *ib;
		size_t ndw, i = 0;
		struct xb_sdma_pkt p;
		enum xb_sdma_pkt_kind seq[5] = { XB_PKT_COPY, XB_PKT_NOP, XB_PKT_COPY, XB_PKT_NOP, XB_PKT_COPY };

		assert_int_equal(xb_ap_case_build(f, &dev2g, "roundtrip_vram", 4097, 2048, 1, 0, &c, why, sizeof(why)), 0);
		assert_int_equal(c.nsub, 1);
		assert_int_equal(c.nbo, 3);
		assert_int_equal(c.bo[2].dom, XB_AP_VRAM);
		assert_int_equal(xb_ap_emit_ib(f, &c, 0, va, &ib, &ndw), 0);
		/* fill VRAM, wait, pattern in, wait, all back: each dependent copy waits */
		for (int k = 0; k < 5; k++) {
			i += xb_sdma_parse(f, ib + i, ndw - i, &p);
			assert_int_equal(p.kind, seq[k]);
		}
		xb_sdma_parse(f, ib, ndw, &p);
		assert_int_equal(p.dst, 0x400000);
		/* checks cover the whole destination BO: guard, target, guard, tail */
		assert_int_equal(c.ncheck, 4);
		assert_int_equal(c.check[0].len + c.check[1].len + c.check[2].len + c.check[3].len, c.bo[1].size);
		assert_string_equal(c.check[1].what, "target");
		free(ib);
		ibs_ok(f, &c, f->ib_max_dw);
		xb_ap_case_free(&c);
	}
}

static void test_plan_write_split(void **state)
{
	struct xb_ap_dev d = dev2g;
	struct xb_ap_case c;
	char why[256];

	(void)state;
	/* 256 KiB = 65536 dwords; at most one 16384-dword WRITE per 20000-dword IB. */
	d.ib_max_dw = 20000;
	assert_int_equal(xb_ap_case_build(FAM(GFX10), &d, "write_linear", 256 << 10, 4, 1, 0, &c, why, sizeof(why)), 0);
	assert_int_equal(c.nsub, 4);
	assert_int_equal(c.sub[0].nfill, 1);
	assert_int_equal(c.sub[3].ncheck, 3);
	assert_int_equal(c.sub[1].ncheck, 0);
	ibs_ok(FAM(GFX10), &c, 20000);
	xb_ap_case_free(&c);
	/* The family's own limit: 2 MiB fits one IB. */
	assert_int_equal(xb_ap_case_build(FAM(SI), &dev2g, "write_linear", 2 << 20, 4092, 1, 0, &c, why, sizeof(why)), 0);
	assert_int_equal(c.nsub, 1);
	ibs_ok(FAM(SI), &c, FAM(SI)->ib_max_dw);
	xb_ap_case_free(&c);
	/* userptr follows the page size */
	d = dev2g;
	d.page = 16384;
	assert_int_equal(xb_ap_case_build(FAM(GFX9), &d, "userptr", 8192, 4000, 1, 0, &c, why, sizeof(why)), 0);
	assert_int_equal(c.bo[0].dom, XB_AP_USERPTR);
	assert_int_equal(c.bo[0].size % 16384, 0);
	xb_ap_case_free(&c);
	assert_int_equal(xb_ap_case_build(FAM(GFX9), &d, "write_linear", 4097, 0, 1, 0, &c, why, sizeof(why)), -1);
}

static void test_plan_eviction(void **state)
{
	struct xb_ap_dev d = dev2g;
	struct xb_ap_case c;
	uint64_t vram = 0;
	char why[256];

	(void)state;
	assert_int_equal(xb_ap_case_build(FAM(GFX9), &d, "eviction", 1 << 20, 0, 1, 4, &c, why, sizeof(why)), 0);
	assert_true(c.eviction);
	for (size_t i = 0; i < c.nbo; i++)
		if (c.bo[i].dom == XB_AP_VRAM)
			vram += c.bo[i].size;
	assert_true(vram > d.vram_usable);		/* more than VRAM holds, in total */
	assert_int_equal(c.nsub, 2 * (c.nbo - 2));	/* one VRAM BO per submission, each way */
	for (size_t s = 0; s < c.nsub; s++) {
		int nv = 0;

		assert_int_equal(c.sub[s].nbos, 2);
		for (size_t k = 0; k < c.sub[s].nbos; k++)
			nv += c.bo[c.sub[s].bos[k]].dom == XB_AP_VRAM;
		assert_int_equal(nv, 1);
	}
	/* each BO comes back with its own pattern */
	assert_int_equal(c.check[c.sub[c.nsub - 1].check0].pat_id, XB_AP_SRC_BUF_ID + c.nbo - 3);
	ibs_ok(FAM(GFX9), &c, FAM(GFX9)->ib_max_dw);
	xb_ap_case_free(&c);
	/* 24 GiB of VRAM: fewer, larger BOs, still more than VRAM */
	d.vram_usable = 24ull << 30;
	d.vram_max_alloc = 18ull << 30;
	assert_int_equal(xb_ap_case_build(FAM(GFX11), &d, "eviction", 1 << 20, 0, 1, 0, &c, why, sizeof(why)), 0);
	assert_true(c.nbo - 2 <= XB_AP_EVICT_MAX);
	assert_true((c.nbo - 2) * c.bo[2].size > d.vram_usable);
	xb_ap_case_free(&c);
	/* ... unless GTT cannot take BOs that large: a reason, not a silent pass */
	d.gtt_max_alloc = 1536ull << 20;
	assert_int_equal(xb_ap_case_build(FAM(GFX11), &d, "eviction", 1 << 20, 0, 1, 0, &c, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "needs more than"));
	d = dev2g;
	assert_int_equal(xb_ap_case_build(FAM(GFX9), &d, "eviction", 1 << 20, 0, 1, XB_AP_EVICT_MAX + 1, &c, why, sizeof(why)), -1);
	assert_int_equal(xb_ap_case_build(FAM(GFX9), &d, "bogus", 1, 0, 1, 0, &c, why, sizeof(why)), -1);
}

static void test_timeout(void **state)
{
	struct xb_ap_timeout t;

	(void)state;
	/* amdgpu_device_get_job_timeout_settings: default 10000 ms for SDMA */
	xb_ap_sdma_timeout("", &t);
	assert_int_equal(t.kernel_ms, 10000);
	assert_true(t.defaulted);
	assert_int_equal(t.wait_ms, 25000);
	xb_ap_sdma_timeout(NULL, &t);
	assert_int_equal(t.kernel_ms, 10000);
	xb_ap_sdma_timeout("20000\n", &t);	/* one value: every non-compute ring */
	assert_int_equal(t.kernel_ms, 20000);
	assert_false(t.defaulted);
	assert_int_equal(t.wait_ms, 45000);
	xb_ap_sdma_timeout("10000,60000,3000,10000", &t);	/* GFX,Compute,SDMA,Video */
	assert_int_equal(t.kernel_ms, 3000);
	xb_ap_sdma_timeout("1000,2000", &t);	/* no SDMA value */
	assert_int_equal(t.kernel_ms, 10000);
	xb_ap_sdma_timeout("5000,0,0", &t);	/* 0 keeps the default */
	assert_int_equal(t.kernel_ms, 10000);
	xb_ap_sdma_timeout("0", &t);
	assert_int_equal(t.kernel_ms, 10000);
	xb_ap_sdma_timeout("-1", &t);		/* disabled: the default is waited */
	assert_true(t.infinite);
	assert_int_equal(t.kernel_ms, 10000);
	xb_ap_sdma_timeout("fast", &t);
	assert_true(t.defaulted);
	assert_int_equal(t.kernel_ms, 10000);
}

static void test_classify(void **state)
{
	struct xb_ap_verdict v;

	(void)state;
	xb_ap_classify(XB_AP_STAGE_WAIT, 0, true, 0, &v);
	assert_int_equal(v.kind, -1);
	xb_ap_classify(XB_AP_STAGE_WAIT, 0, true, AMDGPU_CTX_QUERY2_FLAGS_RESET, &v);
	assert_int_equal(v.kind, -1);	/* someone else's reset: a note, not ours */
	xb_ap_classify(XB_AP_STAGE_WAIT, 0, false, 0, &v);
	assert_int_equal(v.kind, XB_K_HANG);
	assert_string_equal(v.subkind, "fence_timeout");
	assert_true(v.gone);
	xb_ap_classify(XB_AP_STAGE_WAIT, -ETIME, false, AMDGPU_CTX_QUERY2_FLAGS_GUILTY, &v);
	assert_int_equal(v.kind, XB_K_HANG);
	assert_string_equal(v.subkind, "sdma_job_timeout");
	xb_ap_classify(XB_AP_STAGE_WAIT, -ECANCELED, false, 0, &v);
	assert_int_equal(v.kind, XB_K_GPU_FAULT);
	assert_string_equal(v.subkind, "job_cancelled");
	xb_ap_classify(XB_AP_STAGE_SUBMIT, -ECANCELED, false, AMDGPU_CTX_QUERY2_FLAGS_GUILTY, &v);
	assert_string_equal(v.subkind, "context_lost");
	xb_ap_classify(XB_AP_STAGE_WAIT, -ENODATA, false, 0, &v);
	assert_string_equal(v.subkind, "queue_reset");
	assert_true(v.gone);
	xb_ap_classify(XB_AP_STAGE_WAIT, 0, true, AMDGPU_CTX_QUERY2_FLAGS_GUILTY, &v);
	assert_string_equal(v.subkind, "context_guilty");
	xb_ap_classify(XB_AP_STAGE_WAIT, 0, true, AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST, &v);
	assert_string_equal(v.subkind, "vram_lost");
	xb_ap_classify(XB_AP_STAGE_SUBMIT, -ENOMEM, false, 0, &v);
	assert_int_equal(v.kind, XB_K_MAP_ERROR);
	assert_string_equal(v.subkind, "submit_failed");
	assert_false(v.gone);
	xb_ap_classify(XB_AP_STAGE_BO_LIST, -E2BIG, false, 0, &v);
	assert_int_equal(v.kind, XB_K_MAP_ERROR);
	assert_string_equal(v.subkind, "bo_list_failed");
	xb_ap_classify(XB_AP_STAGE_ALLOC, -ENOSPC, false, 0, &v);
	assert_string_equal(v.subkind, "bo_alloc_failed");
	xb_ap_classify(XB_AP_STAGE_SUBMIT, -EINVAL, false, 0, &v);
	assert_int_equal(v.kind, XB_K_GPU_FAULT);
	assert_string_equal(v.subkind, "submit_rejected");
	assert_true(v.gone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_table),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_si),
		cmocka_unit_test(test_sdma_copy),
		cmocka_unit_test(test_write_linear),
		cmocka_unit_test(test_write_edge),
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_copy_split),
		cmocka_unit_test(test_decode_roundtrip),
		cmocka_unit_test(test_plan_roundtrip),
		cmocka_unit_test(test_plan_write_split),
		cmocka_unit_test(test_plan_eviction),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_classify),
	};

	return cmocka_run_group_tests_name("sdma", tests, NULL, NULL);
}
