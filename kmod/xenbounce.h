/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenbounce.ko internals shared by its capability files. The contract with
 * userspace is include/uapi/xenbounce.h.
 */
#ifndef _XENBOUNCE_H
#define _XENBOUNCE_H

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include <uapi/xenbounce.h>

/* Serialises every command and every read of module state. */
extern struct mutex xb_lock;

/* Device for mappings that need no real hardware (reserve, ttm). */
extern struct device *xb_dma_dev;

/*
 * A file that takes commands (NAME_write) and shows state (NAME_show),
 * like DEFINE_SHOW_ATTRIBUTE with a write handler.
 */
#define XB_DEFINE_CMD_FILE(__name)					\
static int __name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name##_show, inode->i_private);	\
}									\
									\
static const struct file_operations __name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = __name##_open,						\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
	.write = __name##_write,					\
}

/* Copy one command from userspace, NUL-terminated and trimmed. */
char *xb_get_cmd(const char __user *ubuf, size_t count, loff_t *ppos,
		 char *buf, size_t len, ssize_t *err);

/* main.c: environment */
bool xb_is_pv(void);
bool xb_iommu_strict(void);
bool xb_iommu_on(void);

/* p2m.c: machine frames of pages the module owns */
unsigned long xb_frame(struct page *page);
dma_addr_t xb_direct_bus(struct device *dev, void *va);
int xb_p2m_swap(struct page *a, struct page *b, bool keep);
int xb_p2m_shuffle(struct page **pages, unsigned long n, u64 seed, bool keep);
int xb_p2m_restore(struct page **pages, unsigned long n, const unsigned long *frames);
unsigned long xb_discontiguous_pairs(struct page **pages, unsigned long n);
/* Whether DMA to machine frame 'frame' would hit memory of this domain. */
bool xb_frame_is_ours(unsigned long frame, unsigned long *pfn);

/* pool.c */
int xb_pool_init(struct dentry *dir);
void xb_pool_exit(void);
void xb_pool_status(struct seq_file *m);
unsigned long xb_pool_pages(void);
void *xb_pool_va(unsigned long off);
struct page *xb_pool_page(unsigned long off);
bool xb_pool_has_pfn(unsigned long pfn);

/* scramble.c */
int xb_scramble_init(struct dentry *dir);
void xb_scramble_status(struct seq_file *m);

/* reserve.c */
int xb_reserve_init(struct dentry *dir);
void xb_reserve_exit(void);
void xb_reserve_status(struct seq_file *m);

/* ttm.c */
int xb_ttm_init(struct dentry *dir);
void xb_ttm_exit(void);
void xb_ttm_status(struct seq_file *m);

/* bouncelog.c */
int xb_bouncelog_init(struct dentry *dir);
void xb_bouncelog_exit(void);
void xb_bouncelog_status(struct seq_file *m);

bool xb_bouncelog_set_enabled(bool on);

/* bench.c */
int xb_bench_init(struct dentry *dir);

/* edu.c */
int xb_edu_init(struct dentry *dir);
void xb_edu_exit(void);
void xb_edu_status(struct seq_file *m);
struct device *xb_edu_device(void);

#endif /* _XENBOUNCE_H */
