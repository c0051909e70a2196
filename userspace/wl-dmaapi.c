// SPDX-License-Identifier: GPL-2.0
/*
 * dmaapi: the DMA API contract on edu's device, through xenbounce.ko's
 * dmaapi file. Every check maps (or allocates) an object, has edu read and
 * write it, and the module compares every byte the CPU then sees with what
 * Documentation/core-api/dma-api.rst promises; this driver turns each
 * result into findings:
 *
 *   corrupt     corruption/dma_api: wrong bytes after the exchange
 *   constraint  contract/constraint: an address that breaks the device's
 *               mask, min_align_mask, max_segment_size, segment boundary
 *               or a coherent buffer's alignment
 *   map_failed  map_error/ACTION: the API refused (allowed only where the
 *               scenario says so, e.g. beyond the pool's capacity)
 *   timeout     hang/engine: edu never finished
 *   bounce = expected | none: contract/no_bounce or needless_bounce when
 *               the mapping did not or did go through a bounce buffer
 *
 * action = single | page | sg | sync | maxmap | coherent | noncoherent |
 * pages; sizes and offsets are within the module's pool (offsets from the
 * pool's start) except for the allocating actions, which take sizes only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"
#include "xbdev.h"
#include "kmod/include/uapi/xenbounce.h"

static const char *const dmaapi_keys[] = {
	"action", "directions", "sizes", "offsets", "iterations", "segments", "sync_offset",
	"sync_len", "rounds", "partial", "skip_cpu_sync", "dma_bits", "min_align", "max_seg",
	"seg_boundary", "bounce", NULL,
};

static const char *const actions[] = {
	XB_DMAAPI_SINGLE, XB_DMAAPI_PAGE, XB_DMAAPI_SG, XB_DMAAPI_SYNC, XB_DMAAPI_MAXMAP,
	XB_DMAAPI_COHERENT, XB_DMAAPI_NONCOHERENT, XB_DMAAPI_PAGES,
};

static bool is(const struct xb_workload *wl, const char *action)
{
	return !strcmp(wl->action, action);
}

static bool allocates(const struct xb_workload *wl)
{
	return is(wl, XB_DMAAPI_COHERENT) || is(wl, XB_DMAAPI_NONCOHERENT) || is(wl, XB_DMAAPI_PAGES);
}

static bool mask_ok(uint64_t m)
{
	return (m & (m + 1)) == 0;
}

static int dmaapi_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			   char *err, size_t len)
{
	size_t i;

	for (i = 0; i < XB_ARRAY_SIZE(actions); i++)
		if (is(wl, actions[i]))
			break;
	if (i == XB_ARRAY_SIZE(actions)) {
		snprintf(err, len, "driver dmaapi needs action = single, page, sg, sync, maxmap, coherent, noncoherent or pages");
		return -1;
	}
	if (!is(wl, XB_DMAAPI_MAXMAP) && !wl->sizes.n) {
		snprintf(err, len, "action %s needs sizes", wl->action);
		return -1;
	}
	if (is(wl, XB_DMAAPI_MAXMAP) && wl->sizes.n) {
		snprintf(err, len, "action maxmap maps dma_max_mapping_size() bytes: it takes no sizes");
		return -1;
	}
	if (is(wl, XB_DMAAPI_SYNC) && !wl->sync_len) {
		snprintf(err, len, "action sync needs sync_len (and sync_offset, rounds)");
		return -1;
	}
	if (is(wl, XB_DMAAPI_COHERENT) && wl->directions) {
		snprintf(err, len, "action coherent takes no directions");
		return -1;
	}
	if ((wl->min_align_set && !mask_ok(wl->min_align)) ||
	    (wl->seg_boundary && !mask_ok(wl->seg_boundary))) {
		snprintf(err, len, "min_align and seg_boundary are masks of the form 2^n - 1");
		return -1;
	}
	if (allocates(wl)) {
		for (i = 0; i < wl->sizes.n; i++) {
			if (wl->sizes.v[i] > XB_DMAAPI_MAX_ALLOC) {
				snprintf(err, len, "allocations are at most %u bytes", XB_DMAAPI_MAX_ALLOC);
				return -1;
			}
		}
		return 0;
	}
	if (!setup->pool_pages) {
		snprintf(err, len, "action %s works on the module's pool: [fault] pool_pages", wl->action);
		return -1;
	}
	for (i = 0; i < wl->sizes.n; i++) {
		for (size_t o = 0; o < (wl->offsets.n ? wl->offsets.n : 1); o++) {
			uint64_t off = wl->offsets.n ? wl->offsets.v[o] : 0;

			if (off + wl->sizes.v[i] > setup->pool_pages * 4096) {
				snprintf(err, len, "offset %llu + size %llu is beyond the pool (%llu pages)",
					 (unsigned long long)off, (unsigned long long)wl->sizes.v[i],
					 (unsigned long long)setup->pool_pages);
				return -1;
			}
			if (is(wl, XB_DMAAPI_SYNC) &&
			    wl->sync_offset + wl->sync_len > wl->sizes.v[i]) {
				snprintf(err, len, "sync_offset + sync_len is beyond size %llu",
					 (unsigned long long)wl->sizes.v[i]);
				return -1;
			}
			if (is(wl, XB_DMAAPI_SG) && (wl->segments ? wl->segments : 4) > wl->sizes.v[i]) {
				snprintf(err, len, "more segments than bytes");
				return -1;
			}
		}
	}
	return 0;
}

struct outcome {
	char result[16], why[160], addr[32], bounced[4], wrong[24], checked[24], first[24], nents[8];
	char p2m[24];	/* pages whose machine frame the module checked (PV) */
};

static void read_outcome(struct outcome *o)
{
	char *st = xb_dev_read(XB_FILE_DMAAPI);

	memset(o, 0, sizeof(*o));
	strcpy(o->result, "?");
	if (!st)
		return;
	xb_kv_get(st, "result", o->result, sizeof(o->result));
	xb_kv_get(st, "why", o->why, sizeof(o->why));
	xb_kv_get(st, "dma_addr", o->addr, sizeof(o->addr));
	xb_kv_get(st, "bounced", o->bounced, sizeof(o->bounced));
	xb_kv_get(st, "bytes_wrong", o->wrong, sizeof(o->wrong));
	xb_kv_get(st, "bytes_checked", o->checked, sizeof(o->checked));
	xb_kv_get(st, "first_wrong", o->first, sizeof(o->first));
	xb_kv_get(st, "nents", o->nents, sizeof(o->nents));
	xb_kv_get(st, "p2m_checked_pages", o->p2m, sizeof(o->p2m));
	free(st);
}

static json_t *finding(enum xb_kind kind, const char *subkind, const char *what,
		       const struct outcome *o)
{
	json_t *f = xb_finding_new(kind, subkind, "workload"), *n = json_object_get(f, "numbers");
	uint64_t v;

	json_object_set_new(f, "summary", json_sprintf("%s: %s", what, o->why));
	if (!xb_parse_u64(o->wrong, 0, UINT64_MAX, &v) && v)
		json_object_set_new(n, "bytes_wrong", json_integer((json_int_t)v));
	if (!xb_parse_u64(o->checked, 0, UINT64_MAX, &v) && v)
		json_object_set_new(n, "bytes_checked", json_integer((json_int_t)v));
	if (!xb_parse_u64(o->first, 0, UINT64_MAX, &v) && kind == XB_K_CORRUPTION)
		json_object_set_new(n, "first_wrong", json_integer((json_int_t)v));
	return f;
}

/* One check: the command, then its outcome turned into findings. */
static enum xb_wl_rc one(struct xb_wl_ctx *ctx, const char *what, const char *cmd)
{
	const struct xb_workload *wl = ctx->wl;
	struct outcome o;
	int ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s", cmd);

	if (ret == -ENODEV)
		return xb_wl_skip(ctx, "no edu device bound to xenbounce.ko");
	if (ret)
		return xb_wl_error(ctx, "dmaapi %s: %s", cmd, strerror(-ret));
	read_outcome(&o);
	if (!strcmp(o.result, "corrupt"))
		xb_report_finding(ctx, finding(XB_K_CORRUPTION, "dma_api", what, &o));
	else if (!strcmp(o.result, "constraint"))
		xb_report_finding(ctx, finding(XB_K_CONTRACT, "constraint", what, &o));
	else if (!strcmp(o.result, "map_failed"))
		xb_report_finding(ctx, finding(XB_K_MAP_ERROR, wl->action, what, &o));
	else if (!strcmp(o.result, "timeout"))
		xb_report_finding(ctx, finding(XB_K_HANG, "engine", what, &o));
	else if (strcmp(o.result, "ok"))
		return xb_wl_error(ctx, "dmaapi %s: unreadable result \"%s\"", cmd, o.result);
	if (!strcmp(o.result, "ok") || !strcmp(o.result, "corrupt")) {
		bool bounced = !strcmp(o.bounced, "1");

		if (!strcmp(wl->bounce, "expected") && !bounced) {
			strcpy(o.why, "the mapping went to the device without a bounce buffer");
			xb_report_finding(ctx, finding(XB_K_CONTRACT, "no_bounce", what, &o));
		} else if (!strcmp(wl->bounce, "none") && bounced) {
			strcpy(o.why, "bounced although the pages reach the device directly");
			xb_report_finding(ctx, finding(XB_K_CONTRACT, "needless_bounce", what, &o));
		}
	}
	xb_report_note(ctx, "%s: %s, dma 0x%s, bounced %s%s%s, %s bytes checked%s%s%s", what, o.result,
		       o.addr[0] == '0' && o.addr[1] == 'x' ? o.addr + 2 : o.addr, o.bounced,
		       o.nents[0] && strcmp(o.nents, "0") ? ", segments " : "",
		       o.nents[0] && strcmp(o.nents, "0") ? o.nents : "", o.checked,
		       o.p2m[0] && strcmp(o.p2m, "0") ? ", machine frames of " : "",
		       o.p2m[0] && strcmp(o.p2m, "0") ? o.p2m : "",
		       o.p2m[0] && strcmp(o.p2m, "0") ? " pages checked in the P2M" : "");
	return XB_WL_DONE;
}

static int config(const struct xb_workload *wl, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s", XB_DMAAPI_CONFIG);

	if (wl->dma_bits)
		off += (size_t)snprintf(buf + off, len - off, " mask=%llu", (unsigned long long)wl->dma_bits);
	if (wl->min_align_set)
		off += (size_t)snprintf(buf + off, len - off, " min_align=0x%llx",
					(unsigned long long)wl->min_align);
	if (wl->max_seg)
		off += (size_t)snprintf(buf + off, len - off, " max_seg=%llu", (unsigned long long)wl->max_seg);
	if (wl->seg_boundary)
		off += (size_t)snprintf(buf + off, len - off, " seg_boundary=0x%llx",
					(unsigned long long)wl->seg_boundary);
	return off > strlen(XB_DMAAPI_CONFIG);
}

static enum xb_wl_rc dmaapi_run(struct xb_wl_ctx *ctx)
{
	const struct xb_workload *wl = ctx->wl;
	unsigned int dirs = wl->directions ? wl->directions :
			    XB_DIR_TO_DEVICE | XB_DIR_FROM_DEVICE | XB_DIR_BIDIRECTIONAL;
	size_t nsizes = wl->sizes.n ? wl->sizes.n : 1, noffs = wl->offsets.n ? wl->offsets.n : 1;
	enum xb_wl_rc rc = XB_WL_DONE;
	char cmd[XB_CMD_MAX], what[XB_CMD_MAX + 32], opts[48] = "";
	int ret;

	ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s default", XB_DMAAPI_CONFIG);
	if (ret == -ENOENT)
		return xb_wl_skip(ctx, "xenbounce.ko not loaded (no %s file)", XB_FILE_DMAAPI);
	if (ret == -ENODEV)
		return xb_wl_skip(ctx, "no edu device bound to xenbounce.ko");
	if (ret)
		return xb_wl_error(ctx, "dmaapi config default: %s", strerror(-ret));
	if (config(wl, cmd, sizeof(cmd))) {
		ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s", cmd);
		if (ret)
			return xb_wl_error(ctx, "dmaapi %s: %s", cmd, strerror(-ret));
		xb_report_note(ctx, "device set up: %s", cmd + strlen(XB_DMAAPI_CONFIG) + 1);
	}
	if (wl->skip_cpu_sync)
		snprintf(opts, sizeof(opts), " %s", XB_DMAAPI_SKIP_SYNC);
	if (wl->partial)
		snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), " partial=%llu",
			 (unsigned long long)wl->partial);
	for (uint64_t it = 0; it < wl->iterations && rc == XB_WL_DONE; it++) {
		for (unsigned int d = 1; d <= XB_DIR_BIDIRECTIONAL && rc == XB_WL_DONE; d <<= 1) {
			const char *dir = xb_dir_name(d);

			if (!(dirs & d) && !is(wl, XB_DMAAPI_COHERENT))
				continue;
			if (is(wl, XB_DMAAPI_COHERENT) && d != XB_DIR_TO_DEVICE)
				break;	/* coherent has no direction: once */
			for (size_t s = 0; s < nsizes && rc == XB_WL_DONE; s++) {
				for (size_t o = 0; o < noffs && rc == XB_WL_DONE; o++) {
					unsigned long long size = wl->sizes.n ? wl->sizes.v[s] : 0;
					unsigned long long off = wl->offsets.n ? wl->offsets.v[o] : 0;

					if (is(wl, XB_DMAAPI_COHERENT))
						snprintf(cmd, sizeof(cmd), "%s %llu", wl->action, size);
					else if (allocates(wl))
						snprintf(cmd, sizeof(cmd), "%s %s %llu", wl->action, dir, size);
					else if (is(wl, XB_DMAAPI_MAXMAP))
						snprintf(cmd, sizeof(cmd), "%s %s %llu%s", wl->action, dir, off, opts);
					else if (is(wl, XB_DMAAPI_SG))
						snprintf(cmd, sizeof(cmd), "%s %s %llu %llu %llu", wl->action, dir, off,
							 size, (unsigned long long)(wl->segments ? wl->segments : 4));
					else if (is(wl, XB_DMAAPI_SYNC))
						snprintf(cmd, sizeof(cmd), "%s %s %llu %llu %llu %llu %llu", wl->action,
							 dir, off, size, (unsigned long long)wl->sync_offset,
							 (unsigned long long)wl->sync_len,
							 (unsigned long long)(wl->rounds ? wl->rounds : 4));
					else
						snprintf(cmd, sizeof(cmd), "%s %s %llu %llu%s", wl->action, dir, off,
							 size, opts);
					snprintf(what, sizeof(what), "%s", cmd);
					rc = one(ctx, what, cmd);
				}
			}
			if (is(wl, XB_DMAAPI_COHERENT))
				break;
		}
	}
	/* The device's settings go back to what they were, whatever happened. */
	ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s default", XB_DMAAPI_CONFIG);
	if (ret && rc == XB_WL_DONE)
		return xb_wl_error(ctx, "dmaapi config default: %s", strerror(-ret));
	return rc;
}

const struct xb_driver xb_driver_dmaapi = {
	.name = "dmaapi",
	.help = "the DMA API contract on edu, checked from the device's side",
	.keys = dmaapi_keys,
	.validate = dmaapi_validate,
	.run = dmaapi_run,
};
