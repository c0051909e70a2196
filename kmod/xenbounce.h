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

/* pool.c, for edu */
unsigned long xb_pool_pages(void);
void *xb_pool_va(unsigned long off);
struct page *xb_pool_page(unsigned long off);
bool xb_pool_has_pfn(unsigned long pfn);
/* A page whose frame Xen did not give back: keep the pool away from it. */
void xb_pool_lose_page(struct page *page);

/* bouncelog.c, for bench: returns the previous setting */
bool xb_bouncelog_set_enabled(bool on);

#endif /* _XENBOUNCE_H */
