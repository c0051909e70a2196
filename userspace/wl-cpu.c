// SPDX-License-Identifier: GPL-2.0
/*
 * cpu: the reference workload. Copies pattern buffers with the CPU at the
 * scenario's sizes and offsets and verifies every byte. It needs no device
 * and no Xen, so it checks the harness itself; inject= corrupts the copy
 * on purpose (bitflip, page_swap) so the corruption path can be tested
 * anywhere.
 */
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "workload.h"

static const char *const cpu_keys[] = { "sizes", "offsets", "iterations", "inject", NULL };

static int cpu_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			char *err, size_t len)
{
	(void)setup;
	if (!wl->sizes.n) {
		snprintf(err, len, "driver cpu needs sizes");
		return -1;
	}
	if (wl->inject[0] && strcmp(wl->inject, "none") && strcmp(wl->inject, "bitflip") &&
	    strcmp(wl->inject, "page_swap")) {
		snprintf(err, len, "inject = %s: use none, bitflip or page_swap", wl->inject);
		return -1;
	}
	return 0;
}

static void inject(const char *how, uint8_t *dst, size_t size, uint64_t *rng)
{
	if (!strcmp(how, "bitflip")) {
		dst[xb_rand_next(rng) % size] ^= 0x10;
	} else if (!strcmp(how, "page_swap") && size > 2 * XB_PAT_PAGE) {
		/* What a P2M-misplaced page looks like: page 1 holds page 2. */
		memcpy(dst + XB_PAT_PAGE, dst + 2 * XB_PAT_PAGE, XB_PAT_PAGE);
	}
}

static enum xb_wl_rc cpu_run(struct xb_wl_ctx *ctx)
{
	const struct xb_workload *wl = ctx->wl;
	uint64_t rng = ctx->seed, checked = 0, bad = 0;
	size_t noff = wl->offsets.n ? wl->offsets.n : 1;

	for (uint64_t it = 0; it < wl->iterations; it++) {
		for (size_t si = 0; si < wl->sizes.n; si++) {
			for (size_t oi = 0; oi < noff; oi++) {
				uint64_t size = wl->sizes.v[si];
				uint64_t off = wl->offsets.n ? wl->offsets.v[oi] : 0;
				uint8_t *src = malloc(size + off), *dst = malloc(size + off);
				uint8_t *exp = malloc(size);
				struct xb_verify v;

				if (!src || !dst || !exp) {
					free(src);
					free(dst);
					free(exp);
					return xb_wl_error(ctx, "could not allocate %llu bytes",
							   (unsigned long long)(size + off));
				}
				xb_pat_fill(src + off, size, 1, off, ctx->seed + it);
				memset(dst, 0, size + off);
				memcpy(dst + off, src + off, size);
				if (wl->inject[0] && strcmp(wl->inject, "none"))
					inject(wl->inject, dst + off, size, &rng);
				xb_pat_fill(exp, size, 1, off, ctx->seed + it);
				if (xb_verify(dst + off, exp, size, off, &v)) {
					json_t *f = xb_finding_new(XB_K_CORRUPTION, "target", "workload");

					json_object_set_new(f, "summary", json_sprintf(
						"%llu of %llu bytes wrong at offset %llu (size %llu, buffer offset %llu)",
						(unsigned long long)v.bytes_wrong, (unsigned long long)size,
						(unsigned long long)v.first_wrong, (unsigned long long)size,
						(unsigned long long)off));
					json_object_set_new(f, "numbers", xb_verify_json(&v));
					xb_report_finding(ctx, f);
					bad++;
				}
				checked++;
				free(src);
				free(dst);
				free(exp);
			}
		}
	}
	xb_report_note(ctx, "%llu transfers verified, %llu corrupt",
		       (unsigned long long)checked, (unsigned long long)bad);
	return XB_WL_DONE;
}

const struct xb_driver xb_driver_cpu = {
	.name = "cpu",
	.help = "CPU copies with byte-exact verification (reference; inject= for a known-bad control)",
	.keys = cpu_keys,
	.validate = cpu_validate,
	.run = cpu_run,
};
