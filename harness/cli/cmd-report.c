// SPDX-License-Identifier: GPL-2.0
/* Regenerate a run's report.html (optionally with device images) and kcidb.json. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "core/compare.h"
#include "core/report.h"
#include "core/results.h"
#include "core/status.h"
#include "core/util.h"

/*
 * The run directory for ARG: RUN/results.json's directory, RUN itself, or
 * LAB/run (a lab directory, as xb_results_load reads them).
 */
static int run_dir(const char *arg, char *dir, size_t len)
{
	struct stat st;
	char p[4096];

	if (!stat(arg, &st) && S_ISREG(st.st_mode)) {
		const char *slash = strrchr(arg, '/');

		if (!slash)
			return xb_path(dir, len, ".");
		return xb_path(dir, len, "%.*s", (int)(slash == arg ? 1 : slash - arg), arg);
	}
	if (!xb_path(p, sizeof(p), "%s/results.json", arg) && !stat(p, &st) && S_ISREG(st.st_mode))
		return xb_path(dir, len, "%s", arg);
	if (!xb_path(p, sizeof(p), "%s/run/results.json", arg) && !stat(p, &st) &&
	    S_ISREG(st.st_mode))
		return xb_path(dir, len, "%s/run", arg);
	return xb_path(dir, len, "%s", arg);
}

static int report_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "images", required_argument, NULL, 'i' },
		{ "kcidb-base-url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *images = NULL, *base_url = NULL;
	char err[1024], path[4096], dir[4096], *html;
	struct stat st;
	json_t *doc;
	int c, ret;

	while ((c = getopt_long(argc, argv, "i:h", opts, NULL)) != -1) {
		if (c == 'i') {
			images = optarg;
			continue;
		}
		if (c == 'u') {
			if (!xb_kcidb_base_url_ok(optarg)) {
				fprintf(stderr, "xenbounce report: --kcidb-base-url %s: not an absolute URL "
					"(SCHEME:..., no spaces), e.g. https://lab.example/artifacts/RUN\n", optarg);
				return XB_EXIT_USAGE;
			}
			base_url = optarg;
			continue;
		}
		fprintf(c == 'h' ? stdout : stderr,
			"Usage: xenbounce report [--images DIR] [--kcidb-base-url URL]\n"
			"                        RUN_DIR|RUN_DIR/results.json\n"
			"Rewrite RUN_DIR/report.html and kcidb.json from its results.json; with\n"
			"--images, embed the virtio-gpu thumbnails lab-verify wrote in DIR; with\n"
			"--kcidb-base-url URL (where the lab publishes RUN_DIR), kcidb.json links\n"
			"each test's and step's files as log_url and output_files URL/TEST-DIR/FILE\n"
			"(without: paths relative to RUN_DIR in misc.xenbounce_log and _files).\n");
		return c == 'h' ? 0 : XB_EXIT_USAGE;
	}
	if (argc - optind != 1) {
		fprintf(stderr, "xenbounce report: need RUN_DIR\n");
		return XB_EXIT_USAGE;
	}
	if (images && (stat(images, &st) || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "xenbounce report: --images %s: not a directory (nothing written)\n",
			images);
		return XB_EXIT_USAGE;
	}
	if (run_dir(argv[optind], dir, sizeof(dir))) {
		fprintf(stderr, "xenbounce report: %s: path too long\n", argv[optind]);
		return XB_EXIT_USAGE;
	}
	doc = xb_results_load(argv[optind], err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "xenbounce report: %s\n", err);
		return XB_EXIT_USAGE;
	}
	ret = xb_results_write_reports(dir, doc, base_url);
	if (!ret && images) {
		html = xb_report_html_images(doc, dir, images);
		ret = !html ? -1 : xb_path(path, sizeof(path), "%s/report.html", dir) ? -1 :
		      xb_write_file_atomic(path, html, strlen(html));
		free(html);
	}
	json_decref(doc);
	if (ret) {
		fprintf(stderr, "xenbounce report: could not write the reports in %s\n", dir);
		return 1;
	}
	return 0;
}

const struct xb_cmd xb_cmd_report = { "report", report_main, "rewrite a run's report.html and kcidb.json" };
