// SPDX-License-Identifier: GPL-2.0
/*
 * A TTM-like mapping: one dma_map_single() over many PFN-contiguous pages,
 * as ttm_populate_and_map_pages() did for radeon/amdgpu on Xen PV until
 * commit 913b2cb727b7 (v5.2) made drm_need_swiotlb() true there.
 * On a fresh dom0 such a block is machine-contiguous and does not bounce;
 * once free memory is scrambled it straddles machine frames, xen-swiotlb
 * must bounce it, and anything over 256 KiB cannot be: "swiotlb buffer is
 * full (sz: 2097152 bytes)". The mapping is made on edu's PCI device when
 * it is bound, like a GPU's, else on the module's own device, and holds a
 * reference to that device until it is released.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "xenbounce.h"

static struct page *block;
static unsigned int block_order;
static struct device *map_dev;
static dma_addr_t map_addr;
static size_t map_bytes;
static bool mapped, bounced;
static unsigned long discontig;
static int last_result;

static void ttm_release(void)
{
	if (mapped)
		dma_unmap_single(map_dev, map_addr, map_bytes, DMA_BIDIRECTIONAL);
	if (block)
		__free_pages(block, block_order);
	/* The mapping held the device (edu may have been removed since). */
	put_device(map_dev);
	map_dev = NULL;
	block = NULL;
	mapped = false;
	bounced = false;
}

static int ttm_map(size_t bytes, bool contiguous)
{
	unsigned long i, n = bytes >> PAGE_SHIFT;
	void *va;

	if (block)
		return -EBUSY;
	block_order = get_order(bytes);
	if (contiguous)
		block = xb_alloc_contig_block(block_order, GFP_KERNEL, XB_CONTIG_TRIES);
	else
		block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, block_order);
	if (!block)
		return contiguous ? -EAGAIN : -ENOMEM;
	discontig = 0;
	for (i = 0; i + 1 < n; i++)
		if (xb_frame(block + i) + 1 != xb_frame(block + i + 1))
			discontig++;
	map_dev = xb_get_map_dev();
	map_bytes = bytes;
	va = page_address(block);
	/* No DMA_ATTR_NO_WARN: the kernel's own message is the evidence. */
	map_addr = dma_map_single(map_dev, va, bytes, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(map_dev, map_addr)) {
		/* Keep the block: status shows how discontiguous it was. */
		return -ENOMEM;
	}
	mapped = true;
	bounced = map_addr != xb_direct_bus(map_dev, va);
	return 0;
}

static int ttm_cmd(char *args, bool contiguous)
{
	unsigned long bytes;
	int ret = xb_arg_ul(args, PAGE_SIZE, XB_TTM_MAX_BYTES, &bytes);

	if (!ret && !PAGE_ALIGNED(bytes))
		ret = -ERANGE;
	if (ret)
		return ret;
	ret = ttm_map(bytes, contiguous);
	last_result = ret;
	return ret;
}

static int ttm_cmd_map(char *args)
{
	return ttm_cmd(args, false);
}

/* The same on a block whose machine frames are contiguous (-EAGAIN: none found). */
static int ttm_cmd_map_contig(char *args)
{
	return ttm_cmd(args, true);
}

static int ttm_cmd_release(char *args)
{
	if (*args)
		return -EINVAL;
	ttm_release();
	return 0;
}

static int ttm_show(struct seq_file *m)
{
	seq_printf(m, "bytes: %zu\n", block ? map_bytes : 0);
	seq_printf(m, "device: %s\n", block ? dev_name(map_dev) : "none");
	seq_printf(m, "discontiguous_pairs: %lu\n", block ? discontig : 0);
	seq_printf(m, "mapped: %d\n", mapped);
	seq_printf(m, "bounced: %d\n", bounced);
	seq_printf(m, "bus_addr: 0x%llx\n", mapped ? (u64)map_addr : 0);
	seq_printf(m, "result: %d\n", last_result);
	return 0;
}

static void ttm_status(struct seq_file *m)
{
	seq_printf(m, "ttm_mapped: %d\n", mapped);
}

static void ttm_exit(void)
{
	mutex_lock(&xb_lock);
	ttm_release();
	mutex_unlock(&xb_lock);
}

static const struct xb_verb ttm_verbs[] = {
	{ "map", "BYTES", ttm_cmd_map },
	{ "map_contig", "BYTES", ttm_cmd_map_contig },
	{ "release", "", ttm_cmd_release },
	{ }
};

static const struct xb_file ttm_files[] = {
	{ XB_FILE_TTM, 0600, ttm_verbs, ttm_show },
	{ }
};

const struct xb_capability xb_cap_ttm = {
	.name = "ttm",
	.exit = ttm_exit,
	.status = ttm_status,
	.files = ttm_files,
};
