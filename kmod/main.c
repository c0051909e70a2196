// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce.ko: fault injection for DMA under Xen PV.
 *
 * One debugfs directory, /sys/kernel/debug/xenbounce/, one file per
 * capability (see include/uapi/xenbounce.h). This file holds module
 * init/exit, the status file and what the capabilities share: the command
 * reader, the lock, a DMA device and the environment checks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swiotlb.h>
#include <xen/xen.h>
#include <xen/interface/version.h>
#include <asm/xen/hypercall.h>

#include "xenbounce.h"

/* Serialises every command and every read of module state. */
DEFINE_MUTEX(xb_lock);
struct device *xb_dma_dev;

static struct platform_device *xb_pdev;
static struct dentry *xb_dir;
static bool xb_strict, xb_iommu;

char *xb_get_cmd(const char __user *ubuf, size_t count, loff_t *ppos,
		 char *buf, size_t len, ssize_t *err)
{
	ssize_t ret;

	/* One whole command per write: no partial or oversized writes. */
	if (*ppos != 0 || count == 0 || count >= len) {
		*err = -EINVAL;
		return NULL;
	}
	ret = simple_write_to_buffer(buf, len - 1, ppos, ubuf, count);
	if (ret < 0) {
		*err = ret;
		return NULL;
	}
	buf[ret] = '\0';
	*err = 0;
	return strim(buf);
}

bool xb_is_pv(void)
{
	return IS_ENABLED(CONFIG_XEN_PV) && xen_pv_domain();
}

bool xb_iommu_strict(void)
{
	return xb_strict;
}

bool xb_iommu_on(void)
{
	return xb_iommu;
}

/*
 * Is dom0's IOMMU context strict (only dom0's own pages mapped)? Read from
 * Xen's command line: "dom0-iommu=...,strict" or the older
 * "iommu=...,dom0-strict"; "iommu=0|off|no|false" turns it all off.
 */
static void xb_parse_xen_cmdline(void)
{
	struct xen_commandline *cl;
	char *p, *tok;

	xb_strict = false;
	xb_iommu = false;
	if (!xen_initial_domain())
		return;
	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return;
	if (HYPERVISOR_xen_version(XENVER_commandline, cl) < 0)
		goto out;
	cl->buf[sizeof(cl->buf) - 1] = '\0';
	/* Xen turns its IOMMU on by default on x86. */
	xb_iommu = true;
	p = cl->buf;
	while ((tok = strsep(&p, " ")) != NULL) {
		char *opts, *o;
		bool dom0_opt;

		if (str_has_prefix(tok, "dom0-iommu="))
			dom0_opt = true;
		else if (str_has_prefix(tok, "iommu="))
			dom0_opt = false;
		else
			continue;
		opts = strchr(tok, '=') + 1;
		while ((o = strsep(&opts, ",")) != NULL) {
			if (dom0_opt && !strcmp(o, "strict"))
				xb_strict = true;
			if (dom0_opt && !strcmp(o, "none"))
				xb_strict = false;
			if (!dom0_opt && !strcmp(o, "dom0-strict"))
				xb_strict = true;
			if (!dom0_opt && (!strcmp(o, "0") || !strcmp(o, "off") ||
					  !strcmp(o, "no") || !strcmp(o, "false")))
				xb_iommu = false;
		}
	}
	if (!xb_iommu)
		xb_strict = false;
out:
	kfree(cl);
}

static int xb_status_show(struct seq_file *m, void *v)
{
	mutex_lock(&xb_lock);
	seq_printf(m, "xen_pv: %d\n", xb_is_pv());
	seq_printf(m, "iommu: %s\n", !xen_initial_domain() ? "unknown" : xb_iommu ? "on" : "off");
	seq_printf(m, "iommu_strict: %d\n", xb_strict);
	seq_printf(m, "p2m: %s\n", xb_is_pv() ? "supported" : "unsupported (not a Xen PV domain)");
	seq_printf(m, "swiotlb_active: %d\n", is_swiotlb_active(xb_dma_dev));
	xb_pool_status(m);
	xb_scramble_status(m);
	xb_reserve_status(m);
	xb_ttm_status(m);
	xb_bouncelog_status(m);
	xb_edu_status(m);
	mutex_unlock(&xb_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xb_status);

static int __init xb_init(void)
{
	int ret;

	xb_parse_xen_cmdline();
	xb_pdev = platform_device_register_simple(KBUILD_MODNAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(xb_pdev))
		return PTR_ERR(xb_pdev);
	xb_dma_dev = &xb_pdev->dev;
	ret = dma_set_mask_and_coherent(xb_dma_dev, DMA_BIT_MASK(64));
	if (ret)
		goto err_pdev;

	xb_dir = debugfs_create_dir(XB_DEBUGFS_DIR, NULL);
	if (IS_ERR(xb_dir)) {
		ret = PTR_ERR(xb_dir);
		goto err_pdev;
	}
	debugfs_create_file(XB_FILE_STATUS, 0400, xb_dir, NULL, &xb_status_fops);
	ret = xb_pool_init(xb_dir);
	if (!ret)
		ret = xb_scramble_init(xb_dir);
	if (!ret)
		ret = xb_reserve_init(xb_dir);
	if (!ret)
		ret = xb_ttm_init(xb_dir);
	if (!ret)
		ret = xb_bouncelog_init(xb_dir);
	if (!ret)
		ret = xb_edu_init(xb_dir);
	if (!ret)
		ret = xb_bench_init(xb_dir);
	if (ret)
		goto err_caps;
	pr_info("loaded (xen_pv %d, iommu %s, strict %d)\n", xb_is_pv(),
		xb_iommu ? "on" : "off", xb_strict);
	return 0;

err_caps:
	debugfs_remove_recursive(xb_dir);
	xb_ttm_exit();
	xb_reserve_exit();
	xb_pool_exit();
	xb_edu_exit();
	xb_bouncelog_exit();
err_pdev:
	platform_device_unregister(xb_pdev);
	return ret;
}

static void __exit xb_exit(void)
{
	/* Files first, so no command races the teardown. */
	debugfs_remove_recursive(xb_dir);
	/* Mappings before the device they were made on. */
	xb_ttm_exit();
	xb_reserve_exit();
	xb_pool_exit();
	xb_edu_exit();
	xb_bouncelog_exit();
	platform_device_unregister(xb_pdev);
	pr_info("unloaded\n");
}

module_init(xb_init);
module_exit(xb_exit);

MODULE_DESCRIPTION("xenbounce: DMA fault injection under Xen PV (P2M shuffle, swiotlb reserve, bounce log, edu)");
MODULE_LICENSE("GPL");
