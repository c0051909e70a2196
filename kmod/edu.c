// SPDX-License-Identifier: GPL-2.0
/*
 * A driver for QEMU's edu device (PCI 1234:11e8), a DMA engine with a 4 KiB
 * buffer at device address 0x40000. One command, one DMA between that
 * buffer and the module's pool, by one of three paths:
 *
 *   dma_api     dma_map_single() over the whole range: correct; under Xen
 *               PV, xen-swiotlb bounces a range that straddles frames.
 *   first_page  maps only the first page and hands its bus address to the
 *               device for the whole length: the latent form of the bug,
 *               right while the P2M happens to be contiguous, wrong once it
 *               is shuffled.
 *   raw_phys    page_to_phys(): a pseudo-physical address, wrong under Xen
 *               PV every time.
 *
 * first_page and raw_phys can send the device to machine frames other than
 * the buffer's. The module checks every frame the device will touch first:
 * it must belong to the pool, or not be this domain's memory at all while
 * Xen's dom0 IOMMU is strict; on bare metal the device must be behind a
 * translating IOMMU. Either way a stray access faults instead of writing
 * someone else's memory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "xenbounce.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_REG_ID	0x00
#define EDU_REG_SRC	0x80
#define EDU_REG_DST	0x88
#define EDU_REG_COUNT	0x90
#define EDU_REG_CMD	0x98
#define EDU_CMD_START	0x1
#define EDU_CMD_TO_RAM	0x2
#define EDU_BUF_ADDR	0x40000
#define EDU_TIMEOUT_MS	2000

static unsigned int edu_dma_bits = 28;
module_param(edu_dma_bits, uint, 0444);
MODULE_PARM_DESC(edu_dma_bits, "DMA address bits of the edu device (QEMU default 28; match -device edu,dma_mask=)");

enum edu_path { PATH_DMA_API, PATH_FIRST_PAGE, PATH_RAW_PHYS };

static const char * const path_words[] = {
	[PATH_DMA_API] = XB_EDU_PATH_DMA_API,
	[PATH_FIRST_PAGE] = XB_EDU_PATH_FIRST_PAGE,
	[PATH_RAW_PHYS] = XB_EDU_PATH_RAW_PHYS,
};

static struct pci_dev *edu_pdev;
static void __iomem *edu_mmio;

static struct {
	enum edu_path path;
	bool to_device;
	unsigned long off, len;
	dma_addr_t bus;
	bool bounced;
	int result;
	bool valid;
} last;

struct device *xb_edu_device(void)
{
	return edu_pdev ? &edu_pdev->dev : NULL;
}

/* One DMA on the engine; returns 0 or -ETIMEDOUT. */
static noinline int edu_dma(dma_addr_t bus, unsigned long len, bool to_device)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(EDU_TIMEOUT_MS);

	writeq(to_device ? bus : EDU_BUF_ADDR, edu_mmio + EDU_REG_SRC);
	writeq(to_device ? EDU_BUF_ADDR : bus, edu_mmio + EDU_REG_DST);
	writeq(len, edu_mmio + EDU_REG_COUNT);
	writeq(EDU_CMD_START | (to_device ? 0 : EDU_CMD_TO_RAM), edu_mmio + EDU_REG_CMD);
	/* edu runs its DMA from a 100 ms timer. */
	while (readq(edu_mmio + EDU_REG_CMD) & EDU_CMD_START) {
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(1000, 2000);
	}
	return 0;
}

/* Bare metal: is the device behind an IOMMU that translates its DMA? */
static bool translated(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	return dom && (dom->type & __IOMMU_DOMAIN_PAGING);
}

/*
 * May the device touch bus addresses [bus, bus + len)? Every frame must be
 * the pool's, or be kept from memory by an IOMMU: Xen's strict dom0
 * context for frames that are not this domain's, or on bare metal a
 * translating IOMMU domain, where unmapped addresses fault.
 */
static int frames_allowed(struct device *dev, dma_addr_t bus, unsigned long len)
{
	unsigned long f, first = bus >> PAGE_SHIFT, lastf = (bus + len - 1) >> PAGE_SHIFT;

	if (!xb_is_pv() && translated(dev))
		return 0;
	for (f = first; f <= lastf; f++) {
		unsigned long pfn;

		if (xb_frame_is_ours(f, &pfn)) {
			if (xb_pool_has_pfn(pfn))
				continue;
			pr_info_ratelimited("edu: refusing DMA to frame 0x%lx: memory of this domain outside the pool\n",
					    f);
			return -EPERM;
		}
		if (!xb_is_pv() || !xb_iommu_strict()) {
			pr_info_ratelimited("edu: refusing DMA to frame 0x%lx: not ours, and no strict IOMMU to stop it\n",
					    f);
			return -EPERM;
		}
	}
	return 0;
}

static int edu_run(enum edu_path path, bool to_device, unsigned long off, unsigned long len)
{
	enum dma_data_direction dir = to_device ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *dev = &edu_pdev->dev;
	void *va = xb_pool_va(off);
	size_t mapped = len;
	dma_addr_t bus;
	int ret;

	last.bounced = false;
	switch (path) {
	case PATH_DMA_API:
		bus = dma_map_single(dev, va, len, dir);
		if (dma_mapping_error(dev, bus))
			return -ENOMEM;
		last.bounced = bus != xb_direct_bus(dev, va);
		break;
	case PATH_FIRST_PAGE:
		mapped = min_t(size_t, len, PAGE_SIZE - offset_in_page(va));
		bus = dma_map_single(dev, va, mapped, dir);
		if (dma_mapping_error(dev, bus))
			return -ENOMEM;
		ret = frames_allowed(dev, bus, len);
		if (ret) {
			dma_unmap_single(dev, bus, mapped, dir);
			return ret;
		}
		break;
	case PATH_RAW_PHYS:
		bus = page_to_phys(xb_pool_page(off)) + offset_in_page(va);
		if (xb_is_pv() && !xb_iommu_strict())
			return -EPERM;
		ret = frames_allowed(dev, bus, len);
		if (ret)
			return ret;
		break;
	default:
		return -EINVAL;
	}
	last.bus = bus;
	ret = edu_dma(bus, len, to_device);
	if (path != PATH_RAW_PHYS)
		dma_unmap_single(dev, bus, mapped, dir);
	return ret;
}

static ssize_t edu_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	char buf[XB_CMD_MAX], *cmd, *w[4];
	unsigned long off, len;
	enum edu_path path;
	bool to_device;
	ssize_t err;
	int i, n = 0, ret;

	cmd = xb_get_cmd(ubuf, count, ppos, buf, sizeof(buf), &err);
	if (!cmd)
		return err;
	while (n < 4 && (w[n] = strsep(&cmd, " ")) != NULL)
		if (*w[n])
			n++;
	if (n != 4 || cmd)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(path_words); i++)
		if (!strcmp(w[0], path_words[i]))
			break;
	if (i == ARRAY_SIZE(path_words))
		return -EINVAL;
	path = i;
	if (!strcmp(w[1], XB_EDU_DIR_TO_DEVICE))
		to_device = true;
	else if (!strcmp(w[1], XB_EDU_DIR_FROM_DEVICE))
		to_device = false;
	else
		return -EINVAL;
	if (kstrtoul(w[2], 0, &off) || kstrtoul(w[3], 0, &len))
		return -EINVAL;
	if (len == 0 || len > XB_EDU_MAX_LEN)
		return -ERANGE;
	mutex_lock(&xb_lock);
	if (!edu_pdev)
		ret = -ENODEV;
	else if (!xb_pool_pages())
		ret = -ENOENT;
	else if (off >= xb_pool_pages() * PAGE_SIZE || len > xb_pool_pages() * PAGE_SIZE - off)
		ret = -ERANGE;
	else
		ret = edu_run(path, to_device, off, len);
	last.path = path;
	last.to_device = to_device;
	last.off = off;
	last.len = len;
	last.result = ret;
	last.valid = true;
	mutex_unlock(&xb_lock);
	return ret ? ret : count;
}

static int edu_show(struct seq_file *m, void *v)
{
	mutex_lock(&xb_lock);
	seq_printf(m, "device: %s\n", edu_pdev ? pci_name(edu_pdev) : "none");
	seq_printf(m, "dma_bits: %u\n", edu_dma_bits);
	if (last.valid) {
		seq_printf(m, "path: %s\n", path_words[last.path]);
		seq_printf(m, "direction: %s\n",
			   last.to_device ? XB_EDU_DIR_TO_DEVICE : XB_EDU_DIR_FROM_DEVICE);
		seq_printf(m, "pool_offset: %lu\n", last.off);
		seq_printf(m, "len: %lu\n", last.len);
		seq_printf(m, "bus_addr: 0x%llx\n", (u64)last.bus);
		seq_printf(m, "bounced: %d\n", last.bounced);
		seq_printf(m, "result: %d\n", last.result);
	}
	mutex_unlock(&xb_lock);
	return 0;
}

XB_DEFINE_CMD_FILE(edu);

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *mmio;
	u32 ident;
	int ret;

	if (edu_dma_bits < 24 || edu_dma_bits > 64)
		return -EINVAL;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	mmio = pcim_iomap_table(pdev)[0];
	ident = readl(mmio + EDU_REG_ID);
	if ((ident & 0xff) != 0xed) {
		dev_err(&pdev->dev, "not an edu device (id 0x%08x)\n", ident);
		return -ENODEV;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(edu_dma_bits));
	if (ret)
		return ret;
	pci_set_master(pdev);
	mutex_lock(&xb_lock);
	edu_pdev = pdev;
	edu_mmio = mmio;
	mutex_unlock(&xb_lock);
	dev_info(&pdev->dev, "edu %u.%u bound, %u-bit DMA\n", ident >> 24, (ident >> 16) & 0xff,
		 edu_dma_bits);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	mutex_lock(&xb_lock);
	edu_pdev = NULL;
	edu_mmio = NULL;
	mutex_unlock(&xb_lock);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static bool edu_registered;

void xb_edu_status(struct seq_file *m)
{
	if (edu_pdev)
		seq_printf(m, "edu: bound %s\n", pci_name(edu_pdev));
	else
		seq_puts(m, "edu: absent\n");
}

int xb_edu_init(struct dentry *dir)
{
	int ret = pci_register_driver(&edu_driver);

	if (ret)
		return ret;
	edu_registered = true;
	debugfs_create_file(XB_FILE_EDU, 0600, dir, NULL, &edu_fops);
	return 0;
}

void xb_edu_exit(void)
{
	if (edu_registered)
		pci_unregister_driver(&edu_driver);
	edu_registered = false;
}
