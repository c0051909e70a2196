// SPDX-License-Identifier: GPL-2.0
/* Regenerate a run's report.html (optionally with device images) and kcidb.json. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/compare.h"
#include "core/report.h"
#include "core/results.h"
#include "core/status.h"
#include "core/util.h"

static int report_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "images", required_argument, NULL, 'i' },
		{ "kcidb-base-url", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *images = NULL, *base_url = NULL;
	char err[1024], path[4096], *html;
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
			"Usage: xenbounce report [--images DIR] [--kcidb-base-url URL] RUN_DIR\n"
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
	doc = xb_results_load(argv[optind], err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "xenbounce report: %s\n", err);
		return XB_EXIT_USAGE;
	}
	ret = xb_results_write_reports(argv[optind], doc, base_url);
	if (!ret && images) {
		html = xb_report_html_images(doc, argv[optind], images);
		ret = !html ? -1 : xb_path(path, sizeof(path), "%s/report.html", argv[optind]) ? -1 :
		      xb_write_file_atomic(path, html, strlen(html));
		free(html);
	}
	json_decref(doc);
	if (ret) {
		fprintf(stderr, "xenbounce report: could not write the reports in %s\n", argv[optind]);
		return 1;
	}
	return 0;
}

const struct xb_cmd xb_cmd_report = { "report", report_main, "rewrite a run's report.html and kcidb.json" };
