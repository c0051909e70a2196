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
	/*
	 * mfn_to_pfn() checks the M2P entry against the P2M: ~0 if not ours,
	 * but a frame whose number falls in a range of the P2M that is mapped
	 * 1:1 (holes and memory dom0 never had) comes back as its own number:
	 * that is not dom0's memory either (a frame just given back to Xen
	 * above dom0's own size read as "ours" that way).
	 */
	p = mfn_to_pfn(frame);
	*pfn = p;
	if (p == ~0UL || !pfn_valid(p))
		return false;
	return !(__pfn_to_mfn(p) & IDENTITY_FRAME_BIT);
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

/*
 * Many frame changes in one hypercall: a multicall of XB_BATCH kernel
 * mapping updates (no flush but the last, which flushes every CPU's TLB)
 * and one mmu_update carrying the XB_BATCH M2P updates; then the P2M
 * entries, which are guest memory. One hypercall per batch instead of
 * two per page, and one TLB flush per batch instead of one per page.
 */
#define XB_BATCH	256

struct xb_batch {
	struct multicall_entry mc[XB_BATCH + 1];
	struct mmu_update m2p[XB_BATCH];
};

/* pages[0..n) get frames[0..n), n <= XB_BATCH. 0, or an error: some may have. */
static int xb_set_frames_batch(struct xb_batch *b, struct page **pages,
			       const unsigned long *frames, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		unsigned long pfn = page_to_pfn(pages[i]);

		b->mc[i].op = __HYPERVISOR_update_va_mapping;
		b->mc[i].args[0] = (unsigned long)page_address(pages[i]);
		b->mc[i].args[1] = mfn_pte(frames[i], PAGE_KERNEL).pte;
		b->mc[i].args[2] = i + 1 < n ? 0 : UVMF_TLB_FLUSH | UVMF_ALL;
		b->mc[i].result = -1;
		b->m2p[i].ptr = ((u64)frames[i] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
		b->m2p[i].val = pfn;
	}
	b->mc[n].op = __HYPERVISOR_mmu_update;
	b->mc[n].args[0] = (unsigned long)b->m2p;
	b->mc[n].args[1] = n;
	b->mc[n].args[2] = 0;	/* no success count: the result says it */
	b->mc[n].args[3] = DOMID_SELF;
	b->mc[n].result = -1;
	ret = HYPERVISOR_multicall(b->mc, n + 1);
	if (ret)
		return ret;
	for (i = 0; i <= n; i++)
		if (b->mc[i].result)
			return -EIO;
	for (i = 0; i < n; i++)
		if (xen_safe_write_ulong(xen_p2m_addr + page_to_pfn(pages[i]), frames[i]))
			return -EIO;
	return 0;
}

/* Every page its frame, batched; on failure each back to old[] (or -EUCLEAN). */
static int xb_set_frames(struct page **pages, const unsigned long *frames,
			 const unsigned long *old, unsigned long n)
{
	struct xb_batch *b = kvmalloc(sizeof(*b), GFP_KERNEL);
	unsigned long i, k;
	int ret = 0;

	if (!b)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i += k) {
		k = min_t(unsigned long, n - i, XB_BATCH);
		ret = xb_set_frames_batch(b, pages + i, frames + i, k);
		cond_resched();
	}
	if (ret) {
		unsigned long done = i;	/* the failed batch may be half-applied */

		pr_err("P2M: a batch of frame changes failed (%d): undoing %lu pages\n", ret, done);
		for (i = 0; i < done; i += k) {
			k = min_t(unsigned long, done - i, XB_BATCH);
			if (xb_set_frames_batch(b, pages + i, old + i, k)) {
				ret = -EUCLEAN;
				break;
			}
		}
	}
	kvfree(b);
	return ret;
}

#define XB_P2M_TAG 0x7862703200000000ULL	/* "xbp2" */

/*
 * Did pages[i] get frame old[perm[i]], everywhere Linux and Xen record it?
 * The P2M (pfn_to_mfn), the M2P (mfn_to_pfn, which also checks it against
 * the P2M), and the kernel mapping: each page was tagged with its index
 * before, so page i must now read perm[i]'s tag.
 */
static unsigned long xb_p2m_verify(struct page **pages, const unsigned long *old,
				   const unsigned long *perm, unsigned long n)
{
	unsigned long i, bad = 0;

	for (i = 0; i < n; i++) {
		unsigned long pfn = page_to_pfn(pages[i]), f = old[perm[i]];
		u64 tag = *(u64 *)page_address(pages[i]);

		if (pfn_to_mfn(pfn) == f && mfn_to_pfn(f) == pfn && tag == (XB_P2M_TAG | perm[i]))
			continue;
		if (!bad++)
			pr_err("P2M: page %lu (pfn 0x%lx) should have frame 0x%lx: P2M 0x%lx, M2P 0x%lx, tag 0x%llx\n",
			       i, pfn, f, pfn_to_mfn(pfn), mfn_to_pfn(f), tag);
	}
	return bad;
}

/*
 * Page i gets the frame page perm[i] has now, for a permutation perm of
 * 0..n-1: applied in batches (a fraction of the hypercalls of swapping
 * page by page) and verified. Contents are not kept (each page gets a
 * tag). -EUCLEAN when the verification fails.
 */
static int xb_p2m_permute_batched(struct page **pages, unsigned long n, const unsigned long *perm)
{
	unsigned long *old, *frames, i, bad;
	int ret = -ENOMEM;

	old = kvmalloc_array(n, sizeof(*old), GFP_KERNEL);
	frames = kvmalloc_array(n, sizeof(*frames), GFP_KERNEL);
	if (!old || !frames)
		goto out;
	for (i = 0; i < n; i++) {
		ret = -ERANGE;
		if (page_to_pfn(pages[i]) >= xen_p2m_size || perm[i] >= n)
			goto out;
		ret = -EINVAL;
		old[i] = pfn_to_mfn(page_to_pfn(pages[i]));
		if (old[i] == INVALID_P2M_ENTRY)
			goto out;
	}
	for (i = 0; i < n; i++) {
		frames[i] = old[perm[i]];
		*(u64 *)page_address(pages[i]) = XB_P2M_TAG | i;
	}
	ret = xb_set_frames(pages, frames, old, n);
	if (!ret) {
		bad = xb_p2m_verify(pages, old, perm, n);
		if (bad) {
			pr_err("P2M: %lu of %lu pages do not hold the frame the permutation gave them\n",
			       bad, n);
			ret = -EUCLEAN;
		}
	}
out:
	kvfree(frames);
	kvfree(old);
	return ret;
}

/* The seeded Fisher-Yates of xb_p2m_shuffle() on indices, applied batched. */
static int xb_p2m_shuffle_batched(struct page **pages, unsigned long n, u64 seed)
{
	unsigned long *perm, i;
	int ret;

	if (n < 2)
		return 0;
	perm = kvmalloc_array(n, sizeof(*perm), GFP_KERNEL);
	if (!perm)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		perm[i] = i;
	xb_shuffle_ulongs(perm, n, seed);
	ret = xb_p2m_permute_batched(pages, n, perm);
	kvfree(perm);
	return ret;
}

/*
 * XENMEM_exchange for a block the caller owns, as
 * xen_create_contiguous_region() and xen_destroy_contiguous_region() do
 * (neither is exported to modules): unmap the block's pages, trade their
 * frames with Xen, map what came back. With bits, the 2^order frames for
 * one extent of 2^order machine-contiguous frames below 2^bits; with bits
 * 0, such an extent back for 2^order frames from anywhere. Xen exchanges
 * the whole chunk or none of it (it updates the M2P for the frames it
 * gives). 0; -ENOSPC, Xen refused and the old frames are mapped again;
 * another error, nothing changed; -EUCLEAN, a page could not be mapped
 * again (never touch or free it).
 */
int xb_exchange(struct page *block, unsigned int order, unsigned int bits)
{
	unsigned long n = 1UL << order, i, pfn0 = page_to_pfn(block), k;
	struct xen_memory_exchange x = { };
	xen_pfn_t *in = NULL, *out = NULL;
	unsigned long *frames = NULL;
	struct page **pages = NULL;
	struct xb_batch *b;
	long rc;
	int ret = -ENOMEM;

	if (!xb_is_pv())
		return -EOPNOTSUPP;
	if (pfn0 + n > xen_p2m_size)
		return -ERANGE;
	b = kvmalloc(sizeof(*b), GFP_KERNEL);
	in = kvmalloc_array(n, sizeof(*in), GFP_KERNEL);
	out = kvmalloc_array(n, sizeof(*out), GFP_KERNEL);
	frames = kvmalloc_array(n, sizeof(*frames), GFP_KERNEL);
	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!b || !in || !out || !frames || !pages)
		goto free;
	for (i = 0; i < n; i++) {
		pages[i] = block + i;
		in[i] = pfn_to_mfn(pfn0 + i);
		out[i] = pfn0 + i;	/* where Xen's frames go; it writes the frame here */
		ret = -EINVAL;
		if (in[i] == INVALID_P2M_ENTRY)
			goto free;
		if (!bits && in[i] != in[0] + i)	/* giving back takes an extent */
			goto free;
	}
	/* 1. No mapping may keep a frame Xen takes: zap them, P2M entries too. */
	for (i = 0; i < n; i += k) {
		unsigned int j;

		k = min_t(unsigned long, n - i, XB_BATCH);
		for (j = 0; j < k; j++) {
			b->mc[j].op = __HYPERVISOR_update_va_mapping;
			b->mc[j].args[0] = (unsigned long)page_address(pages[i + j]);
			b->mc[j].args[1] = 0;
			b->mc[j].args[2] = 0;
			b->mc[j].result = -1;
		}
		ret = HYPERVISOR_multicall(b->mc, k);
		for (j = 0; j < k && !ret; j++)
			ret = b->mc[j].result ? -EIO : 0;
		if (ret)
			break;
		for (j = 0; j < k; j++)
			xen_safe_write_ulong(xen_p2m_addr + pfn0 + i + j, INVALID_P2M_ENTRY);
	}
	/* 2. The exchange, unless the zap failed (then just map them all again). */
	if (!ret) {
		x.in.nr_extents = bits ? n : 1;
		x.in.extent_order = bits ? 0 : order;
		x.in.domid = DOMID_SELF;
		set_xen_guest_handle(x.in.extent_start, in);
		x.out.nr_extents = bits ? 1 : n;
		x.out.extent_order = bits ? order : 0;
		x.out.address_bits = bits;
		x.out.domid = DOMID_SELF;
		set_xen_guest_handle(x.out.extent_start, out);
		rc = HYPERVISOR_memory_op(XENMEM_exchange, &x);
		ret = !rc && x.nr_exchanged == x.in.nr_extents ? 0 : -ENOSPC;
		if (ret && x.nr_exchanged)
			pr_err("exchange: Xen exchanged %lu of %lu extents (%ld)\n",
			       (unsigned long)x.nr_exchanged, (unsigned long)x.in.nr_extents, rc);
	}
	/* 3. Map the new frames, or the old ones again; M2P and P2M with them. */
	for (i = 0; i < n; i++)
		frames[i] = ret ? in[i] : bits ? out[0] + i : out[i];
	for (i = 0; i < n; i += k) {
		k = min_t(unsigned long, n - i, XB_BATCH);
		if (xb_set_frames_batch(b, pages + i, frames + i, k)) {
			pr_err("exchange: pfn 0x%lx..0x%lx could not be mapped again\n",
			       pfn0, pfn0 + n - 1);
			ret = -EUCLEAN;
			break;
		}
	}
free:
	kvfree(pages);
	kvfree(frames);
	kvfree(out);
	kvfree(in);
	kvfree(b);
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

static int xb_p2m_shuffle_batched(struct page **pages, unsigned long n, u64 seed)
{
	return -EOPNOTSUPP;
}

static int xb_p2m_permute_batched(struct page **pages, unsigned long n, const unsigned long *perm)
{
	return -EOPNOTSUPP;
}

int xb_exchange(struct page *block, unsigned int order, unsigned int bits)
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

static int xb_swap_ulongs(unsigned long i, unsigned long j, void *v)
{
	swap(((unsigned long *)v)[i], ((unsigned long *)v)[j]);
	return 0;
}

/* v[0..n) in the seeded order xb_p2m_shuffle() gives pages' frames. */
void xb_shuffle_ulongs(unsigned long *v, unsigned long n, u64 seed)
{
	xb_fisher_yates(n, seed, xb_swap_ulongs, v);
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

/*
 * Fisher-Yates over the machine frames of pages[0..n). Seeded. Without
 * keep, batched (one hypercall per XB_BATCH pages); with keep, page by
 * page, each swap copying the two pages' contents.
 */
int xb_p2m_shuffle(struct page **pages, unsigned long n, u64 seed, bool keep)
{
	struct xb_p2m_shuffle_ctx c = { .pages = pages, .keep = keep };

	if (!xb_is_pv())
		return -EOPNOTSUPP;
	if (!keep)
		return xb_p2m_shuffle_batched(pages, n, seed);
	return xb_fisher_yates(n, seed, xb_p2m_shuffle_swap, &c);
}

/*
 * Page i gets the frame page perm[i] has now (perm: a permutation of
 * 0..n-1), batched and verified; contents are not kept.
 */
int xb_p2m_permute(struct page **pages, unsigned long n, const unsigned long *perm)
{
	if (!xb_is_pv())
		return -EOPNOTSUPP;
	return xb_p2m_permute_batched(pages, n, perm);
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

/*
 * A buffer handed to a device at bus must be, page by page, the machine
 * frames the bus address names: read from the P2M (under PV the bus
 * address is the machine address), not inferred from the data. The
 * first page whose frame is not bus's frame + i, or -1 when all are.
 * Not under PV: -1 (no P2M to read; the bus address is the IOMMU's).
 */
long xb_p2m_check_bus(const void *va, unsigned long len, dma_addr_t bus)
{
	unsigned long i, n;

	if (!xb_is_pv() || !len)
		return -1;
	n = (offset_in_page(va) + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
	for (i = 0; i < n; i++) {
		const void *p = va + i * PAGE_SIZE;
		struct page *pg = is_vmalloc_addr(p) ? vmalloc_to_page(p) : virt_to_page(p);

		if (!pg || xb_frame(pg) != (bus >> PAGE_SHIFT) + i)
			return i;
	}
	return -1;
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
