// SPDX-License-Identifier: GPL-2.0
/*
 * amdgpu: DMA workloads on an AMD GPU through libdrm_amdgpu, verified byte
 * for byte with the position-tagged pattern and guard bytes around every
 * destination. What the seed bug broke: system-memory buffers (GTT,
 * userptr) that the GPU reaches through the DMA API, which under Xen PV
 * means xen-swiotlb.
 *
 * action = write_linear   SDMA writes the pattern into a GTT BO
 *          copy_gtt       SDMA copies GTT -> GTT (cached CPU mapping)
 *          copy_gtt_uswc  the same with write-combined GTT BOs
 *          roundtrip_vram SDMA copies GTT -> VRAM -> GTT, waiting between
 *          userptr        SDMA writes into user memory at an offset that
 *                         crosses page boundaries
 *          eviction       more VRAM BOs than VRAM holds, one per
 *                         submission, each checked after coming back
 *
 * What it allocates and submits is the plan of amdgpu-plan.c, the same one
 * `xenbounce amdgpu-plan` prints. Unproven on hardware (see README).
 *
 * Without an amdgpu render node, or on a GPU whose SDMA generation is not
 * one of SI, CIK, VI, GFX9-12, it SKIPs. Every failed allocation,
 * submission or fence wait is a finding (map_error, hang, gpu_fault) with
 * its errno; the kernel's verdict decides which (xb_ap_classify).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libdrm/amdgpu.h>
#include <libdrm/amdgpu_drm.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "amdgpu-plan.h"
#include "pattern.h"
#include "sdma.h"
#include "workload.h"

#define LOCKUP_TIMEOUT_PARAM "/sys/module/amdgpu/parameters/lockup_timeout"

static const char *const amdgpu_keys[] = { "sizes", "offsets", "iterations", "action",
					   "buffers", NULL };

static int amdgpu_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			   char *err, size_t len)
{
	bool write = !strcmp(wl->action, "write_linear") || !strcmp(wl->action, "userptr");
	size_t i;

	(void)setup;
	if (!xb_ap_action_known(wl->action)) {
		snprintf(err, len, "driver amdgpu needs action = write_linear, copy_gtt, copy_gtt_uswc, roundtrip_vram, userptr or eviction");
		return -1;
	}
	if (!wl->sizes.n) {
		snprintf(err, len, "driver amdgpu needs sizes");
		return -1;
	}
	for (i = 0; i < wl->sizes.n; i++) {
		if (!wl->sizes.v[i]) {
			snprintf(err, len, "driver amdgpu: sizes must not be 0");
			return -1;
		}
		if (write && wl->sizes.v[i] % 4) {
			snprintf(err, len, "SDMA write_linear writes whole dwords: sizes must be multiples of 4");
			return -1;
		}
	}
	for (i = 0; i < wl->offsets.n; i++) {
		if (write && wl->offsets.v[i] % 4) {
			snprintf(err, len, "SDMA write_linear needs dword-aligned offsets");
			return -1;
		}
	}
	if (wl->buffers > XB_AP_EVICT_MAX) {
		snprintf(err, len, "driver amdgpu: buffers (VRAM BOs of an eviction case) must be at most %u",
			 XB_AP_EVICT_MAX);
		return -1;
	}
	return 0;
}

struct gpu {
	int fd;
	amdgpu_device_handle dev;
	amdgpu_context_handle ctx;
	struct amdgpu_gpu_info info;
	const struct xb_sdma_family_info *fam;
	struct xb_ap_timeout to;
	uint32_t page;
	char bdf[32];
	uint64_t nfindings, ncorrupt, nsubs, ntransfers;
	bool reset_noted;
	char skip[256];		/* a case that cannot run here */
};

struct bo {
	amdgpu_bo_handle h;
	amdgpu_va_handle va;
	uint64_t mc;
	uint64_t size;
	void *cpu;
	void *user;		/* userptr memory, ours to free */
};

enum { CASE_OK, CASE_FINDING, CASE_GONE, CASE_SKIP, CASE_ERROR };

/* First amdgpu render node (or the one at XENBOUNCE_AMDGPU_DEVICE). */
static int gpu_open(struct gpu *g, char *why, size_t len)
{
	drmDevicePtr devs[64];
	const char *want = getenv("XENBOUNCE_AMDGPU_DEVICE");
	int n = drmGetDevices2(0, devs, 64);

	g->fd = -1;
	if (n < 0)
		n = 0;
	for (int i = 0; i < n && g->fd < 0; i++) {
		drmDevicePtr d = devs[i];
		drmVersionPtr v;
		char bdf[32];
		int fd;

		if (!(d->available_nodes & (1 << DRM_NODE_RENDER)) || d->bustype != DRM_BUS_PCI)
			continue;
		snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", d->businfo.pci->domain, d->businfo.pci->bus,
			 d->businfo.pci->dev, d->businfo.pci->func);
		if (want && *want && strcmp(want, bdf))
			continue;
		fd = open(d->nodes[DRM_NODE_RENDER], O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "amdgpu")) {
			g->fd = fd;
			snprintf(g->bdf, sizeof(g->bdf), "%s", bdf);
		} else {
			close(fd);
		}
		drmFreeVersion(v);
	}
	if (n > 0)
		drmFreeDevices(devs, n);
	if (g->fd < 0) {
		snprintf(why, len, want && *want ? "no amdgpu render node at %s" : "no amdgpu render node",
			 want ? want : "");
		return -1;
	}
	return 0;
}

static void report(struct xb_wl_ctx *ctx, struct gpu *g, json_t *f)
{
	json_object_set_new(f, "device", json_string(g->bdf));
	g->nfindings++;
	xb_report_finding(ctx, f);
}

/* A failed or judged submission step, as the kernel's verdict says. Returns the case result. */
static int verdict(struct xb_wl_ctx *ctx, struct gpu *g, enum xb_ap_stage stage, int err, bool signalled,
		   const char *what, uint64_t seq)
{
	struct xb_ap_verdict v;
	uint64_t flags64 = 0;
	uint32_t flags;
	json_t *f, *num;

	if (g->ctx)
		amdgpu_cs_query_reset_state2(g->ctx, &flags64);
	flags = (uint32_t)flags64;
	xb_ap_classify(stage, err, signalled, flags, &v);
	if (v.kind < 0) {
		if ((flags & AMDGPU_CTX_QUERY2_FLAGS_RESET) && !g->reset_noted) {
			g->reset_noted = true;
			xb_report_note(ctx, "%s: a GPU reset happened meanwhile, not caused by this context", what);
		}
		return CASE_OK;
	}
	f = xb_finding_new((enum xb_kind)v.kind, v.subkind, "workload");
	num = json_object_get(f, "numbers");
	json_object_set_new(num, "errno", json_integer(err));
	json_object_set_new(num, "reset_flags", json_integer(flags));
	json_object_set_new(num, "kernel_timeout_ms", json_integer((json_int_t)g->to.kernel_ms));
	if (seq)
		json_object_set_new(num, "fence", json_integer((json_int_t)seq));
	json_object_set_new(f, "summary", json_sprintf("%s: %s (%s; reset flags 0x%x%s%s)", what, v.meaning,
		err ? strerror(-err) : signalled ? "fence signalled" : "fence not signalled", flags,
		flags & AMDGPU_CTX_QUERY2_FLAGS_GUILTY ? ", guilty" : "",
		flags & AMDGPU_CTX_QUERY2_FLAGS_VRAMLOST ? ", VRAM lost" : ""));
	report(ctx, g, f);
	return v.gone ? CASE_GONE : CASE_FINDING;
}

static void bo_free(struct bo *b)
{
	if (!b->h) {
		free(b->user);
		memset(b, 0, sizeof(*b));
		return;
	}
	if (b->cpu && !b->user)
		amdgpu_bo_cpu_unmap(b->h);
	if (b->va) {
		amdgpu_bo_va_op(b->h, 0, b->size, b->mc, 0, AMDGPU_VA_OP_UNMAP);
		amdgpu_va_range_free(b->va);
	}
	amdgpu_bo_free(b->h);
	free(b->user);
	memset(b, 0, sizeof(*b));
}

/* Allocate and map one BO of the plan (or the IB's). 0 or -errno. */
static int bo_new(struct gpu *g, struct bo *b, enum xb_ap_domain dom, uint64_t size, bool cpu_map)
{
	struct amdgpu_bo_alloc_request req = {
		.alloc_size = size, .phys_alignment = g->page,
		.preferred_heap = dom == XB_AP_VRAM ? AMDGPU_GEM_DOMAIN_VRAM : AMDGPU_GEM_DOMAIN_GTT,
		.flags = dom == XB_AP_GTT_USWC ? AMDGPU_GEM_CREATE_CPU_GTT_USWC : 0,
	};
	int r;

	memset(b, 0, sizeof(*b));
	b->size = (size + g->page - 1) / g->page * g->page;
	if (dom == XB_AP_USERPTR) {
		/* User memory, page aligned: the GPU reaches it through the DMA API. */
		if (posix_memalign(&b->user, g->page, b->size))
			return -ENOMEM;
		memset(b->user, 0, b->size);
		r = amdgpu_create_bo_from_user_mem(g->dev, b->user, b->size, &b->h);
	} else {
		r = amdgpu_bo_alloc(g->dev, &req, &b->h);
	}
	if (!r)
		r = amdgpu_va_range_alloc(g->dev, amdgpu_gpu_va_range_general, b->size, g->page, 0, &b->mc,
					  &b->va, 0);
	if (!r && (r = amdgpu_bo_va_op(b->h, 0, b->size, b->mc, 0, AMDGPU_VA_OP_MAP))) {
		amdgpu_va_range_free(b->va);
		b->va = NULL;
	}
	if (!r && cpu_map) {
		if (b->user)
			b->cpu = b->user;
		else
			r = amdgpu_bo_cpu_map(b->h, &b->cpu);
	}
	if (r)
		bo_free(b);
	return r;
}

static int alloc_failed(struct xb_wl_ctx *ctx, struct gpu *g, const char *what, enum xb_ap_domain dom,
			uint64_t size, int r)
{
	char desc[96];
	int rc;

	snprintf(desc, sizeof(desc), "%s BO (%s) of %" PRIu64 " bytes", what, xb_ap_domain_name(dom), size);
	rc = verdict(ctx, g, XB_AP_STAGE_ALLOC, r, false, desc, 0);
	return rc == CASE_OK ? CASE_FINDING : rc;
}

/*
 * Submit one IB on SDMA ring 0 with bos resident and wait for its fence as
 * long as the kernel's own timeout takes to decide (g->to.wait_ms).
 */
static int submit(struct xb_wl_ctx *ctx, struct gpu *g, const uint32_t *dw, size_t ndw,
		  struct bo **bos, size_t nbos, const char *what)
{
	struct bo ib;
	amdgpu_bo_handle res[XB_AP_SUB_MAX_BOS + 1];
	struct amdgpu_cs_ib_info ib_info = { 0 };
	struct amdgpu_cs_request req = { 0 };
	struct amdgpu_cs_fence fence = { 0 };
	uint32_t expired = 0;
	uint64_t flags = 0;
	int r, rc;

	if (nbos > XB_AP_SUB_MAX_BOS)
		return verdict(ctx, g, XB_AP_STAGE_BO_LIST, -E2BIG, false, what, 0);
	r = bo_new(g, &ib, XB_AP_GTT, ndw * 4, true);
	if (r)
		return alloc_failed(ctx, g, "IB", XB_AP_GTT, ndw * 4, r);
	memcpy(ib.cpu, dw, ndw * 4);
	for (size_t i = 0; i < nbos; i++)
		res[i] = bos[i]->h;
	res[nbos] = ib.h;
	r = amdgpu_bo_list_create(g->dev, (uint32_t)nbos + 1, res, NULL, &req.resources);
	if (r) {
		rc = verdict(ctx, g, XB_AP_STAGE_BO_LIST, r, false, what, 0);
		goto out;
	}
	ib_info.ib_mc_address = ib.mc;
	ib_info.size = (uint32_t)ndw;
	req.ip_type = AMDGPU_HW_IP_DMA;
	req.ring = 0;
	req.number_of_ibs = 1;
	req.ibs = &ib_info;
	r = amdgpu_cs_submit(g->ctx, 0, &req, 1);
	amdgpu_bo_list_destroy(req.resources);
	if (r) {
		rc = verdict(ctx, g, XB_AP_STAGE_SUBMIT, r, false, what, 0);
		goto out;
	}
	g->nsubs++;
	fence.context = g->ctx;
	fence.ip_type = AMDGPU_HW_IP_DMA;
	fence.ring = 0;
	fence.fence = req.seq_no;
	r = amdgpu_cs_query_fence_status(&fence, g->to.wait_ms * 1000000ull, 0, &expired);
	if (!r && !expired && !amdgpu_cs_query_reset_state2(g->ctx, &flags) && (flags & XB_AP_RESET_IN_PROGRESS))
		/* The kernel is resetting the GPU: its verdict is on the way. */
		r = amdgpu_cs_query_fence_status(&fence, g->to.wait_ms * 1000000ull, 0, &expired);
	rc = verdict(ctx, g, XB_AP_STAGE_WAIT, r, !r && expired, what, req.seq_no);
out:
	bo_free(&ib);
	return rc;
}

static int check(struct xb_wl_ctx *ctx, struct gpu *g, const struct xb_ap_case *c, const struct xb_ap_region *rg,
		 const struct bo *b)
{
	uint8_t *expect = malloc(rg->len);
	struct xb_verify v;
	json_t *f;

	if (!expect)
		return -ENOMEM;
	xb_ap_region_bytes(c, rg, expect);
	if (xb_verify((const uint8_t *)b->cpu + rg->off, expect, rg->len, rg->off, &v)) {
		bool target = !strcmp(rg->what, "target");

		g->ncorrupt++;
		f = xb_finding_new(XB_K_CORRUPTION, target ? "target" : "guard", "workload");
		json_object_set_new(f, "numbers", xb_verify_json(&v));
		json_object_set_new(f, "summary", json_sprintf("%s %" PRIu64 "+%" PRIu64 ": %s [%" PRIu64 ", %" PRIu64 "): %" PRIu64
			" of %" PRIu64 " bytes wrong, first at +%" PRIu64 "%s", c->action, c->size, c->off, rg->what,
			rg->off, rg->off + rg->len, v.bytes_wrong, rg->len, rg->off + v.first_wrong,
			target ? "" : " (a transfer wrote outside its range)"));
		report(ctx, g, f);
	}
	free(expect);
	return 0;
}

/* Run one planned transfer. */
static int run_case(struct xb_wl_ctx *ctx, struct gpu *g, const struct xb_ap_case *c)
{
	struct bo *bo = calloc(c->nbo, sizeof(*bo));
	uint64_t *va = calloc(c->nbo, sizeof(*va));
	int rc = CASE_OK;

	if (!bo || !va) {
		rc = CASE_ERROR;
		goto out;
	}
	for (size_t i = 0; i < c->nbo && rc == CASE_OK; i++) {
		int r = bo_new(g, &bo[i], c->bo[i].dom, c->bo[i].size, c->bo[i].cpu);

		if (r)
			rc = alloc_failed(ctx, g, c->bo[i].role, c->bo[i].dom, c->bo[i].size, r);
		va[i] = bo[i].mc;
	}
	for (size_t s = 0; s < c->nsub && rc == CASE_OK; s++) {
		const struct xb_ap_sub *sub = &c->sub[s];
		struct bo *list[XB_AP_SUB_MAX_BOS];
		uint32_t *ib = NULL;
		size_t ndw = 0;
		char what[96];
		int r;

		for (size_t i = 0; i < sub->nfill; i++) {
			const struct xb_ap_region *rg = &c->fill[sub->fill0 + i];

			xb_ap_region_bytes(c, rg, (uint8_t *)bo[rg->bo].cpu + rg->off);
		}
		r = xb_ap_emit_ib(g->fam, c, s, va, &ib, &ndw);
		if (r == -EINVAL) {
			snprintf(g->skip, sizeof(g->skip), "%s: the %s encoder refuses submission %zu (a GPU address beyond the family's reach?)",
				 c->action, g->fam->name, s + 1);
			rc = CASE_SKIP;
			break;
		}
		if (r) {
			rc = CASE_ERROR;
			break;
		}
		for (size_t i = 0; i < sub->nbos; i++)
			list[i] = &bo[sub->bos[i]];
		snprintf(what, sizeof(what), "%s %" PRIu64 "+%" PRIu64 " submission %zu/%zu", c->action, c->size,
			 c->off, s + 1, c->nsub);
		rc = submit(ctx, g, ib, ndw, list, sub->nbos, what);
		free(ib);
		for (size_t i = 0; i < sub->ncheck && rc == CASE_OK; i++) {
			const struct xb_ap_region *rg = &c->check[sub->check0 + i];

			if (check(ctx, g, c, rg, &bo[rg->bo]))
				rc = CASE_ERROR;
		}
	}
	if (rc == CASE_OK)
		g->ntransfers++;
out:
	for (size_t i = 0; bo && i < c->nbo; i++)
		bo_free(&bo[i]);
	free(bo);
	free(va);
	return rc;
}

static uint64_t info_u64(struct gpu *g, unsigned int id, bool *ok)
{
	uint64_t v = 0;

	if (amdgpu_query_info(g->dev, id, sizeof(v), &v))
		*ok = false;
	return v;
}

static void read_timeout(struct gpu *g)
{
	char buf[256] = "";
	FILE *f = fopen(LOCKUP_TIMEOUT_PARAM, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	xb_ap_sdma_timeout(buf, &g->to);
}

static enum xb_wl_rc amdgpu_run(struct xb_wl_ctx *ctx)
{
	const struct xb_workload *wl = ctx->wl;
	struct gpu g = { 0 };
	struct drm_amdgpu_info_hw_ip ip = { 0 };
	struct drm_amdgpu_memory_info mem = { 0 };
	struct xb_ap_dev dev = { 0 };
	size_t noff = wl->offsets.n ? wl->offsets.n : 1;
	uint64_t ev0 = 0, mv0 = 0, ev1, mv1;
	bool counters = true;
	enum xb_wl_rc rc = XB_WL_DONE;
	uint32_t maj, min;
	char why[256];
	int r, crc = CASE_OK;

	if (gpu_open(&g, why, sizeof(why)))
		return xb_wl_skip(ctx, "%s", why);
	r = amdgpu_device_initialize(g.fd, &maj, &min, &g.dev);
	if (r) {
		close(g.fd);
		return xb_wl_error(ctx, "amdgpu_device_initialize on %s: %s", g.bdf, strerror(-r));
	}
	g.page = (uint32_t)sysconf(_SC_PAGESIZE);
	if ((r = amdgpu_query_gpu_info(g.dev, &g.info)) ||
	    (r = amdgpu_query_hw_ip_info(g.dev, AMDGPU_HW_IP_DMA, 0, &ip)) ||
	    (r = amdgpu_query_info(g.dev, AMDGPU_INFO_MEMORY, sizeof(mem), &mem))) {
		rc = xb_wl_error(ctx, "%s: querying the device: %s", g.bdf, strerror(-r));
		goto out;
	}
	xb_report_note(ctx, "%s: family %u, asic 0x%x rev %u, SDMA %u.%u rings 0x%x, VRAM %" PRIu64 " MiB usable (max BO %" PRIu64 " MiB), GTT %" PRIu64 " MiB usable (max BO %" PRIu64 " MiB), page %u",
		       g.bdf, g.info.family_id, g.info.asic_id, g.info.chip_rev, ip.hw_ip_version_major,
		       ip.hw_ip_version_minor, ip.available_rings, (uint64_t)mem.vram.usable_heap_size >> 20,
		       (uint64_t)mem.vram.max_allocation >> 20, (uint64_t)mem.gtt.usable_heap_size >> 20,
		       (uint64_t)mem.gtt.max_allocation >> 20,
		       g.page);
	g.fam = xb_sdma_family_detect(g.info.family_id, ip.hw_ip_version_major);
	if (!g.fam) {
		rc = xb_wl_skip(ctx, "%s: family %u with SDMA %u.%u is not a generation xenbounce knows (%s)", g.bdf,
				g.info.family_id, ip.hw_ip_version_major, ip.hw_ip_version_minor, xb_sdma_family_names());
		goto out;
	}
	if (!(ip.available_rings & 1)) {
		rc = xb_wl_skip(ctx, "%s: SDMA ring 0 is not available (rings 0x%x)", g.bdf, ip.available_rings);
		goto out;
	}
	read_timeout(&g);
	xb_report_note(ctx, "SDMA packets: %s; unproven on hardware before this run", g.fam->desc);
	xb_report_note(ctx, "fence wait up to %" PRIu64 " ms: the kernel's SDMA job timeout is %" PRIu64 " ms%s",
		       g.to.wait_ms, g.to.kernel_ms,
		       g.to.infinite ? " (lockup_timeout disables it: the default is assumed)" :
		       g.to.defaulted ? " (lockup_timeout unset: the kernel's default)" : " (lockup_timeout)");
	dev = (struct xb_ap_dev){ mem.vram.usable_heap_size, mem.vram.max_allocation, mem.gtt.usable_heap_size,
				  mem.gtt.max_allocation, g.page, 0 };
	r = amdgpu_cs_ctx_create(g.dev, &g.ctx);
	if (r) {
		rc = xb_wl_error(ctx, "amdgpu_cs_ctx_create: %s", strerror(-r));
		goto out;
	}
	ev0 = info_u64(&g, AMDGPU_INFO_NUM_EVICTIONS, &counters);
	mv0 = info_u64(&g, AMDGPU_INFO_NUM_BYTES_MOVED, &counters);
	for (uint64_t it = 0; it < wl->iterations && crc != CASE_GONE && rc == XB_WL_DONE; it++)
		for (size_t si = 0; si < wl->sizes.n && crc != CASE_GONE && rc == XB_WL_DONE; si++)
			for (size_t oi = 0; oi < noff && crc != CASE_GONE && rc == XB_WL_DONE; oi++) {
				uint64_t off = wl->offsets.n ? wl->offsets.v[oi] : 0;
				struct xb_ap_case c;

				r = xb_ap_case_build(g.fam, &dev, wl->action, wl->sizes.v[si], off, ctx->seed + it,
						     wl->buffers, &c, why, sizeof(why));
				if (r == -ENOMEM) {
					rc = xb_wl_error(ctx, "%s", why);
					break;
				}
				if (r) {
					/* A property of this device: the whole workload cannot run here. */
					rc = xb_wl_skip(ctx, "%s: %s", g.bdf, why);
					break;
				}
				crc = run_case(ctx, &g, &c);
				xb_ap_case_free(&c);
				if (crc == CASE_SKIP)
					rc = xb_wl_skip(ctx, "%s", g.skip);
				else if (crc == CASE_ERROR)
					rc = xb_wl_error(ctx, "%s: out of memory", wl->action);
			}
	xb_report_note(ctx, "%" PRIu64 " %s transfers verified, %" PRIu64 " submissions, %" PRIu64 " findings (%" PRIu64 " corruption)%s",
		       g.ntransfers, wl->action, g.nsubs, g.nfindings, g.ncorrupt,
		       crc == CASE_GONE ? "; stopped: the context or GPU is unusable" : "");
	ev1 = info_u64(&g, AMDGPU_INFO_NUM_EVICTIONS, &counters);
	mv1 = info_u64(&g, AMDGPU_INFO_NUM_BYTES_MOVED, &counters);
	if (!strcmp(wl->action, "eviction") && rc == XB_WL_DONE && !g.nfindings) {
		/* An eviction test that saw nothing move tested nothing. */
		if (!counters)
			rc = xb_wl_skip(ctx, "eviction: the kernel's eviction counters cannot be read, so no move can be shown");
		else if (ev1 == ev0)
			rc = xb_wl_skip(ctx, "eviction: the kernel evicted nothing (AMDGPU_INFO_NUM_EVICTIONS unchanged), so no move was tested");
	}
	if (counters)
		xb_report_note(ctx, "kernel: %" PRIu64 " evictions, %" PRIu64 " MiB moved by submissions meanwhile",
			       ev1 - ev0, (mv1 - mv0) >> 20);
	amdgpu_cs_ctx_free(g.ctx);
out:
	amdgpu_device_deinitialize(g.dev);
	close(g.fd);
	return rc;
}

const struct xb_driver xb_driver_amdgpu = {
	.name = "amdgpu",
	.help = "SDMA writes and copies on GTT, VRAM and userptr buffers of an AMD GPU (libdrm_amdgpu)",
	.keys = amdgpu_keys,
	.validate = amdgpu_validate,
	.run = amdgpu_run,
};
