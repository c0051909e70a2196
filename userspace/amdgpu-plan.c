// SPDX-License-Identifier: GPL-2.0
/* The amdgpu workload as a plan; see amdgpu-plan.h. */
#include "amdgpu-plan.h"

#include <errno.h>
#include <libdrm/amdgpu_drm.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "pattern.h"

static const char *const actions[] = {
	"write_linear", "copy_gtt", "copy_gtt_uswc", "roundtrip_vram", "userptr", "eviction",
};

bool xb_ap_action_known(const char *action)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(action, actions[i]))
			return true;
	return false;
}

const char *xb_ap_domain_name(enum xb_ap_domain d)
{
	switch (d) {
	case XB_AP_GTT:
		return "GTT";
	case XB_AP_GTT_USWC:
		return "GTT-USWC";
	case XB_AP_VRAM:
		return "VRAM";
	case XB_AP_USERPTR:
		return "userptr";
	}
	return "?";
}

static uint64_t roundup(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* Grow one of the case's arrays by one zeroed element; NULL on ENOMEM. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		void *p = realloc(*arr, ncap * elem);

		if (!p)
			return NULL;
		*arr = p;
		*cap = ncap;
	}
	memset((char *)*arr + *n * elem, 0, elem);
	return (char *)*arr + (*n)++ * elem;
}

#define GROW(c, field, n, cap) grow((void **)&(c)->field, &(c)->n, &(c)->cap, sizeof(*(c)->field))

static int add_bo(struct xb_ap_case *c, const char *role, enum xb_ap_domain dom, uint64_t size, bool cpu)
{
	struct xb_ap_bo *b = GROW(c, bo, nbo, cap_bo);

	if (!b)
		return -ENOMEM;
	snprintf(b->role, sizeof(b->role), "%s", role);
	b->dom = dom;
	b->size = size;
	b->cpu = cpu;
	return (int)c->nbo - 1;
}

static struct xb_ap_sub *add_sub(struct xb_ap_case *c)
{
	struct xb_ap_sub *s = GROW(c, sub, nsub, cap_sub);

	if (s) {
		s->op0 = c->nop;
		s->fill0 = c->nfill;
		s->check0 = c->ncheck;
	}
	return s;
}

static int sub_bo(struct xb_ap_sub *s, int bo)
{
	for (size_t i = 0; i < s->nbos; i++)
		if (s->bos[i] == bo)
			return 0;
	if (s->nbos == XB_AP_SUB_MAX_BOS)
		return -E2BIG;
	s->bos[s->nbos++] = bo;
	return 0;
}

/* Regions go to the last submission. */
static int region(struct xb_ap_case *c, bool check, int bo, uint64_t off, uint64_t len, const char *what,
		  bool pattern, uint8_t byte, uint32_t pat_id, uint64_t pat_pos)
{
	struct xb_ap_region *r = check ? GROW(c, check, ncheck, cap_check) : GROW(c, fill, nfill, cap_fill);

	if (!r)
		return -ENOMEM;
	*r = (struct xb_ap_region){ bo, off, len, pattern, byte, pat_id, pat_pos, what };
	if (check)
		c->sub[c->nsub - 1].ncheck++;
	else
		c->sub[c->nsub - 1].nfill++;
	return 0;
}

static int fill_byte(struct xb_ap_case *c, int bo, uint64_t off, uint64_t len, uint8_t byte)
{
	return len ? region(c, false, bo, off, len, "fill", false, byte, 0, 0) : 0;
}

static int fill_pat(struct xb_ap_case *c, int bo, uint64_t off, uint64_t len, uint32_t id, uint64_t pos)
{
	return region(c, false, bo, off, len, "pattern", true, 0, id, pos);
}

/* Checks of a destination: guard before, the target, guard after. */
static int check_dst(struct xb_ap_case *c, int bo, uint64_t off, uint64_t size, uint64_t end,
		     uint8_t guard, uint32_t id)
{
	int r = 0;

	if (off)
		r = region(c, true, bo, 0, off, "guard before", false, guard, 0, 0);
	if (!r)
		r = region(c, true, bo, off, size, "target", true, 0, id, off);
	if (!r && end > off + size)
		r = region(c, true, bo, off + size, end - off - size, "guard after", false, guard, 0, 0);
	return r;
}

static int add_op(struct xb_ap_case *c, enum xb_ap_op_kind kind, int src, uint64_t src_off, int dst,
		  uint64_t dst_off, uint64_t bytes, uint32_t pat_id, uint64_t pat_pos)
{
	struct xb_ap_op *o = GROW(c, op, nop, cap_op);
	struct xb_ap_sub *s = &c->sub[c->nsub - 1];
	int r = 0;

	if (!o)
		return -ENOMEM;
	*o = (struct xb_ap_op){ kind, src, dst, src_off, dst_off, bytes, pat_id, pat_pos };
	s->nops++;
	if (kind == XB_AP_OP_COPY)
		r = sub_bo(s, src);
	if (!r && kind != XB_AP_OP_WAIT)
		r = sub_bo(s, dst);
	return r;
}

static size_t op_dwords(const struct xb_sdma_family_info *f, const struct xb_ap_op *o)
{
	switch (o->kind) {
	case XB_AP_OP_WRITE:
		return xb_sdma_write_dwords(f, (uint32_t)(o->bytes / 4));
	case XB_AP_OP_COPY:
		return xb_sdma_copy_dwords(f, o->bytes);
	case XB_AP_OP_WAIT:
		return 1;
	}
	return 0;
}

static int plan_write(const struct xb_sdma_family_info *f, const struct xb_ap_dev *dev, struct xb_ap_case *c,
		      bool userptr, char *why, size_t len)
{
	uint64_t page = userptr ? dev->page : 4096;
	uint64_t end = roundup(c->off + c->size + XB_AP_GUARD, page);
	uint32_t ib_max = dev->ib_max_dw && dev->ib_max_dw < f->ib_max_dw ? dev->ib_max_dw : f->ib_max_dw;
	size_t used = 0;
	int a, r;

	if (c->size % 4 || c->off % 4) {
		snprintf(why, len, "SDMA WRITE_LINEAR writes whole dwords at dword-aligned addresses");
		return -1;
	}
	a = add_bo(c, userptr ? "user memory" : "dst", userptr ? XB_AP_USERPTR : XB_AP_GTT, end, true);
	if (a < 0 || !add_sub(c))
		return -ENOMEM;
	if ((r = fill_byte(c, a, 0, end, XB_AP_FILL_DST)))
		return r;
	for (uint64_t p = 0; p < c->size;) {
		uint64_t ndw = (c->size - p) / 4;
		size_t need;

		if (ndw > XB_AP_WRITE_CHUNK_DW)
			ndw = XB_AP_WRITE_CHUNK_DW;
		need = xb_sdma_write_dwords(f, (uint32_t)ndw);
		/* A new IB when this packet and the padding would not fit. */
		if (used && used + need + f->ib_align_dw > ib_max) {
			if (!add_sub(c))
				return -ENOMEM;
			used = 0;
		}
		if (need + f->ib_align_dw > ib_max) {
			snprintf(why, len, "a %" PRIu64 "-dword WRITE does not fit an IB of %u dwords", ndw, ib_max);
			return -1;
		}
		if ((r = add_op(c, XB_AP_OP_WRITE, -1, 0, a, c->off + p, ndw * 4, XB_AP_SRC_BUF_ID, c->off + p)))
			return r;
		used += need;
		p += ndw * 4;
	}
	return check_dst(c, a, c->off, c->size, end, XB_AP_FILL_DST, XB_AP_SRC_BUF_ID);
}

static int plan_copy(struct xb_ap_case *c, bool uswc)
{
	uint64_t end = roundup(c->off + c->size + XB_AP_GUARD, 4096);
	enum xb_ap_domain dom = uswc ? XB_AP_GTT_USWC : XB_AP_GTT;
	int a = add_bo(c, "src", dom, end, true), b = a < 0 ? a : add_bo(c, "dst", dom, end, true), r;

	if (b < 0 || !add_sub(c))
		return -ENOMEM;
	if ((r = fill_byte(c, a, 0, end, XB_AP_FILL_SRC)) || (r = fill_pat(c, a, c->off, c->size, XB_AP_SRC_BUF_ID, c->off)) ||
	    (r = fill_byte(c, b, 0, end, XB_AP_FILL_DST)) ||
	    (r = add_op(c, XB_AP_OP_COPY, a, c->off, b, c->off, c->size, 0, 0)))
		return r;
	return check_dst(c, b, c->off, c->size, end, XB_AP_FILL_DST, XB_AP_SRC_BUF_ID);
}

/*
 * GTT -> VRAM -> GTT in one IB. The VRAM BO is first given known contents
 * (the destination's fill), then the pattern goes in, then the whole range
 * comes back: an overrun of either copy shows in the destination. A NOP
 * between the copies makes each wait for the one before.
 */
static int plan_roundtrip(struct xb_ap_case *c)
{
	uint64_t e = c->off + c->size + XB_AP_GUARD;
	uint64_t vsize = roundup(e, 4096), bsize = roundup(e + XB_AP_GUARD, 4096);
	int a = add_bo(c, "src", XB_AP_GTT, vsize, true);
	int b = a < 0 ? a : add_bo(c, "dst", XB_AP_GTT, bsize, true);
	int v = b < 0 ? b : add_bo(c, "vram", XB_AP_VRAM, vsize, false), r;

	if (v < 0 || !add_sub(c))
		return -ENOMEM;
	if ((r = fill_byte(c, a, 0, vsize, XB_AP_FILL_SRC)) || (r = fill_pat(c, a, c->off, c->size, XB_AP_SRC_BUF_ID, c->off)) ||
	    (r = fill_byte(c, b, 0, e, XB_AP_FILL_DST)) || (r = fill_byte(c, b, e, bsize - e, XB_AP_FILL_TAIL)) ||
	    (r = add_op(c, XB_AP_OP_COPY, b, 0, v, 0, e, 0, 0)) ||
	    (r = add_op(c, XB_AP_OP_WAIT, -1, 0, -1, 0, 0, 0, 0)) ||
	    (r = add_op(c, XB_AP_OP_COPY, a, c->off, v, c->off, c->size, 0, 0)) ||
	    (r = add_op(c, XB_AP_OP_WAIT, -1, 0, -1, 0, 0, 0, 0)) ||
	    (r = add_op(c, XB_AP_OP_COPY, v, 0, b, 0, e, 0, 0)) ||
	    (r = check_dst(c, b, c->off, c->size, e, XB_AP_FILL_DST, XB_AP_SRC_BUF_ID)))
		return r;
	return region(c, true, b, e, bsize - e, "beyond the copy-back", false, XB_AP_FILL_TAIL, 0, 0);
}

/*
 * Eviction, after libdrm's amdgpu_bo_eviction_test but for real: more VRAM
 * BOs than VRAM holds, one per submission. Phase 1 puts pattern i into VRAM
 * BO i (each placement pushes earlier ones out to GTT); phase 2 brings each
 * back and checks it, so data that went through a move is verified.
 */
static int plan_eviction(const struct xb_ap_dev *dev, struct xb_ap_case *c, uint64_t buffers, char *why,
			 size_t len)
{
	uint64_t end = roundup(c->off + c->size + XB_AP_GUARD, 4096);
	uint64_t cap = dev->vram_max_alloc < dev->gtt_max_alloc / 2 ? dev->vram_max_alloc : dev->gtt_max_alloc / 2;
	uint64_t bo_size, nvram;
	int a, b, r;

	cap = cap / XB_AP_EVICT_ALIGN * XB_AP_EVICT_ALIGN;
	bo_size = cap < XB_AP_EVICT_BO_PREF ? cap : XB_AP_EVICT_BO_PREF;
	if (!dev->vram_usable || !bo_size) {
		snprintf(why, len, "eviction: no VRAM or no room to evict to (VRAM %" PRIu64 " MiB, GTT max BO %" PRIu64 " MiB)",
			 dev->vram_usable >> 20, dev->gtt_max_alloc >> 20);
		return -1;
	}
	if (dev->vram_usable / bo_size + 1 > XB_AP_EVICT_MAX) {
		/* Fewer, larger BOs: XB_AP_EVICT_MAX of them still exceed VRAM. */
		bo_size = roundup((dev->vram_usable + XB_AP_EVICT_MAX - 2) / (XB_AP_EVICT_MAX - 1), XB_AP_EVICT_ALIGN);
		if (bo_size > cap) {
			snprintf(why, len, "eviction: %" PRIu64 " MiB of VRAM needs more than %u BOs of at most %" PRIu64 " MiB",
				 dev->vram_usable >> 20, XB_AP_EVICT_MAX, cap >> 20);
			return -1;
		}
	}
	nvram = dev->vram_usable / bo_size + 1;	/* nvram * bo_size > VRAM */
	if (buffers > nvram)
		nvram = buffers;
	if (nvram > XB_AP_EVICT_MAX) {
		snprintf(why, len, "eviction: buffers = %" PRIu64 " is more than %u", buffers, XB_AP_EVICT_MAX);
		return -1;
	}
	if (end > bo_size) {
		snprintf(why, len, "eviction: a transfer of %" PRIu64 " bytes at %" PRIu64 " does not fit BOs of %" PRIu64 " MiB",
			 c->size, c->off, bo_size >> 20);
		return -1;
	}
	c->eviction = true;
	a = add_bo(c, "src", XB_AP_GTT, end, true);
	b = a < 0 ? a : add_bo(c, "dst", XB_AP_GTT, end, true);
	if (b < 0)
		return -ENOMEM;
	for (uint64_t i = 0; i < nvram; i++) {
		char role[24];

		snprintf(role, sizeof(role), "evict %" PRIu64, i);
		if (add_bo(c, role, XB_AP_VRAM, bo_size, false) < 0)
			return -ENOMEM;
	}
	for (uint64_t i = 0; i < nvram; i++) {
		int v = b + 1 + (int)i;
		uint32_t id = XB_AP_SRC_BUF_ID + (uint32_t)i;

		if (!add_sub(c))
			return -ENOMEM;
		if ((r = fill_byte(c, a, 0, end, XB_AP_FILL_SRC)) || (r = fill_pat(c, a, c->off, c->size, id, c->off)) ||
		    (r = add_op(c, XB_AP_OP_COPY, a, c->off, v, c->off, c->size, 0, 0)))
			return r;
	}
	for (uint64_t i = 0; i < nvram; i++) {
		int v = b + 1 + (int)i;

		if (!add_sub(c))
			return -ENOMEM;
		if ((r = fill_byte(c, b, 0, end, XB_AP_FILL_DST)) ||
		    (r = add_op(c, XB_AP_OP_COPY, v, c->off, b, c->off, c->size, 0, 0)) ||
		    (r = check_dst(c, b, c->off, c->size, end, XB_AP_FILL_DST, XB_AP_SRC_BUF_ID + (uint32_t)i)))
			return r;
	}
	return 0;
}

int xb_ap_case_build(const struct xb_sdma_family_info *f, const struct xb_ap_dev *dev, const char *action,
		     uint64_t size, uint64_t off, uint64_t seed, uint64_t buffers, struct xb_ap_case *c,
		     char *why, size_t len)
{
	int r;

	memset(c, 0, sizeof(*c));
	snprintf(c->action, sizeof(c->action), "%s", action);
	c->size = size;
	c->off = off;
	c->seed = seed;
	if (!f || !dev || !xb_ap_action_known(action)) {
		snprintf(why, len, "unknown action or family");
		return -1;
	}
	if (!size) {
		snprintf(why, len, "a transfer of 0 bytes");
		return -1;
	}
	if (!strcmp(action, "write_linear"))
		r = plan_write(f, dev, c, false, why, len);
	else if (!strcmp(action, "userptr"))
		r = plan_write(f, dev, c, true, why, len);
	else if (!strcmp(action, "copy_gtt") || !strcmp(action, "copy_gtt_uswc"))
		r = plan_copy(c, !strcmp(action, "copy_gtt_uswc"));
	else if (!strcmp(action, "roundtrip_vram"))
		r = plan_roundtrip(c);
	else
		r = plan_eviction(dev, c, buffers, why, len);
	if (r == -ENOMEM || r == -E2BIG)
		snprintf(why, len, "planning %s: %s", action, strerror(-r));
	if (r) {
		xb_ap_case_free(c);
		return r == -ENOMEM ? -ENOMEM : -1;
	}
	/* Every IB must fit its family's limit (plan_write splits writes). */
	for (size_t s = 0; s < c->nsub; s++) {
		size_t dw = 0;

		for (size_t i = 0; i < c->sub[s].nops; i++)
			dw += op_dwords(f, &c->op[c->sub[s].op0 + i]);
		if (dw + f->ib_align_dw > f->ib_max_dw) {
			snprintf(why, len, "submission %zu needs %zu dwords, more than an IB holds (%u)", s + 1, dw,
				 f->ib_max_dw);
			xb_ap_case_free(c);
			return -1;
		}
	}
	return 0;
}

void xb_ap_case_free(struct xb_ap_case *c)
{
	free(c->bo);
	free(c->op);
	free(c->fill);
	free(c->check);
	free(c->sub);
	memset(c, 0, sizeof(*c));
}

void xb_ap_region_bytes(const struct xb_ap_case *c, const struct xb_ap_region *r, uint8_t *buf)
{
	if (r->pattern)
		xb_pat_fill(buf, r->len, r->pat_id, r->pat_pos, c->seed);
	else
		memset(buf, r->byte, r->len);
}

int xb_ap_emit_ib(const struct xb_sdma_family_info *f, const struct xb_ap_case *c, size_t s,
		  const uint64_t *va, uint32_t **ibp, size_t *ndw)
{
	const struct xb_ap_sub *sub = &c->sub[s];
	size_t max = f->ib_align_dw, n = 0;
	uint32_t *ib, *data = NULL;
	int r = 0;

	for (size_t i = 0; i < sub->nops; i++)
		max += op_dwords(f, &c->op[sub->op0 + i]);
	ib = malloc(max * 4);
	if (!ib)
		return -ENOMEM;
	for (size_t i = 0; i < sub->nops && !r; i++) {
		const struct xb_ap_op *o = &c->op[sub->op0 + i];

		switch (o->kind) {
		case XB_AP_OP_WRITE:
			free(data);
			data = malloc(o->bytes);
			if (!data) {
				r = -ENOMEM;
				break;
			}
			xb_pat_fill((uint8_t *)data, o->bytes, o->pat_id, o->pat_pos, c->seed);
			r = xb_sdma_write_linear(ib, max, &n, f, va[o->dst] + o->dst_off, data,
						 (uint32_t)(o->bytes / 4)) ? -EINVAL : 0;
			break;
		case XB_AP_OP_COPY:
			r = xb_sdma_copy(ib, max, &n, f, va[o->src] + o->src_off, va[o->dst] + o->dst_off,
					 o->bytes) ? -EINVAL : 0;
			break;
		case XB_AP_OP_WAIT:
			r = xb_sdma_nop(ib, max, &n, f) ? -EINVAL : 0;
			break;
		}
	}
	free(data);
	if (!r && (xb_sdma_pad_ib(ib, max, &n, f) || n > f->ib_max_dw))
		r = -EINVAL;
	if (r) {
		free(ib);
		return r;
	}
	*ibp = ib;
	*ndw = n;
	return 0;
}

void xb_ap_fake_va(const struct xb_ap_case *c, uint64_t *va)
{
	uint64_t next = 1ull << 32;

	for (size_t i = 0; i < c->nbo; i++) {
		va[i] = next;
		next += roundup(c->bo[i].size, XB_AP_EVICT_ALIGN);
	}
}

static void print_region(FILE *out, const char *verb, const struct xb_ap_case *c, const struct xb_ap_region *r)
{
	fprintf(out, "    %s bo %d (%s) [%" PRIu64 ", %" PRIu64 ")", verb, r->bo, c->bo[r->bo].role, r->off,
		r->off + r->len);
	if (r->pattern)
		fprintf(out, " = pattern %u from %" PRIu64 ", seed %" PRIu64, r->pat_id, r->pat_pos, c->seed);
	else
		fprintf(out, " = 0x%02x", r->byte);
	if (strcmp(r->what, "fill") && strcmp(r->what, "pattern"))
		fprintf(out, " (%s)", r->what);
	fputc('\n', out);
}

int xb_ap_print_case(FILE *out, const struct xb_sdma_family_info *f, const struct xb_ap_case *c)
{
	uint64_t *va = calloc(c->nbo ? c->nbo : 1, sizeof(*va));
	int bad = 0;

	if (!va)
		return -1;
	xb_ap_fake_va(c, va);
	for (size_t i = 0; i < c->nbo; i++)
		fprintf(out, "  bo %zu %-12s %-8s %10" PRIu64 " bytes%s  va 0x%010" PRIx64 " (stand-in)\n", i,
			c->bo[i].role, xb_ap_domain_name(c->bo[i].dom), c->bo[i].size,
			c->bo[i].cpu ? "  CPU-mapped" : "            ", va[i]);
	for (size_t s = 0; s < c->nsub; s++) {
		const struct xb_ap_sub *sub = &c->sub[s];
		uint32_t *ib = NULL;
		size_t ndw = 0;
		int r = xb_ap_emit_ib(f, c, s, va, &ib, &ndw);

		fprintf(out, "  submission %zu: SDMA ring 0, BO list", s + 1);
		for (size_t i = 0; i < sub->nbos; i++)
			fprintf(out, " %d", sub->bos[i]);
		fprintf(out, " + IB; fence wait, then checks\n");
		for (size_t i = 0; i < sub->nfill; i++)
			print_region(out, "CPU fill ", c, &c->fill[sub->fill0 + i]);
		if (r) {
			fprintf(out, "    IB: cannot be built: %s\n", strerror(-r));
			bad = 1;
		} else {
			fprintf(out, "    IB: %zu dwords (%zu bytes)\n", ndw, ndw * 4);
			if (xb_sdma_decode_ib(f, ib, ndw, out, "      ") < 0)
				bad = 1;
		}
		free(ib);
		for (size_t i = 0; i < sub->ncheck; i++)
			print_region(out, "CPU check", c, &c->check[sub->check0 + i]);
	}
	free(va);
	return bad ? -1 : 0;
}

void xb_ap_sdma_timeout(const char *param, struct xb_ap_timeout *t)
{
	char buf[256], *p, *tok;
	long vals[4] = { 0 };
	int index = 0;
	bool bad = false;

	*t = (struct xb_ap_timeout){ XB_AP_DEFAULT_TIMEOUT_MS, false, true, 0 };
	snprintf(buf, sizeof(buf), "%s", param ? param : "");
	buf[strcspn(buf, "\n")] = 0;
	p = buf;
	/* amdgpu_device_get_job_timeout_settings: strsep on ',', stop at an empty token. */
	while ((tok = strsep(&p, ",")) && *tok) {
		char *endp;
		long v;

		errno = 0;
		v = strtol(tok, &endp, 0);
		if (errno || *endp || endp == tok) {
			bad = true;	/* kstrtol fails: the kernel refuses the setting */
			break;
		}
		if (index < 4)
			vals[index] = v;
		index++;
	}
	if (bad || !index)
		goto out;
	/* One value: all non-compute rings, SDMA among them. Else the third. */
	{
		long v = index == 1 ? vals[0] : index >= 3 ? vals[2] : 0;

		if (v < 0) {
			t->infinite = true;
		} else if (v > 0) {
			t->kernel_ms = (uint64_t)v;
			t->defaulted = false;
		}
	}
out:
	t->wait_ms = 2 * t->kernel_ms + 5000;
}

void xb_ap_classify(enum xb_ap_stage stage, int err, bool signalled, uint32_t flags, struct xb_ap_verdict *v)
{
	static const char *const failed[] = { "bo_alloc_failed", "bo_list_failed", "submit_failed",
					      "fence_wait_failed" };
	static const char *const rejected[] = { "bo_alloc_rejected", "bo_list_rejected", "submit_rejected",
						"fence_wait_rejected" };

	*v = (struct xb_ap_verdict){ -1, NULL, false, NULL };
	if (!err) {
		if (stage != XB_AP_STAGE_WAIT)
			return;
		if (!signalled)
			*v = (struct xb_ap_verdict){ XB_K_HANG, "fence_timeout", true,
				"the fence did not signal and the kernel gave no verdict within the wait" };
		else if (flags & AMDGPU_CTX_QUERY2_FLAGS_GUILTY)
			*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, "context_guilty", true,
				"the job finished but this context caused a GPU reset" };
		else if (flags & AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST)
			*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, "vram_lost", true,
				"a GPU reset lost VRAM contents: VRAM data cannot be judged" };
		else if (flags & AMDGPU_CTX_QUERY2_FLAGS_RAS_UE)
			*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, "ras_uncorrectable", false,
				"the GPU counted new uncorrectable (RAS) errors" };
		return;
	}
	switch (err) {
	case -ETIME:
	case -ETIMEDOUT:
		*v = (struct xb_ap_verdict){ XB_K_HANG, "sdma_job_timeout", true,
			"the kernel's job timeout fired on this job (amdgpu_job_timedout)" };
		return;
	case -ECANCELED:
		*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, stage == XB_AP_STAGE_WAIT ? "job_cancelled" : "context_lost", true,
			flags & AMDGPU_CTX_QUERY2_FLAGS_GUILTY ? "a GPU reset this context caused cancelled the job" :
			"a GPU reset or VRAM loss cancelled the job or the context" };
		return;
	case -ENODATA:
		*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, "queue_reset", true,
			"the kernel reset the queue (soft recovery) and dropped the job" };
		return;
	case -EHWPOISON:
		*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, "ras_poison", true, "poisoned memory (RAS)" };
		return;
	case -ENODEV:
		*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, "device_lost", true, "the device is gone" };
		return;
	case -ENOMEM:
	case -ENOSPC:
	case -EFAULT:
	case -E2BIG:
	case -ENOBUFS:
		/* The kernel could not place or map the BOs: swiotlb and TTM limits show here. */
		*v = (struct xb_ap_verdict){ XB_K_MAP_ERROR, failed[stage], false,
			"the kernel could not allocate, place or map the buffers" };
		return;
	default:
		*v = (struct xb_ap_verdict){ XB_K_GPU_FAULT, rejected[stage], true,
			"the kernel refused the request" };
	}
}
