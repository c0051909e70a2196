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
 *   stale       maps and unmaps the range (within one page), then the page's
 *               frame goes back to Xen (balloon out) while the device still
 *               holds the bus address, and the device uses it: a driver
 *               that kept a DMA address past its page's life. The page then
 *               gets a new frame and its old contents back.
 *
 * first_page and raw_phys can send the device to machine frames other than
 * the buffer's. Under Xen PV they run only when Xen's command line asks for
 * a strict dom0 IOMMU and userspace confirmed, from Xen's physinfo, that an
 * IOMMU is active (config: "iommu_confirmed 1"); the command line alone
 * does not make an IOMMU. Then every frame the device will touch must
 * belong to the pool, or not be this domain's memory at all. On bare metal
 * the device must be behind a translating IOMMU. Either way a stray access
 * faults instead of writing someone else's memory.
 *
 * The device has edu_dma_bits address bits and drops the rest (QEMU's edu
 * masks the start address with its dma_mask): every range handed to it
 * must lie below 2^edu_dma_bits, whatever the path, or it is refused
 * (-EINVAL); the frames checked are the ones the device will touch.
 *
 * A transfer that does not finish in time is stopped before its buffer is
 * unmapped: bus mastering off, then wait for the engine to go idle (its
 * accesses go nowhere meanwhile). An engine that never does stays off.
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
#define EDU_STOP_MS	2000
/*
 * A frame given back to Xen may come straight back to this domain when
 * the balloon is still filling up (Xen hands out the newest free frames
 * first); the stale DMA is then refused (not ours to hit) and tried again
 * with the page's next frame, a little later.
 */
#define STALE_TRIES	10
#define STALE_WAIT_MS	500

static unsigned int edu_dma_bits = 28;
module_param(edu_dma_bits, uint, 0444);
MODULE_PARM_DESC(edu_dma_bits, "DMA address bits of the edu device (QEMU default 28; match -device edu,dma_mask=)");

static unsigned int edu_timeout_ms = 2000;
module_param(edu_timeout_ms, uint, 0644);
MODULE_PARM_DESC(edu_timeout_ms, "How long one edu DMA may take, 1-60000 ms (edu needs 100; lower it to test the timeout path)");

enum edu_path { PATH_DMA_API, PATH_FIRST_PAGE, PATH_RAW_PHYS, PATH_STALE };

static const char * const path_words[] = {
	[PATH_DMA_API] = XB_EDU_PATH_DMA_API,
	[PATH_FIRST_PAGE] = XB_EDU_PATH_FIRST_PAGE,
	[PATH_RAW_PHYS] = XB_EDU_PATH_RAW_PHYS,
	[PATH_STALE] = XB_EDU_PATH_STALE,
};

static struct pci_dev *edu_pdev;
static void __iomem *edu_mmio;
static bool edu_wedged;		/* timed out and never went idle: bus mastering stays off */
static unsigned long edu_timeouts;

static struct {
	enum edu_path path;
	bool to_device;
	unsigned long off, len;
	dma_addr_t bus;
	bool bounced;
	int result;
	bool valid;
} last;

static bool edu_busy(void)
{
	return readq(edu_mmio + EDU_REG_CMD) & EDU_CMD_START;
}

/*
 * A transfer timed out: stop the device before its buffer is unmapped.
 * With bus mastering off, whatever the engine still does reaches no
 * memory; wait for it to go idle, then let it master again.
 */
static void edu_stop(void)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(EDU_STOP_MS);

	edu_timeouts++;
	pci_clear_master(edu_pdev);
	while (edu_busy()) {
		if (time_after(jiffies, deadline)) {
			edu_wedged = true;
			dev_err(&edu_pdev->dev, "DMA engine still busy %u ms after a timeout: bus mastering stays off\n",
				EDU_STOP_MS);
			return;
		}
		usleep_range(1000, 2000);
	}
	pci_set_master(edu_pdev);
	dev_info(&edu_pdev->dev, "DMA timed out: stopped the engine before unmapping\n");
}

/* The highest address the device can put on the bus. */
static u64 edu_reach(void)
{
	return DMA_BIT_MASK(edu_dma_bits);
}

/*
 * Can the device reach all of [bus, bus + len)? It would silently drop the
 * high bits of a wider address and DMA somewhere else: refuse, and say so.
 */
static int edu_reachable(dma_addr_t bus, unsigned long len)
{
	u64 reach = edu_reach();

	if (len && bus <= reach && len - 1 <= reach - bus)
		return 0;
	pr_err_ratelimited("edu: refusing DMA at 0x%llx+%lu: beyond the device's %u address bits (edu_dma_bits), it would reach 0x%llx instead\n",
			   (u64)bus, len, edu_dma_bits, (u64)bus & reach);
	return -EINVAL;
}

/*
 * One DMA on the engine; returns 0, -ETIMEDOUT (the engine stopped) or
 * -EINVAL (out of the device's reach: nothing was started).
 */
static noinline int edu_dma(dma_addr_t bus, unsigned long len, bool to_device)
{
	unsigned int ms = clamp(READ_ONCE(edu_timeout_ms), 1U, 60000U);
	unsigned long deadline = jiffies + msecs_to_jiffies(ms);

	if (edu_reachable(bus, len))
		return -EINVAL;
	writeq(to_device ? bus : EDU_BUF_ADDR, edu_mmio + EDU_REG_SRC);
	writeq(to_device ? EDU_BUF_ADDR : bus, edu_mmio + EDU_REG_DST);
	writeq(len, edu_mmio + EDU_REG_COUNT);
	writeq(EDU_CMD_START | (to_device ? 0 : EDU_CMD_TO_RAM), edu_mmio + EDU_REG_CMD);
	/* edu runs its DMA from a 100 ms timer. */
	while (edu_busy()) {
		if (time_after(jiffies, deadline)) {
			edu_stop();
			return -ETIMEDOUT;
		}
		usleep_range(1000, 2000);
	}
	return 0;
}

/* The engine other capabilities drive through the DMA API (dmaapi.c). */
static int edu_engine_dma(dma_addr_t bus, unsigned long len, bool to_device)
{
	if (edu_wedged)
		return -EIO;
	if (!len || len > XB_EDU_MAX_LEN)
		return -EINVAL;
	return edu_dma(bus, len, to_device);
}

static struct xb_engine edu_engine = { .dma = edu_engine_dma };

/* Bare metal: is the device behind an IOMMU that translates its DMA? */
static bool translated(struct device *dev)
{
	struct iommu_domain *dom = iommu_get_domain_for_dev(dev);

	return dom && (dom->type & __IOMMU_DOMAIN_PAGING);
}

/*
 * Under Xen PV, DMA that may leave the buffer needs an IOMMU Xen itself
 * reported (userspace confirmed it from physinfo) and a strict dom0
 * context: a command line asking for one is not enough.
 */
static int stray_dma_allowed(const char *path)
{
	if (!xb_is_pv() || xb_stray_dma_allowed())
		return 0;
	if (!xb_iommu_strict())
		pr_info_ratelimited("edu: refusing %s DMA: Xen's command line has no strict dom0 IOMMU (dom0-iommu=strict)\n",
				    path);
	else
		pr_info_ratelimited("edu: refusing %s DMA: no active IOMMU confirmed (Xen's physinfo has no directio; write \"%s 1\" to %s once it does)\n",
				    path, XB_CONFIG_IOMMU_CONFIRMED, XB_FILE_CONFIG);
	return -EPERM;
}

/*
 * May the device touch bus addresses [bus, bus + len)? It must reach them
 * (edu_reachable()), and every frame it will touch, the address as cut to
 * its width, must be the pool's, or be kept from memory by an IOMMU: Xen's
 * strict dom0 context (confirmed active) for frames that are not this
 * domain's, or on bare metal a translating IOMMU domain, where unmapped
 * addresses fault.
 */
static int frames_allowed(struct device *dev, dma_addr_t bus, unsigned long len)
{
	u64 touched = (u64)bus & edu_reach();
	unsigned long f, first = touched >> PAGE_SHIFT, lastf = (touched + len - 1) >> PAGE_SHIFT;

	if (edu_reachable(bus, len))
		return -EINVAL;
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
		if (!xb_is_pv() || !xb_stray_dma_allowed()) {
			pr_info_ratelimited("edu: refusing DMA to frame 0x%lx: not ours, and no strict IOMMU to stop it\n",
					    f);
			return -EPERM;
		}
	}
	return 0;
}

/*
 * The stale path, once the driver has unmapped: the page's frame goes back
 * to Xen, the device uses the old address, the page gets a frame again.
 * Only the IOMMU stands between the device and that address: under PV it
 * is a machine frame that is Xen's now (stray DMA rules apply), under PVH
 * a hole in dom0's physical map. Nothing touches the page while it is out.
 */
static int edu_stale(struct device *dev, struct page *page, dma_addr_t bus,
		     unsigned long len, bool to_device)
{
	void *keep = kmalloc(PAGE_SIZE, GFP_KERNEL);
	unsigned long frame;
	int ret, in;

	if (!keep)
		return -ENOMEM;
	memcpy(keep, page_address(page), PAGE_SIZE);
	ret = xb_frame_out(page, &frame);
	if (ret == -EUCLEAN)
		xb_pool_lose_page(page, "stale: frame kept by Xen could not be mapped back");
	if (ret)
		goto out;
	ret = frames_allowed(dev, bus, len);
	if (!ret)
		ret = edu_dma(bus, len, to_device);
	in = xb_frame_in(page);
	if (in) {
		xb_pool_lose_page(page, "stale: no frame back from Xen for the page");
		ret = in;
		goto out;
	}
	memcpy(page_address(page), keep, PAGE_SIZE);
	dev_dbg(dev, "stale DMA to frame 0x%lx (bus 0x%llx): %d\n", frame, (u64)bus, ret);
out:
	kfree(keep);
	return ret;
}

static int edu_run(enum edu_path path, bool to_device, unsigned long off, unsigned long len)
{
	enum dma_data_direction dir = to_device ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct device *dev = &edu_pdev->dev;
	void *va = xb_pool_va(off);
	size_t mapped = len;
	dma_addr_t bus;
	int ret, try;

	last.bounced = false;
	switch (path) {
	case PATH_DMA_API:
		bus = dma_map_single(dev, va, len, dir);
		if (dma_mapping_error(dev, bus))
			return -ENOMEM;
		last.bounced = bus != xb_direct_bus(dev, va);
		break;
	case PATH_FIRST_PAGE:
		ret = stray_dma_allowed(path_words[path]);
		if (ret)
			return ret;
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
		ret = stray_dma_allowed(path_words[path]);
		if (ret)
			return ret;
		bus = page_to_phys(xb_pool_page(off)) + offset_in_page(va);
		ret = frames_allowed(dev, bus, len);
		if (ret)
			return ret;
		break;
	case PATH_STALE:
		ret = stray_dma_allowed(path_words[path]);
		if (ret)
			return ret;
		/* PVH too: only Xen's IOMMU keeps the hole from being an address. */
		if (!xb_iommu_confirmed()) {
			pr_info_ratelimited("edu: refusing stale DMA: no active IOMMU confirmed\n");
			return -EPERM;
		}
		if (len > PAGE_SIZE - offset_in_page(va))
			return -EINVAL;
		for (try = 1; ; try++) {
			bus = dma_map_single(dev, va, len, dir);
			if (dma_mapping_error(dev, bus))
				return -ENOMEM;
			dma_unmap_single(dev, bus, len, dir);
			/* A bounce slot is not the page: nothing stale to test. */
			if (bus != xb_direct_bus(dev, va))
				return -EINVAL;
			last.bus = bus;
			ret = edu_stale(dev, xb_pool_page(off), bus, len, to_device);
			if (ret != -EPERM || try == STALE_TRIES)
				return ret;
			msleep(STALE_WAIT_MS);
		}
	default:
		return -EINVAL;
	}
	last.bus = bus;
	ret = edu_dma(bus, len, to_device);
	if (path != PATH_RAW_PHYS)
		dma_unmap_single(dev, bus, mapped, dir);
	return ret;
}

/* "PATH DIR POOL_OFFSET LEN" */
static int edu_cmd(enum edu_path path, char *args)
{
	unsigned long off, len, pool_bytes;
	bool to_device;
	char *w[3];
	int ret;

	if (xb_args_split(args, w, 3) != 3)
		return -EINVAL;
	if (!strcmp(w[0], XB_EDU_DIR_TO_DEVICE))
		to_device = true;
	else if (!strcmp(w[0], XB_EDU_DIR_FROM_DEVICE))
		to_device = false;
	else
		return -EINVAL;
	ret = xb_arg_ul(w[1], 0, ULONG_MAX, &off);
	if (!ret)
		ret = xb_arg_ul(w[2], 1, XB_EDU_MAX_LEN, &len);
	if (ret)
		return ret;
	pool_bytes = xb_pool_pages() * PAGE_SIZE;
	if (!edu_pdev)
		ret = -ENODEV;
	else if (edu_wedged)
		ret = -EIO;
	else
		ret = xb_pool_usable();
	if (!ret && (off >= pool_bytes || len > pool_bytes - off))
		ret = -ERANGE;
	else if (!ret)
		ret = edu_run(path, to_device, off, len);
	last.path = path;
	last.to_device = to_device;
	last.off = off;
	last.len = len;
	last.result = ret;
	last.valid = true;
	return ret;
}

static int edu_cmd_dma_api(char *args)
{
	return edu_cmd(PATH_DMA_API, args);
}

static int edu_cmd_first_page(char *args)
{
	return edu_cmd(PATH_FIRST_PAGE, args);
}

static int edu_cmd_raw_phys(char *args)
{
	return edu_cmd(PATH_RAW_PHYS, args);
}

static int edu_cmd_stale(char *args)
{
	return edu_cmd(PATH_STALE, args);
}

#define EDU_ARGS	XB_EDU_DIR_TO_DEVICE "|" XB_EDU_DIR_FROM_DEVICE " POOL_OFFSET LEN"

static const struct xb_verb edu_verbs[] = {
	{ XB_EDU_PATH_DMA_API, EDU_ARGS, edu_cmd_dma_api },
	{ XB_EDU_PATH_FIRST_PAGE, EDU_ARGS, edu_cmd_first_page },
	{ XB_EDU_PATH_RAW_PHYS, EDU_ARGS, edu_cmd_raw_phys },
	{ XB_EDU_PATH_STALE, EDU_ARGS, edu_cmd_stale },
	{ }
};

static int edu_show(struct seq_file *m)
{
	seq_printf(m, "device: %s\n", edu_pdev ? pci_name(edu_pdev) : "none");
	seq_printf(m, "dma_bits: %u\n", edu_dma_bits);
	seq_printf(m, "timeouts: %lu\n", edu_timeouts);
	seq_printf(m, "wedged: %d\n", edu_wedged);
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
	return 0;
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *mmio;
	u32 ident;
	int ret;

	if (edu_dma_bits < 24 || edu_dma_bits > 64) {
		dev_err(&pdev->dev, "edu_dma_bits=%u: must be 24 to 64\n", edu_dma_bits);
		return -EINVAL;
	}
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	mmio = xb_pcim_iomap_bar0(pdev, KBUILD_MODNAME);
	if (IS_ERR(mmio))
		return PTR_ERR(mmio);
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
	edu_wedged = false;
	xb_set_pci_dma_dev(&pdev->dev);
	edu_engine.dev = &pdev->dev;
	edu_engine.dma_bits = edu_dma_bits;
	xb_set_engine(&edu_engine);
	mutex_unlock(&xb_lock);
	dev_info(&pdev->dev, "edu %u.%u bound, %u-bit DMA\n", ident >> 24, (ident >> 16) & 0xff,
		 edu_dma_bits);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	mutex_lock(&xb_lock);
	xb_set_pci_dma_dev(NULL);
	xb_set_engine(NULL);
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

static void edu_status(struct seq_file *m)
{
	if (edu_pdev)
		seq_printf(m, "edu: bound %s\n", pci_name(edu_pdev));
	else
		seq_puts(m, "edu: absent\n");
}

static int edu_init(void)
{
	int ret = pci_register_driver(&edu_driver);

	if (ret)
		return ret;
	edu_registered = true;
	return 0;
}

static void edu_exit(void)
{
	if (edu_registered)
		pci_unregister_driver(&edu_driver);
	edu_registered = false;
}

static const struct xb_file edu_files[] = {
	{ XB_FILE_EDU, 0600, edu_verbs, edu_show },
	{ }
};

const struct xb_capability xb_cap_edu = {
	.name = "edu",
	.init = edu_init,
	.exit = edu_exit,
	.status = edu_status,
	.files = edu_files,
};
