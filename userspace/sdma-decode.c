// SPDX-License-Identifier: GPL-2.0
/*
 * SDMA decoder: an IB back into one line per packet, for the amdgpu dry
 * run (xenbounce amdgpu-plan) and the unit tests' round trips. Pure.
 */
#include "sdma.h"

#include <inttypes.h>
#include <stdio.h>

/* The same header fields as sdma.c (sid.h DMA_PACKET, cikd.h SDMA_PACKET). */
#define SI_CMD_WRITE	0x2
#define SI_CMD_COPY	0x3
#define SI_CMD_NOP	0xF
#define SDMA_OP_NOP	0
#define SDMA_OP_COPY	1
#define SDMA_OP_WRITE	2
#define SDMA_SUB_LINEAR	0

static size_t parse_si(const uint32_t *ib, size_t n, struct xb_sdma_pkt *p)
{
	uint32_t h = ib[0], cmd = h >> 28, cnt = h & 0xFFFFF;

	if (cmd == SI_CMD_NOP) {
		p->kind = XB_PKT_NOP;
		p->ndw = 1;
	} else if (cmd == SI_CMD_WRITE && !(h & 0x0FF00000)) {
		p->kind = XB_PKT_WRITE;
		p->ndw = 3 + (size_t)cnt;
		if (n < p->ndw || cnt == 0)
			goto trunc;
		p->dst = ib[1] | (uint64_t)(ib[2] & 0xff) << 32;
		p->ndata = cnt;
		p->bytes = (uint64_t)cnt * 4;
		p->data = ib + 3;
	} else if (cmd == SI_CMD_COPY && !(h & 0x0BF00000)) {
		/* only b (bit 26) may be set: no tiling (t), no swap (s) */
		p->kind = XB_PKT_COPY;
		p->ndw = 5;
		if (n < 5)
			goto trunc;
		p->si_dword_mode = !(h & (1u << 26));
		p->bytes = p->si_dword_mode ? (uint64_t)cnt * 4 : cnt;
		p->dst = ib[1] | (uint64_t)(ib[3] & 0xff) << 32;
		p->src = ib[2] | (uint64_t)(ib[4] & 0xff) << 32;
		if (p->si_dword_mode) {
			p->dst &= ~3ull;
			p->src &= ~3ull;
		}
	} else {
		p->kind = XB_PKT_UNKNOWN;
		p->ndw = 1;
	}
	return p->ndw;
trunc:
	p->kind = XB_PKT_TRUNCATED;
	p->ndw = n;
	return n;
}

static size_t parse_sdma(const struct xb_sdma_family_info *f, const uint32_t *ib, size_t n,
			 struct xb_sdma_pkt *p)
{
	uint32_t h = ib[0], op = h & 0xFF, sub = (h >> 8) & 0xFF, cnt;

	if (op == SDMA_OP_NOP) {
		/* SDMA_PKT_NOP_HEADER_count: bits 16..29 */
		p->kind = XB_PKT_NOP;
		p->skip = (h >> 16) & 0x3FFF;
		p->ndw = 1 + (size_t)p->skip;
		if (n < p->ndw)
			goto trunc;
	} else if (op == SDMA_OP_WRITE && sub == SDMA_SUB_LINEAR) {
		if (n < 4)
			goto trunc;
		cnt = ib[3] & (f->minus_one ? 0xFFFFF : 0x3FFFFF);
		p->kind = XB_PKT_WRITE;
		p->ndata = f->minus_one ? cnt + 1 : cnt;
		p->ndw = 4 + (size_t)p->ndata;
		if (n < p->ndw || p->ndata == 0)
			goto trunc;
		p->dst = ib[1] | (uint64_t)ib[2] << 32;
		p->bytes = (uint64_t)p->ndata * 4;
		p->data = ib + 4;
	} else if (op == SDMA_OP_COPY && sub == SDMA_SUB_LINEAR) {
		p->kind = XB_PKT_COPY;
		p->ndw = 7;
		if (n < 7)
			goto trunc;
		cnt = ib[1] & (f->id >= XB_SDMA_GFX11 ? 0x3FFFFFFF : 0x3FFFFF);
		p->bytes = f->minus_one ? (uint64_t)cnt + 1 : cnt;
		p->src = ib[3] | (uint64_t)ib[4] << 32;
		p->dst = ib[5] | (uint64_t)ib[6] << 32;
	} else {
		p->kind = XB_PKT_UNKNOWN;
		p->ndw = 1;
	}
	return p->ndw;
trunc:
	p->kind = XB_PKT_TRUNCATED;
	p->ndw = n;
	return n;
}

size_t xb_sdma_parse(const struct xb_sdma_family_info *f, const uint32_t *ib, size_t n,
		     struct xb_sdma_pkt *p)
{
	*p = (struct xb_sdma_pkt){ 0 };
	if (!n) {
		p->kind = XB_PKT_TRUNCATED;
		return 0;
	}
	p->header = ib[0];
	return f->si_format ? parse_si(ib, n, p) : parse_sdma(f, ib, n, p);
}

void xb_sdma_pkt_str(const struct xb_sdma_pkt *p, char *buf, size_t len)
{
	switch (p->kind) {
	case XB_PKT_NOP:
		if (p->skip)
			snprintf(buf, len, "NOP (wait for earlier packets) + %u skipped dwords", p->skip);
		else
			snprintf(buf, len, "NOP (wait for earlier packets)");
		return;
	case XB_PKT_WRITE:
		snprintf(buf, len, "WRITE_LINEAR dst=0x%010" PRIx64 " dwords=%u data=%08x%s", p->dst,
			 p->ndata, p->data[0], p->ndata > 1 ? "..." : "");
		return;
	case XB_PKT_COPY:
		snprintf(buf, len, "COPY_LINEAR src=0x%010" PRIx64 " dst=0x%010" PRIx64 " bytes=%" PRIu64 "%s",
			 p->src, p->dst, p->bytes,
			 p->si_dword_mode ? " (SI dword mode: count in dwords, low address bits ignored)" : "");
		return;
	case XB_PKT_UNKNOWN:
		snprintf(buf, len, "UNKNOWN header=0x%08x", p->header);
		return;
	case XB_PKT_TRUNCATED:
		snprintf(buf, len, "TRUNCATED header=0x%08x: the packet runs past the end of the IB", p->header);
		return;
	}
	snprintf(buf, len, "?");
}

int xb_sdma_decode_ib(const struct xb_sdma_family_info *f, const uint32_t *ib, size_t n, FILE *out,
		      const char *indent)
{
	int npkt = 0, bad = 0;

	for (size_t i = 0; i < n;) {
		struct xb_sdma_pkt p;
		char line[256];
		size_t used = xb_sdma_parse(f, ib + i, n - i, &p), run = 1;

		if (!used)
			used = 1;
		xb_sdma_pkt_str(&p, line, sizeof(line));
		/* A run of single NOPs (padding) is one line. */
		while (p.kind == XB_PKT_NOP && !p.skip && i + run < n && ib[i + run] == ib[i])
			run++;
		if (run > 1)
			fprintf(out, "%s%6zu: NOP x%zu (wait for earlier packets; padding)\n", indent ? indent : "", i, run);
		else
			fprintf(out, "%s%6zu: %s\n", indent ? indent : "", i, line);
		if (p.kind == XB_PKT_UNKNOWN || p.kind == XB_PKT_TRUNCATED)
			bad = 1;
		npkt += (int)run;
		i += run > 1 ? run : used;
	}
	return bad ? -1 : npkt;
}
