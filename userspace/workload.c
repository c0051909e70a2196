// SPDX-License-Identifier: GPL-2.0
#include "workload.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kmod/include/uapi/xenbounce.h"

extern const struct xb_driver xb_driver_cpu;
extern const struct xb_driver xb_driver_selftest;
extern const struct xb_driver xb_driver_ttm;
extern const struct xb_driver xb_driver_amdgpu;
extern const struct xb_driver xb_driver_virtio_gpu;
extern const struct xb_driver xb_driver_edu;
extern const struct xb_driver xb_driver_dmaapi;

const struct xb_driver *const xb_drivers[] = {
	&xb_driver_cpu,
	&xb_driver_edu,
	&xb_driver_dmaapi,
	&xb_driver_ttm,
	&xb_driver_amdgpu,
	&xb_driver_virtio_gpu,
	&xb_driver_selftest,
};
const size_t xb_ndrivers = XB_ARRAY_SIZE(xb_drivers);

static const char *const path_names[] = {
	[XB_PATH_NONE] = "none",
	/* The module's edu verbs: wl-edu.c writes them as they are. */
	[XB_PATH_DMA_API] = XB_EDU_PATH_DMA_API,
	[XB_PATH_FIRST_PAGE] = XB_EDU_PATH_FIRST_PAGE,
	[XB_PATH_RAW_PHYS] = XB_EDU_PATH_RAW_PHYS,
	[XB_PATH_STALE] = XB_EDU_PATH_STALE,
};

const char *xb_path_name(enum xb_dma_path p)
{
	return (unsigned int)p < XB_ARRAY_SIZE(path_names) ? path_names[p] : "?";
}

/* The scenario words for directions, which the dmaapi verbs take as they are. */
static const char *const dir_names[] = { XB_DMAAPI_TO_DEVICE, XB_DMAAPI_FROM_DEVICE, XB_DMAAPI_BIDIRECTIONAL };

unsigned int xb_dir_from_name(const char *name)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(dir_names); i++)
		if (!strcmp(name, dir_names[i]))
			return 1u << i;
	return 0;
}

const char *xb_dir_name(unsigned int bit)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(dir_names); i++)
		if (bit == 1u << i)
			return dir_names[i];
	return "?";
}

const struct xb_driver *xb_driver_find(const char *name)
{
	for (size_t i = 0; i < xb_ndrivers; i++)
		if (!strcmp(xb_drivers[i]->name, name))
			return xb_drivers[i];
	return NULL;
}

/* The first reason a report was lost is the one the runner is told. */
static void report_lost(struct xb_wl_ctx *ctx, int err)
{
	if (!ctx->report_errno)
		ctx->report_errno = err ? err : EIO;
}

/* One JSON line for the runner; a line that cannot be written is remembered. */
static void report(struct xb_wl_ctx *ctx, json_t *obj)
{
	char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;

	json_decref(obj);
	if (!s) {
		report_lost(ctx, ENOMEM);
		return;
	}
	if (!ctx->report)
		report_lost(ctx, EBADF);
	else if (fprintf(ctx->report, "%s\n", s) < 0 || fflush(ctx->report))
		report_lost(ctx, errno);
	free(s);
}

void xb_report_finding(struct xb_wl_ctx *ctx, json_t *finding)
{
	json_object_set_new(finding, "type", json_string("finding"));
	json_object_set_new(finding, "workload", json_string(ctx->wl->name));
	report(ctx, finding);
}

static void report_text(struct xb_wl_ctx *ctx, const char *type, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0) {
		report_lost(ctx, ENOMEM);
		return;
	}
	report(ctx, json_pack("{s:s, s:o}", "type", type, "text", xb_json_string_lossy(text)));
	/* Also in the step's log, for a human reading it. */
	printf("%s: %s\n", type, text);
	fflush(stdout);
	free(text);
}

void xb_report_note(struct xb_wl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_text(ctx, "note", fmt, ap);
	va_end(ap);
}

enum xb_wl_rc xb_wl_skip(struct xb_wl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_text(ctx, "skip", fmt, ap);
	va_end(ap);
	return XB_WL_SKIP;
}

enum xb_wl_rc xb_wl_error(struct xb_wl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_text(ctx, "error", fmt, ap);
	va_end(ap);
	return XB_WL_ERROR;
}
