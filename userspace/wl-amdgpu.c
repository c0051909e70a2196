// SPDX-License-Identifier: GPL-2.0
/*
 * amdgpu: DMA workloads on an AMD GPU through libdrm_amdgpu, verified byte
 * for byte with the position-tagged pattern. What the seed bug broke:
 * system-memory buffers (GTT, userptr) that the GPU reaches through the
 * DMA API, which under Xen PV means xen-swiotlb.
 *
 * action = write_linear   SDMA writes the pattern into a GTT BO
 *          copy_gtt       SDMA copies GTT -> GTT (cached CPU mapping)
 *          copy_gtt_uswc  the same with write-combined GTT BOs
 *          roundtrip_vram SDMA copies GTT -> VRAM -> GTT
 *          userptr        SDMA writes into user memory at an offset that
 *                         crosses page boundaries
 *          eviction       GTT -> GTT copies while VRAM and GTT are
 *                         oversubscribed, so TTM moves buffers
 *
 * Without an amdgpu render node it SKIPs. Fences are waited with a timeout;
 * a timeout or a context reset is a hang finding. A BO that cannot be
 * allocated is a map_error finding with its errno, not a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <libdrm/amdgpu.h>
#include <libdrm/amdgpu_drm.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xf86drm.h>

#include "pattern.h"
#include "sdma.h"
#include "workload.h"

#define FENCE_TIMEOUT_NS (5ull * 1000 * 1000 * 1000)
#define SRC_BUF_ID 11u
#define MAX_BOS 64

static const char *const amdgpu_keys[] = { "sizes", "offsets", "iterations", "action",
					   "buffers", NULL };

static const char *const actions[] = {
	"write_linear", "copy_gtt", "copy_gtt_uswc", "roundtrip_vram", "userptr", "eviction",
};

static int amdgpu_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			   char *err, size_t len)
{
	size_t i;

	(void)setup;
	for (i = 0; i < XB_ARRAY_SIZE(actions); i++)
		if (!strcmp(wl->action, actions[i]))
			break;
	if (i == XB_ARRAY_SIZE(actions)) {
		snprintf(err, len, "driver amdgpu needs action = write_linear, copy_gtt, copy_gtt_uswc, roundtrip_vram, userptr or eviction");
		return -1;
	}
	if (!wl->sizes.n) {
		snprintf(err, len, "driver amdgpu needs sizes");
		return -1;
	}
	for (i = 0; i < wl->sizes.n; i++) {
		if ((!strcmp(wl->action, "write_linear") || !strcmp(wl->action, "userptr")) &&
		    wl->sizes.v[i] % 4) {
			snprintf(err, len, "SDMA write_linear writes whole dwords: sizes must be multiples of 4");
			return -1;
		}
	}
	for (i = 0; i < wl->offsets.n; i++) {
		if ((!strcmp(wl->action, "write_linear") || !strcmp(wl->action, "userptr")) &&
		    wl->offsets.v[i] % 4) {
			snprintf(err, len, "SDMA write_linear needs dword-aligned offsets");
			return -1;
		}
	}
	return 0;
}

struct gpu {
	int fd;
	amdgpu_device_handle dev;
	amdgpu_context_handle ctx;
	struct amdgpu_gpu_info info;
	enum xb_sdma_gen gen;
	char bdf[32];
};

struct bo {
	amdgpu_bo_handle h;
	amdgpu_va_handle va;
	uint64_t mc;
	uint64_t size;
	void *cpu;
};

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

static void bo_free(struct bo *b)
{
	if (!b->h)
		return;
	if (b->cpu)
		amdgpu_bo_cpu_unmap(b->h);
	if (b->va) {
		amdgpu_bo_va_op(b->h, 0, b->size, b->mc, 0, AMDGPU_VA_OP_UNMAP);
		amdgpu_va_range_free(b->va);
	}
	amdgpu_bo_free(b->h);
	memset(b, 0, sizeof(*b));
}

/* Map a BO into the GPU's VA space (and the CPU's when cpu_map). */
static int bo_map(struct gpu *g, struct bo *b, bool cpu_map)
{
	uint64_t size = (b->size + 4095) & ~4095ull;
	int r;

	r = amdgpu_va_range_alloc(g->dev, amdgpu_gpu_va_range_general, size, 4096, 0, &b->mc, &b->va, 0);
	if (r)
		return r;
	r = amdgpu_bo_va_op(b->h, 0, size, b->mc, 0, AMDGPU_VA_OP_MAP);
	if (r) {
		amdgpu_va_range_free(b->va);
		b->va = NULL;
		return r;
	}
	b->size = size;
	if (cpu_map)
		r = amdgpu_bo_cpu_map(b->h, &b->cpu);
	return r;
}

static void alloc_failed(struct xb_wl_ctx *ctx, const char *what, uint64_t size, int r)
{
	json_t *f = xb_finding_new(XB_K_MAP_ERROR, "bo_alloc_failed", "workload");

	json_object_set_new(f, "summary", json_sprintf("%s of %llu bytes failed: %s (%d)", what,
						       (unsigned long long)size, strerror(-r), r));
	json_object_set_new(json_object_get(f, "numbers"), "errno", json_integer(r));
	json_object_set_new(json_object_get(f, "numbers"), "size_bytes", json_integer((json_int_t)size));
	xb_report_finding(ctx, f);
}

static int bo_new(struct xb_wl_ctx *ctx, struct gpu *g, struct bo *b, uint64_t size, uint32_t heap,
		  uint64_t flags, bool cpu_map)
{
	struct amdgpu_bo_alloc_request req = {
		.alloc_size = size, .phys_alignment = 4096, .preferred_heap = heap, .flags = flags,
	};
	int r;

	memset(b, 0, sizeof(*b));
	b->size = size;
	r = amdgpu_bo_alloc(g->dev, &req, &b->h);
	if (!r)
		r = bo_map(g, b, cpu_map);
	if (r) {
		alloc_failed(ctx, heap == AMDGPU_GEM_DOMAIN_VRAM ? "VRAM BO" : "GTT BO", size, r);
		bo_free(b);
	}
	return r;
}

/*
 * Submit an IB on SDMA ring 0 with the given BOs resident, wait for its
 * fence. 0, a hang finding (returns -ETIME), or -errno.
 */
static int submit(struct xb_wl_ctx *ctx, struct gpu *g, const uint32_t *pm4, size_t ndw,
		  struct bo **bos, size_t nbos)
{
	struct bo ib;
	amdgpu_bo_handle res[MAX_BOS + 1];
	struct amdgpu_cs_ib_info ib_info = { 0 };
	struct amdgpu_cs_request req = { 0 };
	struct amdgpu_cs_fence fence = { 0 };
	uint32_t expired = 0, state = 0, hangs = 0;
	int r;

	if (nbos > MAX_BOS)
		return -E2BIG;
	r = bo_new(ctx, g, &ib, ndw * 4, AMDGPU_GEM_DOMAIN_GTT, 0, true);
	if (r)
		return r;
	memcpy(ib.cpu, pm4, ndw * 4);
	for (size_t i = 0; i < nbos; i++)
		res[i] = bos[i]->h;
	res[nbos] = ib.h;
	r = amdgpu_bo_list_create(g->dev, (uint32_t)nbos + 1, res, NULL, &req.resources);
	if (r)
		goto out;
	ib_info.ib_mc_address = ib.mc;
	ib_info.size = (uint32_t)ndw;
	req.ip_type = AMDGPU_HW_IP_DMA;
	req.ring = 0;
	req.number_of_ibs = 1;
	req.ibs = &ib_info;
	r = amdgpu_cs_submit(g->ctx, 0, &req, 1);
	amdgpu_bo_list_destroy(req.resources);
	if (r)
		goto out;
	fence.context = g->ctx;
	fence.ip_type = AMDGPU_HW_IP_DMA;
	fence.ring = 0;
	fence.fence = req.seq_no;
	r = amdgpu_cs_query_fence_status(&fence, FENCE_TIMEOUT_NS, 0, &expired);
	amdgpu_cs_query_reset_state(g->ctx, &state, &hangs);
	if (r == -ETIME || (!r && !expired) || state != AMDGPU_CTX_NO_RESET) {
		json_t *f = xb_finding_new(XB_K_HANG, state != AMDGPU_CTX_NO_RESET ? "gpu_reset" : "fence_timeout",
					   "workload");

		json_object_set_new(f, "device", json_string(g->bdf));
		json_object_set_new(f, "summary", json_sprintf("SDMA fence %llu: %s (reset state %u, hangs %u)",
			(unsigned long long)req.seq_no, expired ? "signalled" : "not signalled in 5 s", state, hangs));
		xb_report_finding(ctx, f);
		r = -ETIME;
	}
out:
	bo_free(&ib);
	return r;
}

static void check(struct xb_wl_ctx *ctx, struct gpu *g, const uint8_t *actual, const uint8_t *expected,
		  uint64_t len, uint64_t base, const char *what, uint64_t *bad)
{
	struct xb_verify v;
	json_t *f;

	if (!xb_verify(actual, expected, len, base, &v))
		return;
	(*bad)++;
	f = xb_finding_new(XB_K_CORRUPTION, "target", "workload");
	json_object_set_new(f, "device", json_string(g->bdf));
	json_object_set_new(f, "numbers", xb_verify_json(&v));
	json_object_set_new(f, "summary", json_sprintf("%s: %llu of %llu bytes wrong, first at +%llu",
		what, (unsigned long long)v.bytes_wrong, (unsigned long long)len,
		(unsigned long long)(base + v.first_wrong)));
	xb_report_finding(ctx, f);
}

/* One SDMA packet stream: pm4 grows as needed. */
struct ib {
	uint32_t *dw;
	size_t n, max;
};

static int ib_reserve(struct ib *ib, size_t ndw)
{
	if (ib->n + ndw <= ib->max)
		return 0;
	ib->max = (ib->n + ndw) * 2;
	ib->dw = realloc(ib->dw, ib->max * 4);
	return ib->dw ? 0 : -ENOMEM;
}

static int one(struct xb_wl_ctx *ctx, struct gpu *g, const char *action, uint64_t size, uint64_t off,
	       uint64_t seed, uint64_t *bad)
{
	uint64_t total = size + off;
	uint64_t gtt_flags = !strcmp(action, "copy_gtt_uswc") ? AMDGPU_GEM_CREATE_CPU_GTT_USWC : 0;
	uint8_t *expect = malloc(size);
	struct bo a = { 0 }, b = { 0 }, c = { 0 }, ev[MAX_BOS] = { { 0 } };
	struct bo *list[MAX_BOS + 3];
	struct ib ib = { 0 };
	size_t nev = 0, nlist = 0;
	void *user = NULL;
	int r;

	if (!expect)
		return -ENOMEM;
	xb_pat_fill(expect, size, SRC_BUF_ID, off, seed);
	if (!strcmp(action, "write_linear") || !strcmp(action, "userptr")) {
		if (!strcmp(action, "userptr")) {
			/* User memory: the GPU reaches these pages through the DMA API. */
			if (posix_memalign(&user, 4096, (total + 4095) & ~4095ull)) {
				r = -ENOMEM;
				goto out;
			}
			memset(user, 0, total);
			a.size = (total + 4095) & ~4095ull;
			r = amdgpu_create_bo_from_user_mem(g->dev, user, a.size, &a.h);
			if (!r)
				r = bo_map(g, &a, false);
			if (r) {
				alloc_failed(ctx, "userptr BO", a.size, r);
				goto out;
			}
			a.cpu = user;
		} else if ((r = bo_new(ctx, g, &a, total, AMDGPU_GEM_DOMAIN_GTT, gtt_flags, true))) {
			goto out;
		}
		memset(a.cpu, 0, total);
		for (uint64_t p = 0; p < size;) {
			uint32_t ndw = (uint32_t)((size - p) / 4 > XB_SDMA_WRITE_MAX_DW ? XB_SDMA_WRITE_MAX_DW : (size - p) / 4);
			uint32_t words[XB_SDMA_WRITE_MAX_DW];

			if (!ndw)
				break;
			memcpy(words, expect + p, ndw * 4);
			if ((r = ib_reserve(&ib, ndw + 4)) ||
			    (r = xb_sdma_write_linear(ib.dw, ib.max, &ib.n, g->gen, a.mc + off + p, words, ndw) ? -EINVAL : 0))
				goto out;
			p += (uint64_t)ndw * 4;
		}
		list[nlist++] = &a;
		r = submit(ctx, g, ib.dw, ib.n, list, nlist);
		if (!r)
			check(ctx, g, (uint8_t *)a.cpu + off, expect, size, off, action, bad);
		goto out;
	}
	/* Copies: source BO with the pattern, destination zeroed. */
	if ((r = bo_new(ctx, g, &a, total, AMDGPU_GEM_DOMAIN_GTT, gtt_flags, true)) ||
	    (r = bo_new(ctx, g, &b, total, AMDGPU_GEM_DOMAIN_GTT, gtt_flags, true)))
		goto out;
	memcpy((uint8_t *)a.cpu + off, expect, size);
	memset(b.cpu, 0, total);
	list[nlist++] = &a;
	list[nlist++] = &b;
	r = ib_reserve(&ib, 14 * (size / XB_SDMA_COPY_MAX_BYTES + 1));
	if (r)
		goto out;
	if (!strcmp(action, "roundtrip_vram")) {
		if ((r = bo_new(ctx, g, &c, total, AMDGPU_GEM_DOMAIN_VRAM, 0, false)))
			goto out;
		list[nlist++] = &c;
		if (xb_sdma_copy(ib.dw, ib.max, &ib.n, g->gen, a.mc + off, c.mc + off, size) ||
		    xb_sdma_copy(ib.dw, ib.max, &ib.n, g->gen, c.mc + off, b.mc + off, size)) {
			r = -EINVAL;
			goto out;
		}
	} else {
		if (!strcmp(action, "eviction")) {
			/* Oversubscribe VRAM and GTT, all in the submission's list. */
			struct drm_amdgpu_info_vram_gtt vg = { 0 };
			struct amdgpu_heap_info vh = { 0 }, gh = { 0 };
			size_t want = ctx->wl->buffers ? ctx->wl->buffers : 4;

			amdgpu_query_info(g->dev, AMDGPU_INFO_VRAM_GTT, sizeof(vg), &vg);
			amdgpu_query_heap_info(g->dev, AMDGPU_GEM_DOMAIN_VRAM, 0, &vh);
			amdgpu_query_heap_info(g->dev, AMDGPU_GEM_DOMAIN_GTT, 0, &gh);
			for (size_t i = 0; i < want && nev < MAX_BOS; i++) {
				uint32_t heap = i % 2 ? AMDGPU_GEM_DOMAIN_GTT : AMDGPU_GEM_DOMAIN_VRAM;
				uint64_t sz = heap == AMDGPU_GEM_DOMAIN_VRAM ? vh.max_allocation : gh.max_allocation;

				if (!sz || bo_new(ctx, g, &ev[nev], sz, heap, 0, false))
					break;
				list[nlist++] = &ev[nev++];
			}
		}
		if (xb_sdma_copy(ib.dw, ib.max, &ib.n, g->gen, a.mc + off, b.mc + off, size)) {
			r = -EINVAL;
			goto out;
		}
	}
	r = submit(ctx, g, ib.dw, ib.n, list, nlist);
	if (!r)
		check(ctx, g, (uint8_t *)b.cpu + off, expect, size, off, action, bad);
out:
	for (size_t i = 0; i < nev; i++)
		bo_free(&ev[i]);
	if (user)
		a.cpu = NULL;	/* not a CPU mapping of ours */
	bo_free(&a);
	bo_free(&b);
	bo_free(&c);
	free(user);
	free(ib.dw);
	free(expect);
	return r;
}

static enum xb_wl_rc amdgpu_run(struct xb_wl_ctx *ctx)
{
	const struct xb_workload *wl = ctx->wl;
	struct gpu g = { 0 };
	struct drm_amdgpu_info_hw_ip ip = { 0 };
	struct amdgpu_heap_info vh = { 0 }, gh = { 0 };
	uint32_t maj, min;
	uint64_t done = 0, bad = 0;
	size_t noff = wl->offsets.n ? wl->offsets.n : 1;
	enum xb_wl_rc rc = XB_WL_DONE;
	char why[128];
	int gen, r;

	if (gpu_open(&g, why, sizeof(why)))
		return xb_wl_skip(ctx, "%s", why);
	r = amdgpu_device_initialize(g.fd, &maj, &min, &g.dev);
	if (r) {
		close(g.fd);
		return xb_wl_error(ctx, "amdgpu_device_initialize on %s: %s", g.bdf, strerror(-r));
	}
	amdgpu_query_gpu_info(g.dev, &g.info);
	gen = xb_sdma_gen_for_family(g.info.family_id);
	amdgpu_query_hw_ip_info(g.dev, AMDGPU_HW_IP_DMA, 0, &ip);
	amdgpu_query_heap_info(g.dev, AMDGPU_GEM_DOMAIN_VRAM, 0, &vh);
	amdgpu_query_heap_info(g.dev, AMDGPU_GEM_DOMAIN_GTT, 0, &gh);
	xb_report_note(ctx, "%s: family %u, asic 0x%x rev %u, SDMA %u.%u rings 0x%x, VRAM %llu MiB (max BO %llu), GTT %llu MiB (max BO %llu)",
		       g.bdf, g.info.family_id, g.info.asic_id, g.info.chip_rev, ip.hw_ip_version_major,
		       ip.hw_ip_version_minor, ip.available_rings, (unsigned long long)(vh.heap_size >> 20),
		       (unsigned long long)vh.max_allocation, (unsigned long long)(gh.heap_size >> 20),
		       (unsigned long long)gh.max_allocation);
	if (gen < 0 || !(ip.available_rings & 1)) {
		rc = xb_wl_skip(ctx, "%s: family %u has no SDMA ring xenbounce knows", g.bdf, g.info.family_id);
		goto out;
	}
	g.gen = (enum xb_sdma_gen)gen;
	xb_report_note(ctx, "SDMA packets: %s", xb_sdma_gen_name(g.gen));
	r = amdgpu_cs_ctx_create(g.dev, &g.ctx);
	if (r) {
		rc = xb_wl_error(ctx, "amdgpu_cs_ctx_create: %s", strerror(-r));
		goto out;
	}
	for (uint64_t it = 0; it < wl->iterations && rc == XB_WL_DONE; it++)
		for (size_t si = 0; si < wl->sizes.n && rc == XB_WL_DONE; si++)
			for (size_t oi = 0; oi < noff && rc == XB_WL_DONE; oi++) {
				uint64_t off = wl->offsets.n ? wl->offsets.v[oi] : 0;

				r = one(ctx, &g, wl->action, wl->sizes.v[si], off, ctx->seed + it, &bad);
				done++;
				if (r == -ETIME)
					goto hung;	/* the GPU is gone: stop here */
				if (r && r != -ENOMEM && r != -EFAULT && r != -ENOSPC && r != -E2BIG)
					rc = xb_wl_error(ctx, "%s of %llu bytes: %s", wl->action,
							 (unsigned long long)wl->sizes.v[si], strerror(-r));
			}
hung:
	xb_report_note(ctx, "%llu %s transfers, %llu corrupt", (unsigned long long)done, wl->action,
		       (unsigned long long)bad);
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
