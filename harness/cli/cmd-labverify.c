// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce lab-verify: the lab host's side of device-side verification.
 * Connects to QEMU's virtio-serial port "xenbounce.verify" and its HMP
 * monitor (both unix sockets), and for every request from the guest takes
 * a screendump of the display, rebuilds the expected image from the same
 * seed and buffer id, counts the wrong pixels, writes a diff PNG, and
 * answers with the numbers. Runs until QEMU closes the port.
 */
#include <errno.h>
#include <getopt.h>
#include <png.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "core/status.h"
#include "core/util.h"
#include "userspace/pattern.h"

static int connect_unix(const char *path, int wait_s)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	double end = xb_now() + wait_s;

	if (strlen(path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, path);
	while (xb_now() < end) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (fd < 0)
			return -errno;
		if (!connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return fd;
		close(fd);
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

/* Read from the monitor until its "(qemu) " prompt. */
static int monitor_wait(int mon)
{
	char buf[4096];
	size_t n = 0;

	for (;;) {
		struct pollfd p = { .fd = mon, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 30000) != 1)
			return -ETIMEDOUT;
		r = read(mon, buf + n, sizeof(buf) - 1 - n);
		if (r <= 0)
			return -EPIPE;
		n += (size_t)r;
		buf[n] = '\0';
		if (strstr(buf, "(qemu) "))
			return 0;
		if (n > sizeof(buf) / 2) {	/* keep the tail */
			memmove(buf, buf + n - 64, 64);
			n = 64;
		}
	}
}

static uint8_t *read_ppm(const char *path, unsigned int *w, unsigned int *h)
{
	FILE *f = fopen(path, "rb");
	uint8_t *px;
	int max;

	if (!f)
		return NULL;
	if (fscanf(f, "P6 %u %u %d", w, h, &max) != 3 || max != 255 || fgetc(f) == EOF ||
	    *w == 0 || *h == 0 || *w > 16384 || *h > 16384) {
		fclose(f);
		return NULL;
	}
	px = malloc((size_t)*w * *h * 3);
	if (px && fread(px, 3, (size_t)*w * *h, f) != (size_t)*w * *h) {
		free(px);
		px = NULL;
	}
	fclose(f);
	return px;
}

static int write_png(const char *path, const uint8_t *rgb, unsigned int w, unsigned int h)
{
	FILE *f = fopen(path, "wb");
	png_structp png;
	png_infop info;

	if (!f)
		return -errno;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, info ? &info : NULL);
		fclose(f);
		return -EIO;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (unsigned int y = 0; y < h; y++)
		png_write_row(png, (png_const_bytep)(rgb + (size_t)y * w * 3));
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	fclose(f);
	return 0;
}

/* A quarter-size copy of an RGB image, for the HTML report. */
static void write_thumb(const char *path, const uint8_t *rgb, unsigned int w, unsigned int h)
{
	unsigned int tw = w / 4 ? w / 4 : 1, th = h / 4 ? h / 4 : 1;
	uint8_t *t = malloc((size_t)tw * th * 3);

	if (!t)
		return;
	for (unsigned int y = 0; y < th; y++)
		for (unsigned int x = 0; x < tw; x++)
			memcpy(t + ((size_t)y * tw + x) * 3, rgb + ((size_t)y * 4 * w + x * 4) * 3, 3);
	write_png(path, t, tw, th);
	free(t);
}

/* Compare a dump with the expected image; the answer as JSON. */
static json_t *compare(const char *dump, const char *diff, unsigned int want_w, unsigned int want_h,
		       uint32_t buf_id, uint64_t seed)
{
	unsigned int w, h;
	uint8_t *px = read_ppm(dump, &w, &h), *row, *img;
	long long wrong = 0;
	json_t *first = NULL, *ans;

	if (!px)
		return json_pack("{s:s}", "error", "could not read the screendump");
	if (w != want_w || h != want_h) {
		free(px);
		return json_pack("{s:s, s:i, s:i}", "error", "screendump size differs from the mode", "width",
				 (int)w, "height", (int)h);
	}
	row = malloc((size_t)w * 4);
	img = malloc((size_t)w * h * 3);
	uint8_t *want = malloc((size_t)w * h * 3);
	for (unsigned int y = 0; row && img && y < h; y++) {
		xb_pat_xrgb_row(row, w, y, buf_id, seed);
		for (unsigned int x = 0; x < w; x++) {
			const uint8_t *e = row + (size_t)x * 4, *g = px + ((size_t)y * w + x) * 3;
			uint8_t *o = img + ((size_t)y * w + x) * 3;

			if (want) {
				want[((size_t)y * w + x) * 3] = e[2];
				want[((size_t)y * w + x) * 3 + 1] = e[1];
				want[((size_t)y * w + x) * 3 + 2] = e[0];
			}
			/* XRGB8888 in memory: B, G, R, X; the dump is R, G, B. */
			bool bad = g[0] != e[2] || g[1] != e[1] || g[2] != e[0];

			if (bad) {
				if (!wrong++) {
					char gs[8], ws[8];

					snprintf(gs, sizeof(gs), "#%02x%02x%02x", g[0], g[1], g[2]);
					snprintf(ws, sizeof(ws), "#%02x%02x%02x", e[2], e[1], e[0]);
					first = json_pack("{s:i, s:i, s:s, s:s}", "x", (int)x, "y", (int)y,
							  "got", gs, "want", ws);
				}
				o[0] = 255;
				o[1] = 0;
				o[2] = 0;
			} else {
				o[0] = e[2] / 4;
				o[1] = e[1] / 4;
				o[2] = e[0] / 4;
			}
		}
	}
	if (!row || !img) {
		free(px);
		free(row);
		free(img);
		free(want);
		json_decref(first);
		return json_pack("{s:s}", "error", "out of memory");
	}
	write_png(diff, img, w, h);
	{
		/* Thumbnails beside the full images: thumb-{expected,device,diff}-NNN.png */
		char t[4096], *base = strrchr(diff, '/'), dir[4096];
		const char *num = strstr(base, "diff-") ? strstr(base, "diff-") + 5 : "000.png";

		snprintf(dir, sizeof(dir), "%.*s", (int)(base - diff), diff);
		if (want && !xb_path(t, sizeof(t), "%s/thumb-expected-%s", dir, num))
			write_thumb(t, want, w, h);
		if (!xb_path(t, sizeof(t), "%s/thumb-device-%s", dir, num))
			write_thumb(t, px, w, h);
		if (!xb_path(t, sizeof(t), "%s/thumb-diff-%s", dir, num))
			write_thumb(t, img, w, h);
	}
	free(want);
	ans = json_pack("{s:I, s:I, s:s, s:s}", "pixels", (json_int_t)w * h, "wrong", (json_int_t)wrong,
			"dump", strrchr(dump, '/') + 1, "diff", strrchr(diff, '/') + 1);
	if (first)
		json_object_set_new(ans, "first_wrong", first);
	free(px);
	free(row);
	free(img);
	return ans;
}

static int labverify_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "monitor", required_argument, NULL, 'm' },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *port_path = NULL, *mon_path = NULL, *dir = NULL;
	char line[4096];
	size_t n = 0;
	int port, mon, c, count = 0;

	while ((c = getopt_long(argc, argv, "p:m:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': port_path = optarg; break;
		case 'm': mon_path = optarg; break;
		case 'd': dir = optarg; break;
		case 'h':
		default:
			fprintf(c == 'h' ? stdout : stderr,
				"Usage: xenbounce lab-verify --port SOCK --monitor SOCK --dir DIR\n"
				"The lab host's side of device-side (screendump) verification.\n");
			return c == 'h' ? 0 : XB_EXIT_USAGE;
		}
	}
	if (!port_path || !mon_path || !dir) {
		fprintf(stderr, "xenbounce lab-verify: --port, --monitor and --dir are needed\n");
		return XB_EXIT_USAGE;
	}
	if (xb_mkdir_p(dir, 0755)) {
		fprintf(stderr, "xenbounce lab-verify: could not create %s\n", dir);
		return 1;
	}
	port = connect_unix(port_path, 60);
	mon = connect_unix(mon_path, 60);
	if (port < 0 || mon < 0 || monitor_wait(mon)) {
		fprintf(stderr, "xenbounce lab-verify: could not reach QEMU (%s, %s)\n", port_path, mon_path);
		return 1;
	}
	for (;;) {
		ssize_t r = read(port, line + n, 1);
		json_t *req, *ans;
		json_error_t je;
		char dump[4096], diff[4096], *s;

		if (r <= 0)
			break;	/* QEMU went away */
		if (line[n] != '\n') {
			if (n < sizeof(line) - 2)
				n++;
			continue;
		}
		line[n] = '\0';
		n = 0;
		req = json_loads(line, 0, &je);
		count++;
		xb_path(dump, sizeof(dump), "%s/dump-%03d.ppm", dir, count);
		xb_path(diff, sizeof(diff), "%s/diff-%03d.png", dir, count);
		if (!req) {
			ans = json_pack("{s:s}", "error", "bad request");
		} else if (dprintf(mon, "screendump %s\n", dump) < 0 || monitor_wait(mon)) {
			ans = json_pack("{s:s}", "error", "screendump failed");
		} else {
			ans = compare(dump, diff, (unsigned int)json_integer_value(json_object_get(req, "width")),
				      (unsigned int)json_integer_value(json_object_get(req, "height")),
				      (uint32_t)json_integer_value(json_object_get(req, "buf_id")),
				      (uint64_t)json_integer_value(json_object_get(req, "seed")));
		}
		s = json_dumps(ans, JSON_COMPACT);
		if (s) {
			dprintf(port, "%s\n", s);
			fprintf(stderr, "lab-verify: %s\n", s);
		}
		free(s);
		json_decref(ans);
		json_decref(req);
	}
	close(port);
	close(mon);
	return 0;
}

const struct xb_cmd xb_cmd_labverify = {
	"lab-verify", labverify_main, "lab host: verify the guest's display from QEMU's screendump",
};
