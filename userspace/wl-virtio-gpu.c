// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-gpu: a real in-tree DRM driver moving framebuffer memory to its
 * device by DMA. Without VIRTIO_F_ACCESS_PLATFORM the driver hands the
 * device pseudo-physical addresses (sg_phys) for its resource backing;
 * under Xen PV those are not machine addresses and the device reads the
 * wrong memory: every pixel wrong. With iommu_platform=on it goes through
 * the DMA API (xen-swiotlb) and is exact.
 *
 * The workload draws the position-tagged pattern into dumb buffers (KMS:
 * SetCrtc, page flips, DirtyFB) or /dev/fb0, then asks the lab host, over
 * the virtio-serial port "xenbounce.verify", to compare the device's own
 * view (QEMU screendump) with the expected image. Without that port (a
 * real dom0) the verification SKIPs; the drawing still runs.
 *
 * action = kms (default) or fbdev; mode = preferred (default) or largest;
 * buffers = how many framebuffers to cycle through; rounds = how many
 * times the CPU draws each buffer anew (a new pattern each time, flushed
 * and verified again: every transfer, not only the first frame). The
 * bounces xen-swiotlb made for the GPU during the step are counted through
 * the module's bounce log (a note); bounce = expected makes none at all a
 * contract/no_bounce finding (the scenario put the buffers where they
 * must bounce), bounce = none makes any a contract/needless_bounce.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libdrm/drm_fourcc.h>
#include <linux/fb.h>
#include <linux/kd.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "pattern.h"
#include "workload.h"
#include "xbdev.h"
#include "kmod/include/uapi/xenbounce.h"

#define VERIFY_PORT_NAME "xenbounce.verify"
#define VERIFY_TIMEOUT_MS 60000
#define BUF_ID_BASE 100u

static const char *const vgpu_keys[] = {
	"action", "mode", "buffers", "iterations", "rounds", "bounce", NULL
};

static int vgpu_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl, char *err, size_t len)
{
	(void)setup;
	if (wl->action[0] && strcmp(wl->action, "kms") && strcmp(wl->action, "fbdev")) {
		snprintf(err, len, "driver virtio-gpu: action = kms or fbdev");
		return -1;
	}
	if (wl->mode[0] && strcmp(wl->mode, "preferred") && strcmp(wl->mode, "largest")) {
		snprintf(err, len, "driver virtio-gpu: mode = preferred or largest");
		return -1;
	}
	if (wl->rounds > 8) {
		snprintf(err, len, "driver virtio-gpu: at most 8 rounds");
		return -1;
	}
	if (wl->buffers > 16) {
		snprintf(err, len, "driver virtio-gpu: at most 16 buffers");
		return -1;
	}
	return 0;
}

/* The virtio-serial port the lab host listens on, or -1. */
static int open_port(void)
{
	DIR *d = opendir("/sys/class/virtio-ports");
	struct dirent *e;
	int fd = -1;

	if (!d)
		return -1;
	while (fd < 0 && (e = readdir(d))) {
		char path[512], name[64];

		if (e->d_name[0] == '.' ||
		    xb_path(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name) ||
		    xb_read_line(path, name, sizeof(name)) || strcmp(name, VERIFY_PORT_NAME))
			continue;
		if (!xb_path(path, sizeof(path), "/dev/%s", e->d_name))
			fd = open(path, O_RDWR | O_CLOEXEC);
	}
	closedir(d);
	return fd;
}

/* Ask the host to compare the device's view with buffer buf_id's image. */
static enum xb_wl_rc verify(struct xb_wl_ctx *ctx, int port, uint32_t w, uint32_t h, uint32_t buf_id,
			    uint64_t seed, const char *what)
{
	char line[4096];
	size_t n = 0;
	json_t *req = json_pack("{s:s, s:i, s:i, s:i, s:I, s:s}", "op", "screendump", "width", (int)w,
				"height", (int)h, "buf_id", (int)buf_id, "seed", (json_int_t)seed,
				"test", ctx->setup->test);
	char *s = json_dumps(req, JSON_COMPACT);
	json_t *ans, *f;
	json_error_t je;
	long long wrong, total;

	json_decref(req);
	if (!s || dprintf(port, "%s\n", s) < 0) {
		free(s);
		return xb_wl_error(ctx, "could not write to the verification port");
	}
	free(s);
	while (n < sizeof(line) - 1) {
		struct pollfd p = { .fd = port, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, VERIFY_TIMEOUT_MS) != 1)
			return xb_wl_error(ctx, "the lab host did not answer the verification request");
		r = read(port, line + n, 1);
		if (r <= 0)
			return xb_wl_error(ctx, "verification port closed");
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	ans = json_loads(line, 0, &je);
	if (!ans)
		return xb_wl_error(ctx, "bad answer from the lab host: %s", line);
	if (json_object_get(ans, "error")) {
		enum xb_wl_rc rc = xb_wl_error(ctx, "host verification: %s",
					       json_string_value(json_object_get(ans, "error")));

		json_decref(ans);
		return rc;
	}
	wrong = json_integer_value(json_object_get(ans, "wrong"));
	total = json_integer_value(json_object_get(ans, "pixels"));
	xb_report_note(ctx, "%s: device view %lldx%lld, %lld of %lld pixels wrong (dump %s, diff %s)", what,
		       (long long)w, (long long)h, wrong, total,
		       json_string_value(json_object_get(ans, "dump")),
		       json_string_value(json_object_get(ans, "diff")));
	if (wrong > 0) {
		json_t *fw = json_object_get(ans, "first_wrong");

		f = xb_finding_new(XB_K_CORRUPTION, "scanout", "device");
		json_object_set_new(f, "summary", json_sprintf(
			"%s: %lld of %lld pixels wrong on the device; first at (%lld,%lld) is %s, want %s", what,
			wrong, total, (long long)json_integer_value(json_object_get(fw, "x")),
			(long long)json_integer_value(json_object_get(fw, "y")),
			json_string_value(json_object_get(fw, "got")), json_string_value(json_object_get(fw, "want"))));
		json_object_set_new(json_object_get(f, "numbers"), "wrong_pixels", json_integer(wrong));
		json_object_set_new(json_object_get(f, "numbers"), "pixels", json_integer(total));
		json_object_set(f, "first_wrong", fw);
		json_object_set(f, "diff_image", json_object_get(ans, "diff"));
		xb_report_finding(ctx, f);
	}
	json_decref(ans);
	return XB_WL_DONE;
}

/* Round r's pattern: a seed of its own, so a stale transfer shows. */
static uint64_t round_seed(uint64_t seed, uint64_t r)
{
	return seed ^ (r * 0x9e3779b97f4a7c15ull);
}

static void fill(uint8_t *map, uint32_t w, uint32_t h, uint32_t pitch, uint32_t buf_id, uint64_t seed)
{
	for (uint32_t y = 0; y < h; y++)
		xb_pat_xrgb_row(map + (size_t)y * pitch, w, y, buf_id, seed);
}

static int open_card(void)
{
	for (int i = 0; i < 8; i++) {
		char path[32];
		int fd;
		drmVersionPtr v;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v = drmGetVersion(fd);
		if (v && !strcmp(v->name, "virtio_gpu")) {
			drmFreeVersion(v);
			return fd;
		}
		drmFreeVersion(v);
		close(fd);
	}
	return -1;
}

struct dumb {
	uint32_t handle, pitch, fb;
	uint64_t size;
	uint8_t *map;
};

static void dumb_free(int fd, struct dumb *d)
{
	struct drm_mode_destroy_dumb dd = { .handle = d->handle };

	if (d->fb)
		drmModeRmFB(fd, d->fb);
	if (d->map && d->map != MAP_FAILED)
		munmap(d->map, d->size);
	if (d->handle)
		drmIoctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	memset(d, 0, sizeof(*d));
}

static int dumb_new(int fd, struct dumb *d, uint32_t w, uint32_t h)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };

	memset(d, 0, sizeof(*d));
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -errno;
	d->handle = c.handle;
	d->pitch = c.pitch;
	d->size = c.size;
	m.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -errno;
	d->map = mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)m.offset);
	if (d->map == MAP_FAILED)
		return -errno;
	handles[0] = d->handle;
	pitches[0] = d->pitch;
	if (drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches, offsets, &d->fb, 0))
		return -errno;
	return 0;
}

/* Flip to fb and wait for the flip event; 0 or -errno. */
static int flip(int fd, uint32_t crtc, uint32_t fb)
{
	drmEventContext ev = { .version = 2 };
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (drmModePageFlip(fd, crtc, fb, DRM_MODE_PAGE_FLIP_EVENT, NULL))
		return -errno;
	if (poll(&p, 1, 2000) != 1)
		return -ETIMEDOUT;
	drmHandleEvent(fd, &ev);
	return 0;
}

static enum xb_wl_rc run_kms(struct xb_wl_ctx *ctx, int port)
{
	const struct xb_workload *wl = ctx->wl;
	int fd = open_card();
	drmModeRes *res = NULL;
	drmModeConnector *conn = NULL;
	drmModeModeInfo mode;
	uint32_t crtc = 0, nbuf = wl->buffers ? (uint32_t)wl->buffers : 1;
	uint64_t rounds = wl->rounds ? wl->rounds : 1;
	struct dumb bufs[16];
	enum xb_wl_rc rc = XB_WL_DONE;
	bool largest = !strcmp(wl->mode, "largest");
	int r;

	memset(bufs, 0, sizeof(bufs));
	if (fd < 0)
		return xb_wl_skip(ctx, "no virtio-gpu DRM device (/dev/dri/card*)");
	res = drmModeGetResources(fd);
	for (int i = 0; res && i < res->count_connectors && !conn; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (conn && (conn->connection != DRM_MODE_CONNECTED || !conn->count_modes)) {
			drmModeFreeConnector(conn);
			conn = NULL;
		}
	}
	if (!conn) {
		rc = xb_wl_error(ctx, "virtio-gpu: no connected connector");
		goto out;
	}
	mode = conn->modes[0];
	for (int i = 0; i < conn->count_modes; i++) {
		drmModeModeInfo *m = &conn->modes[i];

		if (largest ? (uint32_t)m->hdisplay * m->vdisplay > (uint32_t)mode.hdisplay * mode.vdisplay
			    : (m->type & DRM_MODE_TYPE_PREFERRED) != 0) {
			mode = *m;
			if (!largest)
				break;
		}
	}
	if (conn->encoder_id) {
		drmModeEncoder *enc = drmModeGetEncoder(fd, conn->encoder_id);

		if (enc)
			crtc = enc->crtc_id;
		drmModeFreeEncoder(enc);
	}
	if (!crtc && res->count_crtcs)
		crtc = res->crtcs[0];
	xb_report_note(ctx, "virtio-gpu: connector %u, mode %ux%u (%s), crtc %u, %u buffers", conn->connector_id,
		       mode.hdisplay, mode.vdisplay, largest ? "largest" : "preferred", crtc, nbuf);
	for (uint64_t it = 0; it < wl->iterations && rc == XB_WL_DONE; it++) {
		for (uint32_t b = 0; b < nbuf && rc == XB_WL_DONE; b++) {
			char what[64];

			if (!bufs[b].fb) {
				r = dumb_new(fd, &bufs[b], mode.hdisplay, mode.vdisplay);
				if (r) {
					json_t *f = xb_finding_new(XB_K_MAP_ERROR, "dumb_buffer", "workload");

					json_object_set_new(f, "summary", json_sprintf("dumb buffer %u (%ux%u): %s",
						b, mode.hdisplay, mode.vdisplay, strerror(-r)));
					xb_report_finding(ctx, f);
					goto out;
				}
			}
			fill(bufs[b].map, mode.hdisplay, mode.vdisplay, bufs[b].pitch, BUF_ID_BASE + b, ctx->seed);
			if (it == 0 && b == 0)
				r = drmModeSetCrtc(fd, crtc, bufs[b].fb, 0, 0, &conn->connector_id, 1, &mode) ? -errno : 0;
			else
				r = flip(fd, crtc, bufs[b].fb);
			if (r) {
				json_t *f = xb_finding_new(XB_K_MAP_ERROR, "modeset", "workload");

				json_object_set_new(f, "summary", json_sprintf("%s of buffer %u failed: %s",
					it == 0 && b == 0 ? "modeset" : "page flip", b, strerror(-r)));
				xb_report_finding(ctx, f);
				goto out;
			}
			/* virtio-gpu transfers to the host on dirty. */
			drmModeDirtyFB(fd, bufs[b].fb, NULL, 0);
			snprintf(what, sizeof(what), "buffer %u (iteration %llu)", b, (unsigned long long)it);
			if (port >= 0)
				rc = verify(ctx, port, mode.hdisplay, mode.vdisplay, BUF_ID_BASE + b, ctx->seed, what);
			/* The CPU draws the buffer anew while it is on screen: flushed again. */
			for (uint64_t rd = 1; rd < rounds && rc == XB_WL_DONE; rd++) {
				uint64_t seed = round_seed(ctx->seed, rd);

				fill(bufs[b].map, mode.hdisplay, mode.vdisplay, bufs[b].pitch, BUF_ID_BASE + b, seed);
				drmModeDirtyFB(fd, bufs[b].fb, NULL, 0);
				snprintf(what, sizeof(what), "buffer %u (iteration %llu, redrawn %llu)", b,
					 (unsigned long long)it, (unsigned long long)rd);
				if (port >= 0)
					rc = verify(ctx, port, mode.hdisplay, mode.vdisplay, BUF_ID_BASE + b, seed,
						    what);
			}
		}
	}
out:
	for (uint32_t b = 0; b < 16; b++)
		dumb_free(fd, &bufs[b]);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	close(fd);
	return rc;
}

static enum xb_wl_rc run_fbdev(struct xb_wl_ctx *ctx, int port)
{
	struct fb_var_screeninfo var;
	struct fb_fix_screeninfo fix;
	int fd = open("/dev/fb0", O_RDWR | O_CLOEXEC);
	uint8_t *map;
	enum xb_wl_rc rc;
	struct timespec ts = { 0, 300 * 1000 * 1000 };

	int tty = open("/dev/tty0", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		if (tty >= 0)
			close(tty);
		return xb_wl_skip(ctx, "no /dev/fb0");
	}
	/* Keep fbcon (its cursor) off the framebuffer while we own it. */
	if (tty >= 0 && ioctl(tty, KDSETMODE, KD_GRAPHICS))
		xb_report_note(ctx, "could not put the console in graphics mode: %s", strerror(errno));
	if (ioctl(fd, FBIOGET_VSCREENINFO, &var) || ioctl(fd, FBIOGET_FSCREENINFO, &fix) ||
	    var.bits_per_pixel != 32) {
		close(fd);
		if (tty >= 0)
			close(tty);
		return xb_wl_skip(ctx, "/dev/fb0 is not a 32 bpp framebuffer");
	}
	map = mmap(NULL, fix.smem_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		if (tty >= 0)
			close(tty);
		return xb_wl_error(ctx, "mmap /dev/fb0: %s", strerror(errno));
	}
	xb_report_note(ctx, "fbdev: %ux%u, line %u bytes", var.xres, var.yres, fix.line_length);
	fill(map, var.xres, var.yres, fix.line_length, BUF_ID_BASE, ctx->seed);
	msync(map, fix.smem_len, MS_SYNC);
	/* fbdev emulation flushes damage from a worker: give it a moment. */
	nanosleep(&ts, NULL);
	rc = port >= 0 ? verify(ctx, port, var.xres, var.yres, BUF_ID_BASE, ctx->seed, "fb0") : XB_WL_DONE;
	for (uint64_t r = 1; r < (ctx->wl->rounds ? ctx->wl->rounds : 1) && rc == XB_WL_DONE; r++) {
		uint64_t seed = round_seed(ctx->seed, r);
		char what[32];

		fill(map, var.xres, var.yres, fix.line_length, BUF_ID_BASE, seed);
		msync(map, fix.smem_len, MS_SYNC);
		nanosleep(&ts, NULL);
		snprintf(what, sizeof(what), "fb0 (redrawn %llu)", (unsigned long long)r);
		if (port >= 0)
			rc = verify(ctx, port, var.xres, var.yres, BUF_ID_BASE, seed, what);
	}
	munmap(map, fix.smem_len);
	close(fd);
	if (tty >= 0) {
		ioctl(tty, KDSETMODE, KD_TEXT);
		close(tty);
	}
	return rc;
}

/*
 * The driver's DMA declarations, read through the module: virtio-gpu
 * builds its scatterlists with drm_prime_pages_to_sg(), whose segments go
 * up to dma_max_mapping_size(); its device must then declare at least that
 * max_segment_size (9c64e749cebd), or the driver maps segments longer than
 * the device claims to support. Without the module loaded, a note.
 */
static void check_dma_limits(struct xb_wl_ctx *ctx)
{
	int fd = open_card();
	drmDevicePtr dev = NULL;
	char bdf[32], seg[32] = "", map[32] = "", *st;
	uint64_t s, m;
	int ret;

	if (fd < 0)
		return;
	if (drmGetDevice2(fd, 0, &dev) || dev->bustype != DRM_BUS_PCI) {
		drmFreeDevice(&dev);
		close(fd);
		return;
	}
	snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", dev->businfo.pci->domain, dev->businfo.pci->bus,
		 dev->businfo.pci->dev, dev->businfo.pci->func);
	drmFreeDevice(&dev);
	close(fd);
	ret = xb_dev_cmd(XB_FILE_DMAAPI, "%s %s", XB_DMAAPI_DEVICE, bdf);
	if (ret) {
		xb_report_note(ctx, "%s's DMA limits not checked (xenbounce.ko: %s)", bdf, strerror(-ret));
		return;
	}
	st = xb_dev_read(XB_FILE_DMAAPI);
	xb_kv_get(st, "probed_max_segment_size", seg, sizeof(seg));
	xb_kv_get(st, "probed_max_mapping_size", map, sizeof(map));
	free(st);
	if (xb_parse_u64(seg, 0, UINT64_MAX, &s) || xb_parse_u64(map, 0, UINT64_MAX, &m)) {
		xb_report_note(ctx, "%s's DMA limits unreadable", bdf);
		return;
	}
	xb_report_note(ctx, "%s: max_segment_size %llu, dma_max_mapping_size %llu", bdf,
		       (unsigned long long)s, (unsigned long long)m);
	/* max_segment_size is an unsigned int: "no limit" is UINT_MAX there. */
	if (s < (m > UINT32_MAX ? UINT32_MAX : m)) {
		json_t *f = xb_finding_new(XB_K_CONTRACT, "max_segment_size", "workload");

		json_object_set_new(f, "device", json_string(bdf));
		json_object_set_new(f, "summary", json_sprintf(
			"virtio-gpu builds scatterlist segments up to dma_max_mapping_size() (%llu bytes) but its device declares max_segment_size %llu",
			(unsigned long long)m, (unsigned long long)s));
		xb_report_finding(ctx, f);
	}
}

/* The GPU's PCI address, or 1 when it has none. */
static int gpu_bdf(char *bdf, size_t len)
{
	int fd = open_card();
	drmDevicePtr dev = NULL;
	int ret = 1;

	if (fd < 0)
		return 1;
	if (!drmGetDevice2(fd, 0, &dev) && dev->bustype == DRM_BUS_PCI) {
		snprintf(bdf, len, "%04x:%02x:%02x.%u", dev->businfo.pci->domain, dev->businfo.pci->bus,
			 dev->businfo.pci->dev, dev->businfo.pci->func);
		ret = 0;
	}
	drmFreeDevice(&dev);
	close(fd);
	return ret;
}

/* Bounces the module's bounce log counted for a device, or -1 unreadable. */
static long long bounces(const char *bdf)
{
	char *st = xb_dev_read(XB_FILE_BOUNCE_STATS), key[64], *p;
	long long n = 0;

	if (!st)
		return -1;
	snprintf(key, sizeof(key), "device %s: events ", bdf);
	p = strstr(st, key);
	if (p)
		n = atoll(p + strlen(key));
	else if (!strstr(st, "attached: 1"))
		n = -1;
	free(st);
	return n;
}

/* How many of the GPU's mappings bounced during the step, and the verdict on it. */
static enum xb_wl_rc count_bounces(struct xb_wl_ctx *ctx, const char *bdf, long long before)
{
	long long after = bounces(bdf), n = after - before;
	const char *want = ctx->wl->bounce;

	if (before < 0 || after < 0) {
		xb_report_note(ctx, "%s: bounces not counted (xenbounce.ko's bounce log unavailable)", bdf);
		if (!strcmp(want, "expected") || !strcmp(want, "none"))
			return xb_wl_error(ctx, "bounce = %s, but the bounce log could not be read", want);
		return XB_WL_DONE;
	}
	xb_report_note(ctx, "%s: %lld bounced mappings (xen-swiotlb, bounce log)", bdf, n);
	if (!strcmp(want, "expected") && n == 0) {
		json_t *f = xb_finding_new(XB_K_CONTRACT, "no_bounce", "workload");

		json_object_set_new(f, "device", json_string(bdf));
		json_object_set_new(f, "summary", json_sprintf(
			"%s: nothing bounced, but the scenario put the GPU's buffers where they must", bdf));
		xb_report_finding(ctx, f);
	} else if (!strcmp(want, "none") && n > 0) {
		json_t *f = xb_finding_new(XB_K_CONTRACT, "needless_bounce", "workload");

		json_object_set_new(f, "device", json_string(bdf));
		json_object_set_new(f, "summary", json_sprintf("%s: %lld mappings bounced", bdf, n));
		xb_report_finding(ctx, f);
	}
	return XB_WL_DONE;
}

static enum xb_wl_rc vgpu_run(struct xb_wl_ctx *ctx)
{
	int port = open_port();
	enum xb_wl_rc rc;
	bool fbdev = !strcmp(ctx->wl->action, "fbdev");
	char bdf[32];
	bool have = !gpu_bdf(bdf, sizeof(bdf));
	long long before = have ? bounces(bdf) : -1;

	check_dma_limits(ctx);
	rc = fbdev ? run_fbdev(ctx, port) : run_kms(ctx, port);
	if (have && rc == XB_WL_DONE)
		rc = count_bounces(ctx, bdf, before);
	if (port < 0 && rc == XB_WL_DONE)
		rc = xb_wl_skip(ctx, "drawn, but no host to verify the device's view (no virtio port %s: not in the QEMU lab)",
				VERIFY_PORT_NAME);
	if (port >= 0)
		close(port);
	return rc;
}

const struct xb_driver xb_driver_virtio_gpu = {
	.name = "virtio-gpu",
	.help = "KMS/fbdev scanout through Linux's virtio-gpu DRM driver, verified from the device's side",
	.keys = vgpu_keys,
	.validate = vgpu_validate,
	.run = vgpu_run,
};
