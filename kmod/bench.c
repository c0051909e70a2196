// SPDX-License-Identifier: GPL-2.0
/*
 * Bounce penalty, measured in the kernel like kernel/dma/map_benchmark.c:
 * the cost of dma_map_single() + dma_sync_single_for_cpu() +
 * dma_unmap_single() on a buffer that must bounce (it straddles machine-
 * discontiguous frames under Xen) against one that need not (machine-
 * contiguous), beside a memcpy of the same size, and the bounced loop
 * again without logging its bounces. Write "SIZE ITERATIONS", read figures.
 *
 * The bounce log stays as the user set it: the first bounced loop is
 * logged only if the log is on (log_on), and the second mutes the
 * benchmark's own mapping alone, so no one else's bounce goes unrecorded.
 *
 * Bounded: SIZE * ITERATIONS may not pass XB_BENCH_MAX_BYTES (per loop,
 * four loops), the loops yield every 64 iterations and stop on a fatal
 * signal, and the run holds no lock but its own (one benchmark at a time):
 * it uses only pages it allocates, so other commands go on meanwhile.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "xenbounce.h"

struct bench_result {
	unsigned long size, iters;
	u64 memcpy_ns, direct_ns, bounced_ns, bounced_nolog_ns;
	bool direct_ok, bounced_ok, log_on;
	int result;
};

static struct bench_result last;	/* under xb_lock */
static bool running;			/* under xb_lock */

/* Every 64 iterations: let others run; give up on a fatal signal. */
static int bench_yield(unsigned long i)
{
	if (i & 63)
		return 0;
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

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
		if (bench_yield(i + 1))
			return -EINTR;
	}
	return div64_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), iters);
}

static int bench(struct bench_result *res, unsigned long size, unsigned long iters)
{
	unsigned int order = get_order(size + 2 * PAGE_SIZE);
	struct page *blk = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	struct page *blk2 = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	unsigned long n = 1UL << order, i;
	unsigned long *frames = NULL;
	struct page **pages = NULL;
	void *src, *dst, *va;
	ktime_t t0;
	bool lost = false;
	s64 r;
	int ret = -ENOMEM;

	res->size = size;
	res->iters = iters;
	if (!blk || !blk2)
		goto out;
	src = page_address(blk);
	dst = page_address(blk2);
	t0 = ktime_get();
	for (i = 0; i < iters; i++) {
		memcpy(dst, src, size);
		ret = bench_yield(i + 1);
		if (ret)
			goto out;
	}
	ret = -ENOMEM;
	res->memcpy_ns = div64_u64(ktime_to_ns(ktime_sub(ktime_get(), t0)), iters);

	/* Machine-contiguous: blk2 as allocated (a fresh dom0 block usually is). */
	r = map_loop(dst, size, iters, false);
	res->direct_ok = r >= 0;
	res->direct_ns = r >= 0 ? r : 0;

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
		lost = ret == -EUCLEAN;
		if (ret)
			goto out;
	}
	va = src + PAGE_SIZE - 1024;
	res->log_on = xb_bouncelog_enabled();
	r = map_loop(va, size, iters, true);
	res->bounced_ok = r >= 0;
	res->bounced_ns = r >= 0 ? r : 0;
	/* The bounce log records the original address: mute just that one. */
	xb_bouncelog_mute(xb_dma_dev, xb_direct_bus(xb_dma_dev, va));
	r = map_loop(va, size, iters, true);
	xb_bouncelog_mute(NULL, 0);
	res->bounced_nolog_ns = r >= 0 ? r : 0;
	ret = xb_p2m_restore(pages, n, frames);
	lost = ret == -EUCLEAN;
	if (ret)
		pr_warn("benchmark: could not restore its buffer's machine frames: %d\n", ret);
	ret = res->bounced_ok || res->direct_ok ? 0 : -EOPNOTSUPP;
	if (fatal_signal_pending(current))
		ret = -EINTR;
out:
	kfree(pages);
	kfree(frames);
	if (lost)	/* a page of it may have no memory behind it */
		pr_err("benchmark: a P2M swap could not be undone: %lu pages leaked on purpose\n",
		       n);
	else if (blk)
		__free_pages(blk, order);
	if (blk2)
		__free_pages(blk2, order);
	res->result = ret;
	return ret;
}

/* "SIZE ITERATIONS" */
static int bench_cmd(char *args)
{
	unsigned long size, iters;
	struct bench_result res = { };
	char *w[2];
	int ret;

	if (xb_args_split(args, w, 2) != 2)
		return -EINVAL;
	ret = xb_arg_ul(w[0], 1, XB_BENCH_MAX_SIZE, &size);
	if (!ret)
		ret = xb_arg_ul(w[1], 1, min(XB_BENCH_MAX_BYTES / size, XB_BENCH_MAX_ITER), &iters);
	if (ret)
		return ret;
	mutex_lock(&xb_lock);
	ret = running ? -EBUSY : 0;
	running = true;
	mutex_unlock(&xb_lock);
	if (ret)
		return ret;
	ret = bench(&res, size, iters);
	res.result = ret;
	mutex_lock(&xb_lock);
	last = res;
	running = false;
	mutex_unlock(&xb_lock);
	return ret;
}

static int bench_show(struct seq_file *m)
{
	seq_printf(m, "size: %lu\n", last.size);
	seq_printf(m, "iterations: %lu\n", last.iters);
	seq_printf(m, "memcpy_ns: %llu\n", last.memcpy_ns);
	seq_printf(m, "direct_ns: %llu\n", last.direct_ns);
	seq_printf(m, "direct_ok: %d\n", last.direct_ok);
	seq_printf(m, "bounced_ns: %llu\n", last.bounced_ns);
	seq_printf(m, "bounced_ok: %d\n", last.bounced_ok);
	seq_printf(m, "bounced_nolog_ns: %llu\n", last.bounced_nolog_ns);
	seq_printf(m, "log_on: %d\n", last.log_on);
	seq_printf(m, "result: %d\n", last.result);
	seq_printf(m, "running: %d\n", running);
	return 0;
}

static const struct xb_verb bench_verbs[] = {
	{ NULL, "SIZE ITERATIONS", bench_cmd, .unlocked = true },
	{ }
};

static const struct xb_file bench_files[] = {
	{ XB_FILE_BENCH, 0600, bench_verbs, bench_show },
	{ }
};

const struct xb_capability xb_cap_bench = {
	.name = "bench",
	.files = bench_files,
};
