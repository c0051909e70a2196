/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only file that includes Xen's headers (libxenctrl, libxenstore).
 * Debian's xenctrl.h needs GNU C (anonymous unions), so xen.c alone is
 * built with -std=gnu11; everything else is strict C11.
 */
#ifndef XB_XEN_H
#define XB_XEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct xb_xen;

bool xb_xen_privcmd_present(void);
/* NULL when there is no privcmd or it cannot be opened. */
struct xb_xen *xb_xen_open(void);
void xb_xen_close(struct xb_xen *x);
/* New console ring text since the last call (incremental); NUL-terminated.
 * NULL, errno set, when Xen refuses (a domU may not read it). */
const char *xb_xen_console_read(struct xb_xen *x, size_t *len);
/* A xenstore read (value NULL) or write with a time limit; 0 or -errno. */
int xb_xs_op(const char *path, const char *value, char *out, size_t outlen, int timeout_ms);
/* Xen's physinfo says an IOMMU is active (directio): 1, 0, or -errno. */
int xb_xen_iommu_active(void);
/* Bytes of Xen's free heap below 2^bits (xc_availheap, every node); 0 or -errno. */
int xb_xen_free_below(struct xb_xen *x, unsigned int bits, unsigned long long *bytes);
/* Xen version, changeset, command line, physinfo, dom0 memory target. */
json_t *xb_xen_fingerprint(void);
/* Xen's free heap below 2^bits (xc_availheap), in KiB; -errno without Xen. */
long long xb_xen_free_below_kib(unsigned int bits);

#endif
