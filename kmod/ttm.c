// SPDX-License-Identifier: GPL-2.0
/*
 * A TTM-like mapping: one dma_map_single() over many PFN-contiguous pages,
 * as ttm_populate_and_map_pages() did for radeon/amdgpu on Xen PV until
 * commit 913b2cb727b7 (v5.2) made drm_need_swiotlb() true there.
 * On a fresh dom0 such a block is machine-contiguous and does not bounce;
 * once free memory is scrambled it straddles machine frames, xen-swiotlb
 * must bounce it, and anything over 256 KiB cannot be: "swiotlb buffer is
 * full (sz: 2097152 bytes)". The mapping is made on edu's PCI device when
 * it is bound, like a GPU's, else on the module's own device.
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
	block = NULL;
	mapped = false;
	bounced = false;
}

static int ttm_map(size_t bytes)
{
	unsigned long i, n = bytes >> PAGE_SHIFT;
	void *va;

	if (block)
		return -EBUSY;
	block_order = get_order(bytes);
	block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, block_order);
	if (!block)
		return -ENOMEM;
	discontig = 0;
	for (i = 0; i + 1 < n; i++)
		if (xb_frame(block + i) + 1 != xb_frame(block + i + 1))
			discontig++;
	map_dev = xb_edu_device() ? xb_edu_device() : xb_dma_dev;
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

static ssize_t ttm_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	char buf[XB_CMD_MAX], *cmd;
	unsigned long bytes;
	ssize_t err;
	int ret;

	cmd = xb_get_cmd(ubuf, count, ppos, buf, sizeof(buf), &err);
	if (!cmd)
		return err;
	mutex_lock(&xb_lock);
	if (!strcmp(cmd, "release")) {
		ttm_release();
		ret = 0;
	} else if (str_has_prefix(cmd, "map ")) {
		ret = kstrtoul(cmd + 4, 0, &bytes);
		if (!ret && (bytes < PAGE_SIZE || bytes > XB_TTM_MAX_BYTES || !PAGE_ALIGNED(bytes)))
			ret = -ERANGE;
		if (!ret) {
			ret = ttm_map(bytes);
			last_result = ret;
		}
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&xb_lock);
	return ret ? ret : count;
}

static int ttm_show(struct seq_file *m, void *v)
{
	mutex_lock(&xb_lock);
	seq_printf(m, "bytes: %zu\n", block ? map_bytes : 0);
	seq_printf(m, "device: %s\n", block ? dev_name(map_dev) : "none");
	seq_printf(m, "discontiguous_pairs: %lu\n", block ? discontig : 0);
	seq_printf(m, "mapped: %d\n", mapped);
	seq_printf(m, "bounced: %d\n", bounced);
	seq_printf(m, "bus_addr: 0x%llx\n", mapped ? (u64)map_addr : 0);
	seq_printf(m, "result: %d\n", last_result);
	mutex_unlock(&xb_lock);
	return 0;
}

XB_DEFINE_CMD_FILE(ttm);

void xb_ttm_status(struct seq_file *m)
{
	seq_printf(m, "ttm_mapped: %d\n", mapped);
}

int xb_ttm_init(struct dentry *dir)
{
	debugfs_create_file(XB_FILE_TTM, 0600, dir, NULL, &ttm_fops);
	return 0;
}

void xb_ttm_exit(void)
{
	mutex_lock(&xb_lock);
	ttm_release();
	mutex_unlock(&xb_lock);
}
