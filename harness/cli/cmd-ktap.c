// SPDX-License-Identifier: GPL-2.0
/* Check a KTAP document's structure, summarise it, and name what failed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/ktap.h"
#include "core/status.h"
#include "core/util.h"

/* A failed test (or step) on stderr: its number, name, status and reason. */
static void name_failure(const char *file, const struct ktap_node *n, const char *parent)
{
	fprintf(stderr, "xenbounce ktap: %s: not ok %u %s%s%s: %s%s%s\n", file, n->number,
		parent ? parent : "", parent ? "/" : "", n->name ? n->name : "",
		xb_status_name(n->status), n->reason && n->reason[0] ? ": " : "",
		n->reason ? n->reason : "");
}

static int ktap_main(int argc, char *argv[])
{
	struct ktap_doc doc;
	unsigned int by[XB_STATUS_COUNT] = { 0 }, totals[KTAP_T_COUNT] = { 0 };
	char err[512], line[128], *text;
	const char *file;
	size_t failed = 0;

	if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc == 2 ? stdout : stderr,
			"Usage: xenbounce ktap FILE|-\n"
			"Check KTAP structure, numbering and nesting (- reads standard\n"
			"input); print the totals, and kselftest's \"# Totals: pass:N\n"
			"fail:N xfail:N xpass:N skip:N error:N\" line; name every failed\n"
			"test on stderr.\n"
			"Exit: 0 well-formed and nothing failed, 1 malformed, a test\n"
			"failed (fail, timeout, error) or the document bailed out, 2 usage\n"
			"or read error.\n");
		return argc == 2 ? 0 : XB_EXIT_USAGE;
	}
	file = strcmp(argv[1], "-") ? argv[1] : "stdin";
	text = strcmp(argv[1], "-") ? xb_read_file(argv[1], NULL) : xb_read_stream(stdin, NULL);
	if (!text) {
		fprintf(stderr, "xenbounce ktap: could not read %s: %s\n", file, strerror(errno));
		return XB_EXIT_USAGE;
	}
	if (ktap_parse(text, &doc, err, sizeof(err))) {
		fprintf(stderr, "xenbounce ktap: %s: %s\n", file, err);
		free(text);
		return 1;
	}
	for (size_t i = 0; i < doc.ntests; i++) {
		const struct ktap_node *n = &doc.tests[i];

		by[n->status]++;
		totals[ktap_total_of(n->status)]++;
		if (xb_status_ok(n->status))
			continue;
		failed++;
		name_failure(file, n, NULL);
		for (size_t k = 0; k < n->nsub; k++)
			if (!xb_status_ok(n->sub[k].status))
				name_failure(file, &n->sub[k], n->name);
	}
	printf("tests: %zu", doc.ntests);
	for (int s = 0; s < XB_STATUS_COUNT; s++)
		if (by[s])
			printf(", %s: %u", xb_status_name(s), by[s]);
	printf("%s\n", doc.bailed_out ? " (bailed out)" : "");
	ktap_totals_format(line, sizeof(line), totals);
	printf("# %s\n", line);
	if (doc.bailed_out)
		fprintf(stderr, "xenbounce ktap: %s: bailed out after %zu of %d tests\n", file,
			doc.ntests, doc.plan);
	ktap_doc_free(&doc);
	free(text);
	return failed || doc.bailed_out ? 1 : 0;
}

const struct xb_cmd xb_cmd_ktap = {
	"ktap", ktap_main, "check a KTAP file's structure, print totals, name failed tests",
};
