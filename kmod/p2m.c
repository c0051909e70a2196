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
 *
 * A PVH dom0 is translated: Xen keeps its P2M and the guest never sees a
 * machine frame. There the same faults are built from what the guest may
 * do: move a frame from one guest frame to another (the PVH shuffle), and
 * give a frame back to Xen and take a new one (balloon out and in).
 *
 * A change that fails half-way is undone. When the undo fails too, the
 * functions here return -EUCLEAN: the pages involved may have no memory
 * behind them, or a frame another page also maps. The caller must never
 * touch or free them (leak them, and say so).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/xen.h>
#include <xen/mem-reservation.h>
#include <xen/interface/memory.h>
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
/* 0; an error with nothing changed; or -EUCLEAN, the mapping half moved. */
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
	if (HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF) ||
	    xen_safe_write_ulong(xen_p2m_addr + pfn, mfn))
		return -EUCLEAN;
	return 0;
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
		/* put a back so both stay consistent; if that fails, both are lost */
		if (ret == -EUCLEAN || (ret && xb_set_frame(a, ma)))
			ret = -EUCLEAN;
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
static int xb_set_frame(struct page *page, unsigned long mfn)
{
	return -EOPNOTSUPP;
}

int xb_p2m_swap(struct page *a, struct page *b, bool keep)
{
	return -EOPNOTSUPP;
}
#endif

/*
 * Give a page's frame back to Xen, as the balloon driver does when dom0
 * shrinks; *frame gets the frame it had: its machine frame under PV (now
 * Xen's, free for anyone), its guest frame otherwise (now a hole in the
 * domain's physical map, which the IOMMU no longer maps). Until
 * xb_frame_in() nothing may touch the page: under PV its kernel mapping
 * is gone, under PVH the access would reach no memory. -EUCLEAN: Xen did
 * not take the frame and the page could not be given it back (lost).
 */
int xb_frame_out(struct page *page, unsigned long *frame)
{
	unsigned long pfn = page_to_pfn(page);
	xen_pfn_t f;
	int ret;

	if (!xen_domain())
		return -EOPNOTSUPP;
	if (!xb_is_pv()) {
		f = page_to_xen_pfn(page);
		if (xenmem_reservation_decrease(1, &f) != 1)
			return -EBUSY;
		*frame = pfn;
		return 0;
	}
	if (pfn >= xen_p2m_size)
		return -ERANGE;
	f = pfn_to_mfn(pfn);
	if (f == INVALID_P2M_ENTRY)
		return -EINVAL;
	ret = HYPERVISOR_update_va_mapping((unsigned long)page_address(page), __pte_ma(0),
					   UVMF_INVLPG | UVMF_ALL);
	if (ret)
		return ret;
	ret = xen_safe_write_ulong(xen_p2m_addr + pfn, INVALID_P2M_ENTRY);
	if (!ret && xenmem_reservation_decrease(1, &f) != 1)
		ret = -EBUSY;
	if (ret)	/* Xen did not take it: still ours, map it again */
		return xb_set_frame(page, f) ? -EUCLEAN : ret;
	*frame = f;
	return 0;
}

/* A new frame from Xen for a page xb_frame_out() emptied (contents: none). */
int xb_frame_in(struct page *page)
{
	xen_pfn_t f = page_to_xen_pfn(page);

	if (xenmem_reservation_increase(1, &f) != 1)
		return -ENOMEM;
	/* Under PV, Xen wrote the new machine frame into f. */
	return xb_is_pv() ? xb_set_frame(page, f) : 0;
}

/*
 * Translated dom0 (PVH): the guest cannot name machine frames, but it can
 * move the frame behind one guest frame to another (XENMEM_add_to_physmap,
 * XENMAPSPACE_gmfn); the source becomes a hole, and Xen updates the IOMMU.
 */
static int xb_gfn_move(unsigned long from, unsigned long to)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_gmfn,
		.idx = from,
		.gpfn = to,
	};

	return HYPERVISOR_memory_op(XENMEM_add_to_physmap, &xatp);
}

/*
 * Exchange two guest frames' backing frames through an empty guest frame.
 * -EUCLEAN: a move back failed, a or b may be a hole and the hole not one.
 */
static int xb_gfn_swap(unsigned long a, unsigned long b, unsigned long hole)
{
	int ret = xb_gfn_move(a, hole);

	if (ret)
		return ret;
	ret = xb_gfn_move(b, a);
	if (ret)
		return xb_gfn_move(hole, a) ? -EUCLEAN : ret;
	ret = xb_gfn_move(hole, b);
	/* b's frame is at a, a's in the hole: put both back */
	if (ret && (xb_gfn_move(a, b) || xb_gfn_move(hole, a)))
		return -EUCLEAN;
	return ret;
}

/*
 * The seeded Fisher-Yates both shuffles follow, so a seed means the same
 * permutation under PV and PVH: swap(i, j) for i from n - 1 down to 1,
 * stopping at the first error.
 */
static int xb_fisher_yates(unsigned long n, u64 seed,
			   int (*swap_fn)(unsigned long i, unsigned long j, void *ctx), void *ctx)
{
	struct rnd_state rnd;
	unsigned long i;
	int ret;

	if (n < 2)
		return 0;
	prandom_seed_state(&rnd, seed);
	for (i = n - 1; i > 0; i--) {
		unsigned long j = prandom_u32_state(&rnd) % (i + 1);

		ret = swap_fn(i, j, ctx);
		if (ret)
			return ret;
		if (!(i & 255))
			cond_resched();
	}
	return 0;
}

#define XB_GFN_TAG 0x78626f756e636500ULL	/* "xbounce" */

struct xb_gfn_shuffle_ctx {
	struct page **pages;
	unsigned long *perm;	/* perm[i]: whose frame page i holds */
	unsigned long hole;
};

static int xb_gfn_shuffle_swap(unsigned long i, unsigned long j, void *data)
{
	struct xb_gfn_shuffle_ctx *c = data;
	int ret;

	if (i == j)
		return 0;
	ret = xb_gfn_swap(page_to_xen_pfn(c->pages[i]), page_to_xen_pfn(c->pages[j]), c->hole);
	if (!ret)
		swap(c->perm[i], c->perm[j]);
	return ret;
}

/*
 * The PVH shuffle: xb_p2m_shuffle()'s seeded Fisher-Yates, over
 * the frames behind pages[0..n), with contents kept. The guest cannot read
 * machine frame numbers, so the moves are checked another way: each page
 * is tagged with its index first, and afterwards page i must hold the tag
 * of the page whose frame the permutation put there. *moved counts the
 * pages that verifiably hold another page's frame.
 *
 * -EUCLEAN: a move could not be undone, or a page does not hold the tag it
 * should: some of pages[] may be holes (no memory behind them), so none may
 * ever be freed. The scratch page, whose frame may be a pool page's then,
 * is leaked here.
 */
int xb_gfn_shuffle(struct page **pages, unsigned long n, u64 seed, unsigned long *moved)
{
	struct xb_gfn_shuffle_ctx c = { .pages = pages };
	unsigned long i, *perm;
	struct page *scratch;
	void *save;
	int ret = 0;

	*moved = 0;
	if (!xen_domain() || xb_is_pv())
		return -EOPNOTSUPP;
	if (n < 2)
		return -EINVAL;
	save = vmalloc(array_size(n, PAGE_SIZE));
	perm = kcalloc(n, sizeof(*perm), GFP_KERNEL);
	scratch = alloc_page(GFP_KERNEL);
	if (!save || !perm || !scratch) {
		ret = -ENOMEM;
		goto out;
	}
	ret = xb_frame_out(scratch, &c.hole);
	if (ret)
		goto out;
	for (i = 0; i < n; i++) {
		u64 *tag = page_address(pages[i]);

		memcpy(save + i * PAGE_SIZE, tag, PAGE_SIZE);
		*tag = XB_GFN_TAG | i;
		perm[i] = i;
	}
	c.perm = perm;
	ret = xb_fisher_yates(n, seed, xb_gfn_shuffle_swap, &c);
	for (i = 0; i < n; i++) {
		u64 *tag = page_address(pages[i]);

		if (*tag != (XB_GFN_TAG | perm[i])) {
			pr_err("pool: page %lu holds tag 0x%llx after the exchange, expected 0x%llx\n",
			       i, *tag, XB_GFN_TAG | perm[i]);
			ret = -EUCLEAN;
		} else if (perm[i] != i) {
			(*moved)++;
		}
		memcpy(tag, save + i * PAGE_SIZE, PAGE_SIZE);
	}
	if (ret == -EUCLEAN) {
		/* Its guest frame may hold a pool page's frame now. */
		pr_err("pool: shuffle left frames unaccounted for: leaking its scratch page\n");
		scratch = NULL;
	} else if (xb_frame_in(scratch)) {
		/* Its guest frame stays a hole: never give the page back. */
		pr_err("pool: no frame back for the scratch page: leaking it\n");
		scratch = NULL;
		if (!ret)
			ret = -ENOMEM;
	}
out:
	if (scratch)
		__free_page(scratch);
	kfree(perm);
	vfree(save);
	return ret;
}

struct xb_p2m_shuffle_ctx {
	struct page **pages;
	bool keep;
};

static int xb_p2m_shuffle_swap(unsigned long i, unsigned long j, void *data)
{
	struct xb_p2m_shuffle_ctx *c = data;

	return xb_p2m_swap(c->pages[i], c->pages[j], c->keep);
}

/* Fisher-Yates over the machine frames of pages[0..n). Seeded. */
int xb_p2m_shuffle(struct page **pages, unsigned long n, u64 seed, bool keep)
{
	struct xb_p2m_shuffle_ctx c = { .pages = pages, .keep = keep };

	if (!xb_is_pv())
		return -EOPNOTSUPP;
	return xb_fisher_yates(n, seed, xb_p2m_shuffle_swap, &c);
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
