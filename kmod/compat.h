/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference xenbounce.ko cares about, in one place.
 * Built and checked (W=1, modpost) against Debian's 6.1 and 6.12 headers:
 * `make -C kmod check`.
 *
 * Rules: use only symbols both export; no no_llseek (gone in 6.12: a
 * nonseekable_open() file needs no .llseek on either); no
 * is_swiotlb_active() (not exported in 6.12: status derives whether this
 * device's mappings may bounce from dma_max_mapping_size(), exported in
 * both).
 */
#ifndef _XENBOUNCE_COMPAT_H
#define _XENBOUNCE_COMPAT_H

#include <linux/err.h>
#include <linux/pci.h>
#include <linux/version.h>

/*
 * BAR 0 of a managed PCI device, mapped and requested. 6.12 exports
 * pcim_iomap_region() and deprecates pcim_iomap_regions()/
 * pcim_iomap_table() (6.1 has only those). Returns an ERR_PTR on failure.
 */
static inline void __iomem *xb_pcim_iomap_bar0(struct pci_dev *pdev, const char *name)
{
#if KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE
	return pcim_iomap_region(pdev, 0, name);
#else
	int ret = pcim_iomap_regions(pdev, BIT(0), name);

	return ret ? IOMEM_ERR_PTR(ret) : pcim_iomap_table(pdev)[0];
#endif
}

#endif /* _XENBOUNCE_COMPAT_H */
