/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenbounce.ko's capabilities, as main.c (the registry) sees them, and the
 * few things one capability offers another (edu uses the pool, bench the
 * bounce log). Capabilities include helpers.h; main.c includes this file.
 * The contract with userspace is include/uapi/xenbounce.h.
 */
#ifndef _XENBOUNCE_H
#define _XENBOUNCE_H

#include "helpers.h"

/*
 * One capability: init and exit (either may be NULL), a status hook that
 * adds "key: value" lines to the status file (under xb_lock), and its
 * debugfs files, created by the registry after init.
 */
struct xb_capability {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
	void (*status)(struct seq_file *m);
	const struct xb_file *files;	/* name-NULL-terminated */
};

extern const struct xb_capability xb_cap_bouncelog;
extern const struct xb_capability xb_cap_edu;
extern const struct xb_capability xb_cap_pool;
extern const struct xb_capability xb_cap_scramble;
extern const struct xb_capability xb_cap_reserve;
extern const struct xb_capability xb_cap_ttm;
extern const struct xb_capability xb_cap_bench;
extern const struct xb_capability xb_cap_dmaapi;
extern const struct xb_capability xb_cap_exhaust;

/* pool.c, for edu and dmaapi */
unsigned long xb_pool_pages(void);
/* 0, -ENOENT (no pool) or -EIO (lost: every command on it fails, logged). */
int xb_pool_usable(void);
void *xb_pool_va(unsigned long off);
struct page *xb_pool_page(unsigned long off);
bool xb_pool_has_pfn(unsigned long pfn);
/* A page with no frame behind it: the pool is lost, the page never freed. */
void xb_pool_lose_page(struct page *page, const char *why);

/* bouncelog.c, for bench: leave dev's bounces at dev_addr out of the log (NULL: none). */
void xb_bouncelog_mute(const struct device *dev, dma_addr_t dev_addr);
bool xb_bouncelog_enabled(void);

#endif /* _XENBOUNCE_H */
