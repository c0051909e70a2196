// SPDX-License-Identifier: GPL-2.0
/*
 * dmaapi: the DMA API contract on edu's device, through xenbounce.ko's
 * dmaapi file. Every check maps (or allocates) an object, has edu read and
 * write it, and the module compares every byte the CPU then sees with what
 * Documentation/core-api/dma-api.rst promises; this driver turns each
 * result into findings:
 *
 *   corrupt     corruption/dma_api: wrong bytes after the exchange
 *   outside     corruption/outside_mapping: pool bytes next to the
 *               mapping (a page each side) changed across map and unmap
 *   not_zeroed  contract/not_zeroed: an allocation not all zero right
 *               after it was made (the module dirties and frees a first
 *               one of the same size just before)
 *   constraint  contract/constraint: an address that breaks the device's
 *               mask (coherent mask for coherent memory and the witness),
 *               min_align_mask, max_segment_size, segment boundary or a
 *               coherent buffer's alignment
 *   map_failed  a map returned DMA_MAPPING_ERROR or an error, an
 *               allocation NULL;
 *   refused     dma_set_mask or dma_set_coherent_mask returned an error:
 *               both are map_error/ACTION (config for a mask) where the
 *               step expects or allows map_error (pool pressure), else
 *               contract/refused naming the call and its error: the
 *               scenario expected the call to work
 *   timeout     hang/engine: edu never finished
 *   bounce = expected | none: contract/no_bounce or needless_bounce when
 *               the mapping did not or did go through a bounce buffer
 *
 * action = single | page | sg | sync | maxmap | coherent | noncoherent |
 * pages | transfer | live; transfer takes mapping = single | page | sg
 * (and segments >= 3 for sg): every ownership transfer on three targets;
 * live takes buffers = N (2..64) and nothing else: N mappings of its own
 * layout alive at once (bounce = expected: every one of them bounced); sizes and offsets are within the module's pool (offsets from the
 * pool's start) except for the allocating actions, which take sizes only.
 * buffer = allocated (single, page): the buffer is a block fresh from the
 * page allocator, not the pool (what a driver gets on this memory state:
 * machine-scattered after a scramble), OFF within it.
 * above_mask = yes (with dma_bits): offsets count from the first pool page
 * from which every page the buffers touch has its machine frame above the
 * mask, so the mask alone must force the bounce (none: SKIP).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "workload.h"
#include "xbdev.h"
#include "kmod/include/uapi/xenbounce.h"

static const char *const dmaapi_keys[] = {
	"action", "directions", "sizes", "offsets", "iterations", "segments", "sync_offset",
	"sync_len", "rounds", "partial", "skip_cpu_sync", "dma_bits", "coherent_bits", "min_align", "max_seg",
	"seg_boundary", "bounce", "above_mask", "buffer", "mapping", "buffers", NULL,
};

static const char *const actions[] = {
	XB_DMAAPI_SINGLE, XB_DMAAPI_PAGE, XB_DMAAPI_SG, XB_DMAAPI_SYNC, XB_DMAAPI_MAXMAP,
	XB_DMAAPI_COHERENT, XB_DMAAPI_NONCOHERENT, XB_DMAAPI_PAGES, XB_DMAAPI_TRANSFER,
	XB_DMAAPI_LIVE,
};

static bool is(const struct xb_workload *wl, const char *action)
{
	return !strcmp(wl->action, action);
}

static bool allocates(const struct xb_workload *wl)
{
	return is(wl, XB_DMAAPI_COHERENT) || is(wl, XB_DMAAPI_NONCOHERENT) || is(wl, XB_DMAAPI_PAGES);
}

static bool fresh_buffer(const struct xb_workload *wl)
{
	return !strcmp(wl->buffer, "allocated");
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
		snprintf(err, len, "driver dmaapi needs action = single, page, sg, sync, maxmap, coherent, noncoherent, pages, transfer or live");
		return -1;
	}
	if (is(wl, XB_DMAAPI_LIVE)) {
		if (!wl->buffers || wl->buffers < 2 || wl->buffers > XB_DMAAPI_MAX_LIVE) {
			snprintf(err, len, "action live needs buffers = 2 to %u (mappings alive at once)",
				 XB_DMAAPI_MAX_LIVE);
			return -1;
		}
		if (wl->sizes.n || wl->offsets.n || wl->directions) {
			snprintf(err, len, "action live lays out its own sizes, offsets and directions: only buffers");
			return -1;
		}
		if (!setup->pool_pages) {
			snprintf(err, len, "action live works on the module's pool: [fault] pool_pages");
			return -1;
		}
		return 0;
	}
	if (is(wl, XB_DMAAPI_TRANSFER) != !!wl->mapping[0]) {
		snprintf(err, len, "mapping = single, page or sg goes with action transfer, and only with it");
		return -1;
	}
	if (is(wl, XB_DMAAPI_TRANSFER) && !strcmp(wl->mapping, "sg") != !!wl->segments) {
		snprintf(err, len, "action transfer: segments (3 or more) with mapping = sg, and only with it");
		return -1;
	}
	if (is(wl, XB_DMAAPI_TRANSFER) && wl->segments && wl->segments < 3) {
		snprintf(err, len, "action transfer probes a first, a middle and a last segment: segments >= 3");
		return -1;
	}
	if (wl->buffers) {
		snprintf(err, len, "buffers goes with action live");
		return -1;
	}
	for (i = 0; is(wl, XB_DMAAPI_TRANSFER) && strcmp(wl->mapping, "sg") && i < wl->sizes.n; i++) {
		if (wl->sizes.v[i] < 16384) {
			snprintf(err, len, "action transfer of a %s mapping probes three separate windows: sizes of 16K or more",
				 wl->mapping);
			return -1;
		}
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
	if (wl->above_mask && !wl->dma_bits) {
		snprintf(err, len, "above_mask needs dma_bits (the mask the pages are above)");
		return -1;
	}
	if (wl->above_mask && allocates(wl)) {
		snprintf(err, len, "above_mask places buffers in the pool: single, page, sg, sync or maxmap, not %s",
			 wl->action);
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
	if (fresh_buffer(wl)) {
		if (!is(wl, XB_DMAAPI_SINGLE) && !is(wl, XB_DMAAPI_PAGE)) {
			snprintf(err, len, "buffer = allocated is for single and page, not %s", wl->action);
			return -1;
		}
		if (wl->above_mask) {
			snprintf(err, len, "above_mask places buffers in the pool: not with buffer = allocated");
			return -1;
		}
		for (i = 0; i < wl->sizes.n; i++) {
			for (size_t o = 0; o < (wl->offsets.n ? wl->offsets.n : 1); o++) {
				uint64_t off = wl->offsets.n ? wl->offsets.v[o] : 0;

				if (off + wl->sizes.v[i] + 4096 > 4u << 20) {
					snprintf(err, len, "buffer = allocated: offset + size + 4096 is at most 4 MiB");
					return -1;
				}
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
	char call[32], err[16], guard[24], realloc[4];
	char p2m[24];	/* pages whose machine frame the module checked (PV) */
	char live_bounced[8];	/* live: how many of the mappings bounced */
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
	xb_kv_get(st, "call", o->call, sizeof(o->call));
	xb_kv_get(st, "errno", o->err, sizeof(o->err));
	xb_kv_get(st, "guard_bytes", o->guard, sizeof(o->guard));
	xb_kv_get(st, "realloc_same", o->realloc, sizeof(o->realloc));
	xb_kv_get(st, "p2m_checked_pages", o->p2m, sizeof(o->p2m));
	xb_kv_get(st, "bounced_mappings", o->live_bounced, sizeof(o->live_bounced));
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
	if (o->call[0] && strcmp(o->call, "-")) {
		json_object_set_new(f, "call", json_string(o->call));
		json_object_set_new(n, "errno", json_integer(atoi(o->err)));
	}
	return f;
}

/*
 * A DMA API call that failed: map_error where the step expects or allows
 * a refusal (pool pressure), else contract/refused: it was meant to work.
 */
static void refusal(struct xb_wl_ctx *ctx, const char *subkind, const char *what,
		    const struct outcome *o)
{
	const struct xb_workload *wl = ctx->wl;

	if ((wl->expect | wl->allow) & XB_KIND_BIT(XB_K_MAP_ERROR))
		xb_report_finding(ctx, finding(XB_K_MAP_ERROR, subkind, what, o));
	else
		xb_report_finding(ctx, finding(XB_K_CONTRACT, "refused", what, o));
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
	else if (!strcmp(o.result, "outside"))
		xb_report_finding(ctx, finding(XB_K_CORRUPTION, "outside_mapping", what, &o));
	else if (!strcmp(o.result, "not_zeroed"))
		xb_report_finding(ctx, finding(XB_K_CONTRACT, "not_zeroed", what, &o));
	else if (!strcmp(o.result, "constraint"))
		xb_report_finding(ctx, finding(XB_K_CONTRACT, "constraint", what, &o));
	else if (!strcmp(o.result, "map_failed") || !strcmp(o.result, "refused"))
		refusal(ctx, wl->action, what, &o);
	else if (!strcmp(o.result, "timeout"))
		xb_report_finding(ctx, finding(XB_K_HANG, "engine", what, &o));
	else if (strcmp(o.result, "ok"))
		return xb_wl_error(ctx, "dmaapi %s: unreadable result \"%s\"", cmd, o.result);
	if (!strcmp(o.result, "ok") || !strcmp(o.result, "corrupt")) {
		bool bounced = !strcmp(o.bounced, "1");

		/* Many mappings: all bounced, or none did. */
		if (is(wl, XB_DMAAPI_LIVE) && !strcmp(wl->bounce, "expected"))
			bounced = atoi(o.live_bounced) == atoi(o.nents);
		else if (is(wl, XB_DMAAPI_LIVE))
			bounced = atoi(o.live_bounced) > 0;

		if (!strcmp(wl->bounce, "expected") && !bounced) {
			strcpy(o.why, "the mapping went to the device without a bounce buffer");
			xb_report_finding(ctx, finding(XB_K_CONTRACT, "no_bounce", what, &o));
		} else if (!strcmp(wl->bounce, "none") && bounced) {
			strcpy(o.why, "bounced although the pages reach the device directly");
			xb_report_finding(ctx, finding(XB_K_CONTRACT, "needless_bounce", what, &o));
		}
	}
	if (is(wl, XB_DMAAPI_LIVE)) {
		xb_report_note(ctx, "%s: %s, %s mapped at once, %s of them bounced, %s bytes checked",
			       what, o.result, o.nents, o.live_bounced, o.checked);
		return XB_WL_DONE;
	}
	xb_report_note(ctx, "%s: %s, dma 0x%s, bounced %s%s%s, %s bytes checked%s%s%s%s%s%s%s", what,
		       o.result, o.addr[0] == '0' && o.addr[1] == 'x' ? o.addr + 2 : o.addr, o.bounced,
		       o.nents[0] && strcmp(o.nents, "0") ? ", segments " : "",
		       o.nents[0] && strcmp(o.nents, "0") ? o.nents : "", o.checked,
		       o.guard[0] && strcmp(o.guard, "0") ? ", guard bytes " : "",
		       o.guard[0] && strcmp(o.guard, "0") ? o.guard : "",
		       o.p2m[0] && strcmp(o.p2m, "0") ? ", machine frames of " : "",
		       o.p2m[0] && strcmp(o.p2m, "0") ? o.p2m : "",
		       o.p2m[0] && strcmp(o.p2m, "0") ? " pages checked in the P2M" : "",
		       allocates(wl) ? ", zero-checked after a dirtied free" : "",
		       allocates(wl) && !strcmp(o.realloc, "1") ? " (same memory)" : "");
	return XB_WL_DONE;
}

/*
 * above_mask: the first pool page from which every page of [0, span) has
 * its machine frame at or above 2^bits (the pool file lists each page's
 * frame). 0 and *base on success; 1 when there is none.
 */
static int above_mask_base(uint64_t bits, uint64_t span, uint64_t *base, char *why, size_t len)
{
	char *st = xb_dev_read(XB_FILE_POOL), *p;
	uint64_t limit = bits >= 64 ? UINT64_MAX : (1ull << (bits - 12)), top = 0;
	uint64_t npages = (span + 4095) / 4096, run = 0, i = 0;
	unsigned long long pfn, mfn;

	if (!st) {
		snprintf(why, len, "the pool file could not be read");
		return 1;
	}
	for (p = strstr(st, "pfn "); p; p = strstr(p + 1, "\npfn ")) {
		if (*p == '\n')
			p++;
		if (sscanf(p, "pfn %llx mfn %llx", &pfn, &mfn) != 2)
			break;
		top = mfn > top ? mfn : top;
		run = mfn >= limit ? run + 1 : 0;
		i++;
		if (run == npages) {
			*base = (i - npages) * 4096;
			free(st);
			return 0;
		}
	}
	free(st);
	snprintf(why, len, "no %llu pool pages in a row above the %llu-bit mask (highest frame 0x%llx)",
		 (unsigned long long)npages, (unsigned long long)bits, (unsigned long long)top);
	return 1;
}

static int config(const struct xb_workload *wl, char *buf, size_t len)
{
	size_t off = (size_t)snprintf(buf, len, "%s", XB_DMAAPI_CONFIG);

	if (wl->dma_bits)
		off += (size_t)snprintf(buf + off, len - off, " mask=%llu", (unsigned long long)wl->dma_bits);
	if (wl->coherent_bits)
		off += (size_t)snprintf(buf + off, len - off, " coherent_mask=%llu",
					(unsigned long long)wl->coherent_bits);
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
	char cmd[XB_CMD_MAX], what[XB_CMD_MAX + 32], opts[48] = "", seg[24] = "";
	uint64_t base = 0;
	int ret;

	ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s default", XB_DMAAPI_CONFIG);
	if (ret == -ENOENT)
		return xb_wl_skip(ctx, "xenbounce.ko not loaded (no %s file)", XB_FILE_DMAAPI);
	if (ret == -ENODEV)
		return xb_wl_skip(ctx, "no edu device bound to xenbounce.ko");
	if (ret)
		return xb_wl_error(ctx, "dmaapi config default: %s", strerror(-ret));
	if (config(wl, cmd, sizeof(cmd))) {
		struct outcome o;

		ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s", cmd);
		if (ret)
			return xb_wl_error(ctx, "dmaapi %s: %s", cmd, strerror(-ret));
		read_outcome(&o);
		if (!strcmp(o.result, "refused")) {
			/* Nothing to check on a device set up otherwise. */
			refusal(ctx, XB_DMAAPI_CONFIG, cmd, &o);
			xb_report_note(ctx, "device not set up: %s: %s", cmd, o.why);
			rc = XB_WL_DONE;
			goto restore;
		}
		if (strcmp(o.result, "ok"))
			return xb_wl_error(ctx, "dmaapi %s: unexpected result \"%s\"", cmd, o.result);
		xb_report_note(ctx, "device set up: %s", cmd + strlen(XB_DMAAPI_CONFIG) + 1);
	}
	if (wl->above_mask) {
		uint64_t span = 0;
		char why[160];

		for (size_t s = 0; s < nsizes; s++)
			for (size_t o = 0; o < noffs; o++) {
				uint64_t end = (wl->offsets.n ? wl->offsets.v[o] : 0) + wl->sizes.v[s];

				span = end > span ? end : span;
			}
		if (above_mask_base(wl->dma_bits, span, &base, why, sizeof(why))) {
			rc = xb_wl_skip(ctx, "precondition: %s", why);
			goto restore;
		}
		if (base + span > ctx->setup->pool_pages * 4096) {
			rc = xb_wl_error(ctx, "above_mask: the pool ends before offset %llu",
					 (unsigned long long)(base + span));
			goto restore;
		}
		xb_report_note(ctx, "above_mask: offsets from pool byte %llu, whose %llu pages are above the %llu-bit mask",
			       (unsigned long long)base, (unsigned long long)((span + 4095) / 4096),
			       (unsigned long long)wl->dma_bits);
	}
	if (wl->skip_cpu_sync)
		snprintf(opts, sizeof(opts), " %s", XB_DMAAPI_SKIP_SYNC);
	if (wl->partial)
		snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), " partial=%llu",
			 (unsigned long long)wl->partial);
	if (fresh_buffer(wl))
		snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts), " %s", XB_DMAAPI_ALLOC);
	if (wl->segments)
		snprintf(seg, sizeof(seg), " %llu", (unsigned long long)wl->segments);
	if (is(wl, XB_DMAAPI_LIVE)) {
		for (uint64_t it = 0; it < wl->iterations && rc == XB_WL_DONE; it++) {
			snprintf(cmd, sizeof(cmd), "%s %llu", wl->action,
				 (unsigned long long)wl->buffers);
			rc = one(ctx, cmd, cmd);
		}
		goto restore;
	}
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
					unsigned long long off = base + (wl->offsets.n ? wl->offsets.v[o] : 0);

					if (is(wl, XB_DMAAPI_COHERENT))
						snprintf(cmd, sizeof(cmd), "%s %llu", wl->action, size);
					else if (allocates(wl))
						snprintf(cmd, sizeof(cmd), "%s %s %llu", wl->action, dir, size);
					else if (is(wl, XB_DMAAPI_MAXMAP))
						snprintf(cmd, sizeof(cmd), "%s %s %llu%s", wl->action, dir, off, opts);
					else if (is(wl, XB_DMAAPI_SG))
						snprintf(cmd, sizeof(cmd), "%s %s %llu %llu %llu", wl->action, dir, off,
							 size, (unsigned long long)(wl->segments ? wl->segments : 4));
					else if (is(wl, XB_DMAAPI_TRANSFER))
						snprintf(cmd, sizeof(cmd), "%s %s %s %llu %llu%s", wl->action,
							 wl->mapping, dir, off, size, seg);
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
restore:
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
