// SPDX-License-Identifier: GPL-2.0
/*
 * Many streaming mappings alive at once, each checked after the others
 * were made and used: two mappings that share a bounce slot cannot pass.
 *
 *   live COUNT
 *
 * COUNT mappings (dma_map_single) of the pool, one after another, of mixed
 * sizes (1 to 8 KiB, below, at and above a page, so swiotlb's slot
 * strides differ), each across a page boundary (so under Xen PV with a
 * shuffled pool each must bounce) and with its own pattern; directions
 * cycle to_device, from_device, bidirectional. A map may be refused when
 * swiotlb is full (the scenario may hold most of it with a reserve): the
 * next is still tried, and the check goes on with those mapped, at least
 * two. Then, all alive:
 *   1. the device reads each to_device and bidirectional mapping and
 *      writes its own pattern into each from_device and bidirectional one
 *      (each with its own: another mapping's bytes are recognised);
 *   2. the CPU takes each back (dma_sync_single_for_cpu) and reads it;
 *   3. the CPU rewrites each to_device and bidirectional mapping, hands
 *      them all back, and only then the device reads each again;
 *   4. everything is unmapped and read once more.
 * The pool bytes between mappings must never change. The result is read
 * back from the dmaapi file ("op: live", "nents": how many were mapped,
 * "bounced_mappings": how many of them bounced).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "xenbounce.h"
#include "contract.h"

#define GAP		256UL
#define GAP_SEED(seed)	((seed) ^ 0x510e527f)

/*
 * Slots (2 KiB each) and the search's stride (2 from a page up): 3 s2,
 * 2 s2, 2, 4 s2, 2, 3 s2, 2, 1. A mapping of 3 slots leaves the next
 * page-size one to skip a slot; the 2-slot ones below a page may start on
 * any slot, so a skipped slot whose free count is wrong is taken by one.
 */
static const unsigned long sizes[] = { 6144, 4096, 3072, 8192, 2560, 5120, 3584, 1024 };
static const enum dma_data_direction dirs[] = {
	DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_BIDIRECTIONAL
};

struct live {
	unsigned long off, len;	/* within the pool */
	enum dma_data_direction dir;
	dma_addr_t bus;
	u32 seed, dev_seed;	/* the CPU's pattern; the device's */
};

/*
 * Lay the mappings out from the start of the pool: each across a page
 * boundary, GAP bytes apart. Returns how many fit (at most count).
 */
static int layout(struct live *l, int count, unsigned long pool, u32 seed)
{
	unsigned long at = 0;
	int i;

	for (i = 0; i < count; i++) {
		unsigned long len = sizes[i % ARRAY_SIZE(sizes)];
		unsigned long page = round_up(at + GAP, PAGE_SIZE);
		unsigned long start;

		/* Below a page: straddle the boundary; above: start inside a page. */
		start = len < PAGE_SIZE ? page + PAGE_SIZE - len / 2 :
					  page + 256 + (i * 512) % 2048;
		if (start + len + GAP > pool)
			break;
		l[i].off = start;
		l[i].len = len;
		l[i].dir = dirs[i % ARRAY_SIZE(dirs)];
		l[i].seed = seed ^ (u32)(i + 1) * 0x9e3779b9u;
		l[i].dev_seed = DEV_SEED(l[i].seed);
		at = start + len;
	}
	return i;
}

/* The device reads the first window of a mapping: the CPU's pattern. */
static int device_reads_one(struct ct_ctx *c, const struct live *m, u32 seed)
{
	return ct_device_reads(c, m->bus, ct_win_len(m->len), seed, 0);
}

/* What the CPU must see in a mapping: the device's window, its own elsewhere. */
static void cpu_sees(const struct live *m, u8 *cpu, u32 seed, bool device_wrote)
{
	unsigned long w = device_wrote ? ct_win_len(m->len) : 0;

	if (w)
		ct_check(cpu, w, m->dev_seed, 0, m->off);
	ct_check(cpu + w, m->len - w, seed, w, m->off + w);
}

/* The pool bytes before, between and after the mappings keep their pattern. */
static void check_gaps(struct live *l, int n, u8 *pool, u32 seed)
{
	unsigned long at = 0;
	int i;

	for (i = 0; i <= n; i++) {
		unsigned long end = i < n ? l[i].off : l[n - 1].off + l[n - 1].len + GAP;

		ct_check(pool + at, end - at, GAP_SEED(seed), at, at);
		if (i < n)
			at = l[i].off + l[i].len;
	}
}

int xb_dmaapi_live(char *args)
{
	unsigned long count, pool;
	struct ct_ctx c = { };
	struct live *l = NULL;
	int i, n, mapped = 0, bounced = 0, ret;
	u8 *p;

	ret = xb_arg_ul(args, 2, XB_DMAAPI_MAX_LIVE, &count);
	if (!ret)
		ret = xb_pool_usable();
	if (ret)
		return ret;
	pool = xb_pool_pages() * PAGE_SIZE;
	ct_begin(XB_DMAAPI_LIVE, "mixed", 0, 0);
	ret = ct_get(&c);
	if (ret)
		goto out;
	l = kcalloc(count, sizeof(*l), GFP_KERNEL);
	if (!l) {
		ret = -ENOMEM;
		goto out;
	}
	n = layout(l, count, pool, c.seed);
	if (n < 2) {
		ret = -ERANGE;	/* the pool is too small for two */
		goto out;
	}
	p = xb_pool_va(0);
	ct_last.len = l[n - 1].off + l[n - 1].len;
	ct_fill(p, ct_last.len + GAP, GAP_SEED(c.seed), 0);
	/*
	 * Map them all, in order. A refused map (swiotlb full) leaves the gap
	 * pattern there and the next one is tried: after a refusal the slot
	 * search has gone round the whole pool, where stale free counts are.
	 * The mapped ones move to the front, in pool order.
	 */
	for (i = 0; i < n; i++) {
		struct live *m = &l[i];

		ct_fill(p + m->off, m->len, m->seed, 0);
		m->bus = dma_map_single(c.dev, p + m->off, m->len, m->dir);
		if (dma_mapping_error(c.dev, m->bus)) {
			ct_fill(p + m->off, m->len, GAP_SEED(c.seed), m->off);
			continue;
		}
		ct_constraints(c.dev, m->bus, m->len, p + m->off, "live mapping");
		bounced += m->bus != xb_direct_bus(c.dev, p + m->off);
		l[mapped++] = *m;
	}
	ct_last.nents = mapped;
	ct_last.bounced_n = bounced;
	ct_last.bounced = bounced > 0;
	ct_last.addr = mapped ? l[0].bus : 0;
	if (mapped < 2) {
		ct_refused(CT_MAP_FAILED, "dma_map_single", 0,
			   "only %d of %d live mappings could be made", mapped, n);
		goto unmap;
	}
	/* 1. The device uses every mapping while all are alive. */
	for (i = 0; i < mapped && !ret; i++) {
		struct live *m = &l[i];

		if (ct_dir_to(m->dir))
			ret = device_reads_one(&c, m, m->seed);
		if (!ret && ct_dir_from(m->dir)) {
			ret = ct_engine_load(&c, m->dev_seed, ct_win_len(m->len));
			if (!ret)
				ret = ct_device_writes(&c, m->bus, ct_win_len(m->len));
		}
	}
	ct_corrupt(" read by the device while all were alive");
	/* 2. The CPU takes each back and reads it. */
	for (i = 0; i < mapped && !ret; i++) {
		struct live *m = &l[i];

		dma_sync_single_for_cpu(c.dev, m->bus, m->len, m->dir);
		cpu_sees(m, p + m->off, m->seed, ct_dir_from(m->dir));
	}
	ct_corrupt(" after dma_sync_single_for_cpu, all alive");
	/* 3. New bytes for the device in each, all handed over, then read. */
	for (i = 0; i < mapped && !ret; i++) {
		struct live *m = &l[i];

		if (ct_dir_to(m->dir)) {
			m->seed ^= 0x5eed5eed;
			ct_fill(p + m->off, m->len, m->seed, 0);
		}
		dma_sync_single_for_device(c.dev, m->bus, m->len, m->dir);
	}
	for (i = 0; i < mapped && !ret; i++)
		if (ct_dir_to(l[i].dir))
			ret = device_reads_one(&c, &l[i], l[i].seed);
	ct_corrupt(" read by the device after every mapping was handed back");
unmap:
	for (i = 0; i < mapped; i++)
		dma_unmap_single(c.dev, l[i].bus, l[i].len, l[i].dir);
	/* 4. After the unmaps: the device's bytes where it wrote last, the CPU's elsewhere. */
	if (!ret && ct_last.result < CT_CORRUPT) {
		for (i = 0; i < mapped; i++)
			cpu_sees(&l[i], p + l[i].off, l[i].seed, l[i].dir == DMA_FROM_DEVICE);
		check_gaps(l, mapped, p, c.seed);
		ct_corrupt(" after unmap");
	}
	ret = 0;
out:
	kfree(l);
	ct_put(&c);
	return ct_ret(ret);
}
