// SPDX-License-Identifier: GPL-2.0
/*
 * ttm: TTM-like mappings through xenbounce.ko, one dma_map_single() over
 * a PFN-contiguous block per size, as radeon/amdgpu's TTM did before
 * 913b2cb727b7 (v5.2). On a fresh dom0 a 2 MiB block is machine-contiguous
 * and needs no bounce; after [fault] scramble_mib it straddles machine
 * frames and xen-swiotlb cannot bounce it: "swiotlb buffer is full (sz:
 * 2097152 bytes)". A machine-discontiguous block mapped without a bounce
 * is a contract/no_bounce finding: the device was given the wrong frames.
 * Each mapping is released before the next.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"
#include "xbdev.h"
#include "kmod/include/uapi/xenbounce.h"

static const char *const ttm_keys[] = { "sizes", "iterations", "contiguous", NULL };

static int ttm_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			char *err, size_t len)
{
	(void)setup;
	if (!wl->sizes.n) {
		snprintf(err, len, "driver ttm needs sizes");
		return -1;
	}
	for (size_t i = 0; i < wl->sizes.n; i++) {
		if (wl->sizes.v[i] < 4096 || wl->sizes.v[i] > XB_TTM_MAX_BYTES || wl->sizes.v[i] % 4096) {
			snprintf(err, len, "ttm sizes are multiples of 4K from 4K to %uK", XB_TTM_MAX_BYTES >> 10);
			return -1;
		}
	}
	return 0;
}

/* One mapping's finding: "TTM-like mapping of SIZE bytes WHAT (P of N page pairs ...)". */
static void ttm_finding(struct xb_wl_ctx *ctx, enum xb_kind kind, const char *subkind, const char *dev,
			unsigned long long size, const char *pairs, const char *what)
{
	json_t *f = xb_finding_new(kind, subkind, "workload");

	json_object_set_new(f, "device", json_string(dev));
	json_object_set_new(f, "summary", json_sprintf(
		"TTM-like mapping of %llu bytes %s (%s of %llu page pairs machine-discontiguous)",
		size, what, pairs, size / 4096 - 1));
	json_object_set_new(json_object_get(f, "numbers"), "size_bytes", json_integer((json_int_t)size));
	xb_report_finding(ctx, f);
}

static enum xb_wl_rc ttm_run(struct xb_wl_ctx *ctx)
{
	const struct xb_workload *wl = ctx->wl;
	char pairs[32], bounced[8], dev[64];

	if (xb_dev_cmd(XB_FILE_TTM, "release") == -ENOENT)
		return xb_wl_skip(ctx, "xenbounce.ko not loaded");
	for (uint64_t it = 0; it < wl->iterations; it++) {
		for (size_t i = 0; i < wl->sizes.n; i++) {
			unsigned long long size = wl->sizes.v[i];
			int ret = xb_dev_cmd(XB_FILE_TTM, "%s %llu", wl->contiguous ? "map_contig" : "map", size);
			char *st = xb_dev_read(XB_FILE_TTM);

			strcpy(pairs, "?");
			strcpy(bounced, "?");
			strcpy(dev, "?");
			if (st) {
				xb_kv_get(st, "discontiguous_pairs", pairs, sizeof(pairs));
				xb_kv_get(st, "bounced", bounced, sizeof(bounced));
				xb_kv_get(st, "device", dev, sizeof(dev));
			}
			free(st);
			if (ret == -EAGAIN) {
				xb_dev_cmd(XB_FILE_TTM, "release");
				return xb_wl_skip(ctx, "precondition: no machine-contiguous block of %llu bytes in %d tries",
						  size, XB_CONTIG_TRIES);
			}
			if (ret == -ENOMEM && strcmp(dev, "none")) {
				ttm_finding(ctx, XB_K_POOL_EXHAUSTED, "map_failed", dev, size, pairs, "failed");
			} else if (ret) {
				xb_dev_cmd(XB_FILE_TTM, "release");
				return xb_wl_error(ctx, "ttm map %llu: %s", size, strerror(-ret));
			} else if (strcmp(pairs, "0") && !strcmp(bounced, "0")) {
				/*
				 * Under PV the bus address is the machine address:
				 * the device sees the frames that follow the first
				 * one, not the buffer's. xen-swiotlb had to bounce it
				 * (or refuse it, as it must above 256 KiB).
				 */
				ttm_finding(ctx, XB_K_CONTRACT, "no_bounce", dev, size, pairs,
					    "handed to the device unbounced");
			} else {
				xb_report_note(ctx, "mapping of %llu bytes on %s: %s of %llu pairs discontiguous, bounced %s",
					       size, dev, pairs, size / 4096 - 1, bounced);
			}
			ret = xb_dev_cmd(XB_FILE_TTM, "release");
			if (ret)
				return xb_wl_error(ctx, "ttm release: %s", strerror(-ret));
		}
	}
	return XB_WL_DONE;
}

const struct xb_driver xb_driver_ttm = {
	.name = "ttm",
	.help = "TTM-like dma_map_single() of PFN-contiguous blocks (the v4.17 radeon/amdgpu path)",
	.keys = ttm_keys,
	.validate = ttm_validate,
	.run = ttm_run,
};
