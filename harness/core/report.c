// SPDX-License-Identifier: GPL-2.0
#include "report.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* One point per step: swiotlb slots in use after it, against the pool size. */
static void plot_swiotlb(FILE *f, const json_t *tests)
{
	enum { W = 720, H = 180, PAD = 40 };
	size_t i, n = 0, k = 0;
	json_t *t;
	json_int_t max = 1, nslabs = 0;
	const char *step;
	json_t *ev;

	json_array_foreach(tests, i, t)
		json_object_foreach(json_object_get(t, "evidence"), step, ev) {
			json_t *sw = json_object_get(ev, "swiotlb");

			if (!sw)
				continue;
			n++;
			if (json_integer_value(json_object_get(sw, "nslabs")) > nslabs)
				nslabs = json_integer_value(json_object_get(sw, "nslabs"));
			if (json_integer_value(json_object_get(sw, "used_after")) > max)
				max = json_integer_value(json_object_get(sw, "used_after"));
		}
	if (!n) {
		fprintf(f, "<svg width=\"%d\" height=\"40\" role=\"img\"><text x=\"4\" y=\"20\" font-size=\"12\">"
			"swiotlb slots in use: no swiotlb evidence in this run</text></svg>\n", W);
		return;
	}
	if (nslabs > max)
		max = nslabs;
	fprintf(f, "<svg width=\"%d\" height=\"%d\" role=\"img\">\n", W, H);
	fprintf(f, "<text x=\"4\" y=\"14\" font-size=\"12\">swiotlb slots in use after each step (pool: %lld slots)</text>\n",
		(long long)nslabs);
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>\n", PAD, H - 20, W - 10, H - 20);
	fprintf(f, "<polyline fill=\"none\" stroke=\"#c33\" stroke-width=\"2\" points=\"");
	json_array_foreach(tests, i, t)
		json_object_foreach(json_object_get(t, "evidence"), step, ev) {
			json_t *sw = json_object_get(ev, "swiotlb");
			double x, y;

			if (!sw)
				continue;
			x = PAD + (double)(W - PAD - 10) * (double)k / (double)(n > 1 ? n - 1 : 1);
			y = (H - 20) - (double)(H - 40) * (double)json_integer_value(json_object_get(sw, "used_after")) / (double)max;
			fprintf(f, "%.1f,%.1f ", x, y);
			k++;
		}
	fprintf(f, "\"/>\n<text x=\"4\" y=\"%d\" font-size=\"10\">0</text><text x=\"4\" y=\"30\" font-size=\"10\">%lld</text>\n",
		H - 20, (long long)max);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"10\">steps, in run order (%zu)</text>\n</svg>\n", PAD, H - 4, n);
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

char *xb_report_html_images(const json_t *doc, const char *rundir, const char *imgdir)
{
	char *buf = NULL;
	size_t len = 0, i, j, k;
	FILE *f = open_memstream(&buf, &len);
	const json_t *tests = json_object_get(doc, "tests"), *env = json_object_get(json_object_get(doc, "meta"), "environment");
	json_t *t, *s, *fd;
	const char *key;
	json_t *v;

	if (!f)
		return NULL;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>xenbounce ", f);
	esc(f, sv(doc, "run_id"));
	fputs("</title>\n<style>body{font-family:sans-serif;margin:1.5em;max-width:70em}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
	      ".pass{background:#cfc}.fail,.timeout,.crash{background:#fcc}.error,.incomplete{background:#fdb}"
	      ".skip{background:#eee}.xfail{background:#def}.xpass{background:#ffc}.flaky{background:#fec}"
	      "code{font-size:90%}</style>\n</head><body>\n", f);
	fputs("<h1>xenbounce: ", f);
	esc(f, sv(doc, "run_id"));
	fputs("</h1>\n<p>", f);
	esc(f, sv(doc, "start_time"));
	fputs(" to ", f);
	esc(f, sv(doc, "end_time"));
	fprintf(f, ", exit %lld. Totals:", (long long)json_integer_value(json_object_get(doc, "exit_code")));
	json_object_foreach(json_object_get(doc, "totals"), key, v)
		fprintf(f, " <span class=\"%s\">%s %lld</span>", key, key, (long long)json_integer_value(v));
	fputs("</p>\n", f);
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
			fprintf(f, "<li><span class=\"%s\">%s</span> <b>", sv(t, "status"), sv(t, "status"));
			esc(f, sv(t, "name"));
			fputs("</b>: ", f);
			esc(f, sv(t, "reason"));
			if (json_array_size(json_object_get(t, "attempts")) > 1)
				fprintf(f, " (%zu attempts, all in results.json)", json_array_size(json_object_get(t, "attempts")));
			fputs("</li>\n", f);
		}
		fputs("</ul>\n", f);
	}
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
	fputs("</table>\n<h2>swiotlb and bounces</h2>\n", f);
	plot_swiotlb(f, tests);
	plot_bounces(f, tests, rundir);
	fputs("<h2>Tests</h2>\n<table>\n<tr><th>test</th><th>result</th><th>steps and findings</th></tr>\n", f);
	json_array_foreach(tests, i, t) {
		fprintf(f, "<tr><td><b>");
		esc(f, sv(t, "name"));
		fputs("</b><br><small>", f);
		esc(f, sv(t, "description"));
		fprintf(f, "</small></td><td class=\"%s\">%s<br><small>", sv(t, "status"), sv(t, "status"));
		esc(f, sv(t, "reason"));
		fprintf(f, "</small><br><small>%.1f s, seed %lld</small></td><td>", json_real_value(json_object_get(t, "duration_s")),
			(long long)json_integer_value(json_object_get(t, "seed")));
		json_array_foreach(json_object_get(t, "steps"), j, s) {
			fprintf(f, "<div><span class=\"%s\">%s</span> <b>", sv(s, "status"), sv(s, "status"));
			esc(f, sv(s, "name"));
			fputs("</b> (", f);
			esc(f, sv(s, "driver"));
			fputs("): ", f);
			esc(f, sv(s, "reason"));
			fputs("<ul>", f);
			json_array_foreach(json_object_get(s, "findings"), k, fd) {
				fputs("<li><code>", f);
				esc(f, sv(fd, "kind"));
				fputs("/", f);
				esc(f, sv(fd, "subkind"));
				if (*sv(fd, "device")) {
					fputs(" ", f);
					esc(f, sv(fd, "device"));
				}
				fputs("</code> ", f);
				esc(f, *sv(fd, "summary") ? sv(fd, "summary") : sv(fd, "line"));
				fputs("</li>", f);
			}
			fputs("</ul>", f);
			if (imgdir)
				step_images(f, s, imgdir);
			if (json_array_size(json_object_get(s, "notes"))) {
				fputs("<details><summary>notes</summary><pre>", f);
				json_array_foreach(json_object_get(s, "notes"), k, fd) {
					esc(f, json_string_value(fd));
					fputc('\n', f);
				}
				fputs("</pre></details>", f);
			}
			fputs("</div>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n</body></html>\n", f);
	fclose(f);
	return buf;
}

const char *xb_kcidb_status(const char *s)
{
	/*
	 * KCIDB statuses are about the code under test: a known failure, an
	 * unexpected pass and a flaky test's steps (the passing attempt) are
	 * PASS for it; misc.xenbounce_status keeps our word.
	 */
	if (!strcmp(s, "pass") || !strcmp(s, "xfail") || !strcmp(s, "xpass") || !strcmp(s, "flaky"))
		return "PASS";
	if (!strcmp(s, "skip"))
		return "SKIP";
	if (!strcmp(s, "fail") || !strcmp(s, "timeout"))
		return "FAIL";
	if (!strcmp(s, "incomplete"))
		return "MISS";
	return "ERROR";	/* error, crash: the test did not complete */
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

json_t *xb_report_kcidb(const json_t *doc)
{
	const json_t *env = json_object_get(json_object_get(doc, "meta"), "environment");
	const char *run = sv(doc, "run_id");
	const char *run_start = sv(doc, "start_time");
	json_t *tests = json_array(), *t, *s;
	size_t i, j;
	char *build_id = xb_strdup_printf("xenbounce:%s", run);
	char *comment = xb_strdup_printf("Xen %s, dom0 %s", sv(json_object_get(env, "xen"), "version"),
					 sv(json_object_get(env, "kernel"), "release"));

	json_array_foreach(json_object_get(doc, "tests"), i, t) {
		const char *start = rfc3339(sv(t, "start_time")) ? sv(t, "start_time") : run_start;
		char *tp = kcidb_path_part(sv(t, "name"));

		json_array_foreach(json_object_get(t, "steps"), j, s) {
			/* ASCII: cut at 16384 bytes it stays valid and within maxLength. */
			char *excerpt = json_dumps(json_object_get(s, "findings"), JSON_COMPACT | JSON_ENSURE_ASCII);
			char *sp = kcidb_path_part(sv(s, "name"));
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:{s:s}, s:{s:s, s:s}}",
				"build_id", build_id,
				"origin", "xenbounce",
				"status", xb_kcidb_status(sv(s, "status")),
				"comment", sv(s, "reason"),
				"duration", json_real_value(json_object_get(s, "duration_s")),
				"environment", "comment", comment,
				"misc", "xenbounce_status", sv(s, "status"), "xenbounce_test_status", sv(t, "status"));

			/* One KCIDB test per step; ids unique per run. */
			json_object_set_new(o, "id", json_sprintf("xenbounce:%s:%s.%s", run, sv(t, "name"), sv(s, "name")));
			json_object_set_new(o, "path", json_sprintf("xenbounce.%s.%s", tp, sp));
			if (rfc3339(start))
				json_object_set_new(o, "start_time", json_string(start));
			if (excerpt && strcmp(excerpt, "[]")) {
				if (strlen(excerpt) > 16384)
					excerpt[16384] = '\0';
				json_object_set_new(o, "log_excerpt", json_string(excerpt));
			}
			free(excerpt);
			free(sp);
			json_array_append_new(tests, o);
		}
		free(tp);
	}
	free(build_id);
	free(comment);
	return json_pack("{s:{s:i, s:i}, s:[], s:[], s:o}", "version", "major", XB_KCIDB_MAJOR,
			 "minor", XB_KCIDB_MINOR, "checkouts", "builds", "tests", tests);
}
