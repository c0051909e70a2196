// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce.ko: fault injection for DMA under Xen PV.
 *
 * The registry: one debugfs directory, /sys/kernel/debug/xenbounce/, the
 * capabilities in the order they start (and, reversed, stop), the status
 * file that asks each of them for its lines, and the config file. The
 * capabilities know nothing of this file; what they share is helpers.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <xen/xen.h>

#include "xenbounce.h"

/*
 * Order matters: the bounce log first, so it sees every bounce; edu before
 * ttm, which maps on edu's device, so ttm's mapping is gone before edu's
 * driver is unregistered.
 */
static const struct xb_capability *const caps[] = {
	&xb_cap_bouncelog,
	&xb_cap_edu,
	&xb_cap_pool,
	&xb_cap_scramble,
	&xb_cap_exhaust,
	&xb_cap_reserve,
	&xb_cap_ttm,
	&xb_cap_dmaapi,
	&xb_cap_bench,
};

static struct dentry *xb_dir;

static int status_show(struct seq_file *m)
{
	size_t max = dma_max_mapping_size(xb_dma_dev);
	unsigned int i;

	seq_printf(m, "xen_pv: %d\n", xb_is_pv());
	seq_printf(m, "iommu: %s\n", !xen_initial_domain() ? "unknown" :
		   xb_iommu_on() ? "on" : "off");
	seq_printf(m, "iommu_strict: %d\n", xb_iommu_strict());
	seq_printf(m, "iommu_confirmed: %d\n", xb_iommu_confirmed());
	seq_printf(m, "p2m: %s\n", xb_is_pv() ? "supported" :
		   xen_domain() ? "translated (Xen keeps it; pool shuffle moves frames)" :
		   "unsupported (not under Xen)");
	/* Mappings of the module's device may bounce (swiotlb or xen-swiotlb). */
	seq_printf(m, "swiotlb_active: %d\n", xb_is_pv() || max != SIZE_MAX);
	seq_printf(m, "max_mapping_size: %zu\n", max);
	for (i = 0; i < ARRAY_SIZE(caps); i++)
		if (caps[i]->status)
			caps[i]->status(m);
	return 0;
}

static int config_confirm(char *args)
{
	unsigned long v;
	int ret = xb_arg_ul(args, 0, 1, &v);

	if (ret)
		return ret;
	xb_set_iommu_confirmed(v);
	if (!xb_is_pv())	/* PVH: the IOMMU translates; only stale DMA asks */
		pr_info("IOMMU %s by userspace: stale DMA %s\n",
			v ? "confirmed active" : "not confirmed", v ? "allowed" : "refused");
	else
		pr_info("IOMMU %s by userspace: stray DMA (first_page, raw_phys, stale) %s\n",
			v ? "confirmed active" : "not confirmed",
			xb_stray_dma_allowed() ? "allowed" :
			v ? "still refused (no dom0-iommu=strict for Xen)" : "refused");
	return 0;
}

static int config_show(struct seq_file *m)
{
	seq_printf(m, "iommu_confirmed: %d\n", xb_iommu_confirmed());
	return 0;
}

static const struct xb_verb config_verbs[] = {
	{ XB_CONFIG_IOMMU_CONFIRMED, "0|1", config_confirm },
	{ }
};

static const struct xb_file main_files[] = {
	{ XB_FILE_STATUS, 0400, NULL, status_show },
	{ XB_FILE_CONFIG, 0600, config_verbs, config_show },
	{ }
};

static void caps_exit(unsigned int n)
{
	while (n--)
		if (caps[n]->exit)
			caps[n]->exit();
}

static int __init xb_init(void)
{
	unsigned int i;
	int ret;

	xb_env_init();
	ret = xb_dma_dev_init();
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		ret = caps[i]->init ? caps[i]->init() : 0;
		if (ret) {
			pr_err("%s: init failed: %d\n", caps[i]->name, ret);
			goto err_caps;
		}
	}
	xb_dir = debugfs_create_dir(XB_DEBUGFS_DIR, NULL);
	ret = PTR_ERR_OR_ZERO(xb_dir);
	if (!ret)
		ret = xb_files_create(xb_dir, main_files);
	for (i = 0; !ret && i < ARRAY_SIZE(caps); i++)
		ret = xb_files_create(xb_dir, caps[i]->files);
	if (ret)
		goto err_files;
	pr_info("loaded (xen_pv %d, iommu %s, strict %d)\n", xb_is_pv(),
		xb_iommu_on() ? "on" : "off", xb_iommu_strict());
	return 0;

err_files:
	debugfs_remove_recursive(xb_dir);
	i = ARRAY_SIZE(caps);
err_caps:
	caps_exit(i);
	xb_dma_dev_exit();
	return ret;
}

static void __exit xb_exit(void)
{
	/* Files first, so no command races the teardown. */
	debugfs_remove_recursive(xb_dir);
	caps_exit(ARRAY_SIZE(caps));
	xb_dma_dev_exit();
	pr_info("unloaded\n");
}

module_init(xb_init);
module_exit(xb_exit);

MODULE_DESCRIPTION("xenbounce: DMA fault injection under Xen PV (P2M shuffle, swiotlb reserve, bounce log, edu)");
MODULE_LICENSE("GPL");
