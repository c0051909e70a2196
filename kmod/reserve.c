// SPDX-License-Identifier: GPL-2.0
/*
 * SWIOTLB reserve: hold bounce slots with real dma_map_single() mappings
 * until a target is met, so the pool a driver sees is small or fragmented.
 *
 * Nothing in swiotlb is exported to modules, so slots are taken the way a
 * driver takes them: by mapping buffers that must bounce. Under Xen PV
 * that is a buffer spanning machine-discontiguous pages (a low DMA mask
 * does not work: xen-swiotlb refuses a bounce buffer the device cannot
 * reach); on bare metal it needs swiotlb=force. The module maps windows of
 * its own 512 KiB buffer, whose machine frames it shuffles first.
 *
 * A mapping of S bytes holds DIV_ROUND_UP(S, 2048) slots (IO_TLB_SHIFT 11,
 * no min_align_mask on our device), at most 128 (IO_TLB_SEGSIZE). swiotlb's
 * counters are not readable from a module (its debugfs files have no
 * read_iter for kernel_read()), so "free=N" fills the pool until a one-slot
 * mapping fails and then gives back exactly N slots; userspace reads
 * io_tlb_used before and after.
 *
 * "check" proves the pool whole without swiotlb's internals: it maps the
 * longest run it can (a binary search up to the largest allowed mapping,
 * min(dma_max_mapping_size, one 128-slot segment)), then fills every free
 * slot and counts what it got, and gives everything back. Userspace
 * compares the count with io_tlb_nslabs - io_tlb_used and with the count
 * at the start of the run: a slot the counters call free that cannot be
 * mapped, or a free run that got shorter, is lost. "leak=N" holds N slots
 * like "slots=N" but, unlike any other reserve, lets "check" run beside
 * it: the known-bad control of that check (userspace releases it).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "xenbounce.h"

#define SLOT_SIZE	2048UL
#define SEG_SLOTS	128UL
#define WIN_ORDER	7	/* 128 pages: room for a 256 KiB window */
#define WIN_PAGES	BIT(WIN_ORDER)

struct held {
	dma_addr_t addr;
	u32 slots;
};

static struct page *win_block;
static struct page *win_pages[WIN_PAGES];
static unsigned long win_frames[WIN_PAGES];
static unsigned long win_straddle;	/* page i with frame(i)+1 != frame(i+1) */
static bool win_lost;			/* a swap could not be undone: never freed */
static struct held *held;
static unsigned long nheld, cap, held_slots;
static bool filled;
static bool leaked;			/* the reserve held is a "leak=" control */
static u64 last_ns;
static char last_cmd[XB_CMD_MAX];

/* The last "check": free slots counted, longest run mapped, its cost. */
static struct {
	int ret;
	unsigned long runs, slots_free, longest_run, max_run, mappings;
	unsigned long full_runs;	/* mappings of max_run slots the fill got */
	u64 ns;
} chk;

static int win_get(void)
{
	unsigned long i;
	int ret;

	if (win_block)
		return 0;
	win_block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, WIN_ORDER);
	if (!win_block)
		return -ENOMEM;
	split_page(win_block, WIN_ORDER);
	for (i = 0; i < WIN_PAGES; i++) {
		win_pages[i] = win_block + i;
		win_frames[i] = xb_frame(win_pages[i]);
	}
	if (xb_is_pv()) {
		ret = xb_p2m_shuffle(win_pages, WIN_PAGES, 0x5eed, false);
		win_lost = ret == -EUCLEAN;
		if (ret)
			return ret;
	}
	/* A page boundary that straddles machine frames, for 1-slot maps. */
	win_straddle = WIN_PAGES;
	for (i = 0; i + 1 < WIN_PAGES / 2; i++) {
		if (!xb_is_pv() || xb_frame(win_pages[i]) + 1 != xb_frame(win_pages[i + 1])) {
			win_straddle = i;
			break;
		}
	}
	return win_straddle == WIN_PAGES ? -EAGAIN : 0;
}

static void win_put(void)
{
	unsigned long i;
	int ret;

	if (!win_block)
		return;
	if (!win_lost) {
		ret = xb_p2m_restore(win_pages, WIN_PAGES, win_frames);
		win_lost = ret == -EUCLEAN;
		if (ret && !win_lost)
			pr_warn("reserve: could not restore the window's machine frames\n");
	}
	if (win_lost)	/* p2m.c could not undo a swap: never free them */
		pr_err("reserve: a P2M swap could not be undone: %lu pages leaked on purpose\n",
		       WIN_PAGES);
	for (i = 0; i < WIN_PAGES && !win_lost; i++)
		__free_page(win_pages[i]);
	win_block = NULL;
	win_lost = false;
}

static void release_all(void)
{
	unsigned long i;

	for (i = 0; i < nheld; i++)
		dma_unmap_single(xb_dma_dev, held[i].addr, held[i].slots * SLOT_SIZE,
				 DMA_TO_DEVICE);
	kvfree(held);
	held = NULL;
	nheld = 0;
	cap = 0;
	held_slots = 0;
	leaked = false;
	win_put();
}

static int push(dma_addr_t addr, u32 slots)
{
	if (nheld == cap) {
		unsigned long ncap = cap ? cap * 2 : 1024;
		struct held *n = kvmalloc_array(ncap, sizeof(*n), GFP_KERNEL);

		if (!n)
			return -ENOMEM;
		if (held)
			memcpy(n, held, nheld * sizeof(*n));
		kvfree(held);
		held = n;
		cap = ncap;
	}
	held[nheld].addr = addr;
	held[nheld].slots = slots;
	nheld++;
	held_slots += slots;
	return 0;
}

/*
 * Map 'slots' slots worth of the window so that it bounces; 0, -ENOSPC when
 * swiotlb has no room, -EOPNOTSUPP when mappings do not bounce here.
 */
static int map_slots(u32 slots)
{
	size_t size = slots * SLOT_SIZE;
	void *va;
	dma_addr_t addr;
	int ret;

	/*
	 * Start 1 KiB before a machine-discontiguous page boundary, so every
	 * size straddles it (a page-aligned 4 KiB mapping would not bounce).
	 * The window has room for 256 KiB after any boundary in its first half.
	 */
	va = page_address(win_pages[win_straddle]) + PAGE_SIZE - SLOT_SIZE / 2;
	addr = dma_map_single_attrs(xb_dma_dev, va, size, DMA_TO_DEVICE, DMA_ATTR_NO_WARN);
	if (dma_mapping_error(xb_dma_dev, addr))
		return -ENOSPC;
	if (addr == xb_direct_bus(xb_dma_dev, va)) {
		dma_unmap_single(xb_dma_dev, addr, size, DMA_TO_DEVICE);
		return -EOPNOTSUPP;
	}
	ret = push(addr, slots);
	if (ret)
		dma_unmap_single(xb_dma_dev, addr, size, DMA_TO_DEVICE);
	return ret;
}

/*
 * Hold exactly n more slots, largest mappings first; with n == ULONG_MAX,
 * hold every free slot (until even a one-slot mapping fails).
 */
static int hold(unsigned long n)
{
	u32 size = SEG_SLOTS;
	int ret;

	while (n) {
		if (size > n) {
			size = rounddown_pow_of_two(n);
			continue;
		}
		ret = map_slots(size);
		if (ret == -ENOSPC && size > 1) {
			size /= 2;	/* no free run that long: go smaller */
			continue;
		}
		if (ret == -ENOSPC && n == ULONG_MAX)
			return 0;	/* full */
		if (ret)
			return ret;
		if (n != ULONG_MAX)
			n -= size;
		if (!(nheld & 1023))
			cond_resched();
	}
	return 0;
}

/*
 * Give back exactly n slots, newest mappings first. A mapping larger than
 * what is left to free is replaced by smaller ones in the room it leaves
 * (the pool is otherwise full, so they land there).
 */
static int unhold(unsigned long n)
{
	while (n && nheld) {
		struct held h = held[--nheld];

		dma_unmap_single(xb_dma_dev, h.addr, h.slots * SLOT_SIZE, DMA_TO_DEVICE);
		held_slots -= h.slots;
		if (h.slots <= n) {
			n -= h.slots;
			continue;
		}
		return hold(h.slots - n);
	}
	return n ? -ERANGE : 0;
}

/*
 * Fill every slot, then give back the first whole segment held but for k
 * slots at its end: the pool's one free run, k slots starting on an even
 * slot, with the slot search's index at its start (the smaller mappings
 * that fill the rest of the segment go there first, largest first, from
 * the segment's start). -ENOSPC when no whole segment was free to begin
 * with.
 */
static int hole(unsigned long k)
{
	struct held h;
	int ret = hold(ULONG_MAX);

	filled = !ret;
	if (ret)
		return ret;
	if (!nheld || held[0].slots != SEG_SLOTS)
		return -ENOSPC;
	h = held[0];
	memmove(held, held + 1, --nheld * sizeof(*held));
	dma_unmap_single(xb_dma_dev, h.addr, h.slots * SLOT_SIZE, DMA_TO_DEVICE);
	held_slots -= h.slots;
	return hold(SEG_SLOTS - k);
}

/* Fill every slot, then free all but every (k+1)th: no free run > k. */
static int fragment(unsigned long k)
{
	unsigned long i, j = 0;
	dma_addr_t lo = DMA_MAPPING_ERROR;
	int ret;

	for (;;) {
		ret = map_slots(1);
		if (ret == -ENOSPC)
			break;
		if (ret)
			return ret;
		if (!(nheld & 1023))
			cond_resched();
	}
	for (i = 0; i < nheld; i++)
		if (lo == DMA_MAPPING_ERROR || held[i].addr < lo)
			lo = held[i].addr;
	for (i = 0; i < nheld; i++) {
		/*
		 * Free runs never cross a 128-slot segment. Under Xen each
		 * segment is machine-contiguous and aligned on its own (it was
		 * exchanged as one extent), but segments are not adjacent: count
		 * within the segment there, across the pool on bare metal.
		 */
		unsigned long slot = xb_is_pv() ? (held[i].addr / SLOT_SIZE) % SEG_SLOTS
						: (held[i].addr - lo) / SLOT_SIZE;

		if (slot % (k + 1) == k) {
			held[j++] = held[i];
			continue;
		}
		dma_unmap_single(xb_dma_dev, held[i].addr, SLOT_SIZE, DMA_TO_DEVICE);
		held_slots--;
	}
	nheld = j;
	return 0;
}

static int reserve_free(unsigned long v)
{
	int ret = hold(ULONG_MAX);

	filled = !ret;
	return ret ? ret : unhold(v);	/* -ERANGE: fewer than v were free */
}

/* Give back the mappings from index 'from' on (newest first). */
static void release_from(unsigned long from)
{
	while (nheld > from) {
		struct held h = held[--nheld];

		dma_unmap_single(xb_dma_dev, h.addr, h.slots * SLOT_SIZE, DMA_TO_DEVICE);
		held_slots -= h.slots;
	}
}

/* The longest run of slots one mapping gets now, up to max: a binary search. */
static int longest_run(unsigned long max, unsigned long *run)
{
	unsigned long lo = 0, hi = max, base = nheld;
	int ret;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo + 1) / 2;

		ret = map_slots(mid);
		if (ret == -ENOSPC) {
			hi = mid - 1;
			continue;
		}
		if (ret)
			return ret;
		release_from(base);
		lo = mid;
	}
	*run = lo;
	return 0;
}

static int reserve_cmd_check(char *args)
{
	unsigned long base = nheld, base_slots = held_slots, runs;
	size_t max = dma_max_mapping_size(xb_dma_dev) / SLOT_SIZE;
	ktime_t t0;
	int ret;

	if (*args)
		return -EINVAL;
	if (nheld && !leaked)
		return -EBUSY;	/* a reserve would be counted as lost */
	t0 = ktime_get();
	runs = chk.runs;
	memset(&chk, 0, sizeof(chk));
	chk.runs = runs + 1;
	chk.max_run = min_t(size_t, max, SEG_SLOTS);
	ret = win_get();
	if (!ret)
		ret = longest_run(chk.max_run, &chk.longest_run);
	if (!ret)
		ret = hold(ULONG_MAX);
	chk.slots_free = held_slots - base_slots;
	chk.mappings = nheld - base;
	/*
	 * hold() maps the largest size first until none fits: its one-segment
	 * mappings are the free runs a maximal mapping can still take. A free
	 * run cut in two (slots freed but not merged) is whole by the count of
	 * slots, but no longer one run.
	 */
	if (chk.max_run == SEG_SLOTS)
		for (unsigned long i = base; i < nheld; i++)
			chk.full_runs += held[i].slots == SEG_SLOTS;
	if (base)
		release_from(base);
	else
		release_all();
	chk.ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	chk.ret = ret;
	pr_info("reserve check: %lu free slots mapped in %lu mappings, longest run %lu of %lu, %llu ns%s\n",
		chk.slots_free, chk.mappings, chk.longest_run, chk.max_run, chk.ns,
		ret ? " (failed)" : "");
	return ret;
}

/*
 * Run one reserve command: nothing may be held yet (one reserve at a time:
 * release first); on failure everything taken is given back.
 */
static int reserve_run(const char *verb, unsigned long v, int (*op)(unsigned long))
{
	ktime_t t0;
	int ret;

	if (nheld)
		return -EBUSY;
	t0 = ktime_get();
	filled = false;
	ret = win_get();
	if (!ret)
		ret = op(v);
	if (ret) {
		release_all();
		return ret;
	}
	last_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	snprintf(last_cmd, sizeof(last_cmd), "%s%lu", verb, v);
	pr_info("reserve %s: holding %lu slots in %lu mappings\n", last_cmd, held_slots, nheld);
	return 0;
}

static int reserve_cmd_free(char *args)
{
	unsigned long v;
	int ret = xb_arg_ul(args, 0, XB_RESERVE_MAX_SLOTS, &v);

	return ret ? ret : reserve_run("free=", v, reserve_free);
}

/* Like slots=N, for the check's known-bad control: "check" runs beside it. */
static int reserve_cmd_leak(char *args)
{
	unsigned long v;
	int ret = xb_arg_ul(args, 1, XB_RESERVE_MAX_LEAK, &v);

	if (ret)
		return ret;
	ret = reserve_run("leak=", v, hold);
	leaked = !ret;
	if (leaked)
		pr_warn("reserve: holding %lu slots as a deliberate leak\n", held_slots);
	return ret;
}

static int reserve_cmd_slots(char *args)
{
	unsigned long v;
	int ret = xb_arg_ul(args, 1, XB_RESERVE_MAX_SLOTS, &v);

	return ret ? ret : reserve_run("slots=", v, hold);
}

/* No free run can be longer than a segment: K >= 128 would hold nothing. */
static int reserve_cmd_hole(char *args)
{
	unsigned long v;
	int ret = xb_arg_ul(args, 1, SEG_SLOTS - 1, &v);

	return ret ? ret : reserve_run("hole=", v, hole);
}

static int reserve_cmd_fragment(char *args)
{
	unsigned long v;
	int ret = xb_arg_ul(args, 1, XB_RESERVE_MAX_FRAGMENT, &v);

	return ret ? ret : reserve_run("fragment=", v, fragment);
}

static int reserve_cmd_release(char *args)
{
	if (*args)
		return -EINVAL;
	release_all();
	return 0;
}

static int reserve_show(struct seq_file *m)
{
	seq_printf(m, "command: %s\n", nheld ? last_cmd : "none");
	seq_printf(m, "held_slots: %lu\n", held_slots);
	seq_printf(m, "mappings: %lu\n", nheld);
	seq_printf(m, "filled_pool: %d\n", filled);
	seq_printf(m, "time_ns: %llu\n", last_ns);
	seq_printf(m, "check_runs: %lu\n", chk.runs);
	seq_printf(m, "check_result: %d\n", chk.ret);
	seq_printf(m, "check_slots_free: %lu\n", chk.slots_free);
	seq_printf(m, "check_longest_run_slots: %lu\n", chk.longest_run);
	seq_printf(m, "check_max_run_slots: %lu\n", chk.max_run);
	seq_printf(m, "check_full_runs: %lu\n", chk.full_runs);
	seq_printf(m, "check_mappings: %lu\n", chk.mappings);
	seq_printf(m, "check_time_ns: %llu\n", chk.ns);
	return 0;
}

static void reserve_status(struct seq_file *m)
{
	seq_printf(m, "reserve_slots_held: %lu\n", held_slots);
	seq_printf(m, "reserve_mappings: %lu\n", nheld);
	seq_printf(m, "reserve_leaked_slots: %lu\n", leaked ? held_slots : 0);
}

static void reserve_exit(void)
{
	mutex_lock(&xb_lock);
	release_all();
	mutex_unlock(&xb_lock);
}

static const struct xb_verb reserve_verbs[] = {
	{ "free=", "N", reserve_cmd_free },
	{ "slots=", "N", reserve_cmd_slots },
	{ "fragment=", "K", reserve_cmd_fragment },
	{ "hole=", "K", reserve_cmd_hole },
	{ "leak=", "N", reserve_cmd_leak },
	{ XB_RESERVE_CHECK, "", reserve_cmd_check },
	{ "release", "", reserve_cmd_release },
	{ }
};

static const struct xb_file reserve_files[] = {
	{ XB_FILE_RESERVE, 0600, reserve_verbs, reserve_show },
	{ }
};

const struct xb_capability xb_cap_reserve = {
	.name = "reserve",
	.exit = reserve_exit,
	.status = reserve_status,
	.files = reserve_files,
};
