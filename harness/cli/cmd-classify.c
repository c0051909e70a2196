// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify.h"
#include "cmd.h"
#include "core/status.h"
#include "core/util.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: xenbounce classify [-s SOURCE] [FILE|-]\n"
		"Classify a saved log (dmesg, journalctl -k, xl dmesg, a serial console) and\n"
		"print one JSON object per finding: kind, subkind, device, numbers, line,\n"
		"line_no (its line in the input) and ts (its timestamp, when it has one).\n"
		"xenbounce's own KTAP lines (\"# \", \"ok \", \"not ok \", \"KTAP version\") are\n"
		"passed over: their diagnostics repeat the kernel's lines.\n"
		"Exit: 0 no findings, 1 findings, 2 usage or read error.\n\n"
		"  -s, --source NAME  label for the findings (default: the file name)\n");
}

static int classify_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *source = NULL, *file = "-";
	struct xb_classifier *c;
	json_t *out;
	FILE *f;
	int err = 0;
	size_t i;
	json_t *fnd;
	int ch;

	while ((ch = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			source = optarg;
			break;
		case 'h':
			help(stdout);
			return 0;
		default:
			help(stderr);
			return XB_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		help(stderr);
		return XB_EXIT_USAGE;
	}
	if (optind < argc)
		file = argv[optind];
	f = strcmp(file, "-") ? fopen(file, "re") : stdin;
	if (!f) {
		fprintf(stderr, "xenbounce classify: could not open %s: %s\n", file, strerror(errno));
		return XB_EXIT_USAGE;
	}
	c = xb_classifier_new(source ? source : strcmp(file, "-") ? file : "stdin");
	if (c)
		xb_classifier_positions(c, true);
	out = json_array();
	if (!c || !out) {
		fprintf(stderr, "xenbounce classify: out of memory\n");
		err = ENOMEM;
	} else if (xb_classify_stream(c, f, out)) {
		/* A directory, or a read error part-way: no verdict from half a log. */
		err = errno;
		fprintf(stderr, "xenbounce classify: could not read %s: %s\n", file, strerror(err));
	}
	if (f != stdin)
		fclose(f);
	if (err) {
		json_decref(out);
		xb_classifier_free(c);
		return XB_EXIT_USAGE;
	}
	json_array_foreach(out, i, fnd) {
		char *s = json_dumps(fnd, JSON_COMPACT | JSON_SORT_KEYS);

		if (s)
			puts(s);
		free(s);
	}
	i = json_array_size(out);
	if (xb_classifier_ktap_skipped(c))
		fprintf(stderr,
			"xenbounce classify: %zu line(s) of xenbounce's own KTAP passed over\n",
			xb_classifier_ktap_skipped(c));
	json_decref(out);
	xb_classifier_free(c);
	return i ? 1 : 0;
}

const struct xb_cmd xb_cmd_classify = {
	"classify", classify_main, "classify a saved kernel or Xen log into findings (JSON lines)",
};
