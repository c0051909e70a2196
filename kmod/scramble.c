// SPDX-License-Identifier: GPL-2.0
/*
 * Free-memory scramble: take N MiB of free memory, permute its machine
 * frames, and give it back to the page allocator. Every later allocation
 * (TTM's included) then gets machine-discontiguous pages, as on a dom0 that
 * has been up for weeks. The pages are only ever the module's while it
 * holds them; the P2M stays consistent, so nothing needs undoing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
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
static const char *last_mode = "none";
static unsigned long last_probe_frame, last_probe_contig, last_probe_misaligned, last_probe_pfn;
static unsigned long last_aligned_before, last_contig_before, last_misaligned;
static unsigned long last_split, last_probe_split;

/* A new run: its mode, and nothing left over from the last one's probe. */
static void begin_run(const char *mode)
{
	last_mode = mode;
	last_probe_frame = 0;
	last_probe_contig = 0;
	last_probe_misaligned = 0;
	last_probe_pfn = 0;
	last_aligned_before = 0;
	last_contig_before = 0;
	last_misaligned = 0;
	last_split = 0;
	last_probe_split = 0;
}

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
 * Take free memory in blocks of 2^order pages down to a floor, change each
 * block's machine frames with fn, give them all back. Every later
 * allocation of that order or smaller that splits a free block gets one
 * of them: they are what the free lists hold at their heads.
 *
 * The floor (XB_SCRAMBLE_FLOOR_MIB, or 1/8 of RAM when that is more) is
 * what the rest of the system keeps while the blocks are held: well above
 * the min watermarks, so other allocations (atomic ones included) and
 * reclaim keep working. The blocks are held for at most a few seconds.
 */
static unsigned long floor_pages(void)
{
	unsigned long floor = (unsigned long)XB_SCRAMBLE_FLOOR_MIB << (20 - PAGE_SHIFT);

	return max(floor, totalram_pages() / 8);
}

typedef int (*block_fn)(struct page *block, unsigned long i, u64 seed);

#define BREAK_ORDER	9	/* 2 MiB: a TTM-sized block */

/*
 * Broken blocks kept until "release_blocks" ("blocks SEED hold"): freed
 * just before a workload, they are the newest free 2 MiB blocks, so the
 * next such allocation gets one of them even on kernels whose per-CPU
 * lists hand back other, untouched blocks meanwhile (6.7 and later).
 */
/* Blocks of one order kept from the allocator until released. */
struct held_blocks {
	struct page **pages;	/* kvmalloc'ed */
	unsigned long n;
};

/* In reverse: the first block taken is the last freed, on top. */
static void held_release(struct held_blocks *h, unsigned int order)
{
	while (h->n)
		__free_pages(h->pages[--h->n], order);
	kvfree(h->pages);
	h->pages = NULL;
}

static struct held_blocks brk_held;

/* Clean (machine-contiguous) blocks the allocator offered first, held. */
static struct held_blocks brk_clean;
static unsigned long last_clean;
#define BREAK_MAX_CLEAN	64	/* 128 MiB at most */

/*
 * After the broken blocks went back, the allocator may still hand out a
 * clean block first: one a per-CPU list kept from before the scramble
 * (6.7 and later keep more, and longer). Take those (GFP_KERNEL, as a
 * driver's 2 MiB allocation does) and hold them until "release", until it
 * hands out a broken one, which goes straight back: the next 2 MiB
 * allocation on this CPU gets it. Holding them is part of the fault: a
 * machine whose free memory is all machine-discontiguous.
 */
static void clean_probe(void)
{
	held_release(&brk_clean, BREAK_ORDER);
	brk_clean.pages = kvcalloc(BREAK_MAX_CLEAN, sizeof(*brk_clean.pages), GFP_KERNEL);
	if (!brk_clean.pages)
		return;
	while (brk_clean.n < BREAK_MAX_CLEAN) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
					     BREAK_ORDER);

		if (!p)
			break;
		if (!xb_block_contiguous(p, BREAK_ORDER)) {
			__free_pages(p, BREAK_ORDER);
			break;
		}
		brk_clean.pages[brk_clean.n++] = p;
	}
	last_clean = brk_clean.n;
}

static int on_free_blocks(unsigned int order, block_fn fn, u64 seed, bool hold)
{
	unsigned long max, n = 0, i, floor = floor_pages();
	struct page **blocks;
	ktime_t t0 = ktime_get();
	int ret = 0;

	last_floor = floor;
	last_seed = seed;
	max = si_mem_available() >> order;
	blocks = kvmalloc_array(max + 1, sizeof(*blocks), GFP_KERNEL);
	if (!blocks)
		return -ENOMEM;
	while (n < max && si_mem_available() > floor + (1UL << order)) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY |
					     __GFP_NOMEMALLOC, order);

		if (!p)
			break;
		blocks[n++] = p;
		cond_resched();
	}
	for (i = 0; i < n && !ret; i++) {
		ret = fn(blocks[i], i, seed);
		cond_resched();
	}
	if (ret == -EUCLEAN) {	/* p2m.c could not undo it: never free that block */
		pr_err("free memory: a P2M swap in a block could not be undone: %lu pages leaked on purpose\n",
		       1UL << order);
		blocks[i - 1] = NULL;
	}
	if (hold && !ret) {
		brk_held.pages = blocks;
		brk_held.n = n;
	} else {
		for (i = 0; i < n; i++)
			if (blocks[i])
				__free_pages(blocks[i], order);
		kvfree(blocks);
	}
	last_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	last_blocks = n;
	return ret;
}

/*
 * Break every free 2 MiB block: swap the machine frames of two pages in
 * each (one discontiguity per block is enough to make a block-sized
 * mapping bounce). One swap per block, so it covers all free memory
 * cheaply.
 */

static int break_one(struct page *block, unsigned long i, u64 seed)
{
	unsigned long k = 1 + (seed + i) % ((1UL << BREAK_ORDER) - 1);

	return xb_p2m_swap(block, block + k, false);
}

static int break_blocks_hold(u64 seed, bool hold)
{
	int ret;

	held_release(&brk_held, BREAK_ORDER);
	ret = on_free_blocks(BREAK_ORDER, break_one, seed, hold);

	if (!ret)
		pr_info("free memory: %lu free 2 MiB blocks made machine-discontiguous in %llu ms%s\n",
			last_blocks, last_ns / NSEC_PER_MSEC, hold ? ", held" : "");
	return ret;
}

/*
 * Misalign every free 4 MiB block: give its lower 2 MiB, which an
 * allocation of order 9 or less splitting the block gets first (the buddy
 * allocator hands out the lower half), 512 machine-contiguous frames that
 * start on an odd one: aligned to no order above 0. The frames are the
 * block's own, rearranged with swaps (the first run of 512 consecutive
 * ones among them that starts odd; the other pages keep theirs where they
 * can). On a fresh, aligned P2M that is a rotation of pages 0..512 by one
 * (page i gets page i + 1's frame). The lab's dom0 has most of its memory
 * at an odd offset from alignment (PFN 0x8c00 at frame 0x401fd): those
 * blocks already are so and need no swap, only the aligned ones (4 of 176)
 * do; after "blocks" it undoes the block's swap.
 * A block whose frames hold no such run (after "MIB") is left as it is.
 * That is the buffer xen_swiotlb_alloc_coherent() must exchange with Xen
 * for an aligned one since 9f40ec84a797; before, it handed it out as is,
 * its DMA address not aligned to its order.
 *
 * That block must be what the next allocation gets, but the buddy
 * allocator serves the smallest free block that fits first: free blocks of
 * orders XB_MISALIGN_PROBE_ORDER to 9 that were never rearranged come
 * before it. So the probe drains them: it allocates blocks of
 * XB_MISALIGN_PROBE_ORDER, as the coherent allocator does (GFP_KERNEL),
 * and holds every one that is not machine-contiguous, misaligned and in
 * the lower half of a rearranged block until "release" (at most
 * XB_MISALIGN_MAX_HELD_MIB, never below the floor); the first one that is
 * proves the precondition and is freed at once, merging back into its
 * block, which is then the first free block of every order from
 * XB_MISALIGN_PROBE_ORDER to 9.
 */
#define MISALIGN_ORDER	10
#define MISALIGN_HALF	512UL

/* The blocks a probe was served first, held; their order. */
static struct held_blocks probe_held;
static unsigned int probe_order = XB_MISALIGN_PROBE_ORDER;

static unsigned long held_kib(void)
{
	return probe_held.n << (PAGE_SHIFT + probe_order - 10);
}

/*
 * Allocate blocks of 2^order pages as a driver does (GFP_KERNEL) and hold
 * every one that ok() rejects, until release (at most
 * XB_MISALIGN_MAX_HELD_MIB, never below the floor). The first one ok()
 * accepts goes straight back: the next allocation of that order gets it.
 * True when one did.
 */
static bool probe_blocks(unsigned int order, bool (*ok)(struct page *p, unsigned int order))
{
	unsigned long floor = floor_pages();
	unsigned long max = ((unsigned long)XB_MISALIGN_MAX_HELD_MIB << 20) >> (PAGE_SHIFT + order);

	held_release(&probe_held, probe_order);
	probe_order = order;
	probe_held.pages = kvmalloc_array(max, sizeof(*probe_held.pages), GFP_KERNEL);
	if (!probe_held.pages)
		return false;
	while (probe_held.n < max && si_mem_available() > floor + (1UL << order)) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY |
					     __GFP_NOMEMALLOC, order);

		if (!p)
			break;
		last_probe_frame = xb_frame(p);
		last_probe_pfn = page_to_pfn(p);
		last_probe_contig = xb_block_contiguous(p, order);
		if (ok(p, order)) {
			__free_pages(p, order);
			return true;
		}
		probe_held.pages[probe_held.n++] = p;
		cond_resched();
	}
	return false;
}

/* One block's pages and frames; the blocks rearranged, by PFN. */
static struct page **mis_pages;
static unsigned long *mis_frames, *mis_targets, *mis_done, mis_ndone, mis_max;

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static int misalign_one(struct page *block, unsigned long i, u64 seed)
{
	unsigned long n = 1UL << MISALIGN_ORDER, t, j, *f = mis_frames;
	int ret;

	/* How many were contiguous before, and how many of those aligned. */
	if (xb_block_contiguous(block, MISALIGN_ORDER)) {
		last_contig_before++;
		if (IS_ALIGNED(xb_frame(block), 1UL << MISALIGN_ORDER))
			last_aligned_before++;
	}
	for (j = 0; j < n; j++) {
		mis_pages[j] = block + j;
		f[j] = xb_frame(block + j);
	}
	sort(f, n, sizeof(*f), cmp_ulong, NULL);
	/* The first run of 512 consecutive frames that starts on an odd one. */
	for (t = 0; t + MISALIGN_HALF <= n; t++)
		if ((f[t] & 1) && f[t + MISALIGN_HALF - 1] == f[t] + MISALIGN_HALF - 1)
			break;
	if (t + MISALIGN_HALF > n)
		return 0;
	/* Pages 0..511 get the run, 512.. the frames before it, then after. */
	memcpy(mis_targets, f + t, MISALIGN_HALF * sizeof(*f));
	memcpy(mis_targets + MISALIGN_HALF, f, t * sizeof(*f));
	memcpy(mis_targets + MISALIGN_HALF + t, f + t + MISALIGN_HALF,
	       (n - t - MISALIGN_HALF) * sizeof(*f));
	ret = xb_p2m_restore(mis_pages, n, mis_targets);
	if (!ret && xb_block_contiguous(block, MISALIGN_ORDER - 1) && (xb_frame(block) & 1)) {
		last_misaligned++;
		if (mis_ndone < mis_max)
			mis_done[mis_ndone++] = page_to_pfn(block);
	}
	return ret;
}

/* Is p in the lower half of a block misalign_one() rearranged? */
static bool rearranged(struct page *p)
{
	unsigned long pfn = page_to_pfn(p), base = round_down(pfn, 1UL << MISALIGN_ORDER);

	return pfn - base < MISALIGN_HALF &&
	       bsearch(&base, mis_done, mis_ndone, sizeof(base), cmp_ulong);
}

static bool misalign_ok(struct page *p, unsigned int order)
{
	return xb_block_contiguous(p, order) && !IS_ALIGNED(xb_frame(p), 1UL << order) &&
	       rearranged(p);
}

static void misalign_free_scratch(void)
{
	kvfree(mis_pages);
	kvfree(mis_frames);
	kvfree(mis_targets);
	kvfree(mis_done);
	mis_pages = NULL;
	mis_frames = NULL;
	mis_targets = NULL;
	mis_done = NULL;
}

static int misalign_blocks(u64 seed)
{
	unsigned long n = 1UL << MISALIGN_ORDER;
	int ret = -ENOMEM;

	held_release(&probe_held, probe_order);
	mis_ndone = 0;
	mis_max = (si_mem_available() >> MISALIGN_ORDER) + 1;
	mis_pages = kvmalloc_array(n, sizeof(*mis_pages), GFP_KERNEL);
	mis_frames = kvmalloc_array(n, sizeof(*mis_frames), GFP_KERNEL);
	mis_targets = kvmalloc_array(n, sizeof(*mis_targets), GFP_KERNEL);
	mis_done = kvmalloc_array(mis_max, sizeof(*mis_done), GFP_KERNEL);
	if (!mis_pages || !mis_frames || !mis_targets || !mis_done)
		goto out;
	ret = on_free_blocks(MISALIGN_ORDER, misalign_one, seed, false);
	if (ret)
		goto out;
	sort(mis_done, mis_ndone, sizeof(*mis_done), cmp_ulong, NULL);
	last_probe_misaligned = probe_blocks(XB_MISALIGN_PROBE_ORDER, misalign_ok);
	pr_info("free memory: %lu free 4 MiB blocks (%lu contiguous, %lu of them aligned) rearranged in %llu ms, %lu now misaligned; probe: %lu other %lu KiB blocks held, then pfn 0x%lx at frame 0x%lx, %scontiguous, %saligned\n",
		last_blocks, last_contig_before, last_aligned_before, last_ns / NSEC_PER_MSEC,
		last_misaligned, probe_held.n,
		(PAGE_SIZE << XB_MISALIGN_PROBE_ORDER) >> 10, last_probe_pfn, last_probe_frame,
		last_probe_contig ? "" : "not ", last_probe_misaligned ? "not " : "");
out:
	misalign_free_scratch();
	return ret;
}

/*
 * Split every free 4 MiB block: its lower 2 MiB machine-contiguous, the
 * machine frames of its upper 2 MiB permuted, so a 4 MiB buffer's first
 * discontiguity lies past 2 MiB. A straddle check that stops after one
 * batch of frames calls such a buffer contiguous and hands it to the
 * device unbounced. A block whose lower half is contiguous keeps it and
 * only the upper half is permuted; any other block (an earlier scramble
 * broke it) gets a run of 512 consecutive frames among its own for its
 * lower half, if it has one, and the rest permuted above it. That is half
 * to all of free memory rearranged page by page: per test only batched
 * (xb_p2m_permute), not at a few thousand pages a second. Then the probe
 * makes sure the next 4 MiB allocation gets such a block.
 */
#define SPLIT_IDX_BITS	(XB_SPLIT_ORDER + 1)

static bool split_ok(struct page *p, unsigned int order)
{
	return xb_block_contiguous(p, order - 1) && !xb_block_contiguous(p, order);
}

static int split_one(struct page *block, unsigned long i, u64 seed)
{
	unsigned long n = 1UL << XB_SPLIT_ORDER, mask = (1UL << SPLIT_IDX_BITS) - 1;
	unsigned long *key = mis_frames, *perm = mis_targets, t, j, k;
	int ret;

	for (j = 0; j < n; j++)
		mis_pages[j] = block + j;
	if (xb_block_contiguous(block, XB_SPLIT_ORDER - 1)) {
		/* The lower half stays: shuffle the upper one alone. */
		ret = xb_p2m_shuffle(mis_pages + MISALIGN_HALF, MISALIGN_HALF, seed + i, false);
		k = MISALIGN_HALF;
	} else {
		/* Frames sorted, each with its page: the first run of 512. */
		for (j = 0; j < n; j++)
			key[j] = xb_frame(block + j) << SPLIT_IDX_BITS | j;
		sort(key, n, sizeof(*key), cmp_ulong, NULL);
		for (t = 0; t + MISALIGN_HALF <= n; t++)
			if ((key[t + MISALIGN_HALF - 1] >> SPLIT_IDX_BITS) ==
			    (key[t] >> SPLIT_IDX_BITS) + MISALIGN_HALF - 1)
				break;
		if (t + MISALIGN_HALF > n)
			return 0;	/* no run to give the lower half */
		for (j = 0; j < MISALIGN_HALF; j++)
			perm[j] = key[t + j] & mask;
		for (j = 0, k = MISALIGN_HALF; j < n; j++)
			if (j < t || j >= t + MISALIGN_HALF)
				perm[k++] = key[j] & mask;
		xb_shuffle_ulongs(perm + MISALIGN_HALF, n - MISALIGN_HALF, seed + i);
		ret = xb_p2m_permute(mis_pages, n, perm);
		k = n;
	}
	if (ret)
		return ret;
	last_pages += k;
	if (split_ok(block, XB_SPLIT_ORDER))
		last_split++;
	return 0;
}

static int split_blocks(u64 seed)
{
	unsigned long n = 1UL << XB_SPLIT_ORDER;
	int ret = -ENOMEM;

	held_release(&probe_held, probe_order);
	last_pages = 0;
	mis_pages = kvmalloc_array(n, sizeof(*mis_pages), GFP_KERNEL);
	mis_frames = kvmalloc_array(n, sizeof(*mis_frames), GFP_KERNEL);
	mis_targets = kvmalloc_array(n, sizeof(*mis_targets), GFP_KERNEL);
	if (!mis_pages || !mis_frames || !mis_targets)
		goto out;
	ret = on_free_blocks(XB_SPLIT_ORDER, split_one, seed, false);
	if (ret)
		goto out;
	last_probe_split = probe_blocks(XB_SPLIT_ORDER, split_ok);
	pr_info("free memory: %lu free 4 MiB blocks, %lu split (lower 2 MiB contiguous, upper permuted; %lu pages rearranged) in %llu ms; probe: %lu other blocks held, then pfn 0x%lx at frame 0x%lx, %ssplit\n",
		last_blocks, last_split, last_pages, last_ns / NSEC_PER_MSEC, probe_held.n,
		last_probe_pfn, last_probe_frame, last_probe_split ? "" : "not ");
out:
	misalign_free_scratch();
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
	if (ret == -EUCLEAN)	/* which pair failed is not known: keep them all */
		pr_err("free memory: a P2M swap could not be undone: %lu pages leaked on purpose\n",
		       n);
	for (i = 0; i < n && ret != -EUCLEAN; i++)
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

static int scramble_seeded(char *args, const char *mode, int (*fn)(u64 seed))
{
	u64 seed;
	int ret = xb_arg_u64(args, &seed);

	if (ret)
		return ret;
	if (!xb_is_pv())
		return -EOPNOTSUPP;
	begin_run(mode);
	ret = fn(seed);
	last_result = ret;
	return ret;
}

/* "blocks SEED [hold]" */
static int scramble_cmd_blocks(char *args)
{
	bool hold = false;
	char *w[2];
	u64 seed;
	int n = xb_args_split(args, w, 2), ret;

	if (n < 1 || (n == 2 && strcmp(w[1], "hold")))
		return -EINVAL;
	hold = n == 2;
	ret = xb_arg_u64(w[0], &seed);
	if (ret)
		return ret;
	if (!xb_is_pv())
		return -EOPNOTSUPP;
	begin_run("blocks");
	ret = break_blocks_hold(seed, hold);
	last_result = ret;
	return ret;
}

static int scramble_cmd_release_blocks(char *args)
{
	if (*args)
		return -EINVAL;
	held_release(&brk_held, BREAK_ORDER);
	clean_probe();
	return 0;
}

static int scramble_cmd_misalign(char *args)
{
	return scramble_seeded(args, "misalign", misalign_blocks);
}

static int scramble_cmd_split(char *args)
{
	return scramble_seeded(args, "split", split_blocks);
}

/* Every held block back: the probe's, the broken ones, the clean ones. */
static void release_all(void)
{
	held_release(&probe_held, probe_order);
	held_release(&brk_held, BREAK_ORDER);
	held_release(&brk_clean, BREAK_ORDER);
}

static int scramble_cmd_release(char *args)
{
	if (*args)
		return -EINVAL;
	release_all();
	return 0;
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
	begin_run("mib");
	ret = scramble(mib, seed);
	last_result = ret;
	return ret;
}

static int scramble_show(struct seq_file *m)
{
	seq_printf(m, "mode: %s\n", last_mode);
	seq_printf(m, "mib: %lu\n", last_mib);
	seq_printf(m, "seed: %llu\n", last_seed);
	seq_printf(m, "pages: %lu\n", last_pages);
	seq_printf(m, "adjacent_pairs: %lu\n", last_pairs);
	seq_printf(m, "discontiguous_pairs: %lu\n", last_discontig);
	seq_printf(m, "blocks: %lu\n", last_blocks);
	seq_printf(m, "probe_order: %u\n", probe_order);
	seq_printf(m, "contiguous_before: %lu\n", last_contig_before);
	seq_printf(m, "aligned_before: %lu\n", last_aligned_before);
	seq_printf(m, "misaligned: %lu\n", last_misaligned);
	seq_printf(m, "split: %lu\n", last_split);
	seq_printf(m, "probe_pfn: 0x%lx\n", last_probe_pfn);
	seq_printf(m, "probe_frame: 0x%lx\n", last_probe_frame);
	seq_printf(m, "probe_contiguous: %lu\n", last_probe_contig);
	seq_printf(m, "probe_misaligned: %lu\n", last_probe_misaligned);
	seq_printf(m, "probe_split: %lu\n", last_probe_split);
	seq_printf(m, "held_blocks: %lu\n", probe_held.n);
	seq_printf(m, "held_broken_blocks: %lu\n", brk_held.n);
	seq_printf(m, "held_clean_blocks: %lu\n", brk_clean.n);
	seq_printf(m, "clean_blocks_taken: %lu\n", last_clean);
	seq_printf(m, "held_kib: %lu\n", held_kib());
	seq_printf(m, "floor_kib: %lu\n", last_floor << (PAGE_SHIFT - 10));
	seq_printf(m, "time_ns: %llu\n", last_ns);
	seq_printf(m, "result: %d\n", last_result);
	return 0;
}

static void scramble_status(struct seq_file *m)
{
	seq_printf(m, "scramble_pages: %lu\n", last_pages);
	seq_printf(m, "scramble_held_kib: %lu\n", held_kib());
}

static const struct xb_verb scramble_verbs[] = {
	{ "blocks", "SEED [hold]", scramble_cmd_blocks },
	{ "release_blocks", "", scramble_cmd_release_blocks },
	{ XB_SCRAMBLE_MISALIGN, "SEED", scramble_cmd_misalign },
	{ XB_SCRAMBLE_SPLIT, "SEED", scramble_cmd_split },
	{ "release", "", scramble_cmd_release },
	{ NULL, "MIB [SEED]", scramble_cmd_mib },
	{ }
};

static const struct xb_file scramble_files[] = {
	{ XB_FILE_SCRAMBLE, 0600, scramble_verbs, scramble_show },
	{ }
};

static void scramble_exit(void)
{
	mutex_lock(&xb_lock);
	release_all();
	mutex_unlock(&xb_lock);
}

const struct xb_capability xb_cap_scramble = {
	.name = "scramble",
	.exit = scramble_exit,
	.status = scramble_status,
	.files = scramble_files,
};
