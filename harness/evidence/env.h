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

/* Preconditions; a missing one makes the test SKIP with the reason. */
enum xb_require {
	XB_REQ_ROOT = 1u << 0,
	XB_REQ_XEN_PV = 1u << 1,	/* running in a Xen PV domain */
	XB_REQ_BARE = 1u << 2,		/* not under Xen */
	XB_REQ_KMOD = 1u << 3,		/* xenbounce.ko loaded */
	XB_REQ_EDU = 1u << 4,		/* QEMU edu bound to xenbounce.ko */
	XB_REQ_IOMMU = 1u << 5,		/* Xen: IOMMU on for dom0 */
	XB_REQ_IOMMU_STRICT = 1u << 6,	/* Xen: dom0-iommu=strict */
	XB_REQ_AMDGPU = 1u << 7,	/* an amdgpu render node */
	XB_REQ_XEN = 1u << 8,		/* a Xen dom0, PV or PVH */
	XB_REQ_DOM0 = 1u << 9,		/* Xen's control domain, not a domU */
};

/*
 * What kind of domain we run in: the fingerprint's dom0_mode, and the
 * modes a scenario's [expect MODE] sections name.
 */
enum xb_dom0_mode {
	XB_DOM0_NONE,	/* not under Xen */
	XB_DOM0_PV,
	XB_DOM0_PVH,
	XB_DOM0_HVM,
	XB_DOM0_DOMU_PV,	/* a PV domU (the device passed through to it) */
	XB_DOM0_NMODES,
};

enum xb_dom0_mode xb_env_dom0_mode(void);
const char *xb_dom0_mode_name(enum xb_dom0_mode m);
/* XB_DOM0_NMODES when name is not a mode. */
enum xb_dom0_mode xb_dom0_mode_from_name(const char *name);

/* The bit for a requirement's name in scenario files; 0 when unknown. */
unsigned int xb_require_from_name(const char *name);
const char *xb_require_name(unsigned int bit);

const char *xb_swiotlb_dir(void);
/* One number from swiotlb's debugfs (io_tlb_used, ...): >= 0, or -1. */
long long xb_swiotlb_value(const char *name);

/* 0 when every bit in req holds, else the first missing one, with why. */
unsigned int xb_env_check(unsigned int req, char *why, size_t len);
bool xb_env_xen_pv(void);
/* Xen's control domain (dom0), from /proc/xen/capabilities or dom0's xenbus_backend. */
bool xb_env_is_dom0(void);
/* Fingerprint: Xen, dom0 kernel, IOMMU, memory, swiotlb, devices. */
json_t *xb_env_fingerprint(void);

#endif
