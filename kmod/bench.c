// SPDX-License-Identifier: GPL-2.0
/*
 * Bounce penalty, measured in the kernel like kernel/dma/map_benchmark.c:
 * the cost of dma_map_single() + dma_sync_single_for_cpu() +
 * dma_unmap_single() on a buffer that must bounce (it straddles machine-
 * discontiguous frames under Xen) against one that need not (machine-
 * contiguous), beside a memcpy of the same size, and the bounced loop
 * again with the bounce log off. Write "SIZE ITERATIONS", read figures.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include "xenbounce.h"

#define BENCH_MAX_SIZE	(256u << 10)	/* the largest bounce swiotlb makes */
#define BENCH_MAX_ITER	1000000u

static struct {
	unsigned long size, iters;
	u64 memcpy_ns, direct_ns, bounced_ns, bounced_nolog_ns;
	bool direct_ok, bounced_ok;
	int result;
} last;

/* Average ns per map + sync + unmap of va; -1 if it bounced when it should not or the reverse. */
static s64 map_loop(void *va, size_t size, unsigned long iters, bool want_bounce)
{
	ktime_t t0;
	unsigned long i;

	for (i = 0; i < iters; i++) {
		dma_addr_t a = dma_map_single(xb_dma_dev, va, size, DMA_BIDIRECTIONAL);
		bool bounced;

		if (dma_mapping_error(xb_dma_dev, a))
			return -ENOMEM;
		bounced = a != xb_direct_bus(xb_dma_dev, va);
		if (i == 0 && bounced != want_bounce) {
			dma_unmap_single(xb_dma_dev, a, size, DMA_BIDIRECTIONAL);
			return -EINVAL;
		}
		if (i == 0)
			t0 = ktime_get();
		dma_sync_single_for_cpu(xb_dma_dev, a, size, DMA_BIDIRECTIONAL);
		dma_unmap_single(xb_dma_dev, a, size, DMA_BIDIRECTIONAL);
		if (!(i & 1023))
			cond_resched();
	}
	return div64_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), iters);
}

static int bench(unsigned long size, unsigned long iters)
{
	unsigned int order = get_order(size + 2 * PAGE_SIZE);
	struct page *blk = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	struct page *blk2 = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	unsigned long n = 1UL << order, i, k;
	unsigned long *frames = NULL;
	struct page **pages = NULL;
	void *src, *dst;
	ktime_t t0;
	s64 r;
	int ret = -ENOMEM;

	memset(&last, 0, sizeof(last));
	last.size = size;
	last.iters = iters;
	if (!blk || !blk2)
		goto out;
	src = page_address(blk);
	dst = page_address(blk2);
	t0 = ktime_get();
	for (i = 0; i < iters; i++)
		memcpy(dst, src, size);
	last.memcpy_ns = div64_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), iters);

	/* Machine-contiguous: blk2 as allocated (a fresh dom0 block usually is). */
	r = map_loop(dst, size, iters, false);
	last.direct_ok = r >= 0;
	last.direct_ns = r >= 0 ? r : 0;

	/* Straddling: swap frames inside blk so every window crosses a gap. */
	pages = kcalloc(n, sizeof(*pages), GFP_KERNEL);
	frames = kcalloc(n, sizeof(*frames), GFP_KERNEL);
	if (!pages || !frames)
		goto out;
	for (i = 0; i < n; i++) {
		pages[i] = blk + i;
		frames[i] = xb_frame(pages[i]);
	}
	if (xb_is_pv()) {
		ret = xb_p2m_swap(pages[0], pages[n - 1], false);
		if (ret)
			goto out;
	}
	k = xb_bouncelog_set_enabled(true);
	r = map_loop(src + PAGE_SIZE - 1024, size, iters, true);
	last.bounced_ok = r >= 0;
	last.bounced_ns = r >= 0 ? r : 0;
	xb_bouncelog_set_enabled(false);
	r = map_loop(src + PAGE_SIZE - 1024, size, iters, true);
	last.bounced_nolog_ns = r >= 0 ? r : 0;
	xb_bouncelog_set_enabled(k);
	xb_p2m_restore(pages, n, frames);
	ret = last.bounced_ok || last.direct_ok ? 0 : -EOPNOTSUPP;
out:
	kfree(pages);
	kfree(frames);
	if (blk)
		__free_pages(blk, order);
	if (blk2)
		__free_pages(blk2, order);
	last.result = ret;
	return ret;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	char buf[XB_CMD_MAX], *cmd, *it;
	unsigned long size, iters;
	ssize_t err;
	int ret;

	cmd = xb_get_cmd(ubuf, count, ppos, buf, sizeof(buf), &err);
	if (!cmd)
		return err;
	it = strchr(cmd, ' ');
	if (!it)
		return -EINVAL;
	*it++ = '\0';
	if (kstrtoul(cmd, 0, &size) || kstrtoul(strim(it), 0, &iters))
		return -EINVAL;
	if (size == 0 || size > BENCH_MAX_SIZE || iters == 0 || iters > BENCH_MAX_ITER)
		return -ERANGE;
	mutex_lock(&xb_lock);
	ret = bench(size, iters);
	mutex_unlock(&xb_lock);
	return ret ? ret : count;
}

static int bench_show(struct seq_file *m, void *v)
{
	mutex_lock(&xb_lock);
	seq_printf(m, "size: %lu\n", last.size);
	seq_printf(m, "iterations: %lu\n", last.iters);
	seq_printf(m, "memcpy_ns: %llu\n", last.memcpy_ns);
	seq_printf(m, "direct_ns: %llu\n", last.direct_ns);
	seq_printf(m, "direct_ok: %d\n", last.direct_ok);
	seq_printf(m, "bounced_ns: %llu\n", last.bounced_ns);
	seq_printf(m, "bounced_ok: %d\n", last.bounced_ok);
	seq_printf(m, "bounced_nolog_ns: %llu\n", last.bounced_nolog_ns);
	seq_printf(m, "result: %d\n", last.result);
	mutex_unlock(&xb_lock);
	return 0;
}

XB_DEFINE_CMD_FILE(bench);

int xb_bench_init(struct dentry *dir)
{
	debugfs_create_file(XB_FILE_BENCH, 0600, dir, NULL, &bench_fops);
	return 0;
}
