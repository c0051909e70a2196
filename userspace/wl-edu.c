// SPDX-License-Identifier: GPL-2.0
/*
 * edu: DMA through QEMU's edu device, driven by xenbounce.ko, by the path
 * the scenario names (dma_api: correct; first_page: the latent form of the
 * bug, correct only while the P2M is contiguous; raw_phys: pseudo-physical
 * addresses, always wrong under Xen PV; stale: a bus address kept after its
 * page went back to Xen, wrong under PV and PVH alike).
 *
 * Each transfer is a round trip: a source range of the module's pool goes
 * to edu's buffer, then from edu's buffer to a destination range. The whole
 * pool holds a position-tagged pattern beforehand, so afterwards the
 * destination is checked against a pristine expected copy and every other
 * byte of the pool is checked for collateral writes; misplaced bytes are
 * traced back to the pool page they came from.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "workload.h"
#include "xbdev.h"
#include "kmod/include/uapi/xenbounce.h"

#define EDU_POOL_BUF_ID 1u

static const char *const edu_keys[] = { "sizes", "offsets", "iterations", "path", NULL };

static int edu_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			char *err, size_t len)
{
	if (wl->path == XB_PATH_NONE) {
		snprintf(err, len, "driver edu needs path = dma_api, first_page, raw_phys or stale");
		return -1;
	}
	if (!wl->sizes.n) {
		snprintf(err, len, "driver edu needs sizes");
		return -1;
	}
	for (size_t i = 0; i < wl->sizes.n; i++) {
		if (wl->sizes.v[i] > XB_EDU_MAX_LEN) {
			snprintf(err, len, "edu transfers are at most %u bytes (QEMU's edu aborts at 4096)",
				 XB_EDU_MAX_LEN);
			return -1;
		}
	}
	for (size_t i = 0; i < wl->offsets.n; i++) {
		if (wl->offsets.v[i] >= XB_PAT_PAGE) {
			snprintf(err, len, "edu offsets are within a page (0-4095)");
			return -1;
		}
	}
	/* stale gives one page back to Xen: the transfer stays inside it. */
	for (size_t i = 0; wl->path == XB_PATH_STALE && i < wl->sizes.n; i++) {
		for (size_t j = 0; j < (wl->offsets.n ? wl->offsets.n : 1); j++) {
			uint64_t off = wl->offsets.n ? wl->offsets.v[j] : 0;

			if (off + wl->sizes.v[i] > XB_PAT_PAGE) {
				snprintf(err, len, "path = stale: size %llu at offset %llu leaves the page",
					 (unsigned long long)wl->sizes.v[i], (unsigned long long)off);
				return -1;
			}
		}
	}
	if (setup->pool_pages < 4) {
		snprintf(err, len, "driver edu needs [fault] pool_pages of at least 4 (its DMA buffers)");
		return -1;
	}
	return 0;
}

static void transfer_note(struct xb_wl_ctx *ctx, const char *dir)
{
	char *st = xb_dev_read(XB_FILE_EDU);
	char bus[32] = "?", bounced[8] = "?";

	if (st) {
		xb_kv_get(st, "bus_addr", bus, sizeof(bus));
		xb_kv_get(st, "bounced", bounced, sizeof(bounced));
	}
	xb_report_note(ctx, "%s: bus_addr %s bounced %s", dir, bus, bounced);
	free(st);
}

/* A module error is a finding when it is what the fault looks like. */
static enum xb_wl_rc dma_failed(struct xb_wl_ctx *ctx, int ret, const char *dir, uint64_t len)
{
	json_t *f;

	if (ret == -ENOMEM) {
		f = xb_finding_new(XB_K_POOL_EXHAUSTED, "map_failed", "workload");
		json_object_set_new(f, "summary", json_sprintf("%s mapping of %llu bytes failed: swiotlb could not bounce it",
							      dir, (unsigned long long)len));
	} else if (ret == -ETIMEDOUT) {
		f = xb_finding_new(XB_K_HANG, "dma_timeout", "workload");
		json_object_set_new(f, "summary", json_sprintf("%s DMA did not complete", dir));
	} else if (ret == -EIO) {
		f = xb_finding_new(XB_K_MAP_ERROR, "dma_mapping_error", "workload");
		json_object_set_new(f, "summary", json_sprintf("%s: DMA mapping error", dir));
	} else if (ret == -EPERM) {
		/* The module's safety rules said no: this machine cannot run it safely. */
		return xb_wl_skip(ctx, "edu %s refused by the module (-EPERM): no IOMMU Xen confirmed, or the address the device would use is this domain's memory outside the pool (kernel log says which)",
				  dir);
	} else {
		return xb_wl_error(ctx, "edu %s refused: %s", dir, strerror(-ret));
	}
	json_object_set_new(json_object_get(f, "numbers"), "errno", json_integer(-ret));
	xb_report_finding(ctx, f);
	return XB_WL_DONE;
}

static void report_corruption(struct xb_wl_ctx *ctx, const char *where, const struct xb_verify *v,
			      uint64_t region_off, uint64_t len, uint64_t size, uint64_t off)
{
	json_t *f = xb_finding_new(XB_K_CORRUPTION, where, "workload");
	json_t *nums = xb_verify_json(v);
	char src[96] = "";

	if (v->nruns && v->runs[0].src_known)
		snprintf(src, sizeof(src), "; first wrong bytes came from pool page %u +%llu",
			 v->runs[0].src.page, (unsigned long long)(v->runs[0].src_pos % XB_PAT_PAGE));
	json_object_set_new(nums, "region_offset", json_integer((json_int_t)region_off));
	json_object_set_new(nums, "transfer_size", json_integer((json_int_t)size));
	json_object_set_new(nums, "page_offset", json_integer((json_int_t)off));
	json_object_set_new(f, "numbers", nums);
	json_object_set_new(f, "summary", json_sprintf("%llu of %llu bytes wrong in the %s (pool +%llu)%s",
		(unsigned long long)v->bytes_wrong, (unsigned long long)len, where,
		(unsigned long long)(region_off + v->first_wrong), src));
	xb_report_finding(ctx, f);
}

static enum xb_wl_rc edu_run(struct xb_wl_ctx *ctx)
{
	const struct xb_workload *wl = ctx->wl;
	const char *path = xb_path_name(wl->path);
	uint64_t pages, rng = ctx->seed, transfers = 0, bad = 0;
	size_t noff = wl->offsets.n ? wl->offsets.n : 1;
	uint8_t *pristine = NULL, *expect = NULL, *actual = NULL;
	enum xb_wl_rc rc = XB_WL_DONE;
	char buf[32];
	size_t bytes;
	int ret;

	if (xb_dev_get_str(XB_FILE_STATUS, "edu", buf, sizeof(buf)) || strncmp(buf, "bound", 5))
		return xb_wl_skip(ctx, "no QEMU edu device (1234:11e8) bound to xenbounce.ko");
	ret = xb_dev_get_u64(XB_FILE_STATUS, "pool_pages", &pages);
	if (ret || pages < 4)
		return xb_wl_error(ctx, "the module has no DMA pool of at least 4 pages");
	bytes = (size_t)pages * XB_PAT_PAGE;
	pristine = malloc(bytes);
	expect = malloc(bytes);
	actual = malloc(bytes);
	if (!pristine || !expect || !actual) {
		rc = xb_wl_error(ctx, "out of memory for %zu-byte pool copies", bytes);
		goto out;
	}
	xb_pat_fill(pristine, bytes, EDU_POOL_BUF_ID, 0, ctx->seed);

	for (uint64_t it = 0; it < wl->iterations && rc == XB_WL_DONE; it++) {
		for (size_t si = 0; si < wl->sizes.n && rc == XB_WL_DONE; si++) {
			for (size_t oi = 0; oi < noff && rc == XB_WL_DONE; oi++) {
				uint64_t size = wl->sizes.v[si];
				uint64_t off = wl->offsets.n ? wl->offsets.v[oi] : 0;
				uint64_t pairs = pages / 2;
				uint64_t sp = 2 * (xb_rand_next(&rng) % pairs);
				uint64_t dp = 2 * ((sp / 2 + 1 + xb_rand_next(&rng) % (pairs - 1)) % pairs);
				uint64_t src = sp * XB_PAT_PAGE + off, dst = dp * XB_PAT_PAGE + off;
				struct xb_verify v;

				ret = xb_dev_pool_io(true, 0, pristine, bytes);
				if (ret) {
					rc = xb_wl_error(ctx, "could not write the pool: %s", strerror(-ret));
					break;
				}
				xb_report_note(ctx, "transfer %llu: %llu bytes, pool +%llu -> edu -> pool +%llu (%s)",
					       (unsigned long long)transfers, (unsigned long long)size,
					       (unsigned long long)src, (unsigned long long)dst, path);
				ret = xb_dev_cmd(XB_FILE_EDU, "%s %s %llu %llu", path, XB_EDU_DIR_TO_DEVICE,
						 (unsigned long long)src, (unsigned long long)size);
				if (ret) {
					rc = dma_failed(ctx, ret, XB_EDU_DIR_TO_DEVICE, size);
					transfers++;
					bad++;
					continue;
				}
				transfer_note(ctx, XB_EDU_DIR_TO_DEVICE);
				ret = xb_dev_cmd(XB_FILE_EDU, "%s %s %llu %llu", path, XB_EDU_DIR_FROM_DEVICE,
						 (unsigned long long)dst, (unsigned long long)size);
				if (ret) {
					rc = dma_failed(ctx, ret, XB_EDU_DIR_FROM_DEVICE, size);
					transfers++;
					bad++;
					continue;
				}
				transfer_note(ctx, XB_EDU_DIR_FROM_DEVICE);
				ret = xb_dev_pool_io(false, 0, actual, bytes);
				if (ret) {
					rc = xb_wl_error(ctx, "could not read the pool: %s", strerror(-ret));
					break;
				}
				/* Expected: the pool as written, with src copied over dst. */
				memcpy(expect, pristine, bytes);
				memcpy(expect + dst, pristine + src, size);
				transfers++;
				if (xb_verify(actual + dst, expect + dst, size, dst, &v)) {
					report_corruption(ctx, "target", &v, dst, size, size, off);
					bad++;
				}
				/* Everything else must be untouched: canaries. */
				if (xb_verify(actual, expect, dst, 0, &v))
					report_corruption(ctx, "collateral", &v, 0, dst, size, off);
				if (xb_verify(actual + dst + size, expect + dst + size, bytes - dst - size,
					      dst + size, &v))
					report_corruption(ctx, "collateral", &v, dst + size, bytes - dst - size,
							  size, off);
			}
		}
	}
	if (rc == XB_WL_DONE)
		xb_report_note(ctx, "%llu round trips by %s, %llu with wrong data or failed",
			       (unsigned long long)transfers, path, (unsigned long long)bad);
out:
	free(pristine);
	free(expect);
	free(actual);
	return rc;
}

const struct xb_driver xb_driver_edu = {
	.name = "edu",
	.help = "DMA round trips through QEMU's edu device by dma_api, first_page, raw_phys or stale",
	.keys = edu_keys,
	.validate = edu_validate,
	.run = edu_run,
};
