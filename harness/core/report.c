// SPDX-License-Identifier: GPL-2.0
#include "report.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "status.h"
#include "util.h"

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char *sv(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static const struct group {
	const char *id, *title, *label;
	const char *status[6];
} groups[] = {
	{ "new-failures", "New failures", "new failures", { "fail", "timeout", "crash", "error", "incomplete" } },
	{ "unexpected-passes", "Unexpected passes", "unexpected passes", { "xpass" } },
	{ "flaky", "Flaky", "flaky", { "flaky" } },
	{ "known-failures", "Known failures", "known failures", { "xfail" } },
	{ "skipped", "Skipped", "skipped", { "skip" } },
	{ "passed", "Passed", "passed", { "pass" } },
};

static bool in_group(const struct group *g, const char *st)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(g->status) && g->status[i]; i++)
		if (!strcmp(st, g->status[i]))
			return true;
	/* An unknown word is not ok: a new failure. */
	return g == &groups[0] && xb_status_from_name(st) < 0;
}

/* A step's swiotlb evidence: evidence objects are keyed by step name. */
static const json_t *step_swiotlb(const json_t *t, const json_t *s)
{
	const json_t *ev = json_object_get(json_object_get(t, "evidence"), sv(s, "name"));

	return json_object_get(ev, "swiotlb");
}

static json_int_t ival(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/*
 * One point per step: swiotlb slots in use after it, against the pool
 * size. Steps in run order: each test's steps array (results.json's
 * evidence objects are keyed by name, and their key order is not the run's).
 */
static void plot_swiotlb(FILE *f, const json_t *tests)
{
	enum { W = 720, H = 180, PAD = 40 };
	size_t i, j, n = 0, k = 0;
	json_t *t, *s;
	json_int_t max = 1, nslabs = 0;

	json_array_foreach(tests, i, t)
		json_array_foreach(json_object_get(t, "steps"), j, s) {
			const json_t *sw = step_swiotlb(t, s);

			if (!sw)
				continue;
			n++;
			if (ival(sw, "nslabs") > nslabs)
				nslabs = ival(sw, "nslabs");
			if (ival(sw, "used_after") > max)
				max = ival(sw, "used_after");
		}
	if (!n) {
		fprintf(f, "<svg width=\"%d\" height=\"40\" role=\"img\"><text x=\"4\" y=\"20\" font-size=\"12\">"
			"swiotlb slots in use: no swiotlb evidence in this run</text></svg>\n", W);
		return;
	}
	if (nslabs > max)
		max = nslabs;
#define RX(k) (PAD + (double)(W - PAD - 10) * (double)(k) / (double)(n > 1 ? n - 1 : 1))
#define RY(v) ((H - 20) - (double)(H - 40) * (double)(v) / (double)max)
	fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\">\n", W, H);
	fprintf(f, "<text x=\"4\" y=\"14\" font-size=\"12\">swiotlb slots in use after each step (pool: %lld slots)</text>\n",
		(long long)nslabs);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n", PAD, H - 20, W - 10, H - 20);
	fprintf(f, "<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"2\" points=\"");
	json_array_foreach(tests, i, t)
		json_array_foreach(json_object_get(t, "steps"), j, s) {
			const json_t *sw = step_swiotlb(t, s);

			if (!sw)
				continue;
			fprintf(f, "%.1f,%.1f ", RX(k), RY(ival(sw, "used_after")));
			k++;
		}
	fputs("\"/>\n", f);
	/* The same points again, each naming its test and step on hover. */
	k = 0;
	json_array_foreach(tests, i, t)
		json_array_foreach(json_object_get(t, "steps"), j, s) {
			const json_t *sw = step_swiotlb(t, s);

			if (!sw)
				continue;
			fprintf(f, "<circle class=\"run-point\" r=\"3\" fill=\"#c33\" cx=\"%.1f\" "
				"cy=\"%.1f\"><title>", RX(k), RY(ival(sw, "used_after")));
			esc(f, sv(t, "name"));
			fputc(' ', f);
			esc(f, sv(s, "name"));
			fprintf(f, ": %lld slots</title></circle>\n",
				(long long)ival(sw, "used_after"));
			k++;
		}
	fprintf(f, "<text x=\"4\" y=\"%d\" font-size=\"10\">0</text>"
		"<text x=\"4\" y=\"30\" font-size=\"10\">%lld</text>\n", H - 20, (long long)max);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">steps, in run order (%zu)</text>\n"
		"</svg>\n", PAD, H - 4, n);
#undef RX
#undef RY
}

/*
 * One test's swiotlb use: slots in use before its first step, then after
 * each step, every step labelled under its point.
 */
static void plot_test_swiotlb(FILE *f, const json_t *t)
{
	enum { W = 720, H = 200, PAD = 50 };
	size_t j, n = 0, k = 0;
	json_t *s;
	json_int_t max = 1, nslabs = 0, first = -1;

	json_array_foreach(json_object_get(t, "steps"), j, s) {
		const json_t *sw = step_swiotlb(t, s);

		if (!sw)
			continue;
		if (first < 0)
			first = ival(sw, "used_before");
		n++;
		if (ival(sw, "nslabs") > nslabs)
			nslabs = ival(sw, "nslabs");
		if (ival(sw, "used_after") > max)
			max = ival(sw, "used_after");
		if (ival(sw, "used_before") > max)
			max = ival(sw, "used_before");
	}
	if (!n) {
		fprintf(f, "<svg class=\"test-plot\" width=\"%d\" height=\"24\" role=\"img\">"
			"<text x=\"4\" y=\"16\" font-size=\"12\">swiotlb slots in use: "
			"no swiotlb evidence for this test</text></svg>\n", W);
		return;
	}
	if (nslabs > max)
		max = nslabs;
#define PX(k) (PAD + (double)(W - PAD - 20) * (double)(k) / (double)n)
#define PY(v) ((H - 40) - (double)(H - 60) * (double)(v) / (double)max)
	fprintf(f, "<svg class=\"test-plot\" width=\"%d\" height=\"%d\" role=\"img\">", W, H);
	fprintf(f, "<text x=\"4\" y=\"14\" font-size=\"12\">swiotlb slots in use over the test "
		"(pool: %lld slots)</text>", (long long)nslabs);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>",
		PAD, H - 40, W - 10, H - 40);
	fprintf(f, "<text x=\"4\" y=\"%d\" font-size=\"10\">0</text>"
		"<text x=\"4\" y=\"34\" font-size=\"10\">%lld</text>", H - 40, (long long)max);
	fprintf(f, "<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"2\" points=\"%.1f,%.1f ",
		PX(0), PY(first));
	json_array_foreach(json_object_get(t, "steps"), j, s) {
		const json_t *sw = step_swiotlb(t, s);

		if (sw)
			fprintf(f, "%.1f,%.1f ", PX(++k), PY(ival(sw, "used_after")));
	}
	fprintf(f, "\"/><text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">"
		"start</text>", PX(0), H - 26);
	k = 0;
	json_array_foreach(json_object_get(t, "steps"), j, s) {
		const json_t *sw = step_swiotlb(t, s);

		if (!sw)
			continue;
		k++;
		fprintf(f, "<circle r=\"3\" fill=\"#c33\" cx=\"%.1f\" cy=\"%.1f\"><title>",
			PX(k), PY(ival(sw, "used_after")));
		esc(f, sv(s, "name"));
		fprintf(f, ": %lld slots before, %lld after</title></circle>",
			(long long)ival(sw, "used_before"), (long long)ival(sw, "used_after"));
		fprintf(f, "<text class=\"step-label\" x=\"%.1f\" y=\"%d\" font-size=\"10\" "
			"text-anchor=\"middle\">", PX(k), H - (k % 2 ? 26 : 12));
		esc(f, sv(s, "name"));
		fputs("</text>", f);
	}
#undef PX
#undef PY
	fputs("</svg>\n", f);
}

enum { XB_BOUNCE_BUCKETS = 20 };

/*
 * A test's bounced mappings by size (powers of two), from its steps'
 * bounce logs. Computed once, when the test is recorded, and kept in
 * results.json, so rewriting the report after every test stays linear.
 */
json_t *xb_bounce_histogram(const json_t *t, const char *rundir)
{
	unsigned long long hist[XB_BOUNCE_BUCKETS] = { 0 };
	json_t *a = json_array(), *s;
	size_t j;

	json_array_foreach(json_object_get(t, "steps"), j, s) {
		char path[4096], line[256];
		FILE *in;

		if (!rundir || xb_path(path, sizeof(path), "%s/%s/%02zu-%s.bounce-log.txt", rundir,
				       sv(t, "dir"), j + 1, sv(s, "name")))
			continue;
		in = fopen(path, "re");
		if (!in)
			continue;
		while (fgets(line, sizeof(line), in)) {
			unsigned long long ts, addr, size;
			char dev[64];
			int b = 0;

			if (sscanf(line, "%llu %63s 0x%llx %llu", &ts, dev, &addr, &size) != 4)
				continue;
			while (b < XB_BOUNCE_BUCKETS - 1 && (1ull << (b + 1)) <= size)
				b++;
			hist[b]++;
		}
		fclose(in);
	}
	for (int b = 0; b < XB_BOUNCE_BUCKETS; b++)
		json_array_append_new(a, json_integer((json_int_t)hist[b]));
	return a;
}

/* Histogram of bounce sizes over the run, from each test's cached counts. */
static void plot_bounces(FILE *f, const json_t *tests, const char *rundir)
{
	enum { W = 720, H = 180, BUCKETS = XB_BOUNCE_BUCKETS };
	unsigned long long hist[BUCKETS] = { 0 }, max = 0, total = 0;
	size_t i;
	json_t *t;

	json_array_foreach(tests, i, t) {
		json_t *h = json_object_get(t, "bounce_histogram");
		json_t *own = h ? NULL : xb_bounce_histogram(t, rundir);	/* older results */

		for (int b = 0; b < BUCKETS; b++) {
			json_int_t v = json_integer_value(json_array_get(h ? h : own, (size_t)b));

			hist[b] += v > 0 ? (unsigned long long)v : 0;
			total += v > 0 ? (unsigned long long)v : 0;
		}
		json_decref(own);
	}
	if (!total) {
		fprintf(f, "<svg width=\"%d\" height=\"40\" role=\"img\"><text x=\"4\" y=\"20\" font-size=\"12\">"
			"bounced mappings by size: none logged in this run</text></svg>\n", W);
		return;
	}
	for (int b = 0; b < BUCKETS; b++)
		if (hist[b] > max)
			max = hist[b];
	fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\">\n", W, H);
	fprintf(f, "<text x=\"4\" y=\"14\" font-size=\"12\">bounced mappings by size (%llu in all)</text>\n", total);
	for (int b = 0; b < BUCKETS; b++) {
		double bw = (W - 20) / (double)BUCKETS, h = (double)(H - 50) * (double)hist[b] / (double)max;

		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#36c\"><title>%llu mappings of %llu..%llu bytes</title></rect>\n",
			10 + b * bw, H - 30 - h, bw - 2, h, hist[b], 1ull << b, (2ull << b) - 1);
		if (b % 2 == 0)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\">%llu</text>\n", 10 + b * bw, H - 16,
				b >= 10 ? (1ull << b) >> 10 : 1ull << b);
	}
	fprintf(f, "<text x=\"10\" y=\"%d\" font-size=\"10\">size (bytes; from 1024 on, KiB)</text>\n</svg>\n", H - 3);
}

static void base64(FILE *f, const unsigned char *p, size_t n)
{
	static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned int v = (unsigned int)p[i] << 16 | (i + 1 < n ? (unsigned int)p[i + 1] << 8 : 0) |
				 (i + 2 < n ? p[i + 2] : 0);

		fputc(t[v >> 18 & 63], f);
		fputc(t[v >> 12 & 63], f);
		fputc(i + 1 < n ? t[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? t[v & 63] : '=', f);
	}
}

/* Embed imgdir/NAME as a data: URI image, if it is there. */
static void embed_png(FILE *f, const char *imgdir, const char *name, const char *caption)
{
	char path[4096];
	size_t len;
	char *data;

	if (!imgdir || xb_path(path, sizeof(path), "%s/%s", imgdir, name))
		return;
	data = xb_read_file(path, &len);
	if (!data)
		return;
	fputs("<figure style=\"display:inline-block;margin:4px\"><img style=\"width:200px\" alt=\"", f);
	esc(f, caption);
	fputs("\" src=\"data:image/png;base64,", f);
	base64(f, (const unsigned char *)data, len);
	fputs("\"><figcaption>", f);
	esc(f, caption);
	fputs("</figcaption></figure>", f);
	free(data);
}

/* virtio-gpu steps name their diff image in a note: show expected, device, diff. */
static void step_images(FILE *f, const json_t *s, const char *imgdir)
{
	size_t i;
	json_t *n;

	json_array_foreach(json_object_get(s, "notes"), i, n) {
		const char *d = strstr(json_string_value(n) ? json_string_value(n) : "", "diff diff-");
		char num[16], name[64];

		if (!d || sscanf(d, "diff diff-%15[0-9].png", num) != 1)
			continue;
		fputs("<div>", f);
		snprintf(name, sizeof(name), "thumb-expected-%s.png", num);
		embed_png(f, imgdir, name, "expected");
		snprintf(name, sizeof(name), "thumb-device-%s.png", num);
		embed_png(f, imgdir, name, "device (screendump)");
		snprintf(name, sizeof(name), "thumb-diff-%s.png", num);
		embed_png(f, imgdir, name, "wrong pixels in red");
		fputs("</div>", f);
	}
}

char *xb_report_html_images(const json_t *doc, const char *rundir, const char *imgdir);

char *xb_report_html(const json_t *doc, const char *rundir)
{
	return xb_report_html_images(doc, rundir, NULL);
}

static char **list_files(const char *rundir, const char *dir);
static int by_str(const void *a, const void *b);
static void free_files(char **v);

/* A relative URL: every byte but unreserved ones and '/' percent-encoded. */
static void href(FILE *f, const char *path)
{
	for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
		if (isalnum(*c) || strchr("-._~/", *c))
			fputc(*c, f);
		else
			fprintf(f, "%%%02X", *c);
	}
}

/* A test's anchor: test-NAME, bytes outside [A-Za-z0-9._-] as '_'. */
static void anchor(FILE *f, const json_t *t)
{
	fputs("test-", f);
	for (const unsigned char *c = (const unsigned char *)sv(t, "name"); *c; c++)
		fputc(isalnum(*c) || strchr("-._", *c) ? *c : '_', f);
}

/*
 * The lab's logs beside the run directory, as harness/lab/lab.sh's
 * finish_logs leaves them (LAB/run is the run): serial.log, serial-N.log
 * for later boots, console.all, xen-console.log, dom0-console.log. Those
 * there, as paths relative to the run directory; NULL-terminated.
 */
static bool lab_log_name(const char *name)
{
	static const char *const fixed[] = {
		"serial.log", "console.all", "xen-console.log", "dom0-console.log",
	};
	unsigned int boot;
	int end = 0;

	for (size_t i = 0; i < XB_ARRAY_SIZE(fixed); i++)
		if (!strcmp(name, fixed[i]))
			return true;
	return sscanf(name, "serial-%u.log%n", &boot, &end) == 1 && end && !name[end];
}

static char **lab_logs(const char *rundir)
{
	char path[4096], file[4096];
	char **v = calloc(1, sizeof(*v));
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if (!v || !rundir || xb_path(path, sizeof(path), "%s/..", rundir) || !(d = opendir(path)))
		return v;
	while ((e = readdir(d))) {
		struct stat st;
		char **nv;

		if (!lab_log_name(e->d_name) ||
		    xb_path(file, sizeof(file), "%s/%s", path, e->d_name) ||
		    stat(file, &st) || !S_ISREG(st.st_mode))
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n++] = xb_strdup_printf("../%s", e->d_name);
		v[n] = NULL;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), by_str);
	return v;
}

static void link_list(FILE *f, char **files, const char *dir)
{
	for (size_t i = 0; files && files[i]; i++) {
		fputs("<li><a href=\"", f);
		if (dir) {
			href(f, dir);
			fputc('/', f);
		}
		href(f, files[i]);
		fputs("\">", f);
		esc(f, files[i]);
		fputs("</a></li>", f);
	}
}

/*
 * A step that passed because it found what its [expect] outcome named:
 * the runner's verdict reads "expected KINDS: found" (harness/runner/
 * verdict.c, xb_verdict). Its findings are the known-bad control working.
 */
static bool expected_findings(const json_t *s)
{
	const char *st = sv(s, "status"), *why = sv(s, "reason");

	return (!strcmp(st, "pass") || !strcmp(st, "xpass") || !strcmp(st, "flaky")) &&
	       !strncmp(why, "expected ", 9) && strstr(why, ": found") &&
	       json_array_size(json_object_get(s, "findings"));
}

static bool test_expected_findings(const json_t *t)
{
	size_t j;
	json_t *s;

	json_array_foreach(json_object_get(t, "steps"), j, s)
		if (expected_findings(s))
			return true;
	return false;
}

/* The verifier's page size (userspace/pattern.h XB_PAT_PAGE): came_from's page. */
enum { REPORT_PAGE = 4096 };

/*
 * Where a finding's buffer starts in the pool, when the workload said
 * (numbers.region_offset): then pages are pool pages, as came_from's are.
 */
static json_int_t region_base(const json_t *fd, bool *pool)
{
	const json_t *ro = json_object_get(json_object_get(fd, "numbers"), "region_offset");

	*pool = json_is_integer(ro);
	return *pool ? json_integer_value(ro) : 0;
}

enum { MAP_CELLS = 64, MAP_CELL = 30, MAP_ROW = 56, MAP_PAD = 8 };

static double map_x(json_int_t page, json_int_t first)
{
	return MAP_PAD + (double)(page - first) * MAP_CELL + MAP_CELL / 2.0;
}

/* An arrowhead at (x, y) pointing along (dx, dy); no <marker>, so no ids to clash. */
static void arrowhead(FILE *f, double x, double y, double dx, double dy)
{
	double l = sqrt(dx * dx + dy * dy), ux, uy;

	if (l == 0)
		return;
	ux = dx / l;
	uy = dy / l;
	fprintf(f, "<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f z\" fill=\"#036\"/>", x, y,
		x - 7 * ux - 3.5 * uy, y - 7 * uy + 3.5 * ux, x - 7 * ux + 3.5 * uy, y - 7 * uy - 3.5 * ux);
}

/*
 * The corruption map: one cell per page of the corrupted buffer (pool
 * pages when the buffer's place in the pool is known), shaded by the
 * wrong bytes the verifier's runs put in it, and an arrow from the page
 * each run's bytes came from to the page they landed in. A source outside
 * the drawn pages is a box in the row below. Drawn from numbers.runs only:
 * when the verifier kept fewer runs than it saw, the caption says so.
 */
static void corruption_map(FILE *f, const json_t *fd)
{
	const json_t *nums = json_object_get(fd, "numbers"), *runs = json_object_get(nums, "runs");
	json_int_t len = ival(nums, "length"), wrong[MAP_CELLS] = { 0 }, first, last, total;
	json_int_t base, nsrc = 0;
	bool pool, clipped;
	size_t i;
	json_t *r;
	int w, h;

	if (!json_array_size(runs) || len <= 0)
		return;
	base = region_base(fd, &pool);
	first = base / REPORT_PAGE;
	total = (base + len - 1) / REPORT_PAGE - first + 1;
	/* Too many pages to draw: start at the first wrong one. */
	clipped = total > MAP_CELLS;
	if (clipped)
		first = (base + ival(json_array_get(runs, 0), "offset")) / REPORT_PAGE;
	last = first + (total < MAP_CELLS ? total : MAP_CELLS) - 1;
	json_array_foreach(runs, i, r) {
		json_int_t a = base + ival(r, "offset"), e = a + ival(r, "length");

		for (json_int_t p = a / REPORT_PAGE; p * REPORT_PAGE < e; p++) {
			json_int_t lo = p * REPORT_PAGE > a ? p * REPORT_PAGE : a;
			json_int_t hi = (p + 1) * REPORT_PAGE < e ? (p + 1) * REPORT_PAGE : e;

			if (p >= first && p <= last)
				wrong[p - first] += hi - lo;
		}
	}
	json_array_foreach(runs, i, r) {
		json_int_t from = ival(json_object_get(r, "came_from"), "page");

		if (json_is_object(json_object_get(r, "came_from")) && (!pool || from < first || from > last))
			nsrc++;
	}
	w = MAP_PAD * 2 + (int)(last - first + 1) * MAP_CELL;
	if (w < 640)
		w = 640;
	h = MAP_ROW + MAP_CELL + (nsrc ? 50 : 16);
	nsrc = 0;
	fprintf(f, "<figure class=\"corruption-map\"><svg width=\"%d\" height=\"%d\" role=\"img\" "
		"aria-label=\"corruption map\">", w, h);
	for (json_int_t p = first; p <= last; p++) {
		json_int_t n = wrong[p - first];
		double x = map_x(p, first) - MAP_CELL / 2.0;

		fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%d\" height=\"%d\" stroke=\"#666\" "
			"fill=\"%s\" fill-opacity=\"%.2f\"><title>%s page %lld: %lld wrong bytes</title></rect>",
			x, MAP_ROW, MAP_CELL - 2, MAP_CELL, n ? "#c00" : "#fff",
			n ? 0.25 + 0.75 * (double)n / REPORT_PAGE : 1.0, pool ? "pool" : "buffer",
			(long long)p, (long long)n);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">%lld</text>",
			x + MAP_CELL / 2.0, MAP_ROW + MAP_CELL + 11, (long long)p);
		if (n)
			fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"8\" text-anchor=\"middle\">%lld</text>",
				x + MAP_CELL / 2.0, MAP_ROW + MAP_CELL / 2 + 3, (long long)n);
	}
	json_array_foreach(runs, i, r) {
		const json_t *cf = json_object_get(r, "came_from");
		json_int_t to = (base + ival(r, "offset")) / REPORT_PAGE, from = ival(cf, "page");
		double tx = map_x(to, first), sx;

		if (!json_is_object(cf) || to < first || to > last)
			continue;
		if (pool && from >= first && from <= last) {
			sx = map_x(from, first);
			if (from == to) {	/* the page still holds bytes of its own position */
				fprintf(f, "<path d=\"M%.1f,%d C%.1f,%d %.1f,%d %.1f,%d\" fill=\"none\" "
					"stroke=\"#036\"/>", sx - 6, MAP_ROW, sx - 16, MAP_ROW - 22,
					sx + 16, MAP_ROW - 22, sx + 6, MAP_ROW);
				arrowhead(f, sx + 6, MAP_ROW, -10, 22);
			} else {
				fprintf(f, "<path d=\"M%.1f,%d Q%.1f,%d %.1f,%d\" fill=\"none\" "
					"stroke=\"#036\"/>", sx, MAP_ROW, (sx + tx) / 2, MAP_ROW - 40, tx, MAP_ROW);
				arrowhead(f, tx, MAP_ROW, (tx - sx) / 2, 40);
			}
			continue;
		}
		sx = MAP_PAD + 60 + (double)(nsrc++ % 4) * 90;
		fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"84\" height=\"16\" fill=\"#eef\" stroke=\"#036\"/>"
			"<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">buffer %lld page %lld</text>"
			"<path d=\"M%.1f,%d L%.1f,%d\" stroke=\"#036\"/>",
			sx - 42, h - 20, sx, h - 9, (long long)ival(cf, "buffer"), (long long)from,
			sx, h - 20, tx, MAP_ROW + MAP_CELL + 14);
		arrowhead(f, tx, MAP_ROW + MAP_CELL + 14, tx - sx, MAP_ROW + MAP_CELL + 14 - (h - 20));
	}
	fprintf(f, "<text x=\"%d\" y=\"14\" font-size=\"11\">%s pages %lld-%lld%s. Red: bytes of wrong runs "
		"(count in the cell). Arrow: the page they came from</text></svg>",
		MAP_PAD, pool ? "pool" : "buffer", (long long)first, (long long)last,
		clipped ? " (clipped)" : "");
	fprintf(f, "<figcaption>%lld of %lld bytes wrong in %lld page(s)",
		(long long)ival(nums, "bytes_wrong"), (long long)len, (long long)ival(nums, "pages_wrong"));
	if (ival(nums, "runs_total") > (json_int_t)json_array_size(runs))
		fprintf(f, "; the map draws the first %zu of %lld runs", json_array_size(runs),
			(long long)ival(nums, "runs_total"));
	if (clipped)
		fprintf(f, "; %lld pages in all, %d drawn", (long long)total, MAP_CELLS);
	fputs("</figcaption></figure>", f);
}

/* A corrupted buffer's runs that came from elsewhere (userspace/pattern.c's came_from). */
static void came_from_table(FILE *f, const json_t *fd)
{
	const json_t *runs = json_object_get(json_object_get(fd, "numbers"), "runs");
	bool any = false, pool;
	json_int_t base = region_base(fd, &pool);
	size_t i;
	json_t *r;

	json_array_foreach(runs, i, r)
		any |= json_is_object(json_object_get(r, "came_from"));
	if (!any)
		return;
	fputs("<table class=\"came-from\"><tr><th>what happened</th>"
	      "<th>landed at (offset, length)</th>"
	      "<th>came from (buffer, page, page offset, position)</th></tr>", f);
	json_array_foreach(runs, i, r) {
		const json_t *cf = json_object_get(r, "came_from");
		json_int_t off = ival(r, "offset"), len = ival(r, "length");
		json_int_t p0 = (base + off) / REPORT_PAGE;
		json_int_t p1 = (base + off + (len > 0 ? len - 1 : 0)) / REPORT_PAGE;

		if (!json_is_object(cf))
			continue;
		fprintf(f, "<tr><td>%lld bytes from page %lld landed in %s page", (long long)len,
			(long long)ival(cf, "page"), pool ? "pool" : "buffer");
		if (p1 != p0)
			fprintf(f, "s %lld-%lld", (long long)p0, (long long)p1);
		else
			fprintf(f, " %lld", (long long)p0);
		fprintf(f, "</td><td>%lld, %lld</td>"
			"<td>buffer %lld, page %lld, +%lld, byte %lld</td></tr>",
			(long long)off, (long long)len, (long long)ival(cf, "buffer"),
			(long long)ival(cf, "page"), (long long)ival(cf, "page_offset"),
			(long long)ival(cf, "position"));
	}
	fputs("</table>", f);
}

static void findings_list(FILE *f, const json_t *findings, bool expected)
{
	size_t k;
	json_t *fd;

	if (!json_array_size(findings))
		return;
	fputs("<ul>", f);
	json_array_foreach(findings, k, fd) {
		fputs("<li>", f);
		if (expected)
			fputs("<span class=\"expected\">expected</span> ", f);
		fputs("<code>", f);
		esc(f, sv(fd, "kind"));
		fputs("/", f);
		esc(f, sv(fd, "subkind"));
		if (*sv(fd, "device")) {
			fputs(" ", f);
			esc(f, sv(fd, "device"));
		}
		fputs("</code> ", f);
		esc(f, *sv(fd, "summary") ? sv(fd, "summary") : sv(fd, "line"));
		if (!strcmp(sv(fd, "kind"), "corruption"))
			corruption_map(f, fd);
		came_from_table(f, fd);
		fputs("</li>", f);
	}
	fputs("</ul>", f);
}

static void env_row(FILE *f, const char *th, const char *a, const char *b)
{
	fprintf(f, "<tr><th>%s</th><td>", th);
	esc(f, a && *a ? a : "-");
	if (b && *b) {
		fputc(' ', f);
		esc(f, b);
	}
	fputs("</td></tr>\n", f);
}

/* A test's phases besides its steps, as results.json names them. */
static const struct {
	const char *key, *label;
} test_phases[] = {
	{ "fault_setup", "fault setup" },
	{ "fault_teardown", "fault teardown" },
	{ "pool_check", "pool check" },
};

/* One test's section: what ran, what it found, and every file it left. */
static void test_section(FILE *f, const json_t *t, const char *rundir, const char *imgdir,
			 char **lablogs)
{
	char **files = list_files(rundir, sv(t, "dir"));
	size_t j, k;
	json_t *s, *n;

	fputs("<section id=\"", f);
	anchor(f, t);
	fputs("\">\n<h3>", f);
	esc(f, sv(t, "name"));
	fprintf(f, " <span class=\"%s\">", sv(t, "status"));
	esc(f, sv(t, "status"));
	fputs("</span></h3>\n<p>", f);
	esc(f, sv(t, "description"));
	fputs("<br>", f);
	esc(f, sv(t, "reason"));
	fprintf(f, "<br><small>%.1f s, seed %lld, ",
		json_real_value(json_object_get(t, "duration_s")), (long long)ival(t, "seed"));
	esc(f, sv(t, "file"));
	if (*sv(t, "expectation")) {
		fputs(", expectations entry ", f);
		esc(f, sv(t, "expectation"));
	}
	if (*sv(t, "expect_mode")) {
		fputs(", [expect ", f);
		esc(f, sv(t, "expect_mode"));
		fputc(']', f);
	}
	if (json_array_size(json_object_get(t, "attempts")) > 1)
		fprintf(f, ", %zu attempts (all in results.json)",
			json_array_size(json_object_get(t, "attempts")));
	fputs("</small></p>\n", f);
	if (test_expected_findings(t))
		fputs("<p class=\"expected\">expected findings: a known-bad control. It passed "
		      "because it found what it injects; the findings below marked expected are "
		      "the check working, not a bug.</p>\n", f);
	for (size_t p = 0; p < XB_ARRAY_SIZE(test_phases); p++) {
		const json_t *ph = json_object_get(t, test_phases[p].key);

		if (!ph)
			continue;
		fprintf(f, "<div>%s: <span class=\"%s\">", test_phases[p].label, sv(ph, "status"));
		esc(f, sv(ph, "status"));
		fputs("</span> ", f);
		esc(f, sv(ph, "reason"));
		findings_list(f, json_object_get(ph, "findings"), false);
		fputs("</div>\n", f);
	}
	plot_test_swiotlb(f, t);
	fputs("<table>\n<tr><th>step</th><th>result</th><th>findings and notes</th></tr>\n", f);
	json_array_foreach(json_object_get(t, "steps"), j, s) {
		fputs("<tr><td><b>", f);
		esc(f, sv(s, "name"));
		fputs("</b><br><small>", f);
		esc(f, sv(s, "driver"));
		fprintf(f, ", %.1f s</small></td><td class=\"%s\">",
			json_real_value(json_object_get(s, "duration_s")), sv(s, "status"));
		esc(f, sv(s, "status"));
		fputs("<br><small>", f);
		esc(f, sv(s, "reason"));
		fputs("</small></td><td>", f);
		findings_list(f, json_object_get(s, "findings"), expected_findings(s));
		if (imgdir)
			step_images(f, s, imgdir);
		if (json_array_size(json_object_get(s, "notes"))) {
			fputs("<details><summary>notes</summary><pre>", f);
			json_array_foreach(json_object_get(s, "notes"), k, n) {
				esc(f, json_string_value(n));
				fputc('\n', f);
			}
			fputs("</pre></details>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<p>Evidence files:</p><ul>", f);
	if (!files) {
		fputs("<li>none found in ", f);
		esc(f, *sv(t, "dir") ? sv(t, "dir") : "(no directory)");
		fputs("</li>", f);
	}
	link_list(f, files, sv(t, "dir"));
	fputs("</ul>\n", f);
	if (lablogs && lablogs[0]) {
		fputs("<p>Lab logs (the whole run):</p><ul>", f);
		link_list(f, lablogs, NULL);
		fputs("</ul>\n", f);
	}
	fputs("</section>\n", f);
	free_files(files);
}

char *xb_report_html_images(const json_t *doc, const char *rundir, const char *imgdir)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	const json_t *tests = json_object_get(doc, "tests"), *meta = json_object_get(doc, "meta");
	const json_t *env = json_object_get(meta, "environment"), *xen = json_object_get(env, "xen");
	char **lablogs;
	json_t *t;
	const char *key;
	json_t *v;

	if (!f)
		return NULL;
	lablogs = lab_logs(rundir);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>xenbounce ", f);
	esc(f, sv(doc, "run_id"));
	fputs("</title>\n<style>body{font-family:sans-serif;margin:1.5em;max-width:70em}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
	      ".pass{background:#cfc}.fail,.timeout,.crash{background:#fcc}.error,.incomplete{background:#fdb}"
	      ".skip{background:#eee}.xfail{background:#def}.xpass{background:#ffc}.flaky{background:#fec}"
	      ".expected{background:#def;font-style:italic}"
	      "section{border-top:2px solid #999;margin-top:1em}"
	      "code{font-size:90%}</style>\n</head><body>\n", f);
	fputs("<h1>xenbounce: ", f);
	esc(f, sv(doc, "run_id"));
	fputs("</h1>\n<table>\n", f);
	env_row(f, "run", sv(doc, "run_id"), NULL);
	env_row(f, "host", sv(meta, "host"), NULL);
	env_row(f, "kernel", sv(json_object_get(env, "kernel"), "release"),
		sv(json_object_get(env, "kernel"), "version"));
	if (*sv(xen, "version"))
		env_row(f, "Xen", sv(xen, "version"), sv(xen, "changeset"));
	else
		env_row(f, "Xen", "none:", *sv(xen, "why") ? sv(xen, "why") : "not recorded");
	env_row(f, "dom0 mode", sv(env, "dom0_mode"), NULL);
	{
		const char *end = *sv(doc, "end_time") ? sv(doc, "end_time") : "(still running)";
		char *to = xb_strdup_printf("to %s", end);

		env_row(f, "time", sv(doc, "start_time"), to);
		free(to);
	}
	fprintf(f, "<tr><th>exit</th><td>%lld; totals:", (long long)ival(doc, "exit_code"));
	json_object_foreach(json_object_get(doc, "totals"), key, v) {
		fprintf(f, " <span class=\"%s\">", key);
		esc(f, key);
		fprintf(f, " %lld</span>", (long long)json_integer_value(v));
	}
	fputs("</td></tr>\n", f);
	if (lablogs && lablogs[0]) {
		fputs("<tr><th>lab logs</th><td><ul>", f);
		link_list(f, lablogs, NULL);
		fputs("</ul></td></tr>\n", f);
	}
	fputs("</table>\n", f);
	/* What needs a human first: new failures, then what the expectations did. */
	for (size_t g = 0; g < XB_ARRAY_SIZE(groups) - 2; g++) {
		size_t cnt = 0;

		json_array_foreach(tests, i, t)
			cnt += in_group(&groups[g], sv(t, "status"));
		fprintf(f, "<h2 id=\"%s\">%s: %zu</h2>\n", groups[g].id, groups[g].title, cnt);
		if (!cnt)
			continue;
		fputs("<ul>\n", f);
		json_array_foreach(tests, i, t) {
			if (!in_group(&groups[g], sv(t, "status")))
				continue;
			fprintf(f, "<li><span class=\"%s\">%s</span> <a href=\"#", sv(t, "status"),
				sv(t, "status"));
			anchor(f, t);
			fputs("\"><b>", f);
			esc(f, sv(t, "name"));
			fputs("</b></a>: ", f);
			esc(f, sv(t, "reason"));
			if (json_array_size(json_object_get(t, "attempts")) > 1)
				fprintf(f, " (%zu attempts, all in results.json)", json_array_size(json_object_get(t, "attempts")));
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
	/* Every test, in run order, linking its section. */
	fputs("<h2 id=\"tests\">All tests, in run order</h2>\n<table>\n"
	      "<tr><th>test</th><th>result</th><th>reason</th></tr>\n", f);
	json_array_foreach(tests, i, t) {
		fputs("<tr><td><a href=\"#", f);
		anchor(f, t);
		fputs("\">", f);
		esc(f, sv(t, "name"));
		fprintf(f, "</a></td><td class=\"%s\">", sv(t, "status"));
		esc(f, sv(t, "status"));
		if (test_expected_findings(t))
			fputs(" <span class=\"expected\">(expected findings)</span>", f);
		fputs("</td><td>", f);
		esc(f, sv(t, "reason"));
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
	fputs("<h2>Environment</h2>\n<table>\n", f);
	{
		static const char *const rows[][2] = {
			{ "xen", "version" }, { "xen", "changeset" }, { "xen", "cmdline" },
			{ "kernel", "release" }, { "kernel", "cmdline" }, { "swiotlb", "io_tlb_nslabs" },
		};

		for (i = 0; i < XB_ARRAY_SIZE(rows); i++) {
			json_t *x = json_object_get(json_object_get(env, rows[i][0]), rows[i][1]);
			char *js = x && !json_is_string(x) ? json_dumps(x, JSON_ENCODE_ANY) : NULL;

			fprintf(f, "<tr><th>%s %s</th><td><code>", rows[i][0], rows[i][1]);
			esc(f, js ? js : json_is_string(x) && *json_string_value(x) ? json_string_value(x) : "-");
			fputs("</code></td></tr>\n", f);
			free(js);
		}
	}
	fputs("</table>\n<h2>swiotlb and bounces, the whole run</h2>\n", f);
	plot_swiotlb(f, tests);
	plot_bounces(f, tests, rundir);
	fputs("<h2>Each test</h2>\n", f);
	json_array_foreach(tests, i, t)
		test_section(f, t, rundir, imgdir, lablogs);
	fputs("</body></html>\n", f);
	fclose(f);
	free_files(lablogs);
	return buf;
}

/*
 * KCIDB statuses judge the code under test (kcidb-io's "status"); the same
 * mapping serves tests and steps, and misc.xenbounce_status keeps our word:
 *   pass, xpass          PASS (an unexpected pass: the code passed)
 *   flaky                PASS (its last attempt passed; every attempt is in
 *                        results.json, their count in misc)
 *   xfail                FAIL (a known failure is still the code failing;
 *                        misc.xenbounce_expectation names the entry, for the
 *                        lab to match with a KCIDB issue)
 *   fail, timeout, crash FAIL
 *   skip                 SKIP
 *   error                ERROR (the harness or environment broke)
 *   incomplete           MISS (the machine went down: no verdict)
 * An unknown word is ERROR.
 */
const char *xb_kcidb_status(const char *s)
{
	static const char *const map[][2] = {
		{ "pass", "PASS" }, { "xpass", "PASS" }, { "flaky", "PASS" }, { "xfail", "FAIL" },
		{ "fail", "FAIL" }, { "timeout", "FAIL" }, { "crash", "FAIL" }, { "skip", "SKIP" },
		{ "error", "ERROR" }, { "incomplete", "MISS" },
	};

	for (size_t i = 0; s && i < XB_ARRAY_SIZE(map); i++)
		if (!strcmp(s, map[i][0]))
			return map[i][1];
	return "ERROR";
}

char *xb_report_summary(const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	const json_t *tests = json_object_get(doc, "tests"), *t;

	if (!f)
		return NULL;
	for (size_t g = 0; g < XB_ARRAY_SIZE(groups); g++) {
		size_t cnt = 0;

		json_array_foreach(tests, i, t)
			cnt += in_group(&groups[g], sv(t, "status"));
		fprintf(f, "%s: %zu\n", groups[g].label, cnt);
		if (g == XB_ARRAY_SIZE(groups) - 1)
			break;
		json_array_foreach(tests, i, t)
			if (in_group(&groups[g], sv(t, "status")))
				fprintf(f, "  %-10s %s: %s\n", sv(t, "status"), sv(t, "name"), sv(t, "reason"));
	}
	fclose(f);
	return buf;
}

/* A KCIDB path component: [a-zA-Z0-9_-]+ (v5.0's test_path_re). */
static char *kcidb_path_part(const char *name)
{
	char *p = strdup(name && *name ? name : "_");

	for (char *c = p; c && *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
			*c = '_';
	return p;
}

/* RFC 3339 date-time as results.json writes it (YYYY-MM-DDTHH:MM:SSZ). */
static bool rfc3339(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	if (!s || strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	return true;
}

bool xb_kcidb_base_url_ok(const char *url)
{
	const char *p = url;

	/* An absolute URI: a scheme, ':', something, no space or control. */
	if (!p || !isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (*p++ != ':' || !*p)
		return false;
	for (; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files in rundir/dir, sorted; NULL-terminated, malloc'd. */
static char **list_files(const char *rundir, const char *dir)
{
	char path[4096], file[4096];
	char **v = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if (!rundir || !*dir || strstr(dir, "..") || xb_path(path, sizeof(path), "%s/%s", rundir, dir))
		return NULL;
	d = opendir(path);
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		struct stat st;
		char **nv;

		if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp.") ||
		    xb_path(file, sizeof(file), "%s/%s", path, e->d_name) || stat(file, &st) || !S_ISREG(st.st_mode))
			continue;
		nv = realloc(v, (n + 2) * sizeof(*v));
		if (!nv)
			break;
		v = nv;
		v[n++] = strdup(e->d_name);
		v[n] = NULL;
	}
	closedir(d);
	if (v)
		qsort(v, n, sizeof(*v), by_str);
	return v;
}

static void free_files(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* base/dir/name, the path segments percent-encoded (RFC 3986). */
static json_t *file_url(const char *base, const char *dir, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *j;

	if (!f)
		return NULL;
	if (base) {
		size_t bl = strlen(base);

		while (bl > 0 && base[bl - 1] == '/')
			bl--;
		fprintf(f, "%.*s/", (int)bl, base);
	}
	for (int part = 0; part < 2; part++) {
		for (const unsigned char *c = (const unsigned char *)(part ? name : dir); *c; c++) {
			if (isalnum(*c) || *c == '-' || *c == '.' || *c == '_' || *c == '~')
				fputc(*c, f);
			else
				fprintf(f, "%%%02X", *c);
		}
		if (!part)
			fputc('/', f);
	}
	fclose(f);
	j = json_string(buf);
	free(buf);
	return j;
}

/*
 * The files of a test (prefix NULL: its result.json as the log, every
 * other file of its directory) or of a step (prefix "NN-STEP.": its
 * out.txt as the log, its other files). With the lab's base URL they are
 * log_url and output_files; without, paths relative to the run directory
 * in misc.xenbounce_log and misc.xenbounce_files: the schema's fields are
 * URIs (format "uri", which kcidb-io's validator checks), and a relative
 * path is none.
 */
static void add_files(json_t *o, char **files, const char *dir, const char *prefix, const char *base)
{
	json_t *misc = json_object_get(o, "misc"), *out = json_array();
	char log[256];

	snprintf(log, sizeof(log), "%s", prefix ? prefix : "result.json");
	if (prefix && strlen(log) + strlen("out.txt") < sizeof(log))
		strcat(log, "out.txt");
	for (size_t i = 0; files && files[i]; i++) {
		bool is_log = !strcmp(files[i], log);

		if (prefix && strncmp(files[i], prefix, strlen(prefix)))
			continue;
		if (!base && is_log)
			json_object_set_new(misc, "xenbounce_log", json_sprintf("%s/%s", dir, files[i]));
		else if (!base)
			json_array_append_new(out, json_sprintf("%s/%s", dir, files[i]));
		else if (is_log)
			json_object_set_new(o, "log_url", file_url(base, dir, files[i]));
		else
			json_array_append_new(out, json_pack("{s:s, s:o}", "name", files[i],
							     "url", file_url(base, dir, files[i])));
	}
	if (json_array_size(out))
		json_object_set_new(base ? o : misc, base ? "output_files" : "xenbounce_files", out);
	else
		json_decref(out);
}

/*
 * HOST-STARTTIME-RUN: what makes a run's ids unique in a KCIDB database
 * that holds every night's /results/run.
 */
static char *run_key(const json_t *doc)
{
	const char *host = sv(json_object_get(doc, "meta"), "host"), *start = sv(doc, "start_time");
	char compact[32] = "unknown-start";

	if (rfc3339(start)) {
		size_t n = 0;

		for (const char *c = start; *c && n + 1 < sizeof(compact); c++)
			if (*c != '-' && *c != ':')
				compact[n++] = *c;
		compact[n] = '\0';
	}
	return xb_strdup_printf("%s-%s-%s", *host ? host : "unknown-host", compact, sv(doc, "run_id"));
}

/* The checkout and build of the kernel under test, from the fingerprint. */
static void kernel_objects(const json_t *doc, const char *id, json_t *checkouts, json_t *builds)
{
	const json_t *k = json_object_get(json_object_get(json_object_get(doc, "meta"), "environment"), "kernel");
	const json_t *xen = json_object_get(json_object_get(json_object_get(doc, "meta"), "environment"), "xen");
	const json_t *cfg = json_object_get(k, "config");
	const char *start = sv(doc, "start_time");
	char *arch = strdup(sv(k, "machine"));
	json_t *co, *b, *misc;

	co = json_pack("{s:s, s:s, s:b, s:s}", "id", id, "origin", "xenbounce", "valid", 1,
		       "comment", "the kernel under test, as results.json's environment fingerprint saw it "
		       "(uname); no source checkout is known");
	if (*sv(k, "release"))
		json_object_set_new(co, "git_commit_name", json_string(sv(k, "release")));
	misc = json_pack("{s:s, s:s}", "kernel_release", sv(k, "release"), "kernel_version", sv(k, "version"));
	json_object_set_new(co, "misc", misc);
	b = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "origin", "xenbounce", "checkout_id", id, "status", "PASS");
	json_object_set_new(b, "comment", json_sprintf("dom0 kernel %s %s", sv(k, "release"), sv(k, "version")));
	for (char *c = arch; c && *c; c++)
		*c = isalnum((unsigned char)*c) ? (char)tolower((unsigned char)*c) : '_';
	if (arch && *arch)
		json_object_set_new(b, "architecture", json_string(arch));
	free(arch);
	misc = json_pack("{s:s, s:s}", "kernel_release", sv(k, "release"), "kernel_version", sv(k, "version"));
	if (json_is_object(cfg) && !json_object_get(cfg, "why") && json_object_size(cfg))
		json_object_set_new(misc, "kernel_config", json_deep_copy(cfg));
	if (*sv(xen, "version"))
		json_object_set_new(misc, "xen_version", json_string(sv(xen, "version")));
	json_object_set_new(b, "misc", misc);
	if (rfc3339(start)) {
		json_object_set_new(co, "start_time", json_string(start));
		json_object_set_new(b, "start_time", json_string(start));
	}
	json_array_append_new(checkouts, co);
	json_array_append_new(builds, b);
}

json_t *xb_report_kcidb(const json_t *doc, const char *rundir, const char *base_url)
{
	const json_t *env = json_object_get(json_object_get(doc, "meta"), "environment");
	const char *run_start = sv(doc, "start_time");
	json_t *tests = json_array(), *checkouts = json_array(), *builds = json_array(), *t, *s;
	size_t i, j;
	char *key = run_key(doc);
	char *build_id = xb_strdup_printf("xenbounce:%s", key);
	char *comment = xb_strdup_printf("Xen %s, dom0 %s", sv(json_object_get(env, "xen"), "version"),
					 sv(json_object_get(env, "kernel"), "release"));

	kernel_objects(doc, build_id, checkouts, builds);
	json_array_foreach(json_object_get(doc, "tests"), i, t) {
		const char *start = rfc3339(sv(t, "start_time")) ? sv(t, "start_time") : run_start;
		char *tp = kcidb_path_part(sv(t, "name"));
		char **files = list_files(rundir, sv(t, "dir"));
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:{s:s}, s:{s:s}}",
			"build_id", build_id,
			"origin", "xenbounce",
			"status", xb_kcidb_status(sv(t, "status")),
			"comment", sv(t, "reason"),
			"duration", json_real_value(json_object_get(t, "duration_s")),
			"environment", "comment", comment,
			"misc", "xenbounce_status", sv(t, "status"));
		json_t *misc = json_object_get(o, "misc");

		/* The test's own record: its verdict, also when it has no steps. */
		json_object_set_new(o, "id", json_sprintf("xenbounce:%s:%s", key, sv(t, "name")));
		json_object_set_new(o, "path", json_sprintf("xenbounce.%s", tp));
		if (rfc3339(start))
			json_object_set_new(o, "start_time", json_string(start));
		if (*sv(t, "expectation"))
			json_object_set_new(misc, "xenbounce_expectation", json_string(sv(t, "expectation")));
		if (json_array_size(json_object_get(t, "attempts")))
			json_object_set_new(misc, "xenbounce_attempts",
					    json_integer((json_int_t)json_array_size(json_object_get(t, "attempts"))));
		for (size_t p = 0; p < XB_ARRAY_SIZE(test_phases); p++) {
			const json_t *ph = json_object_get(t, test_phases[p].key);

			if (ph)
				json_object_set_new(misc, test_phases[p].key,
						    json_pack("{s:s, s:s}", "status", sv(ph, "status"), "reason", sv(ph, "reason")));
		}
		add_files(o, files, sv(t, "dir"), NULL, base_url);
		json_array_append_new(tests, o);

		json_array_foreach(json_object_get(t, "steps"), j, s) {
			/* ASCII: cut at 16384 bytes it stays valid and within maxLength. */
			char *excerpt = json_dumps(json_object_get(s, "findings"), JSON_COMPACT | JSON_ENSURE_ASCII);
			char *sp = kcidb_path_part(sv(s, "name"));
			char prefix[128];

			o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:{s:s}, s:{s:s, s:s}}",
				"build_id", build_id,
				"origin", "xenbounce",
				"status", xb_kcidb_status(sv(s, "status")),
				"comment", sv(s, "reason"),
				"duration", json_real_value(json_object_get(s, "duration_s")),
				"environment", "comment", comment,
				"misc", "xenbounce_status", sv(s, "status"), "xenbounce_test_status", sv(t, "status"));
			json_object_set_new(o, "id", json_sprintf("xenbounce:%s:%s.%s", key, sv(t, "name"), sv(s, "name")));
			json_object_set_new(o, "path", json_sprintf("xenbounce.%s.%s", tp, sp));
			if (rfc3339(start))
				json_object_set_new(o, "start_time", json_string(start));
			if (excerpt && strcmp(excerpt, "[]")) {
				if (strlen(excerpt) > 16384)
					excerpt[16384] = '\0';
				json_object_set_new(o, "log_excerpt", json_string(excerpt));
			}
			/* The runner names a step's files NN-STEP.* (NN from 01). */
			snprintf(prefix, sizeof(prefix), "%02zu-%s.", j + 1, sv(s, "name"));
			add_files(o, files, sv(t, "dir"), prefix, base_url);
			free(excerpt);
			free(sp);
			json_array_append_new(tests, o);
		}
		free_files(files);
		free(tp);
	}
	free(key);
	free(build_id);
	free(comment);
	return json_pack("{s:{s:i, s:i}, s:o, s:o, s:o}", "version", "major", XB_KCIDB_MAJOR,
			 "minor", XB_KCIDB_MINOR, "checkouts", checkouts, "builds", builds, "tests", tests);
}
