// SPDX-License-Identifier: GPL-2.0
/*
 * Machine frames of pages the module owns. Under Xen PV a page's PFN maps
 * to a machine frame (MFN) through the P2M; swapping two pages' MFNs makes
 * PFN-adjacent pages machine-discontiguous, which is what a long-running
 * dom0 looks like and what exposes DMA that bypasses the DMA API.
 *
 * A swap is the three updates Linux itself does when Xen hands it a new
 * frame: the kernel mapping (update_va_mapping), the M2P
 * (MMU_MACHPHYS_UPDATE) and the P2M entry. Only ever called on pages the
 * caller allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <xen/xen.h>
#include <xen/interface/xen.h>
#include <asm/xen/hypercall.h>
#include <asm/xen/page.h>

#include "helpers.h"

unsigned long xb_frame(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	return xb_is_pv() ? pfn_to_mfn(pfn) : pfn;
}

/* The bus address a device would get without any bouncing. */
dma_addr_t xb_direct_bus(struct device *dev, void *va)
{
	struct page *page = virt_to_page(va);

	if (xb_is_pv())
		return ((dma_addr_t)xb_frame(page) << PAGE_SHIFT) | offset_in_page(va);
	return phys_to_dma(dev, virt_to_phys(va));
}

bool xb_frame_is_ours(unsigned long frame, unsigned long *pfn)
{
	unsigned long p;

	if (!xb_is_pv()) {
		*pfn = frame;
		return pfn_valid(frame);
	}
	/* mfn_to_pfn() checks the M2P entry against the P2M: ~0 if not ours. */
	p = mfn_to_pfn(frame);
	*pfn = p;
	return p != ~0UL && pfn_valid(p);
}

#ifdef CONFIG_XEN_PV
static int xb_set_frame(struct page *page, unsigned long mfn)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long va = (unsigned long)page_address(page);
	struct mmu_update u;
	int ret;

	ret = HYPERVISOR_update_va_mapping(va, mfn_pte(mfn, PAGE_KERNEL), UVMF_INVLPG | UVMF_ALL);
	if (ret)
		return ret;
	u.ptr = ((u64)mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
	u.val = pfn;
	ret = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
	if (ret)
		return ret;
	return xen_safe_write_ulong(xen_p2m_addr + pfn, mfn);
}

int xb_p2m_swap(struct page *a, struct page *b, bool keep)
{
	unsigned long ma, mb;
	void *save = NULL;
	int ret;

	if (!xb_is_pv())
		return -EOPNOTSUPP;
	if (a == b)
		return 0;
	if (page_to_pfn(a) >= xen_p2m_size || page_to_pfn(b) >= xen_p2m_size)
		return -ERANGE;
	ma = pfn_to_mfn(page_to_pfn(a));
	mb = pfn_to_mfn(page_to_pfn(b));
	if (ma == INVALID_P2M_ENTRY || mb == INVALID_P2M_ENTRY)
		return -EINVAL;
	if (keep) {
		save = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
		if (!save)
			return -ENOMEM;
		memcpy(save, page_address(a), PAGE_SIZE);
		memcpy(save + PAGE_SIZE, page_address(b), PAGE_SIZE);
	}
	ret = xb_set_frame(a, mb);
	if (!ret) {
		ret = xb_set_frame(b, ma);
		if (ret)	/* put a back so both stay consistent */
			WARN_ON_ONCE(xb_set_frame(a, ma));
	}
	if (!ret && keep) {
		/* Each PFN keeps its contents in its new machine frame. */
		memcpy(page_address(a), save, PAGE_SIZE);
		memcpy(page_address(b), save + PAGE_SIZE, PAGE_SIZE);
	}
	kfree(save);
	return ret;
}
#else
int xb_p2m_swap(struct page *a, struct page *b, bool keep)
{
	return -EOPNOTSUPP;
}
#endif

/* Fisher-Yates over the machine frames of pages[0..n). Seeded. */
int xb_p2m_shuffle(struct page **pages, unsigned long n, u64 seed, bool keep)
{
	struct rnd_state rnd;
	unsigned long i;
	int ret;

	if (!xb_is_pv())
		return -EOPNOTSUPP;
	prandom_seed_state(&rnd, seed);
	for (i = n - 1; i > 0; i--) {
		unsigned long j = prandom_u32_state(&rnd) % (i + 1);

		ret = xb_p2m_swap(pages[i], pages[j], keep);
		if (ret)
			return ret;
		if (!(i & 255))
			cond_resched();
	}
	return 0;
}

/* Give every page its recorded frame back (contents are not kept). */
int xb_p2m_restore(struct page **pages, unsigned long n, const unsigned long *frames)
{
	unsigned long i, j;
	int ret;

	if (!xb_is_pv())
		return 0;
	for (i = 0; i < n; i++) {
		if (xb_frame(pages[i]) == frames[i])
			continue;
		for (j = i + 1; j < n; j++)
			if (xb_frame(pages[j]) == frames[i])
				break;
		if (j == n)
			return -ENOENT;
		ret = xb_p2m_swap(pages[i], pages[j], false);
		if (ret)
			return ret;
	}
	return 0;
}

unsigned long xb_discontiguous_pairs(struct page **pages, unsigned long n)
{
	unsigned long i, count = 0;

	for (i = 0; i + 1 < n; i++)
		if (xb_frame(pages[i]) + 1 != xb_frame(pages[i + 1]))
			count++;
	return count;
}

/* Are the 2^order pages at block machine-contiguous? */
bool xb_block_contiguous(struct page *block, unsigned int order)
{
	unsigned long i;

	for (i = 1; i < (1UL << order); i++)
		if (xb_frame(block + i) != xb_frame(block) + i)
			return false;
	return true;
}

/*
 * A block of 2^order pages whose machine frames are contiguous: a fresh
 * dom0 has many, but not every block the allocator hands out is one (a
 * block may span two of the extents Xen built dom0 from). Blocks tried and
 * rejected are held until the search ends, so each try sees a new one.
 * NULL when none of 'tries' blocks qualified.
 */
struct page *xb_alloc_contig_block(unsigned int order, gfp_t gfp, unsigned int tries)
{
	struct page *found = NULL, **held;
	unsigned int i, n = 0;

	held = kcalloc(tries, sizeof(*held), GFP_KERNEL);
	if (!held)
		return NULL;
	for (i = 0; i < tries && !found; i++) {
		struct page *b = alloc_pages(gfp | __GFP_NOWARN, order);

		if (!b)
			break;
		if (xb_block_contiguous(b, order))
			found = b;
		else
			held[n++] = b;
	}
	for (i = 0; i < n; i++)
		__free_pages(held[i], order);
	kfree(held);
	return found;
}
