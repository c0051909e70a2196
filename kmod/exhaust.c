// SPDX-License-Identifier: GPL-2.0
/*
 * Exhaust Xen's free memory below an address limit. Under Xen PV, coherent
 * DMA memory and the swiotlb pool come from XENMEM_exchange: dom0 hands Xen
 * some of its frames and gets a machine-contiguous extent below the
 * device's mask (xen_create_contiguous_region()). "take BITS [MIN_ORDER]"
 * does the same exchange, with blocks of dom0's free memory, for extents
 * below 2^BITS: of order XB_EXHAUST_MAX_ORDER until Xen refuses, then of
 * each smaller order down to MIN_ORDER, and holds them. Afterwards Xen has
 * no free extent of MIN_ORDER or more below the limit; a coherent
 * allocation for a device whose mask is below it must fail cleanly, or be
 * memory dom0 already had below it. "release" (and unload) gives every
 * extent back to Xen (exchanged for frames from anywhere) and the pages to
 * the allocator.
 *
 * dom0's own memory is not reduced by an exchange, but what the module
 * holds is not available to dom0: it stops at the same floor as the
 * scramble (XB_SCRAMBLE_FLOOR_MIB, or 1/8 of RAM when that is more), and
 * at XB_EXHAUST_MAX_MIB, and says which limit stopped it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include "xenbounce.h"

/* Held blocks, linked through their first page; its private is the order. */
static LIST_HEAD(held);
static unsigned long held_pages, extents[XB_EXHAUST_MAX_ORDER + 1];
static unsigned long last_bits, last_min_order, lost_pages, kept_pages;
static const char *last_stop = "none";
static u64 last_ns, release_ns;
static int last_result, release_result, take_err;

static unsigned long floor_pages(void)
{
	unsigned long floor = (unsigned long)XB_SCRAMBLE_FLOOR_MIB << (20 - PAGE_SHIFT);

	return max(floor, totalram_pages() / 8);
}

/*
 * Give one block's extent back to Xen and the block to the allocator. A
 * block Xen would not take back is still good dom0 memory: it goes back
 * to the allocator, counted (kept_pages) and logged, as Xen's low memory
 * is then not whole again. A block that could not be mapped again is
 * never freed (lost_pages).
 */
static int give_back(struct page *p)
{
	unsigned int order = page_private(p);
	int ret = xb_exchange(p, order, 0);

	list_del(&p->lru);
	set_page_private(p, 0);
	held_pages -= 1UL << order;
	if (ret == -EUCLEAN) {
		lost_pages += 1UL << order;
		pr_err("exhaust: an extent of %lu pages could not be mapped again: leaked\n",
		       1UL << order);
		return ret;
	}
	if (ret) {
		kept_pages += 1UL << order;
		pr_err("exhaust: Xen did not take back an extent of %lu pages (%d): freed as it is\n",
		       1UL << order, ret);
	}
	__free_pages(p, order);
	return ret;
}

static int release_all(void)
{
	ktime_t t0 = ktime_get();
	int ret = 0, r;

	while (!list_empty(&held)) {
		r = give_back(list_first_entry(&held, struct page, lru));
		if (r && !ret)
			ret = r;
		cond_resched();
	}
	memset(extents, 0, sizeof(extents));
	release_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	release_result = ret;
	return ret;
}

/*
 * Why it stopped: what ended the smallest order (Xen refused, or dom0 had
 * no free block of it left), or the first limit it hit.
 */
static const char *take(unsigned int bits, unsigned int min_order)
{
	unsigned long floor = floor_pages();
	unsigned long max = (unsigned long)XB_EXHAUST_MAX_MIB << (20 - PAGE_SHIFT);
	const char *why = "xen_refused";
	int order, ret;

	for (order = XB_EXHAUST_MAX_ORDER; order >= (int)min_order; order--) {
		for (why = "xen_refused";;) {
			struct page *p;

			if (held_pages + (1UL << order) > max)
				return "max";
			if (si_mem_available() < floor + (1UL << order))
				return "floor";
			p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY |
					__GFP_NOMEMALLOC, order);
			if (!p) {	/* none of this order: try the smaller ones */
				why = "dom0_memory";
				break;
			}
			ret = xb_exchange(p, order, bits);
			if (ret == -EUCLEAN) {
				lost_pages += 1UL << order;
				return "lost";
			}
			if (ret) {
				__free_pages(p, order);
				if (ret != -ENOSPC) {
					take_err = ret;
					return "error";
				}
				break;	/* Xen has no extent of this order below the limit */
			}
			set_page_private(p, order);
			list_add(&p->lru, &held);
			held_pages += 1UL << order;
			extents[order]++;
			cond_resched();
		}
	}
	return why;
}

/* "take BITS [MIN_ORDER]" */
static int exhaust_cmd_take(char *args)
{
	unsigned long bits, min_order = 0;
	ktime_t t0;
	char *w[2];
	int n = xb_args_split(args, w, 2), ret;

	if (n < 1)
		return -EINVAL;
	ret = xb_arg_ul(w[0], XB_EXHAUST_MIN_BITS, XB_EXHAUST_MAX_BITS, &bits);
	if (!ret && n == 2)
		ret = xb_arg_ul(w[1], 0, XB_EXHAUST_MAX_ORDER, &min_order);
	if (ret)
		return ret;
	if (!xb_is_pv())
		return -EOPNOTSUPP;
	if (!list_empty(&held))
		return -EBUSY;
	last_bits = bits;
	last_min_order = min_order;
	memset(extents, 0, sizeof(extents));
	t0 = ktime_get();
	take_err = 0;
	last_stop = take(bits, min_order);
	last_ns = ktime_to_ns(ktime_sub(ktime_get(), t0));
	last_result = !strcmp(last_stop, "lost") ? -EUCLEAN : take_err;
	pr_info("exhaust: %lu KiB exchanged for extents below 2^%lu (orders %d..%lu) in %llu ms, stopped: %s\n",
		held_pages << (PAGE_SHIFT - 10), bits, XB_EXHAUST_MAX_ORDER, min_order,
		last_ns / NSEC_PER_MSEC, last_stop);
	return last_result;
}

static int exhaust_cmd_release(char *args)
{
	if (*args)
		return -EINVAL;
	return release_all();
}

static int exhaust_show(struct seq_file *m)
{
	int order;

	seq_printf(m, "bits: %lu\n", last_bits);
	seq_printf(m, "min_order: %lu\n", last_min_order);
	seq_printf(m, "held_kib: %lu\n", held_pages << (PAGE_SHIFT - 10));
	seq_puts(m, "extents:");
	for (order = XB_EXHAUST_MAX_ORDER; order >= 0; order--)
		seq_printf(m, " o%d=%lu", order, extents[order]);
	seq_putc(m, '\n');
	seq_printf(m, "stopped: %s\n", last_stop);
	seq_printf(m, "floor_kib: %lu\n", floor_pages() << (PAGE_SHIFT - 10));
	seq_printf(m, "time_ns: %llu\n", last_ns);
	seq_printf(m, "result: %d\n", last_result);
	seq_printf(m, "release_time_ns: %llu\n", release_ns);
	seq_printf(m, "release_result: %d\n", release_result);
	seq_printf(m, "kept_kib: %lu\n", kept_pages << (PAGE_SHIFT - 10));
	seq_printf(m, "lost_kib: %lu\n", lost_pages << (PAGE_SHIFT - 10));
	return 0;
}

static void exhaust_status(struct seq_file *m)
{
	seq_printf(m, "exhaust_held_kib: %lu\n", held_pages << (PAGE_SHIFT - 10));
}

static const struct xb_verb exhaust_verbs[] = {
	{ "take", "BITS [MIN_ORDER]", exhaust_cmd_take },
	{ "release", "", exhaust_cmd_release },
	{ }
};

static const struct xb_file exhaust_files[] = {
	{ XB_FILE_EXHAUST, 0600, exhaust_verbs, exhaust_show },
	{ }
};

static void exhaust_exit(void)
{
	mutex_lock(&xb_lock);
	if (!list_empty(&held))
		pr_info("exhaust: unload gives back %lu KiB\n", held_pages << (PAGE_SHIFT - 10));
	release_all();
	mutex_unlock(&xb_lock);
}

const struct xb_capability xb_cap_exhaust = {
	.name = "exhaust",
	.exit = exhaust_exit,
	.status = exhaust_status,
	.files = exhaust_files,
};
