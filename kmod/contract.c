// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA API contract's instruments: what every dmaapi check is made of.
 * A position-tagged pattern for each party (the CPU's, the device's, the
 * guards'); the edu engine as the device, probing an object in windows of
 * at most XB_EDU_MAX_LEN bytes (its start, its end and one across a page
 * boundary in the middle) and copying what it read to a one-page coherent
 * "witness" for the CPU to compare; guard bytes around a mapping; the mask
 * and min_align_mask checks on every address; and the last check's result
 * (the worst it saw, with its numbers), which dmaapi.c prints.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "xenbounce.h"
#include "contract.h"

const char * const ct_result_words[] = {
	[CT_OK] = "ok", [CT_CORRUPT] = "corrupt", [CT_OUTSIDE] = "outside",
	[CT_NOT_ZEROED] = "not_zeroed", [CT_CONSTRAINT] = "constraint",
	[CT_MAP_FAILED] = "map_failed", [CT_REFUSED] = "refused", [CT_TIMEOUT] = "timeout",
};

struct ct_last ct_last;

/* A position-tagged byte: which pattern, and where it belongs. */
u8 ct_pat(u32 seed, unsigned long i)
{
	u32 x = (u32)i * 0x9e3779b1u ^ seed;

	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return (u8)(x ^ (x >> 8));
}

void ct_fill(u8 *p, unsigned long len, u32 seed, unsigned long base)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		p[i] = ct_pat(seed, base + i);
}

/* Compare len bytes with the pattern; record the first difference. */
void ct_check(const u8 *p, unsigned long len, u32 seed, unsigned long base,
	      unsigned long where)
{
	unsigned long i;

	for (i = 0; i < len; i++) {
		u8 want = ct_pat(seed, base + i);

		if (p[i] == want)
			continue;
		if (!ct_last.wrong++) {
			ct_last.first_wrong = where + i;
			ct_last.want = want;
			ct_last.got = p[i];
		}
	}
	ct_last.checked += len;
}

__printf(2, 3) void ct_fail(enum ct_result r, const char *fmt, ...)
{
	va_list ap;

	if (r <= ct_last.result)
		return;
	ct_last.result = r;
	va_start(ap, fmt);
	vscnprintf(ct_last.why, sizeof(ct_last.why), fmt, ap);
	va_end(ap);
}

/* A DMA API call failed: which one, its error, and what was asked of it. */
__printf(4, 5) void ct_refused(enum ct_result r, const char *call, int err,
			       const char *fmt, ...)
{
	va_list ap;

	if (r <= ct_last.result)
		return;
	ct_last.result = r;
	ct_last.err = err;
	strscpy(ct_last.call, call, sizeof(ct_last.call));
	va_start(ap, fmt);
	vscnprintf(ct_last.why, sizeof(ct_last.why), fmt, ap);
	va_end(ap);
}

void ct_corrupt(const char *what)
{
	if (ct_last.wrong)
		ct_fail(CT_CORRUPT,
			"%lu of %lu bytes wrong%s, first at %lu (want 0x%02x, got 0x%02x)",
			ct_last.wrong, ct_last.checked, what, ct_last.first_wrong, ct_last.want,
			ct_last.got);
}

/*
 * Where the device probes an object of len bytes: the start, the end, and
 * a window across the page boundary nearest the middle; never overlapping.
 */
int ct_windows(unsigned long len, struct ct_window *w)
{
	unsigned long mid;
	int n = 0;

	w[n].start = 0;
	w[n++].len = ct_win_len(len);
	if (len <= WIN)
		return n;
	if (len >= 3 * WIN) {
		mid = round_down(len / 2, PAGE_SIZE) - WIN / 2;
		if (mid >= WIN && mid + WIN <= len - WIN) {
			w[n].start = mid;
			w[n++].len = WIN;
		}
	}
	w[n].start = max(len - WIN, WIN);
	w[n].len = len - w[n].start;
	n++;
	return n;
}

/* One engine transfer; a refusal (beyond the device's bits) is a constraint. */
int ct_engine_dma(struct ct_ctx *c, dma_addr_t bus, unsigned long len, bool to_device)
{
	int ret = c->eng->dma(bus, len, to_device);

	if (ret == -EINVAL)
		ct_fail(CT_CONSTRAINT,
			"0x%llx+%lu is beyond the device's %u address bits: not sent", (u64)bus,
			len, c->eng->dma_bits);
	else if (ret)
		ct_fail(CT_TIMEOUT, "the engine did not finish (%d)", ret);
	return ret;
}

/* The device reads [bus, bus + len) and the CPU compares it with the pattern. */
int ct_device_reads(struct ct_ctx *c, dma_addr_t bus, unsigned long len, u32 seed,
		    unsigned long base)
{
	int ret = ct_engine_dma(c, bus, len, true);

	if (!ret)
		ret = ct_engine_dma(c, c->witness_dma, len, false);
	if (ret)
		return ret;
	ct_check(c->witness, len, seed, base, base);
	return 0;
}

/* Load the engine's buffer with the pattern (window-relative offsets). */
int ct_engine_load(struct ct_ctx *c, u32 seed, unsigned long len)
{
	int ret;

	ct_fill(c->witness, len, seed, 0);
	ret = ct_engine_dma(c, c->witness_dma, len, true);
	return ret;
}

int ct_device_writes(struct ct_ctx *c, dma_addr_t bus, unsigned long len)
{
	return ct_engine_dma(c, bus, len, false);
}

int ct_device_side(struct ct_ctx *c, struct ct_exchange *x)
{
	struct ct_window w[MAX_WINDOWS];
	int i, n = ct_windows(x->len, w), ret = 0;

	ct_last.windows = n;
	/* The driver hands the buffer to the device first, in any direction. */
	if (x->to_dev_sync)
		x->to_dev_sync(c, x);
	if (ct_dir_to(x->dir)) {
		for (i = 0; i < n && !ret; i++)
			ret = ct_device_reads(c, x->bus + w[i].start, w[i].len, c->seed,
					      w[i].start);
	}
	if (ct_dir_from(x->dir) && !ret) {
		ret = ct_engine_load(c, DEV_SEED(c->seed), WIN);
		for (i = 0; i < n && !ret; i++)
			ret = ct_device_writes(c, x->bus + w[i].start,
					       x->partial ? min(x->partial, w[i].len) : w[i].len);
		if (!ret && x->to_cpu_sync)
			x->to_cpu_sync(c, x);
	}
	return ret;
}

/*
 * The CPU's view of len bytes after the device wrote its pattern into the
 * first min(written, w[i].len) bytes of each window (written 0: it wrote
 * nothing): the device's bytes there, the CPU's pattern everywhere else,
 * unless what the CPU wrote was not promised to survive (gaps_undefined).
 */
void ct_cpu_view(struct ct_ctx *c, const u8 *cpu, unsigned long len, const struct ct_window *w,
		 int n, unsigned long written, bool gaps_undefined)
{
	unsigned long at = 0;
	int i;

	for (i = 0; i <= n; i++) {
		unsigned long ws = i < n ? w[i].start : len;
		unsigned long wl = i < n ? min(written, w[i].len) : 0;

		/* The gap before this window was never written by the device. */
		if (!gaps_undefined)
			ct_check(cpu + at, ws - at, c->seed, at, at);
		if (i == n)
			break;
		if (wl)
			ct_check(cpu + ws, wl, DEV_SEED(c->seed), 0, ws);
		at = ws + wl;
	}
}

/* After the object went back to the CPU. */
void ct_cpu_side(struct ct_ctx *c, struct ct_exchange *x)
{
	struct ct_window w[MAX_WINDOWS];
	int n = ct_windows(x->len, w);
	unsigned long written = !ct_dir_from(x->dir) ? 0 : x->partial ? x->partial : ULONG_MAX;

	ct_cpu_view(c, x->cpu, x->len, w, n, written, x->gaps_undefined);
	ct_corrupt("");
}

/* Every byte of [addr, addr + len) must be below the mask the device declared. */
void ct_mask_check(dma_addr_t addr, unsigned long len, u64 mask, const char *mname,
		   const char *what)
{
	u64 end = (u64)addr + len - 1;

	if (end < addr || end > mask)
		ct_fail(CT_CONSTRAINT, "%s at 0x%llx+%lu beyond the %s 0x%llx", what, (u64)addr,
			len, mname, mask);
}

/* Constraints the device set must hold for the address it was given. */
void ct_constraints(struct device *dev, dma_addr_t addr, unsigned long len,
		    const void *cpu, const char *what)
{
	unsigned int m = dma_get_min_align_mask(dev);

	ct_mask_check(addr, len, dma_get_mask(dev), "DMA mask", what);
	/* min_align_mask: the low bits of the original address survive a bounce. */
	m &= PAGE_SIZE - 1;
	if (m && ((addr ^ (unsigned long)cpu) & m))
		ct_fail(CT_CONSTRAINT, "%s at 0x%llx lost min_align_mask 0x%x of 0x%lx", what,
			(u64)addr, dma_get_min_align_mask(dev), (unsigned long)cpu & m);
}

/*
 * The witness is the check's instrument, not the memory under test: it
 * needs only be reachable by the engine, whatever coherent mask the check
 * declared (below a 28-bit one there may be none left: Xen's memory there
 * exhausted). Allocated and freed under the engine's own width.
 */
static void *witness_alloc_free(struct ct_ctx *c, void *free)
{
	u64 declared = c->dev->coherent_dma_mask;
	void *w = NULL;

	if (dma_set_coherent_mask(c->dev, DMA_BIT_MASK(c->eng->dma_bits)))
		declared = c->dev->coherent_dma_mask;	/* unchanged */
	if (free)
		dma_free_coherent(c->dev, PAGE_SIZE, free, c->witness_dma);
	else
		w = dma_alloc_coherent(c->dev, PAGE_SIZE, &c->witness_dma,
				       GFP_KERNEL | __GFP_NOWARN);
	dma_set_coherent_mask(c->dev, declared);
	return w;
}

/*
 * After ct_begin(): 0 ready, -ENODEV without edu, or 1 when the API refused
 * the one-page coherent witness (recorded as the check's result).
 */
int ct_get(struct ct_ctx *c)
{
	c->eng = xb_get_engine();
	if (!c->eng)
		return -ENODEV;
	c->dev = c->eng->dev;
	c->witness = witness_alloc_free(c, NULL);
	if (!c->witness) {
		ct_refused(CT_MAP_FAILED, "dma_alloc_coherent", -ENOMEM,
			   "dma_alloc_coherent of the one-page witness returned NULL");
		return 1;
	}
	/* The witness obeys the width it was allocated under: the engine's. */
	ct_mask_check(c->witness_dma, PAGE_SIZE, DMA_BIT_MASK(c->eng->dma_bits),
		      "engine's DMA width", "the witness page (dma_alloc_coherent)");
	c->seed = get_random_u32();
	return 0;
}

/* ct_get()'s answer as a command's: a refused witness is a result, not an error. */
int ct_ret(int ret)
{
	return ret > 0 ? 0 : ret;
}

void ct_guard_fill(struct ct_ctx *c, struct ct_guard *g, u8 *cpu, unsigned long len,
		   unsigned long before, unsigned long after)
{
	g->cpu = cpu;
	g->len = len;
	g->lo = min(before, GUARD);
	g->hi = min(after, GUARD);
	g->seed = GUARD_SEED(c->seed);
	ct_fill(cpu - g->lo, g->lo, g->seed, 0);
	ct_fill(cpu + len, g->hi, g->seed, GUARD);
}

/* A pool range's guards: the pool around it. */
void ct_guard_pool(struct ct_ctx *c, struct ct_guard *g, unsigned long off, unsigned long len)
{
	ct_guard_fill(c, g, xb_pool_va(off), len, off, xb_pool_pages() * PAGE_SIZE - off - len);
}

int ct_start_pool(struct ct_ctx *c, struct ct_guard *g, const char *op, const char *dir,
		  unsigned long off, unsigned long len, u8 **cpu)
{
	int ret;

	ct_begin(op, dir, off, len);
	ret = ct_get(c);
	if (ret)
		return ret;
	*cpu = xb_pool_va(off);
	ct_fill(*cpu, len, c->seed, 0);
	ct_guard_pool(c, g, off, len);
	return 0;
}

void ct_guard_check(const struct ct_guard *g)
{
	const u8 *lo = g->cpu - g->lo, *hi = g->cpu + g->len;
	unsigned long i, wrong = 0;
	long first = 0;
	u8 want = 0, got = 0;

	for (i = 0; i < g->lo + g->hi; i++) {
		bool before = i < g->lo;
		unsigned long at = before ? i : i - g->lo;
		u8 w = ct_pat(g->seed, before ? at : GUARD + at);
		u8 b = before ? lo[at] : hi[at];

		if (b == w || wrong++)
			continue;
		first = before ? (long)at - (long)g->lo : (long)(g->len + at);
		want = w;
		got = b;
	}
	ct_last.guard += g->lo + g->hi;
	if (wrong)
		ct_fail(CT_OUTSIDE,
			"%lu of %lu guard bytes changed, first at %ld (0x%02x not 0x%02x)", wrong,
			g->lo + g->hi, first, got, want);
}

/* LEN bytes of the pool from OFF in NSEG pieces (the last takes the rest), unmapped. */
int ct_pool_sgtable(struct sg_table *sgt, unsigned long off, unsigned long len,
		    unsigned long nseg)
{
	struct scatterlist *sg;
	unsigned long at = 0;
	int i, ret = sg_alloc_table(sgt, nseg, GFP_KERNEL);

	if (ret)
		return ret;
	for_each_sgtable_sg(sgt, sg, i) {
		unsigned long piece = i + 1 == nseg ? len - at : len / nseg;

		sg_set_page(sg, xb_pool_page(off + at), piece,
			    offset_in_page(xb_pool_va(off + at)));
		at += piece;
	}
	return 0;
}

void ct_put(struct ct_ctx *c)
{
	if (c->witness)
		witness_alloc_free(c, c->witness);
}

void ct_begin(const char *op, const char *dir, unsigned long off, unsigned long len)
{
	memset(&ct_last, 0, sizeof(ct_last));
	strscpy(ct_last.op, op, sizeof(ct_last.op));
	strscpy(ct_last.dir, dir, sizeof(ct_last.dir));
	ct_last.off = off;
	ct_last.len = len;
	ct_last.valid = true;
}

int ct_parse_dir(const char *s, enum dma_data_direction *d)
{
	if (!strcmp(s, XB_DMAAPI_TO_DEVICE))
		*d = DMA_TO_DEVICE;
	else if (!strcmp(s, XB_DMAAPI_FROM_DEVICE))
		*d = DMA_FROM_DEVICE;
	else if (!strcmp(s, XB_DMAAPI_BIDIRECTIONAL))
		*d = DMA_BIDIRECTIONAL;
	else
		return -EINVAL;
	return 0;
}

/* A pool range: OFF LEN within the pool. */
int ct_parse_range(char *o, char *l, unsigned long maxlen, unsigned long *off,
		   unsigned long *len)
{
	unsigned long pool = xb_pool_pages() * PAGE_SIZE;
	int ret = xb_arg_ul(o, 0, ULONG_MAX, off);

	if (!ret)
		ret = xb_arg_ul(l, 1, maxlen, len);
	if (!ret)
		ret = xb_pool_usable();
	if (ret)
		return ret;
	if (*off >= pool || *len > pool - *off)
		return -ERANGE;
	return 0;
}

