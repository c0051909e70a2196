// SPDX-License-Identifier: GPL-2.0
/*
 * Free-memory scramble: take N MiB of free memory, permute its machine
 * frames, and give it back to the page allocator. Every later allocation
 * (TTM's included) then gets machine-discontiguous pages, as on a dom0 that
 * has been up for weeks. The pages are only ever the module's while it
 * holds them; the P2M stays consistent, so nothing needs undoing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "xenbounce.h"

static unsigned long last_pages, last_mib, last_pairs, last_discontig, last_blocks, last_floor;
static u64 last_ns, last_seed;
static int last_result;

static int cmp_pfn(const void *a, const void *b)
{
	unsigned long pa = page_to_pfn(*(struct page * const *)a);
	unsigned long pb = page_to_pfn(*(struct page * const *)b);

	return pa < pb ? -1 : pa > pb;
}

/* Contiguous-PFN pairs among the pages, and how many are MFN-discontiguous. */
static void count_pairs(struct page **pages, unsigned long n)
{
	unsigned long i;

	sort(pages, n, sizeof(*pages), cmp_pfn, NULL);
	last_pairs = 0;
	last_discontig = 0;
	for (i = 0; i + 1 < n; i++) {
		if (page_to_pfn(pages[i]) + 1 != page_to_pfn(pages[i + 1]))
			continue;
		last_pairs++;
		if (xb_frame(pages[i]) + 1 != xb_frame(pages[i + 1]))
			last_discontig++;
	}
}

/*
 * Break every free 2 MiB block: take free memory in 2 MiB blocks down to a
 * floor, swap the machine frames of two pages in each (one discontiguity
 * per block is enough to make a block-sized mapping bounce), give it back.
 * One swap per block, so it covers all free memory cheaply.
 *
 * The floor (XB_SCRAMBLE_FLOOR_MIB, or 1/8 of RAM when that is more) is
 * what the rest of the system keeps while the blocks are held: well above
 * the min watermarks, so other allocations (atomic ones included) and
 * reclaim keep working. The blocks are held for a fraction of a second.
 */
#define BLOCK_ORDER	9

static unsigned long floor_pages(void)
{
	unsigned long floor = (unsigned long)XB_SCRAMBLE_FLOOR_MIB << (20 - PAGE_SHIFT);

	return max(floor, totalram_pages() / 8);
}

static int break_blocks(u64 seed)
{
	unsigned long max, n = 0, i, floor = floor_pages();
	struct page **blocks;
	ktime_t t0 = ktime_get();
	int ret = 0;

	last_floor = floor;
	max = si_mem_available() >> BLOCK_ORDER;
	blocks = kvmalloc_array(max + 1, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;
	while (n < max && si_mem_available() > floor + (1UL << BLOCK_ORDER)) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY |
					     __GFP_NOMEMALLOC, BLOCK_ORDER);

		if (!p)
			break;
		blocks[n++] = p;
		cond_resched();
	}
	for (i = 0; i < n && !ret; i++) {
		unsigned long k = 1 + (seed + i) % ((1UL << BLOCK_ORDER) - 1);

		ret = xb_p2m_swap(blocks[i], blocks[i] + k, false);
	}
	for (i = 0; i < n; i++)
		__free_pages(blocks[i], BLOCK_ORDER);
	kvfree(blocks);
	last_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	last_blocks = n;
	if (!ret)
		pr_info("free memory: %lu free 2 MiB blocks made machine-discontiguous in %llu ms\n",
			n, last_ns / NSEC_PER_MSEC);
	return ret;
}

static int scramble(unsigned long mib, u64 seed)
{
	unsigned long want = mib << (20 - PAGE_SHIFT), n = 0, i;
	struct page **pages;
	ktime_t t0 = ktime_get();
	int ret;

	if (want > si_mem_available() / 2)
		return -ENOMEM;
	pages = kvmalloc_array(want, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	/* 2 MiB blocks first, so later 2 MiB allocations find them. */
	while (n < want) {
		unsigned int order = want - n >= 512 ? 9 : 0;
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, order);

		if (!p && order) {
			order = 0;
			p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0);
		}
		if (!p)
			break;
		if (order)
			split_page(p, order);
		for (i = 0; i < (1UL << order); i++)
			pages[n++] = p + i;
		cond_resched();
	}
	ret = n < 2 ? -ENOMEM : xb_p2m_shuffle(pages, n, seed, false);
	if (!ret)
		count_pairs(pages, n);
	for (i = 0; i < n; i++)
		__free_page(pages[i]);
	kvfree(pages);
	last_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	last_pages = n;
	last_mib = mib;
	last_seed = seed;
	if (!ret)
		pr_info("free memory: %lu pages scrambled in %llu ms, %lu of %lu adjacent pairs now machine-discontiguous\n",
			n, last_ns / NSEC_PER_MSEC, last_discontig, last_pairs);
	return ret;
}

static int scramble_cmd_blocks(char *args)
{
	u64 seed;
	int ret = xb_arg_u64(args, &seed);

	if (ret)
		return ret;
	if (!xb_is_pv())
		return -EOPNOTSUPP;
	ret = break_blocks(seed);
	last_result = ret;
	return ret;
}

/* "MIB [SEED]" */
static int scramble_cmd_mib(char *args)
{
	unsigned long mib;
	char *w[2];
	u64 seed = 0;
	int n, ret;

	n = xb_args_split(args, w, 2);
	if (n < 1)
		return -EINVAL;
	ret = xb_arg_ul(w[0], 1, XB_SCRAMBLE_MAX_MIB, &mib);
	if (!ret && n == 2)
		ret = xb_arg_u64(w[1], &seed);
	if (ret)
		return ret;
	if (!xb_is_pv())
		return -EOPNOTSUPP;
	ret = scramble(mib, seed);
	last_result = ret;
	return ret;
}

static int scramble_show(struct seq_file *m)
{
	seq_printf(m, "mib: %lu\n", last_mib);
	seq_printf(m, "seed: %llu\n", last_seed);
	seq_printf(m, "pages: %lu\n", last_pages);
	seq_printf(m, "adjacent_pairs: %lu\n", last_pairs);
	seq_printf(m, "discontiguous_pairs: %lu\n", last_discontig);
	seq_printf(m, "blocks: %lu\n", last_blocks);
	seq_printf(m, "floor_kib: %lu\n", last_floor << (PAGE_SHIFT - 10));
	seq_printf(m, "time_ns: %llu\n", last_ns);
	seq_printf(m, "result: %d\n", last_result);
	return 0;
}

static void scramble_status(struct seq_file *m)
{
	seq_printf(m, "scramble_pages: %lu\n", last_pages);
}

static const struct xb_verb scramble_verbs[] = {
	{ "blocks", "SEED", scramble_cmd_blocks },
	{ NULL, "MIB [SEED]", scramble_cmd_mib },
	{ }
};

static const struct xb_file scramble_files[] = {
	{ XB_FILE_SCRAMBLE, 0600, scramble_verbs, scramble_show },
	{ }
};

const struct xb_capability xb_cap_scramble = {
	.name = "scramble",
	.status = scramble_status,
	.files = scramble_files,
};
