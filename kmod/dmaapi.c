// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA API contract, checked from the device's side.
 *
 * Each command makes one kind of DMA API object over the module's pool (or
 * allocates one), has the edu engine read and write it, and checks every
 * byte the CPU then sees against what the API promises:
 *
 *   single, page   dma_map_single_attrs() / dma_map_page_attrs()
 *   sg             dma_map_sgtable() over N pieces of the range
 *   sync           one mapping handed back and forth in rounds with
 *                  partial dma_sync_single_range_for_{cpu,device}()
 *   maxmap         a mapping of dma_max_mapping_size() bytes
 *   coherent       dma_alloc_coherent()
 *   noncoherent    dma_alloc_noncoherent() with full syncs
 *   pages          dma_alloc_pages() with full syncs
 *   config         the device's DMA mask, min_align_mask, max segment
 *                  size and segment boundary; no mask wider than the
 *                  engine's dma_bits (edu_dma_bits), which it cannot reach
 *
 * The engine moves at most XB_EDU_MAX_LEN bytes at a time through its own
 * buffer, so a long object is probed in windows: its start, its end and
 * one that straddles a page boundary in the middle. What the device reads
 * goes back out to a one-page coherent "witness" for the CPU to compare;
 * what the device writes comes from the witness. Bytes the device did not
 * write must keep what the CPU put there (a partial write must not leak
 * the bounce buffer's old contents). Around a pool mapping, a page of
 * guard bytes each side must not change across map and unmap. Every
 * address handed out is checked against the mask that applies (coherent
 * mask for coherent memory and the witness). The allocators are called
 * twice, the first buffer dirtied and freed: the second must be all zero.
 * A DMA API call that fails (a map, an allocation, dma_set_mask) is the
 * check's result, with the call and its error, not a failed write.
 * Results: "key: value" lines on read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "xenbounce.h"

#define WIN		((unsigned long)XB_EDU_MAX_LEN)
#define MAX_WINDOWS	8
#define MAX_OBJECT	(4UL << 20)

/* In rising order of severity: a check reports the worst it saw. */
enum result {
	R_OK, R_CORRUPT, R_OUTSIDE, R_NOT_ZEROED, R_CONSTRAINT, R_MAP_FAILED, R_REFUSED,
	R_TIMEOUT
};

static const char * const result_words[] = {
	[R_OK] = "ok", [R_CORRUPT] = "corrupt", [R_OUTSIDE] = "outside",
	[R_NOT_ZEROED] = "not_zeroed", [R_CONSTRAINT] = "constraint",
	[R_MAP_FAILED] = "map_failed", [R_REFUSED] = "refused", [R_TIMEOUT] = "timeout",
};

/* Bytes on each side of a pool mapping that must not change (guards). */
#define GUARD		PAGE_SIZE
#define GUARD_SEED(seed)	((seed) ^ 0x6a09e667)

/* The device's settings before the first config, restored by "config default". */
static struct {
	bool saved;
	u64 mask, coherent_mask;
	unsigned int min_align, max_seg;
	unsigned long boundary;
} orig;

/* Another driver's device, as it set itself up for DMA ("device BDF"). */
static struct {
	bool valid;
	char name[32];
	u64 mask;
	unsigned int max_seg;
	size_t max_mapping;
	unsigned long boundary;
} probed;

static struct {
	bool valid;
	char op[16];
	char dir[16];
	unsigned long off, len;
	enum result result;
	int err;
	dma_addr_t addr;
	bool bounced;
	int nents, windows;
	unsigned long checked, wrong, first_wrong;
	u8 want, got;
	size_t max_mapping;
	char call[32];		/* the DMA API call that failed, if one did */
	unsigned long guard;	/* guard bytes checked around the mapping */
	int realloc_same;	/* allocators: 1 the check's buffer is the dirtied one */
	char why[128];
} last;

/* A position-tagged byte: which pattern, and where it belongs. */
static u8 pat(u32 seed, unsigned long i)
{
	u32 x = (u32)i * 0x9e3779b1u ^ seed;

	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	return (u8)(x ^ (x >> 8));
}

static void fill(u8 *p, unsigned long len, u32 seed, unsigned long base)
{
	unsigned long i;

	for (i = 0; i < len; i++)
		p[i] = pat(seed, base + i);
}

/* Compare len bytes with the pattern; record the first difference. */
static void check(const u8 *p, unsigned long len, u32 seed, unsigned long base,
		  unsigned long where)
{
	unsigned long i;

	for (i = 0; i < len; i++) {
		u8 want = pat(seed, base + i);

		if (p[i] == want)
			continue;
		if (!last.wrong++) {
			last.first_wrong = where + i;
			last.want = want;
			last.got = p[i];
		}
	}
	last.checked += len;
}

static __printf(2, 3) void fail(enum result r, const char *fmt, ...)
{
	va_list ap;

	if (r <= last.result)
		return;
	last.result = r;
	va_start(ap, fmt);
	vscnprintf(last.why, sizeof(last.why), fmt, ap);
	va_end(ap);
}

/* A DMA API call failed: which one, its error, and what was asked of it. */
static __printf(4, 5) void refused(enum result r, const char *call, int err,
				   const char *fmt, ...)
{
	va_list ap;

	if (r <= last.result)
		return;
	last.result = r;
	last.err = err;
	strscpy(last.call, call, sizeof(last.call));
	va_start(ap, fmt);
	vscnprintf(last.why, sizeof(last.why), fmt, ap);
	va_end(ap);
}

/* How much of len bytes one engine transfer covers. */
static unsigned long win_len(unsigned long len)
{
	return len < WIN ? len : WIN;
}

static void corrupt(const char *what)
{
	if (last.wrong)
		fail(R_CORRUPT, "%lu of %lu bytes wrong%s, first at %lu (want 0x%02x, got 0x%02x)",
		     last.wrong, last.checked, what, last.first_wrong, last.want, last.got);
}

/* What the device writes: a second pattern, tagged by window offset. */
#define DEV_SEED(seed)	((seed) ^ 0xb0b0b0b0)

struct window {
	unsigned long start, len;
};

/*
 * Where the device probes an object of len bytes: the start, the end, and
 * a window across the page boundary nearest the middle; never overlapping.
 */
static int windows(unsigned long len, struct window *w)
{
	unsigned long mid;
	int n = 0;

	w[n].start = 0;
	w[n++].len = win_len(len);
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

struct ctx {
	const struct xb_engine *eng;
	struct device *dev;
	u8 *witness;		/* one coherent page */
	dma_addr_t witness_dma;
	u32 seed;
};

/* One engine transfer; a refusal (beyond the device's bits) is a constraint. */
static int engine_dma(struct ctx *c, dma_addr_t bus, unsigned long len, bool to_device)
{
	int ret = c->eng->dma(bus, len, to_device);

	if (ret == -EINVAL)
		fail(R_CONSTRAINT, "0x%llx+%lu is beyond the device's %u address bits: not sent",
		     (u64)bus, len, c->eng->dma_bits);
	else if (ret)
		fail(R_TIMEOUT, "the engine did not finish (%d)", ret);
	return ret;
}

/* The device reads [bus, bus + len) and the CPU compares it with the pattern. */
static int device_reads(struct ctx *c, dma_addr_t bus, unsigned long len, u32 seed,
			unsigned long base)
{
	int ret = engine_dma(c, bus, len, true);

	if (!ret)
		ret = engine_dma(c, c->witness_dma, len, false);
	if (ret)
		return ret;
	check(c->witness, len, seed, base, base);
	return 0;
}

/* Load the engine's buffer with the pattern (window-relative offsets). */
static int engine_load(struct ctx *c, u32 seed, unsigned long len)
{
	int ret;

	fill(c->witness, len, seed, 0);
	ret = engine_dma(c, c->witness_dma, len, true);
	return ret;
}

static int device_writes(struct ctx *c, dma_addr_t bus, unsigned long len)
{
	return engine_dma(c, bus, len, false);
}

static bool dir_to(enum dma_data_direction d)
{
	return d == DMA_TO_DEVICE || d == DMA_BIDIRECTIONAL;
}

static bool dir_from(enum dma_data_direction d)
{
	return d == DMA_FROM_DEVICE || d == DMA_BIDIRECTIONAL;
}

/*
 * The whole exchange on one object the device reaches at bus..: CPU puts
 * pattern A (seed) everywhere; the device reads the windows (to_device);
 * the device writes pattern B into the first 'partial' bytes of each window
 * (from_device). before_dev/after_dev are the syncs a driver owes.
 */
struct exchange {
	u8 *cpu;
	dma_addr_t bus;
	unsigned long len, partial;
	enum dma_data_direction dir;
	void (*to_dev_sync)(struct ctx *c, struct exchange *x);
	void (*to_cpu_sync)(struct ctx *c, struct exchange *x);
	/*
	 * Memory mapped before the CPU wrote it (dma_alloc_pages and
	 * dma_alloc_noncoherent map at allocation): handed to the device for
	 * DMA_FROM_DEVICE, the CPU's bytes need not reach it (a bounce buffer
	 * is not filled for that direction), so after sync_for_cpu only the
	 * bytes the device wrote are promised.
	 */
	bool gaps_undefined;
	void *priv;
};

static int device_side(struct ctx *c, struct exchange *x)
{
	struct window w[MAX_WINDOWS];
	int i, n = windows(x->len, w), ret = 0;

	last.windows = n;
	/* The driver hands the buffer to the device first, in any direction. */
	if (x->to_dev_sync)
		x->to_dev_sync(c, x);
	if (dir_to(x->dir)) {
		for (i = 0; i < n && !ret; i++)
			ret = device_reads(c, x->bus + w[i].start, w[i].len, c->seed, w[i].start);
	}
	if (dir_from(x->dir) && !ret) {
		ret = engine_load(c, DEV_SEED(c->seed), WIN);
		for (i = 0; i < n && !ret; i++)
			ret = device_writes(c, x->bus + w[i].start,
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
static void cpu_view(struct ctx *c, const u8 *cpu, unsigned long len, const struct window *w,
		     int n, unsigned long written, bool gaps_undefined)
{
	unsigned long at = 0;
	int i;

	for (i = 0; i <= n; i++) {
		unsigned long ws = i < n ? w[i].start : len;
		unsigned long wl = i < n ? min(written, w[i].len) : 0;

		/* The gap before this window was never written by the device. */
		if (!gaps_undefined)
			check(cpu + at, ws - at, c->seed, at, at);
		if (i == n)
			break;
		if (wl)
			check(cpu + ws, wl, DEV_SEED(c->seed), 0, ws);
		at = ws + wl;
	}
}

/* After the object went back to the CPU. */
static void cpu_side(struct ctx *c, struct exchange *x)
{
	struct window w[MAX_WINDOWS];
	int n = windows(x->len, w);
	unsigned long written = !dir_from(x->dir) ? 0 : x->partial ? x->partial : ULONG_MAX;

	cpu_view(c, x->cpu, x->len, w, n, written, x->gaps_undefined);
	corrupt("");
}

/* Every byte of [addr, addr + len) must be below the mask the device declared. */
static void mask_check(dma_addr_t addr, unsigned long len, u64 mask, const char *mname,
		       const char *what)
{
	u64 end = (u64)addr + len - 1;

	if (end < addr || end > mask)
		fail(R_CONSTRAINT, "%s at 0x%llx+%lu beyond the %s 0x%llx", what, (u64)addr, len,
		     mname, mask);
}

/* Constraints the device set must hold for the address it was given. */
static void constraints(struct device *dev, dma_addr_t addr, unsigned long len,
			const void *cpu, const char *what)
{
	unsigned int m = dma_get_min_align_mask(dev);

	mask_check(addr, len, dma_get_mask(dev), "DMA mask", what);
	/* min_align_mask: the low bits of the original address survive a bounce. */
	m &= PAGE_SIZE - 1;
	if (m && ((addr ^ (unsigned long)cpu) & m))
		fail(R_CONSTRAINT, "%s at 0x%llx lost min_align_mask 0x%x of 0x%lx", what,
		     (u64)addr, dma_get_min_align_mask(dev), (unsigned long)cpu & m);
}

/*
 * After begin(): 0 ready, -ENODEV without edu, or 1 when the API refused
 * the one-page coherent witness (recorded as the check's result).
 */
static int ctx_get(struct ctx *c)
{
	c->eng = xb_get_engine();
	if (!c->eng)
		return -ENODEV;
	c->dev = c->eng->dev;
	c->witness = dma_alloc_coherent(c->dev, PAGE_SIZE, &c->witness_dma,
					GFP_KERNEL | __GFP_NOWARN);
	if (!c->witness) {
		refused(R_MAP_FAILED, "dma_alloc_coherent", -ENOMEM,
			"dma_alloc_coherent of the one-page witness returned NULL");
		return 1;
	}
	/* The witness is coherent memory too: it obeys the coherent mask. */
	mask_check(c->witness_dma, PAGE_SIZE, c->dev->coherent_dma_mask, "coherent DMA mask",
		   "the witness page (dma_alloc_coherent)");
	c->seed = get_random_u32();
	return 0;
}

/* ctx_get()'s answer as a command's: a refused witness is a result, not an error. */
static int ctx_ret(int ret)
{
	return ret > 0 ? 0 : ret;
}

/*
 * Guards: up to GUARD bytes on each side of the mapped [cpu, cpu + len)
 * (as far as the buffer it lies in reaches: before, after) get their own
 * pattern before the mapping and must keep it after the unmap (a bounce
 * that copies back more than was mapped overwrites them).
 */
struct guard {
	u8 *cpu;
	unsigned long len, lo, hi;
	u32 seed;		/* the check's seed when filled (sg changes it) */
};

static void guard_fill(struct ctx *c, struct guard *g, u8 *cpu, unsigned long len,
		       unsigned long before, unsigned long after)
{
	g->cpu = cpu;
	g->len = len;
	g->lo = min(before, GUARD);
	g->hi = min(after, GUARD);
	g->seed = GUARD_SEED(c->seed);
	fill(cpu - g->lo, g->lo, g->seed, 0);
	fill(cpu + len, g->hi, g->seed, GUARD);
}

/* A pool range's guards: the pool around it. */
static void guard_pool(struct ctx *c, struct guard *g, unsigned long off, unsigned long len)
{
	guard_fill(c, g, xb_pool_va(off), len, off, xb_pool_pages() * PAGE_SIZE - off - len);
}

static void guard_check(const struct guard *g)
{
	const u8 *lo = g->cpu - g->lo, *hi = g->cpu + g->len;
	unsigned long i, wrong = 0;
	long first = 0;
	u8 want = 0, got = 0;

	for (i = 0; i < g->lo + g->hi; i++) {
		bool before = i < g->lo;
		unsigned long at = before ? i : i - g->lo;
		u8 w = pat(g->seed, before ? at : GUARD + at);
		u8 b = before ? lo[at] : hi[at];

		if (b == w || wrong++)
			continue;
		first = before ? (long)at - (long)g->lo : (long)(g->len + at);
		want = w;
		got = b;
	}
	last.guard += g->lo + g->hi;
	if (wrong)
		fail(R_OUTSIDE, "%lu of %lu guard bytes changed, first at %ld (0x%02x not 0x%02x)",
		     wrong, g->lo + g->hi, first, got, want);
}

static void ctx_put(struct ctx *c)
{
	if (c->witness)
		dma_free_coherent(c->dev, PAGE_SIZE, c->witness, c->witness_dma);
}

static void begin(const char *op, const char *dir, unsigned long off, unsigned long len)
{
	memset(&last, 0, sizeof(last));
	strscpy(last.op, op, sizeof(last.op));
	strscpy(last.dir, dir, sizeof(last.dir));
	last.off = off;
	last.len = len;
	last.valid = true;
}

static int parse_dir(const char *s, enum dma_data_direction *d)
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
static int parse_range(char *o, char *l, unsigned long maxlen, unsigned long *off,
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

/* Optional trailing words: skip_sync, partial=K, alloc (where fresh is given). */
static int parse_opts(char **w, int n, unsigned long *attrs, unsigned long *partial,
		      bool *fresh)
{
	int i;

	for (i = 0; i < n; i++) {
		int ret = -EINVAL;

		if (!strcmp(w[i], XB_DMAAPI_SKIP_SYNC)) {
			*attrs |= DMA_ATTR_SKIP_CPU_SYNC;
			ret = 0;
		} else if (fresh && !strcmp(w[i], XB_DMAAPI_ALLOC)) {
			*fresh = true;
			ret = 0;
		} else if (str_has_prefix(w[i], "partial=")) {
			ret = xb_arg_ul(w[i] + 8, 1, WIN, partial);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static void sync_dev_single(struct ctx *c, struct exchange *x)
{
	dma_sync_single_for_device(c->dev, x->bus, x->len, x->dir);
}

static void sync_cpu_single(struct ctx *c, struct exchange *x)
{
	dma_sync_single_for_cpu(c->dev, x->bus, x->len, x->dir);
}

/*
 * OFF LEN within a block fresh from the page allocator ("alloc"): what the
 * allocator hands a driver now (after a scramble: machine-scattered
 * frames), with room for the guard after it.
 */
static int parse_fresh(char *o, char *l, unsigned long *off, unsigned long *len)
{
	int ret = xb_arg_ul(o, 0, MAX_OBJECT - 1, off);

	if (!ret)
		ret = xb_arg_ul(l, 1, MAX_OBJECT, len);
	if (!ret && *off + *len + GUARD > MAX_OBJECT)
		ret = -ERANGE;
	return ret;
}

/* single|page DIR OFF LEN [skip_sync] [partial=K] [alloc], and maxmap. */
static int streaming(const char *op, char *args, bool page, bool maxmap)
{
	unsigned long off, len = 0, attrs = 0, partial = 0, room;
	const char *call = page ? "dma_map_page_attrs" : "dma_map_single_attrs";
	enum dma_data_direction dir;
	struct page *block = NULL;
	struct exchange x = { };
	struct guard g = { };
	unsigned int order = 0;
	struct ctx c = { };
	bool fresh = false;
	u8 *base;
	char *w[6];
	int n = xb_args_split(args, w, 6), ret;

	if (n < (maxmap ? 2 : 3))
		return -EINVAL;
	ret = parse_dir(w[0], &dir);
	if (!ret && maxmap) {
		ret = xb_arg_ul(w[1], 0, ULONG_MAX, &off);
		if (!ret)
			ret = xb_pool_usable();
		if (!ret && off >= xb_pool_pages() * PAGE_SIZE)
			ret = -ERANGE;
		if (!ret)
			ret = parse_opts(w + 2, n - 2, &attrs, &partial, NULL);
	} else if (!ret) {
		ret = parse_opts(w + 3, n - 3, &attrs, &partial, &fresh);
		if (!ret)
			ret = fresh ? parse_fresh(w[1], w[2], &off, &len) :
				      parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	}
	if (ret)
		return ret;
	begin(op, w[0], off, len);
	ret = ctx_get(&c);
	if (ret)
		goto out;
	if (maxmap) {
		len = min3(dma_max_mapping_size(c.dev), xb_pool_pages() * PAGE_SIZE - off,
			   MAX_OBJECT);
		last.len = len;
		last.max_mapping = dma_max_mapping_size(c.dev);
	}
	if (fresh) {
		order = get_order(off + len + GUARD);
		block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (!block) {
			ret = -ENOMEM;
			goto out;
		}
		base = page_address(block);
		room = PAGE_SIZE << order;
	} else {
		base = xb_pool_va(0);
		room = xb_pool_pages() * PAGE_SIZE;
	}
	x.cpu = base + off;
	x.len = len;
	x.dir = dir;
	x.partial = partial;
	fill(x.cpu, len, c.seed, 0);
	guard_fill(&c, &g, x.cpu, len, off, room - off - len);
	if (page) {
		struct page *p = fresh ? nth_page(block, off >> PAGE_SHIFT) : xb_pool_page(off);

		x.bus = dma_map_page_attrs(c.dev, p, offset_in_page(x.cpu), len, dir, attrs);
	} else {
		x.bus = dma_map_single_attrs(c.dev, x.cpu, len, dir, attrs);
	}
	if (dma_mapping_error(c.dev, x.bus)) {
		refused(R_MAP_FAILED, call, 0, "%s of %lu bytes (%s) returned DMA_MAPPING_ERROR%s",
			call, len, w[0], maxmap ? " within dma_max_mapping_size()" : "");
		goto out;
	}
	last.addr = x.bus;
	last.bounced = x.bus != xb_direct_bus(c.dev, x.cpu);
	constraints(c.dev, x.bus, len, x.cpu, op);
	/* With DMA_ATTR_SKIP_CPU_SYNC the syncs are the driver's to make. */
	if (attrs & DMA_ATTR_SKIP_CPU_SYNC) {
		x.to_dev_sync = sync_dev_single;
		x.to_cpu_sync = sync_cpu_single;
	}
	ret = device_side(&c, &x);
	if (page)
		dma_unmap_page_attrs(c.dev, x.bus, len, dir, attrs);
	else
		dma_unmap_single_attrs(c.dev, x.bus, len, dir, attrs);
	if (!ret) {
		cpu_side(&c, &x);
		guard_check(&g);
	}
	ret = 0;
out:
	if (block)
		__free_pages(block, order);
	ctx_put(&c);
	return ctx_ret(ret);
}

static int cmd_single(char *args)
{
	return streaming(XB_DMAAPI_SINGLE, args, false, false);
}

static int cmd_page(char *args)
{
	return streaming(XB_DMAAPI_PAGE, args, true, false);
}

static int cmd_maxmap(char *args)
{
	return streaming(XB_DMAAPI_MAXMAP, args, false, true);
}

/* Where each DMA segment starts in the range, and how much the device touches. */
struct segs {
	struct window w[MAX_WINDOWS];
	int n;
};

/* The device reads the start of each of the first segments: pattern seed. */
static int sg_device_reads(struct ctx *c, struct sg_table *sgt, struct segs *sp, u32 seed)
{
	struct scatterlist *sg;
	int i, ret = 0;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (i >= sp->n || ret)
			break;
		ret = device_reads(c, sg_dma_address(sg), sp->w[i].len, seed, sp->w[i].start);
	}
	return ret;
}

/*
 * sg DIR OFF LEN NSEG: the range in NSEG pieces, mapped as one table, then
 * used as a driver does: the device reads; the CPU rewrites and syncs the
 * table for the device, which reads again; the device writes, the CPU syncs
 * the table for itself and reads before unmapping, and again after.
 */
static int cmd_sg(char *args)
{
	unsigned long off, len, nseg, at, max_seg, boundary;
	enum dma_data_direction dir;
	struct sg_table sgt = { };
	struct guard g = { };
	struct segs sp = { };
	struct scatterlist *sg;
	struct ctx c = { };
	u8 *cpu;
	char *w[4];
	int i, ret;

	if (xb_args_split(args, w, 4) != 4)
		return -EINVAL;
	ret = parse_dir(w[0], &dir);
	if (!ret)
		ret = parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	if (!ret)
		ret = xb_arg_ul(w[3], 1, XB_DMAAPI_MAX_SEGMENTS, &nseg);
	if (!ret && nseg > len)
		ret = -ERANGE;
	if (ret)
		return ret;
	begin(XB_DMAAPI_SG, w[0], off, len);
	ret = ctx_get(&c);
	if (ret)
		goto out;
	cpu = xb_pool_va(off);
	fill(cpu, len, c.seed, 0);
	guard_pool(&c, &g, off, len);
	ret = sg_alloc_table(&sgt, nseg, GFP_KERNEL);
	if (ret)
		goto out;
	at = 0;
	for_each_sgtable_sg(&sgt, sg, i) {
		unsigned long piece = i + 1 == nseg ? len - at : len / nseg;

		sg_set_page(sg, xb_pool_page(off + at), piece, offset_in_page(cpu + at));
		at += piece;
	}
	ret = dma_map_sgtable(c.dev, &sgt, dir, 0);
	if (ret) {
		refused(R_MAP_FAILED, "dma_map_sgtable", ret,
			"dma_map_sgtable of %lu pieces, %lu bytes (%s) returned %d", nseg, len,
			w[0], ret);
		ret = 0;
		goto free;
	}
	last.nents = sgt.nents;
	max_seg = dma_get_max_seg_size(c.dev);
	boundary = dma_get_seg_boundary(c.dev);
	/* The DMA segments cover the range in order. */
	at = 0;
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		dma_addr_t a = sg_dma_address(sg);
		unsigned long l = sg_dma_len(sg);

		if (i == 0)
			last.addr = a;
		if (a != xb_direct_bus(c.dev, cpu + at))
			last.bounced = true;
		if (l > max_seg)
			fail(R_CONSTRAINT, "segment %d is %lu bytes, over max_segment_size %lu",
			     i, l, max_seg);
		if ((a & ~(u64)boundary) != ((a + l - 1) & ~(u64)boundary))
			fail(R_CONSTRAINT, "segment %d at 0x%llx+%lu crosses boundary mask 0x%lx",
			     i, (u64)a, l, boundary);
		constraints(c.dev, a, l, cpu + at, "segment");
		if (i < MAX_WINDOWS) {
			sp.w[i].start = at;
			sp.w[i].len = win_len(l);
			sp.n = i + 1;
		}
		at += l;
	}
	if (at != len) {
		fail(R_CONSTRAINT, "the DMA segments cover %lu bytes of %lu", at, len);
		goto unmap;
	}
	last.windows = sp.n;
	if (dir_to(dir)) {
		ret = sg_device_reads(&c, &sgt, &sp, c.seed);
		/* The CPU takes the table back, rewrites it, gives it to the device again. */
		if (!ret) {
			dma_sync_sgtable_for_cpu(c.dev, &sgt, dir);
			c.seed ^= 0x5eed5eed;
			fill(cpu, len, c.seed, 0);
			dma_sync_sgtable_for_device(c.dev, &sgt, dir);
			ret = sg_device_reads(&c, &sgt, &sp, c.seed);
		}
	}
	if (!ret && dir_from(dir)) {
		ret = engine_load(&c, DEV_SEED(c.seed), WIN);
		for_each_sgtable_dma_sg(&sgt, sg, i) {
			if (ret || i >= sp.n)
				break;
			ret = device_writes(&c, sg_dma_address(sg), sp.w[i].len);
		}
		if (!ret) {
			/* What the CPU sees after syncing, before the unmap copies again. */
			dma_sync_sgtable_for_cpu(c.dev, &sgt, dir);
			cpu_view(&c, cpu, len, sp.w, sp.n, ULONG_MAX, false);
			corrupt(" after dma_sync_sgtable_for_cpu");
		}
	}
unmap:
	dma_unmap_sgtable(c.dev, &sgt, dir, 0);
	if (!ret && last.result < R_CORRUPT) {
		cpu_view(&c, cpu, len, sp.w, sp.n, dir_from(dir) ? ULONG_MAX : 0, false);
		corrupt(" after unmap");
	}
	if (!ret)
		guard_check(&g);
	ret = 0;
free:
	sg_free_table(&sgt);
out:
	ctx_put(&c);
	return ctx_ret(ret);
}

/*
 * sync DIR OFF LEN SOFF SLEN ROUNDS: one mapping handed back and forth.
 *   from_device: the receive ring. The device writes the range; the driver
 *     polls (sync_for_device: it must not undo the device's write), then
 *     takes it (sync_for_cpu of the range) and reads it.
 *   to_device: the CPU writes the range, syncs it for the device, the
 *     device reads it.
 *   bidirectional: both, in that order, every round.
 * Bytes outside the range must never change under the CPU.
 */
static int cmd_sync(char *args)
{
	unsigned long off, len, soff, slen, rounds, r;
	enum dma_data_direction dir;
	struct ctx c = { };
	u8 *cpu, *view = NULL;
	struct guard g = { };
	dma_addr_t bus;
	char *w[6];
	int ret;

	if (xb_args_split(args, w, 6) != 6)
		return -EINVAL;
	ret = parse_dir(w[0], &dir);
	if (!ret)
		ret = parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	if (!ret)
		ret = xb_arg_ul(w[3], 0, len - 1, &soff);
	if (!ret)
		ret = xb_arg_ul(w[4], 1, min(len - soff, (unsigned long)WIN), &slen);
	if (!ret)
		ret = xb_arg_ul(w[5], 1, XB_DMAAPI_MAX_ROUNDS, &rounds);
	if (ret)
		return ret;
	begin(XB_DMAAPI_SYNC, w[0], off, len);
	ret = ctx_get(&c);
	if (ret)
		goto out;
	view = kvmalloc(len, GFP_KERNEL);
	if (!view) {
		ret = -ENOMEM;
		goto out;
	}
	cpu = xb_pool_va(off);
	fill(cpu, len, c.seed, 0);
	memcpy(view, cpu, len);
	guard_pool(&c, &g, off, len);
	bus = dma_map_single(c.dev, cpu, len, dir);
	if (dma_mapping_error(c.dev, bus)) {
		refused(R_MAP_FAILED, "dma_map_single", 0,
			"dma_map_single of %lu bytes (%s) returned DMA_MAPPING_ERROR", len, w[0]);
		goto out;
	}
	last.addr = bus;
	last.bounced = bus != xb_direct_bus(c.dev, cpu);
	constraints(c.dev, bus, len, cpu, "mapping");
	for (r = 0; r < rounds && !ret; r++) {
		u32 rs = c.seed ^ (u32)(r + 1) * 0x01000193u;

		if (dir_to(dir)) {
			/* The CPU owns the buffer here: write, then give it to the device. */
			dma_sync_single_range_for_cpu(c.dev, bus, soff, slen, dir);
			fill(cpu + soff, slen, rs, 0);
			memcpy(view + soff, cpu + soff, slen);
			dma_sync_single_range_for_device(c.dev, bus, soff, slen, dir);
			ret = device_reads(&c, bus + soff, slen, rs, 0);
		}
		if (dir_from(dir) && !ret) {
			ret = engine_load(&c, DEV_SEED(rs), slen);
			if (!ret)
				ret = device_writes(&c, bus + soff, slen);
			if (ret)
				break;
			/* A poll that hands the buffer back before reading it. */
			if (dir == DMA_FROM_DEVICE)
				dma_sync_single_range_for_device(c.dev, bus, soff, slen, dir);
			dma_sync_single_range_for_cpu(c.dev, bus, soff, slen, dir);
			check(cpu + soff, slen, DEV_SEED(rs), 0, soff);
			memcpy(view + soff, cpu + soff, slen);
			if (dir == DMA_BIDIRECTIONAL)
				dma_sync_single_range_for_device(c.dev, bus, soff, slen, dir);
		}
		/* Nothing outside the synced range moved under the CPU. */
		if (memcmp(cpu, view, soff) ||
		    memcmp(cpu + soff + slen, view + soff + slen, len - soff - slen)) {
			unsigned long i;

			for (i = 0; i < len; i++) {
				if (i >= soff && i < soff + slen)
					continue;
				if (cpu[i] != view[i] && !last.wrong++) {
					last.first_wrong = i;
					last.want = view[i];
					last.got = cpu[i];
				}
			}
		}
		last.windows++;
	}
	dma_unmap_single(c.dev, bus, len, dir);
	corrupt(" over the rounds");
	if (!ret)
		guard_check(&g);
	ret = 0;
out:
	kvfree(view);
	ctx_put(&c);
	return ctx_ret(ret);
}

/* coherent LEN | noncoherent DIR LEN | pages DIR LEN */
enum alloc_kind { A_COHERENT, A_NONCOHERENT, A_PAGES };

static void sync_dev_alloc(struct ctx *c, struct exchange *x)
{
	dma_sync_single_for_device(c->dev, x->bus, x->len, x->dir);
}

static void sync_cpu_alloc(struct ctx *c, struct exchange *x)
{
	dma_sync_single_for_cpu(c->dev, x->bus, x->len, x->dir);
}

static const char * const alloc_calls[] = {
	[A_COHERENT] = "dma_alloc_coherent", [A_NONCOHERENT] = "dma_alloc_noncoherent",
	[A_PAGES] = "dma_alloc_pages",
};

static void *alloc_one(enum alloc_kind kind, struct ctx *c, unsigned long len,
		       enum dma_data_direction dir, dma_addr_t *bus, struct page **page)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
	void *cpu = NULL;

	switch (kind) {
	case A_COHERENT:
		cpu = dma_alloc_coherent(c->dev, len, bus, gfp);
		break;
	case A_NONCOHERENT:
		cpu = dma_alloc_noncoherent(c->dev, len, bus, dir, gfp);
		break;
	case A_PAGES:
		*page = dma_alloc_pages(c->dev, len, bus, dir, gfp);
		cpu = *page ? page_address(*page) : NULL;
		break;
	}
	if (!cpu) {
		refused(R_MAP_FAILED, alloc_calls[kind], -ENOMEM, "%s of %lu bytes returned NULL",
			alloc_calls[kind], len);
		return NULL;
	}
	/*
	 * dma_alloc_pages() records its mapping for CONFIG_DMA_API_DEBUG like
	 * a streaming one, which then expects dma_mapping_error() to have been
	 * asked: ask, so the checker's warning is kept for real misuse.
	 */
	if (kind != A_COHERENT && dma_mapping_error(c->dev, *bus))
		fail(R_CONSTRAINT, "%s returned memory with a mapping error", alloc_calls[kind]);
	return cpu;
}

static void free_one(enum alloc_kind kind, struct ctx *c, unsigned long len,
		     enum dma_data_direction dir, void *cpu, dma_addr_t bus, struct page *page)
{
	switch (kind) {
	case A_COHERENT:
		dma_free_coherent(c->dev, len, cpu, bus);
		break;
	case A_NONCOHERENT:
		dma_free_noncoherent(c->dev, len, cpu, bus, dir);
		break;
	case A_PAGES:
		dma_free_pages(c->dev, len, page, bus, dir);
		break;
	}
}

/* The API hands out zeroed memory: every byte, before anything writes it. */
static void zero_check(const u8 *cpu, unsigned long len, const char *call)
{
	unsigned long i, nonzero = 0, first = 0;

	for (i = 0; i < len; i++)
		if (cpu[i] && !nonzero++)
			first = i;
	if (nonzero)
		fail(R_NOT_ZEROED, "%s: %lu of %lu bytes not zero, first at %lu (0x%02x)",
		     call, nonzero, len, first, cpu[first]);
}

static int allocated(enum alloc_kind kind, const char *op, char *args)
{
	const char *call = alloc_calls[kind];
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;
	struct exchange x = { };
	struct page *page = NULL;
	unsigned long len, align;
	struct ctx c = { };
	void *dirty;
	u64 mask;
	char *w[2];
	int n = xb_args_split(args, w, 2), ret;

	if (n != (kind == A_COHERENT ? 1 : 2))
		return -EINVAL;
	ret = kind == A_COHERENT ? 0 : parse_dir(w[0], &dir);
	if (!ret)
		ret = xb_arg_ul(w[n - 1], 1, XB_DMAAPI_MAX_ALLOC, &len);
	if (ret)
		return ret;
	begin(op, kind == A_COHERENT ? "coherent" : w[0], 0, len);
	ret = ctx_get(&c);
	if (ret)
		goto out;
	/*
	 * Allocate, dirty, free, allocate again: an allocator that hands the
	 * freed memory back without zeroing it shows the dirt.
	 */
	dirty = alloc_one(kind, &c, len, dir, &x.bus, &page);
	if (!dirty)
		goto out;
	memset(dirty, 0xa5, len);
	free_one(kind, &c, len, dir, dirty, x.bus, page);
	x.cpu = alloc_one(kind, &c, len, dir, &x.bus, &page);
	if (!x.cpu)
		goto out;
	last.realloc_same = x.cpu == dirty;
	zero_check(x.cpu, len, call);
	last.addr = x.bus;
	x.len = len;
	x.dir = dir;
	if (kind != A_COHERENT) {
		x.to_dev_sync = sync_dev_alloc;
		x.to_cpu_sync = sync_cpu_alloc;
		x.gaps_undefined = dir == DMA_FROM_DEVICE;
	}
	/*
	 * The DMA address is aligned to the allocation's page order. (The
	 * document promises the CPU address too, but dma-iommu hands out
	 * remapped buffers that are only page-aligned in vmalloc space; what a
	 * device relies on is the DMA address.)
	 */
	align = PAGE_SIZE << get_order(len);
	if (kind == A_COHERENT && !IS_ALIGNED(x.bus, align))
		fail(R_CONSTRAINT, "coherent %lu bytes at dma 0x%llx, not %lu-aligned", len,
		     (u64)x.bus, align);
	/* Coherent memory obeys the coherent mask; the others the streaming one. */
	mask = kind == A_COHERENT ? c.dev->coherent_dma_mask : dma_get_mask(c.dev);
	mask_check(x.bus, len, mask, kind == A_COHERENT ? "coherent DMA mask" : "DMA mask", call);
	fill(x.cpu, len, c.seed, 0);
	ret = device_side(&c, &x);
	if (!ret)
		cpu_side(&c, &x);
	free_one(kind, &c, len, dir, x.cpu, x.bus, page);
	ret = 0;
out:
	ctx_put(&c);
	return ctx_ret(ret);
}

static int cmd_coherent(char *args)
{
	return allocated(A_COHERENT, XB_DMAAPI_COHERENT, args);
}

static int cmd_noncoherent(char *args)
{
	return allocated(A_NONCOHERENT, XB_DMAAPI_NONCOHERENT, args);
}

static int cmd_pages(char *args)
{
	return allocated(A_PAGES, XB_DMAAPI_PAGES, args);
}

static void config_restore(struct device *dev)
{
	if (!orig.saved || !dev)
		return;
	dma_set_mask(dev, orig.mask);
	dma_set_coherent_mask(dev, orig.coherent_mask);
	dma_set_min_align_mask(dev, orig.min_align);
	(void)dma_set_max_seg_size(dev, orig.max_seg);
	(void)dma_set_seg_boundary(dev, orig.boundary);
	orig.saved = false;
}

/*
 * config default | config [mask=BITS] [min_align=MASK] [max_seg=BYTES]
 * [seg_boundary=MASK]: validated whole before anything changes.
 */
static int cmd_config(char *args)
{
	unsigned long bits = 0, align = ~0UL, seg = 0, boundary = 0;
	const struct xb_engine *e = xb_get_engine();
	struct device *dev;
	char *w[4];
	int n = xb_args_split(args, w, 4), i, ret = 0;

	if (n < 1)
		return -EINVAL;
	if (!e)
		return -ENODEV;
	dev = e->dev;
	if (n == 1 && !strcmp(w[0], "default")) {
		config_restore(dev);
		return 0;
	}
	for (i = 0; i < n && !ret; i++) {
		if (str_has_prefix(w[i], "mask="))
			ret = xb_arg_ul(w[i] + 5, 24, 64, &bits);
		else if (str_has_prefix(w[i], "min_align="))
			ret = xb_arg_ul(w[i] + 10, 0, PAGE_SIZE - 1, &align);
		else if (str_has_prefix(w[i], "max_seg="))
			ret = xb_arg_ul(w[i] + 8, PAGE_SIZE, UINT_MAX, &seg);
		else if (str_has_prefix(w[i], "seg_boundary="))
			ret = xb_arg_ul(w[i] + 13, PAGE_SIZE - 1, ULONG_MAX, &boundary);
		else
			ret = -EINVAL;
	}
	/* A boundary mask is 2^n - 1; min_align too. */
	if (!ret && boundary && (boundary & (boundary + 1)))
		ret = -EINVAL;
	if (!ret && align != ~0UL && (align & (align + 1)))
		ret = -EINVAL;
	if (ret)
		return ret;
	/* A wider mask would hand the device addresses it cuts short. */
	if (bits > e->dma_bits) {
		pr_err("dmaapi: refusing mask=%lu: the device has %u address bits (edu_dma_bits=%u)\n",
		       bits, e->dma_bits, e->dma_bits);
		return -EINVAL;
	}
	if (!dev->dma_parms)
		return -EOPNOTSUPP;
	if (!orig.saved) {
		orig.mask = dma_get_mask(dev);
		orig.coherent_mask = dev->coherent_dma_mask;
		orig.min_align = dma_get_min_align_mask(dev);
		orig.max_seg = dma_get_max_seg_size(dev);
		orig.boundary = dma_get_seg_boundary(dev);
		orig.saved = true;
	}
	/*
	 * The API refusing a mask the device has (the kernel under test may
	 * refuse what the base kernel accepts) is the result, not an error.
	 */
	begin(XB_DMAAPI_CONFIG, "-", 0, 0);
	if (bits) {
		ret = dma_set_mask(dev, DMA_BIT_MASK(bits));
		if (ret) {
			refused(R_REFUSED, "dma_set_mask", ret,
				"dma_set_mask(DMA_BIT_MASK(%lu)) returned %d", bits, ret);
			return 0;
		}
		ret = dma_set_coherent_mask(dev, DMA_BIT_MASK(bits));
		if (ret) {
			refused(R_REFUSED, "dma_set_coherent_mask", ret,
				"dma_set_coherent_mask(DMA_BIT_MASK(%lu)) returned %d", bits, ret);
			return 0;
		}
	}
	if (align != ~0UL)
		dma_set_min_align_mask(dev, align);
	if (seg)
		(void)dma_set_max_seg_size(dev, seg);
	if (boundary)
		(void)dma_set_seg_boundary(dev, boundary);
	return 0;
}

/*
 * device DDDD:BB:DD.F: read what a PCI device's driver declared for DMA.
 * A driver that builds scatterlists with segments up to
 * dma_max_mapping_size() (drm_prime_pages_to_sg() does) must declare a
 * max_segment_size at least that large, or it maps segments longer than
 * its device claims to support. Read-only: nothing is mapped.
 */
static int cmd_device(char *args)
{
	unsigned int dom, bus, dev, fn;
	struct pci_dev *pdev;
	char end;

	if (sscanf(args, "%x:%x:%x.%u%c", &dom, &bus, &dev, &fn, &end) != 4 || bus > 0xff ||
	    dev > 0x1f || fn > 7)
		return -EINVAL;
	pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(dev, fn));
	if (!pdev)
		return -ENODEV;
	strscpy(probed.name, pci_name(pdev), sizeof(probed.name));
	probed.mask = dma_get_mask(&pdev->dev);
	probed.max_seg = dma_get_max_seg_size(&pdev->dev);
	probed.max_mapping = dma_max_mapping_size(&pdev->dev);
	probed.boundary = dma_get_seg_boundary(&pdev->dev);
	probed.valid = true;
	pci_dev_put(pdev);
	return 0;
}

#define RANGE_ARGS	"DIR OFF LEN"
#define CONFIG_ARGS	"default | [mask=BITS] [min_align=MASK] [max_seg=BYTES] [seg_boundary=MASK]"
#define OPT_ARGS	" [" XB_DMAAPI_SKIP_SYNC "] [partial=K]"

static const struct xb_verb dmaapi_verbs[] = {
	{ XB_DMAAPI_SINGLE, RANGE_ARGS OPT_ARGS, cmd_single },
	{ XB_DMAAPI_PAGE, RANGE_ARGS OPT_ARGS, cmd_page },
	{ XB_DMAAPI_SG, RANGE_ARGS " NSEG", cmd_sg },
	{ XB_DMAAPI_SYNC, RANGE_ARGS " SYNC_OFF SYNC_LEN ROUNDS", cmd_sync },
	{ XB_DMAAPI_MAXMAP, "DIR OFF" OPT_ARGS, cmd_maxmap },
	{ XB_DMAAPI_COHERENT, "LEN", cmd_coherent },
	{ XB_DMAAPI_NONCOHERENT, "DIR LEN", cmd_noncoherent },
	{ XB_DMAAPI_PAGES, "DIR LEN", cmd_pages },
	{ XB_DMAAPI_CONFIG, CONFIG_ARGS, cmd_config },
	{ XB_DMAAPI_DEVICE, "DDDD:BB:DD.F", cmd_device },
	{ }
};

static int dmaapi_show(struct seq_file *m)
{
	const struct xb_engine *e = xb_get_engine();

	seq_printf(m, "device: %s\n", e ? dev_name(e->dev) : "none");
	if (e) {
		seq_printf(m, "device_dma_bits: %u\n", e->dma_bits);
		seq_printf(m, "dma_mask: 0x%llx\n", dma_get_mask(e->dev));
		seq_printf(m, "min_align_mask: 0x%x\n", dma_get_min_align_mask(e->dev));
		seq_printf(m, "max_segment_size: %u\n", dma_get_max_seg_size(e->dev));
		seq_printf(m, "segment_boundary: 0x%lx\n", dma_get_seg_boundary(e->dev));
		seq_printf(m, "max_mapping_size: %zu\n", dma_max_mapping_size(e->dev));
	}
	if (probed.valid) {
		seq_printf(m, "probed_device: %s\n", probed.name);
		seq_printf(m, "probed_dma_mask: 0x%llx\n", probed.mask);
		seq_printf(m, "probed_max_segment_size: %u\n", probed.max_seg);
		seq_printf(m, "probed_max_mapping_size: %zu\n", probed.max_mapping);
		seq_printf(m, "probed_segment_boundary: 0x%lx\n", probed.boundary);
	}
	if (!last.valid)
		return 0;
	seq_printf(m, "op: %s\n", last.op);
	seq_printf(m, "direction: %s\n", last.dir);
	seq_printf(m, "offset: %lu\n", last.off);
	seq_printf(m, "len: %lu\n", last.len);
	seq_printf(m, "result: %s\n", result_words[last.result]);
	seq_printf(m, "errno: %d\n", last.err);
	seq_printf(m, "dma_addr: 0x%llx\n", (u64)last.addr);
	seq_printf(m, "bounced: %d\n", last.bounced);
	seq_printf(m, "nents: %d\n", last.nents);
	seq_printf(m, "windows: %d\n", last.windows);
	seq_printf(m, "bytes_checked: %lu\n", last.checked);
	seq_printf(m, "bytes_wrong: %lu\n", last.wrong);
	seq_printf(m, "first_wrong: %lu\n", last.first_wrong);
	seq_printf(m, "guard_bytes: %lu\n", last.guard);
	seq_printf(m, "realloc_same: %d\n", last.realloc_same);
	seq_printf(m, "call: %s\n", last.call[0] ? last.call : "-");
	if (last.max_mapping)
		seq_printf(m, "tried_max_mapping_size: %zu\n", last.max_mapping);
	seq_printf(m, "why: %s\n", last.why[0] ? last.why : "-");
	return 0;
}

static void dmaapi_exit(void)
{
	const struct xb_engine *e;

	mutex_lock(&xb_lock);
	e = xb_get_engine();
	config_restore(e ? e->dev : NULL);
	mutex_unlock(&xb_lock);
}

static const struct xb_file dmaapi_files[] = {
	{ XB_FILE_DMAAPI, 0600, dmaapi_verbs, dmaapi_show },
	{ }
};

const struct xb_capability xb_cap_dmaapi = {
	.name = "dmaapi",
	.exit = dmaapi_exit,
	.files = dmaapi_files,
};
