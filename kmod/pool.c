// SPDX-License-Identifier: GPL-2.0
/*
 * The DMA pool: up to XB_POOL_MAX_PAGES PFN-contiguous pages owned by the
 * module. The edu workloads use it as their DMA buffers; "shuffle" permutes
 * its machine frames (contents kept) so PFN-adjacent pages stop being
 * machine-adjacent: under PV by the P2M, under PVH by moving frames between
 * guest frames (p2m.c). "free" gives every page its original frame back
 * first (PV; under PVH every frame is still dom0's, wherever it sits).
 *
 * A pool is lost when a page may have no memory behind it: a frame change
 * that could not be undone (p2m.c's -EUCLEAN), or a page whose frame Xen
 * did not give back (edu's stale path). Every command on a lost pool then
 * fails with -EIO and a logged reason; "free" (and unload) drops it without
 * freeing the pages concerned, which stay leaked on purpose (counted in
 * the status file's pool_leaked_pages): the allocator must never hand out
 * a page with no memory behind it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "xenbounce.h"

static struct page **pool;
static unsigned long *pool_frames;	/* frames at allocation */
static unsigned long pool_n;
static bool pool_shuffled;
static unsigned long pool_moved;	/* PVH: verified by xb_gfn_shuffle() */
static const char *pool_lost;		/* why the pool is lost, or NULL */
static struct page *pool_lost_page;	/* lost: only this page, else all */
static unsigned long pool_leaked;	/* pages leaked on purpose since load */
static u64 pool_seed;

/* A lost pool is unusable until it is freed. */
unsigned long xb_pool_pages(void)
{
	return pool_lost ? 0 : pool_n;
}

int xb_pool_usable(void)
{
	if (!pool_n)
		return -ENOENT;
	if (pool_lost) {
		pr_err_ratelimited("pool: refused: the pool is lost (%s); \"free\" drops it\n",
				   pool_lost);
		return -EIO;
	}
	return 0;
}

/* page: the one page with no memory behind it; NULL: any of them may be. */
static void pool_lose(struct page *page, const char *why)
{
	if (pool_lost && !pool_lost_page)
		return;		/* already lost whole */
	if (pool_lost && page != pool_lost_page)
		page = NULL;	/* a second page: keep them all */
	pool_lost = why;
	pool_lost_page = page;
	if (page)
		pr_err("pool: lost (%s): pfn 0x%lx may have no memory behind it; 1 page will be leaked, never freed\n",
		       why, page_to_pfn(page));
	else
		pr_err("pool: lost (%s): any page may have no memory behind it; all %lu pages will be leaked, never freed\n",
		       why, pool_n);
}

void xb_pool_lose_page(struct page *page, const char *why)
{
	pool_lose(page, why);
}

void *xb_pool_va(unsigned long off)
{
	if (pool_lost || off >= pool_n * PAGE_SIZE)
		return NULL;
	return page_address(pool[0]) + off;
}

struct page *xb_pool_page(unsigned long off)
{
	if (pool_lost || off >= pool_n * PAGE_SIZE)
		return NULL;
	return pool[off >> PAGE_SHIFT];
}

bool xb_pool_has_pfn(unsigned long pfn)
{
	unsigned long first;

	if (!pool_n)
		return false;
	first = page_to_pfn(pool[0]);
	return pfn >= first && pfn < first + pool_n;
}

static void pool_release(void)
{
	unsigned long i, leaked = 0;
	int ret = 0;

	if (!pool_n)
		return;
	if (!pool_lost || pool_lost_page)
		ret = xb_p2m_restore(pool, pool_n, pool_frames);
	if (ret == -EUCLEAN)
		pool_lose(NULL, "a P2M swap back to the original frames failed half-way");
	else if (ret)	/* frames stay consistent, just not the original ones */
		pr_warn("pool: could not restore original machine frames: %d\n", ret);
	for (i = 0; i < pool_n; i++) {
		if (pool_lost && (!pool_lost_page || pool[i] == pool_lost_page))
			leaked++;
		else
			__free_page(pool[i]);
	}
	if (leaked) {
		pool_leaked += leaked;
		pr_err("pool: freed; %lu of its %lu pages leaked on purpose (%s)\n",
		       leaked, pool_n, pool_lost);
	}
	pool_lost = NULL;
	pool_lost_page = NULL;
	kfree(pool);
	kfree(pool_frames);
	pool = NULL;
	pool_frames = NULL;
	pool_n = 0;
	pool_shuffled = false;
	pool_moved = 0;
}

static int pool_alloc(unsigned long n, bool contiguous)
{
	unsigned int order = get_order(n * PAGE_SIZE);
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN;
	struct page *block;
	unsigned long i;

	if (pool_lost)
		return xb_pool_usable();
	if (pool_n)
		return -EBUSY;
	pool = kcalloc(n, sizeof(*pool), GFP_KERNEL);
	pool_frames = kcalloc(n, sizeof(*pool_frames), GFP_KERNEL);
	block = contiguous ? xb_alloc_contig_block(order, gfp, XB_CONTIG_TRIES) :
			     alloc_pages(gfp, order);
	if (!pool || !pool_frames || !block) {
		/* No machine-contiguous block: a precondition, not a failure. */
		int err = pool && pool_frames && contiguous ? -EAGAIN : -ENOMEM;

		if (block)
			__free_pages(block, order);
		kfree(pool);
		kfree(pool_frames);
		pool = NULL;
		pool_frames = NULL;
		return err;
	}
	/* Own each page separately; give back what n does not need. */
	split_page(block, order);
	for (i = 0; i < (1UL << order); i++) {
		if (i < n) {
			pool[i] = block + i;
			pool_frames[i] = xb_frame(block + i);
		} else {
			__free_page(block + i);
		}
	}
	pool_n = n;
	return 0;
}

static int pool_cmd_alloc(char *args)
{
	unsigned long n;
	int ret = xb_arg_ul(args, 2, XB_POOL_MAX_PAGES, &n);

	return ret ? ret : pool_alloc(n, false);
}

static int pool_cmd_alloc_contig(char *args)
{
	unsigned long n;
	int ret = xb_arg_ul(args, 2, XB_POOL_MAX_PAGES, &n);

	return ret ? ret : pool_alloc(n, true);
}

/* Pages whose frame is not the one they were allocated with. */
static unsigned long pool_frames_moved(void)
{
	unsigned long i, n = 0;

	if (!xb_is_pv())
		return pool_moved;
	for (i = 0; i < pool_n; i++)
		n += xb_frame(pool[i]) != pool_frames[i];
	return n;
}

static int pool_cmd_shuffle(char *args)
{
	u64 seed;
	int ret = xb_arg_u64(args, &seed);

	if (ret)
		return ret;
	ret = xb_pool_usable();
	if (ret)
		return ret;
	if (xb_is_pv())
		ret = xb_p2m_shuffle(pool, pool_n, seed, true);
	else
		ret = xb_gfn_shuffle(pool, pool_n, seed, &pool_moved);
	if (ret == -EOPNOTSUPP)
		return ret;
	if (ret == -EUCLEAN)
		pool_lose(NULL, xb_is_pv() ? "shuffle: a P2M swap failed and could not be undone" :
			  "shuffle: a frame move could not be undone, or a page lost its tag");
	/* Even a partial shuffle moved frames: unshuffle undoes it. */
	pool_shuffled = true;
	pool_seed = seed;
	if (!ret)
		pr_info("pool: shuffled %lu pages (seed %llu): %lu moved, %lu of %lu pairs discontiguous%s\n",
			pool_n, seed, pool_frames_moved(), xb_discontiguous_pairs(pool, pool_n),
			pool_n - 1, xb_is_pv() ? "" : " (as far as a translated guest can see)");
	return ret;
}

static int pool_cmd_unshuffle(char *args)
{
	int ret;

	if (*args)
		return -EINVAL;
	ret = xb_pool_usable();
	if (ret)
		return ret;
	if (!xb_is_pv())
		return -EOPNOTSUPP;	/* PVH: frames stay where the shuffle put them */
	ret = xb_p2m_restore(pool, pool_n, pool_frames);
	if (ret == -EUCLEAN)
		pool_lose(NULL, "unshuffle: a P2M swap failed and could not be undone");
	if (!ret)
		pool_shuffled = false;
	return ret;
}

static int pool_cmd_free(char *args)
{
	if (*args)
		return -EINVAL;
	pool_release();
	return 0;
}

static void pool_status(struct seq_file *m)
{
	seq_printf(m, "pool_pages: %lu\n", pool_n);
	seq_printf(m, "pool_lost: %d\n", !!pool_lost);
	seq_printf(m, "pool_leaked_pages: %lu\n", pool_leaked);
	seq_printf(m, "pool_shuffled: %d\n", pool_shuffled);
	seq_printf(m, "pool_frames_moved: %lu\n", pool_n ? pool_frames_moved() : 0);
	seq_printf(m, "pool_discontiguous_pairs: %lu\n",
		   pool_n ? xb_discontiguous_pairs(pool, pool_n) : 0);
}

static int pool_show(struct seq_file *m)
{
	unsigned long i;

	seq_printf(m, "pages: %lu\n", pool_n);
	if (pool_lost)
		seq_printf(m, "lost: %s\n", pool_lost);
	seq_printf(m, "shuffled: %d\n", pool_shuffled);
	seq_printf(m, "seed: %llu\n", pool_seed);
	seq_printf(m, "frames_moved: %lu\n", pool_n ? pool_frames_moved() : 0);
	seq_printf(m, "pairs: %lu\n", pool_n ? pool_n - 1 : 0);
	seq_printf(m, "discontiguous_pairs: %lu\n",
		   pool_n ? xb_discontiguous_pairs(pool, pool_n) : 0);
	for (i = 0; i < pool_n; i++)
		seq_printf(m, "pfn 0x%lx mfn 0x%lx\n", page_to_pfn(pool[i]), xb_frame(pool[i]));
	return 0;
}

/*
 * pread/pwrite of the pool's bytes. Reads at or past the end return 0;
 * writes there fail with -ENOSPC (a 0 would make a writer retry forever).
 */
static ssize_t pool_data_io(char __user *rbuf, const char __user *wbuf, size_t count,
			    loff_t *ppos)
{
	unsigned long size;
	ssize_t ret;

	if (*ppos < 0)
		return -EINVAL;
	if (!count)
		return 0;
	mutex_lock(&xb_lock);
	size = pool_n * PAGE_SIZE;
	ret = xb_pool_usable();
	if (!ret && *ppos >= size) {
		ret = rbuf ? 0 : -ENOSPC;
	} else if (!ret) {
		if (count > size - *ppos)
			count = size - *ppos;
		if (rbuf)
			ret = copy_to_user(rbuf, xb_pool_va(*ppos), count) ? -EFAULT : count;
		else
			ret = copy_from_user(xb_pool_va(*ppos), wbuf, count) ? -EFAULT : count;
		if (ret > 0)
			*ppos += ret;
	}
	mutex_unlock(&xb_lock);
	return ret;
}

static ssize_t pool_data_read(struct file *f, char __user *buf, size_t count, loff_t *ppos)
{
	return pool_data_io(buf, NULL, count, ppos);
}

static ssize_t pool_data_write(struct file *f, const char __user *buf, size_t count, loff_t *ppos)
{
	return pool_data_io(NULL, buf, count, ppos);
}

static const struct file_operations pool_data_fops = {
	.owner = THIS_MODULE,
	.read = pool_data_read,
	.write = pool_data_write,
	.llseek = default_llseek,
};

static void pool_exit(void)
{
	mutex_lock(&xb_lock);
	pool_release();
	mutex_unlock(&xb_lock);
}

static const struct xb_verb pool_verbs[] = {
	{ "alloc", "N", pool_cmd_alloc },
	{ "alloc_contig", "N", pool_cmd_alloc_contig },
	{ "shuffle", "SEED", pool_cmd_shuffle },
	{ "unshuffle", "", pool_cmd_unshuffle },
	{ "free", "", pool_cmd_free },
	{ }
};

static const struct xb_file pool_files[] = {
	{ XB_FILE_POOL, 0600, pool_verbs, pool_show },
	{ XB_FILE_POOL_DATA, 0600, .fops = &pool_data_fops },
	{ }
};

const struct xb_capability xb_cap_pool = {
	.name = "pool",
	.exit = pool_exit,
	.status = pool_status,
	.files = pool_files,
};
