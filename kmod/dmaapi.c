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
#include "contract.h"

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

static void sync_dev_single(struct ct_ctx *c, struct ct_exchange *x)
{
	dma_sync_single_for_device(c->dev, x->bus, x->len, x->dir);
}

static void sync_cpu_single(struct ct_ctx *c, struct ct_exchange *x)
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
	struct ct_exchange x = { };
	struct ct_guard g = { };
	unsigned int order = 0;
	struct ct_ctx c = { };
	bool fresh = false;
	u8 *base;
	char *w[6];
	int n = xb_args_split(args, w, 6), ret;

	if (n < (maxmap ? 2 : 3))
		return -EINVAL;
	ret = ct_parse_dir(w[0], &dir);
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
				      ct_parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	}
	if (ret)
		return ret;
	ct_begin(op, w[0], off, len);
	ret = ct_get(&c);
	if (ret)
		goto out;
	if (maxmap) {
		len = min3(dma_max_mapping_size(c.dev), xb_pool_pages() * PAGE_SIZE - off,
			   MAX_OBJECT);
		ct_last.len = len;
		ct_last.max_mapping = dma_max_mapping_size(c.dev);
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
	ct_fill(x.cpu, len, c.seed, 0);
	ct_guard_fill(&c, &g, x.cpu, len, off, room - off - len);
	if (page) {
		struct page *p = fresh ? nth_page(block, off >> PAGE_SHIFT) : xb_pool_page(off);

		x.bus = dma_map_page_attrs(c.dev, p, offset_in_page(x.cpu), len, dir, attrs);
	} else {
		x.bus = dma_map_single_attrs(c.dev, x.cpu, len, dir, attrs);
	}
	if (dma_mapping_error(c.dev, x.bus)) {
		ct_refused(CT_MAP_FAILED, call, 0,
			   "%s of %lu bytes (%s) returned DMA_MAPPING_ERROR%s", call, len, w[0],
			   maxmap ? " within dma_max_mapping_size()" : "");
		goto out;
	}
	ct_last.addr = x.bus;
	ct_last.bounced = x.bus != xb_direct_bus(c.dev, x.cpu);
	ct_constraints(c.dev, x.bus, len, x.cpu, op);
	/* With DMA_ATTR_SKIP_CPU_SYNC the syncs are the driver's to make. */
	if (attrs & DMA_ATTR_SKIP_CPU_SYNC) {
		x.to_dev_sync = sync_dev_single;
		x.to_cpu_sync = sync_cpu_single;
	}
	ret = ct_device_side(&c, &x);
	if (page)
		dma_unmap_page_attrs(c.dev, x.bus, len, dir, attrs);
	else
		dma_unmap_single_attrs(c.dev, x.bus, len, dir, attrs);
	if (!ret) {
		ct_cpu_side(&c, &x);
		ct_guard_check(&g);
	}
	ret = 0;
out:
	if (block)
		__free_pages(block, order);
	ct_put(&c);
	return ct_ret(ret);
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
	struct ct_window w[MAX_WINDOWS];
	int n;
};

/* The device reads the start of each of the first segments: pattern seed. */
static int sg_device_reads(struct ct_ctx *c, struct sg_table *sgt, struct segs *sp, u32 seed)
{
	struct scatterlist *sg;
	int i, ret = 0;

	for_each_sgtable_dma_sg(sgt, sg, i) {
		if (i >= sp->n || ret)
			break;
		ret = ct_device_reads(c, sg_dma_address(sg), sp->w[i].len, seed, sp->w[i].start);
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
	struct ct_guard g = { };
	struct segs sp = { };
	struct scatterlist *sg;
	struct ct_ctx c = { };
	u8 *cpu;
	char *w[4];
	int i, ret;

	if (xb_args_split(args, w, 4) != 4)
		return -EINVAL;
	ret = ct_parse_dir(w[0], &dir);
	if (!ret)
		ret = ct_parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	if (!ret)
		ret = xb_arg_ul(w[3], 1, XB_DMAAPI_MAX_SEGMENTS, &nseg);
	if (!ret && nseg > len)
		ret = -ERANGE;
	if (ret)
		return ret;
	ret = ct_start_pool(&c, &g, XB_DMAAPI_SG, w[0], off, len, &cpu);
	if (ret)
		goto out;
	ret = ct_pool_sgtable(&sgt, off, len, nseg);
	if (ret)
		goto out;
	ret = dma_map_sgtable(c.dev, &sgt, dir, 0);
	if (ret) {
		ct_refused(CT_MAP_FAILED, "dma_map_sgtable", ret,
			   "dma_map_sgtable of %lu pieces, %lu bytes (%s) returned %d", nseg, len,
			w[0], ret);
		ret = 0;
		goto free;
	}
	ct_last.nents = sgt.nents;
	max_seg = dma_get_max_seg_size(c.dev);
	boundary = dma_get_seg_boundary(c.dev);
	/* The DMA segments cover the range in order. */
	at = 0;
	for_each_sgtable_dma_sg(&sgt, sg, i) {
		dma_addr_t a = sg_dma_address(sg);
		unsigned long l = sg_dma_len(sg);

		if (i == 0)
			ct_last.addr = a;
		if (a != xb_direct_bus(c.dev, cpu + at))
			ct_last.bounced = true;
		if (l > max_seg)
			ct_fail(CT_CONSTRAINT, "segment %d is %lu bytes, over max_segment_size %lu",
				i, l, max_seg);
		if ((a & ~(u64)boundary) != ((a + l - 1) & ~(u64)boundary))
			ct_fail(CT_CONSTRAINT,
				"segment %d at 0x%llx+%lu crosses boundary mask 0x%lx", i, (u64)a,
				l, boundary);
		ct_constraints(c.dev, a, l, cpu + at, "segment");
		if (i < MAX_WINDOWS) {
			sp.w[i].start = at;
			sp.w[i].len = ct_win_len(l);
			sp.n = i + 1;
		}
		at += l;
	}
	if (at != len) {
		ct_fail(CT_CONSTRAINT, "the DMA segments cover %lu bytes of %lu", at, len);
		goto unmap;
	}
	ct_last.windows = sp.n;
	if (ct_dir_to(dir)) {
		ret = sg_device_reads(&c, &sgt, &sp, c.seed);
		/* The CPU takes the table back, rewrites it, gives it to the device again. */
		if (!ret) {
			dma_sync_sgtable_for_cpu(c.dev, &sgt, dir);
			c.seed ^= 0x5eed5eed;
			ct_fill(cpu, len, c.seed, 0);
			dma_sync_sgtable_for_device(c.dev, &sgt, dir);
			ret = sg_device_reads(&c, &sgt, &sp, c.seed);
		}
	}
	if (!ret && ct_dir_from(dir)) {
		ret = ct_engine_load(&c, DEV_SEED(c.seed), WIN);
		for_each_sgtable_dma_sg(&sgt, sg, i) {
			if (ret || i >= sp.n)
				break;
			ret = ct_device_writes(&c, sg_dma_address(sg), sp.w[i].len);
		}
		if (!ret) {
			/* What the CPU sees after syncing, before the unmap copies again. */
			dma_sync_sgtable_for_cpu(c.dev, &sgt, dir);
			ct_cpu_view(&c, cpu, len, sp.w, sp.n, ULONG_MAX, false);
			ct_corrupt(" after dma_sync_sgtable_for_cpu");
		}
	}
unmap:
	dma_unmap_sgtable(c.dev, &sgt, dir, 0);
	if (!ret && ct_last.result < CT_CORRUPT) {
		ct_cpu_view(&c, cpu, len, sp.w, sp.n, ct_dir_from(dir) ? ULONG_MAX : 0, false);
		ct_corrupt(" after unmap");
	}
	if (!ret)
		ct_guard_check(&g);
	ret = 0;
free:
	sg_free_table(&sgt);
out:
	ct_put(&c);
	return ct_ret(ret);
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
	struct ct_ctx c = { };
	u8 *cpu, *view = NULL;
	struct ct_guard g = { };
	dma_addr_t bus;
	char *w[6];
	int ret;

	if (xb_args_split(args, w, 6) != 6)
		return -EINVAL;
	ret = ct_parse_dir(w[0], &dir);
	if (!ret)
		ret = ct_parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	if (!ret)
		ret = xb_arg_ul(w[3], 0, len - 1, &soff);
	if (!ret)
		ret = xb_arg_ul(w[4], 1, min(len - soff, (unsigned long)WIN), &slen);
	if (!ret)
		ret = xb_arg_ul(w[5], 1, XB_DMAAPI_MAX_ROUNDS, &rounds);
	if (ret)
		return ret;
	ret = ct_start_pool(&c, &g, XB_DMAAPI_SYNC, w[0], off, len, &cpu);
	if (ret)
		goto out;
	view = kvmalloc(len, GFP_KERNEL);
	if (!view) {
		ret = -ENOMEM;
		goto out;
	}
	memcpy(view, cpu, len);
	bus = dma_map_single(c.dev, cpu, len, dir);
	if (dma_mapping_error(c.dev, bus)) {
		ct_refused(CT_MAP_FAILED, "dma_map_single", 0,
			   "dma_map_single of %lu bytes (%s) returned DMA_MAPPING_ERROR", len,
			   w[0]);
		goto out;
	}
	ct_last.addr = bus;
	ct_last.bounced = bus != xb_direct_bus(c.dev, cpu);
	ct_constraints(c.dev, bus, len, cpu, "mapping");
	for (r = 0; r < rounds && !ret; r++) {
		u32 rs = c.seed ^ (u32)(r + 1) * 0x01000193u;

		if (ct_dir_to(dir)) {
			/* The CPU owns the buffer here: write, then give it to the device. */
			dma_sync_single_range_for_cpu(c.dev, bus, soff, slen, dir);
			ct_fill(cpu + soff, slen, rs, 0);
			memcpy(view + soff, cpu + soff, slen);
			dma_sync_single_range_for_device(c.dev, bus, soff, slen, dir);
			ret = ct_device_reads(&c, bus + soff, slen, rs, 0);
		}
		if (ct_dir_from(dir) && !ret) {
			ret = ct_engine_load(&c, DEV_SEED(rs), slen);
			if (!ret)
				ret = ct_device_writes(&c, bus + soff, slen);
			if (ret)
				break;
			/* A poll that hands the buffer back before reading it. */
			if (dir == DMA_FROM_DEVICE)
				dma_sync_single_range_for_device(c.dev, bus, soff, slen, dir);
			dma_sync_single_range_for_cpu(c.dev, bus, soff, slen, dir);
			ct_check(cpu + soff, slen, DEV_SEED(rs), 0, soff);
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
				if (cpu[i] != view[i] && !ct_last.wrong++) {
					ct_last.first_wrong = i;
					ct_last.want = view[i];
					ct_last.got = cpu[i];
				}
			}
		}
		ct_last.windows++;
	}
	dma_unmap_single(c.dev, bus, len, dir);
	ct_corrupt(" over the rounds");
	if (!ret)
		ct_guard_check(&g);
	ret = 0;
out:
	kvfree(view);
	ct_put(&c);
	return ct_ret(ret);
}

/* coherent LEN | noncoherent DIR LEN | pages DIR LEN */
enum alloc_kind { A_COHERENT, A_NONCOHERENT, A_PAGES };

static void sync_dev_alloc(struct ct_ctx *c, struct ct_exchange *x)
{
	dma_sync_single_for_device(c->dev, x->bus, x->len, x->dir);
}

static void sync_cpu_alloc(struct ct_ctx *c, struct ct_exchange *x)
{
	dma_sync_single_for_cpu(c->dev, x->bus, x->len, x->dir);
}

static const char * const alloc_calls[] = {
	[A_COHERENT] = "dma_alloc_coherent", [A_NONCOHERENT] = "dma_alloc_noncoherent",
	[A_PAGES] = "dma_alloc_pages",
};

static void *alloc_one(enum alloc_kind kind, struct ct_ctx *c, unsigned long len,
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
		ct_refused(CT_MAP_FAILED, alloc_calls[kind], -ENOMEM,
			   "%s of %lu bytes returned NULL", alloc_calls[kind], len);
		return NULL;
	}
	/*
	 * dma_alloc_pages() records its mapping for CONFIG_DMA_API_DEBUG like
	 * a streaming one, which then expects dma_mapping_error() to have been
	 * asked: ask, so the checker's warning is kept for real misuse.
	 */
	if (kind != A_COHERENT && dma_mapping_error(c->dev, *bus))
		ct_fail(CT_CONSTRAINT, "%s returned memory with a mapping error",
			alloc_calls[kind]);
	return cpu;
}

static void free_one(enum alloc_kind kind, struct ct_ctx *c, unsigned long len,
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
		ct_fail(CT_NOT_ZEROED, "%s: %lu of %lu bytes not zero, first at %lu (0x%02x)",
			call, nonzero, len, first, cpu[first]);
}

static int allocated(enum alloc_kind kind, const char *op, char *args)
{
	const char *call = alloc_calls[kind];
	enum dma_data_direction dir = DMA_BIDIRECTIONAL;
	struct ct_exchange x = { };
	struct page *page = NULL;
	unsigned long len, align;
	struct ct_ctx c = { };
	void *dirty;
	u64 mask;
	char *w[2];
	int n = xb_args_split(args, w, 2), ret;

	if (n != (kind == A_COHERENT ? 1 : 2))
		return -EINVAL;
	ret = kind == A_COHERENT ? 0 : ct_parse_dir(w[0], &dir);
	if (!ret)
		ret = xb_arg_ul(w[n - 1], 1, XB_DMAAPI_MAX_ALLOC, &len);
	if (ret)
		return ret;
	ct_begin(op, kind == A_COHERENT ? "coherent" : w[0], 0, len);
	ret = ct_get(&c);
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
	ct_last.realloc_same = x.cpu == dirty;
	zero_check(x.cpu, len, call);
	ct_last.addr = x.bus;
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
		ct_fail(CT_CONSTRAINT, "coherent %lu bytes at dma 0x%llx, not %lu-aligned", len,
			(u64)x.bus, align);
	/* Coherent memory obeys the coherent mask; the others the streaming one. */
	mask = kind == A_COHERENT ? c.dev->coherent_dma_mask : dma_get_mask(c.dev);
	ct_mask_check(x.bus, len, mask, kind == A_COHERENT ? "coherent DMA mask" : "DMA mask",
		      call);
	/*
	 * Under PV the bus address is a machine address: every page of a
	 * coherent buffer must be at the machine frame it names, read from the
	 * P2M (an exchange that went wrong can leave right data at the wrong
	 * frames, or frames past the mask behind an address within it).
	 */
	if (kind == A_COHERENT && xb_is_pv()) {
		long bad = xb_p2m_check_bus(x.cpu, len, x.bus);

		if (bad >= 0)
			ct_fail(CT_CONSTRAINT,
				"coherent %lu bytes at dma 0x%llx: page %ld at another machine frame (P2M)",
				len, (u64)x.bus, bad);
		else
			ct_last.p2m_pages = DIV_ROUND_UP(len, PAGE_SIZE);
	}
	ct_fill(x.cpu, len, c.seed, 0);
	ret = ct_device_side(&c, &x);
	if (!ret)
		ct_cpu_side(&c, &x);
	free_one(kind, &c, len, dir, x.cpu, x.bus, page);
	ret = 0;
out:
	ct_put(&c);
	return ct_ret(ret);
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
	unsigned long bits = 0, cbits = 0, align = ~0UL, seg = 0, boundary = 0;
	const struct xb_engine *e = xb_get_engine();
	struct device *dev;
	char *w[5];
	int n = xb_args_split(args, w, 5), i, ret = 0;

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
		else if (str_has_prefix(w[i], "coherent_mask="))
			ret = xb_arg_ul(w[i] + 14, 24, 64, &cbits);
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
	if (!cbits)
		cbits = bits;
	if (bits > e->dma_bits || cbits > e->dma_bits) {
		bool streaming = bits > e->dma_bits;

		pr_err("dmaapi: refusing %s=%lu: the device has %u address bits (edu_dma_bits=%u)\n",
		       streaming ? "mask" : "coherent_mask", streaming ? bits : cbits, e->dma_bits,
		       e->dma_bits);
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
	ct_begin(XB_DMAAPI_CONFIG, "-", 0, 0);
	if (bits) {
		ret = dma_set_mask(dev, DMA_BIT_MASK(bits));
		if (ret) {
			ct_refused(CT_REFUSED, "dma_set_mask", ret,
				   "dma_set_mask(DMA_BIT_MASK(%lu)) returned %d", bits, ret);
			return 0;
		}
	}
	if (cbits) {
		ret = dma_set_coherent_mask(dev, DMA_BIT_MASK(cbits));
		if (ret) {
			ct_refused(CT_REFUSED, "dma_set_coherent_mask", ret,
				   "dma_set_coherent_mask(DMA_BIT_MASK(%lu)) returned %d", cbits,
				   ret);
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
#define CONFIG_ARGS	"default | [mask=BITS] [coherent_mask=BITS] [min_align=MASK] " \
			"[max_seg=BYTES] [seg_boundary=MASK]"
#define OPT_ARGS	" [" XB_DMAAPI_SKIP_SYNC "] [partial=K]"

static const struct xb_verb dmaapi_verbs[] = {
	{ XB_DMAAPI_SINGLE, RANGE_ARGS OPT_ARGS, cmd_single },
	{ XB_DMAAPI_PAGE, RANGE_ARGS OPT_ARGS, cmd_page },
	{ XB_DMAAPI_SG, RANGE_ARGS " NSEG", cmd_sg },
	{ XB_DMAAPI_SYNC, RANGE_ARGS " SYNC_OFF SYNC_LEN ROUNDS", cmd_sync },
	{ XB_DMAAPI_MAXMAP, "DIR OFF" OPT_ARGS, cmd_maxmap },
	{ XB_DMAAPI_TRANSFER, "single|page " RANGE_ARGS " | sg " RANGE_ARGS " NSEG",
	  xb_dmaapi_transfer },
	{ XB_DMAAPI_LIVE, "COUNT", xb_dmaapi_live },
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
	if (!ct_last.valid)
		return 0;
	seq_printf(m, "op: %s\n", ct_last.op);
	seq_printf(m, "direction: %s\n", ct_last.dir);
	seq_printf(m, "offset: %lu\n", ct_last.off);
	seq_printf(m, "len: %lu\n", ct_last.len);
	seq_printf(m, "result: %s\n", ct_result_words[ct_last.result]);
	seq_printf(m, "errno: %d\n", ct_last.err);
	seq_printf(m, "dma_addr: 0x%llx\n", (u64)ct_last.addr);
	seq_printf(m, "bounced: %d\n", ct_last.bounced);
	seq_printf(m, "nents: %d\n", ct_last.nents);
	seq_printf(m, "windows: %d\n", ct_last.windows);
	seq_printf(m, "bounced_mappings: %d\n", ct_last.bounced_n);
	seq_printf(m, "p2m_checked_pages: %lu\n", ct_last.p2m_pages);
	seq_printf(m, "bytes_checked: %lu\n", ct_last.checked);
	seq_printf(m, "bytes_wrong: %lu\n", ct_last.wrong);
	seq_printf(m, "first_wrong: %lu\n", ct_last.first_wrong);
	seq_printf(m, "guard_bytes: %lu\n", ct_last.guard);
	seq_printf(m, "realloc_same: %d\n", ct_last.realloc_same);
	seq_printf(m, "call: %s\n", ct_last.call[0] ? ct_last.call : "-");
	if (ct_last.max_mapping)
		seq_printf(m, "tried_max_mapping_size: %zu\n", ct_last.max_mapping);
	seq_printf(m, "why: %s\n", ct_last.why[0] ? ct_last.why : "-");
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
