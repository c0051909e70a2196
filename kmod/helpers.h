/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every capability of xenbounce.ko uses: the lock, command files
 * (verb tables, one write path, one read path), the environment checks and
 * the DMA devices. helpers.c and p2m.c implement it; they call nothing in
 * the capabilities or in main.c.
 */
#ifndef _XENBOUNCE_HELPERS_H
#define _XENBOUNCE_HELPERS_H

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include <uapi/xenbounce.h>

#include "compat.h"

/* Serialises every command and every read of module state. */
extern struct mutex xb_lock;

/*
 * A command: "NAME ARGS", or "NAME=ARGS" when the name ends in '='. A NULL
 * name matches any command (the whole text is the argument); it goes last.
 * The handler runs under xb_lock unless .unlocked is set.
 */
struct xb_verb {
	const char *name;
	const char *synopsis;	/* arguments, e.g. "N" or "SEED" */
	int (*handler)(char *args);
	bool unlocked;
};

/*
 * A debugfs file. Command files have verbs (written through one generic
 * write path); reading them lists the verbs first ("commands: ..."), then
 * show() runs under xb_lock. fops overrides both for special files.
 */
struct xb_file {
	const char *name;
	umode_t mode;
	const struct xb_verb *verbs;	/* NULL-handler-terminated */
	int (*show)(struct seq_file *m);
	const struct file_operations *fops;
};

int xb_files_create(struct dentry *dir, const struct xb_file *files);
/* The generic write path, for files with their own fops: i_private is the xb_file. */
ssize_t xb_cmd_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos);
/* "commands: a N | b" plus newline, into buf; returns the length. */
int xb_cmd_synopsis(const struct xb_verb *verbs, char *buf, size_t len);

/* Arguments: split on spaces (at most max words, exactly n if exact). */
int xb_args_split(char *args, char **words, int max);
/* A number in [min, max]: -EINVAL when not a number, -ERANGE outside. */
int xb_arg_ul(const char *s, unsigned long min, unsigned long max, unsigned long *out);
int xb_arg_u64(const char *s, u64 *out);

/* Environment. */
bool xb_is_pv(void);
bool xb_iommu_on(void);		/* Xen's command line leaves the IOMMU on */
bool xb_iommu_strict(void);	/* and dom0's context strict */
/*
 * Stray DMA is safe to try only when Xen's command line asks for a strict
 * dom0 IOMMU and userspace confirmed (XB_CONFIG_IOMMU_CONFIRMED, from
 * Xen's physinfo) that an IOMMU is actually active.
 */
bool xb_iommu_confirmed(void);
bool xb_stray_dma_allowed(void);
void xb_set_iommu_confirmed(bool on);
void xb_env_init(void);

/* DMA devices. */
extern struct device *xb_dma_dev;	/* the module's own (reserve, bench) */
int xb_dma_dev_init(void);
void xb_dma_dev_exit(void);
/* The device a GPU-like mapping goes to (edu when bound), with a reference. */
void xb_set_pci_dma_dev(struct device *dev);
struct device *xb_get_map_dev(void);

/*
 * A DMA engine on a real (emulated) device: copies len bytes between bus
 * address bus and the engine's own XB_EDU_BUF_SIZE buffer, to_device
 * meaning RAM -> engine. The edu driver registers it while bound; callers
 * hold xb_lock. dma() returns 0, -ETIMEDOUT (the engine was stopped) or
 * -EINVAL (a range beyond the engine's dma_bits: it would drop the high
 * bits and reach another address, so it is refused). No DMA mask may be
 * wider than dma_bits.
 */
struct xb_engine {
	struct device *dev;
	unsigned int dma_bits;
	int (*dma)(dma_addr_t bus, unsigned long len, bool to_device);
};

void xb_set_engine(const struct xb_engine *e);
const struct xb_engine *xb_get_engine(void);

/*
 * p2m.c: machine frames of pages the module owns. -EUCLEAN from the calls
 * that change frames: a failed change could not be undone either, and the
 * pages involved may have no memory behind them: never touch or free them.
 */
unsigned long xb_frame(struct page *page);
dma_addr_t xb_direct_bus(struct device *dev, void *va);
int xb_p2m_swap(struct page *a, struct page *b, bool keep);
int xb_p2m_shuffle(struct page **pages, unsigned long n, u64 seed, bool keep);
int xb_p2m_restore(struct page **pages, unsigned long n, const unsigned long *frames);
int xb_p2m_permute(struct page **pages, unsigned long n, const unsigned long *perm);
void xb_shuffle_ulongs(unsigned long *v, unsigned long n, u64 seed);
/* XENMEM_exchange of an owned block: for an extent below 2^bits, or (bits 0) back. */
int xb_exchange(struct page *block, unsigned int order, unsigned int bits);
/* Is [va, va + len) machine-contiguous from bus? The first page that is not, or -1. */
long xb_p2m_check_bus(const void *va, unsigned long len, dma_addr_t bus);
/* PVH: permute the frames behind pages (contents kept), verified by tags. */
int xb_gfn_shuffle(struct page **pages, unsigned long n, u64 seed, unsigned long *moved);
/* Give a page's frame back to Xen (balloon out) and take a new one. */
int xb_frame_out(struct page *page, unsigned long *frame);
int xb_frame_in(struct page *page);
unsigned long xb_discontiguous_pairs(struct page **pages, unsigned long n);
/* A machine-contiguous block of 2^order pages, or NULL after 'tries' blocks. */
bool xb_block_contiguous(struct page *block, unsigned int order);
struct page *xb_alloc_contig_block(unsigned int order, gfp_t gfp, unsigned int tries);
/* Whether DMA to machine frame 'frame' would hit memory of this domain. */
bool xb_frame_is_ours(unsigned long frame, unsigned long *pfn);

#endif /* _XENBOUNCE_HELPERS_H */
