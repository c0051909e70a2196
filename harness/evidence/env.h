/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where we run: requirement checks for [scenario] requires, and the
 * environment fingerprint written into every results set.
 */
#ifndef XB_ENV_H
#define XB_ENV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Base of the module's debugfs files (XENBOUNCE_DEBUGFS overrides). */
const char *xb_debugfs_dir(void);
const char *xb_swiotlb_dir(void);

/* 0 when every bit in req holds, else the first missing one, with why. */
unsigned int xb_env_check(unsigned int req, char *why, size_t len);
bool xb_env_xen_pv(void);
/* Fingerprint: Xen, dom0 kernel, IOMMU, memory, swiotlb, devices. */
json_t *xb_env_fingerprint(void);

#endif
