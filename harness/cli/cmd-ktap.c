// SPDX-License-Identifier: GPL-2.0
/* Check a KTAP document's structure and summarise it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/ktap.h"
#include "core/status.h"
#include "core/util.h"

static void count(const struct ktap_node *n, size_t k, unsigned int *by)
{
	for (size_t i = 0; i < k; i++)
		by[n[i].status]++;
}

static int ktap_main(int argc, char *argv[])
{
	struct ktap_doc doc;
	unsigned int by[XB_STATUS_COUNT] = { 0 };
	char err[512], *text;

	if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc == 2 ? stdout : stderr,
			"Usage: xenbounce ktap FILE\nCheck KTAP structure, numbering and nesting; print totals.\n"
			"Exit: 0 well-formed, 1 malformed, 2 usage or read error.\n");
		return argc == 2 ? 0 : XB_EXIT_USAGE;
	}
	text = xb_read_file(argv[1], NULL);
	if (!text) {
		fprintf(stderr, "xenbounce ktap: could not read %s: %s\n", argv[1], strerror(errno));
		return XB_EXIT_USAGE;
	}
	if (ktap_parse(text, &doc, err, sizeof(err))) {
		fprintf(stderr, "xenbounce ktap: %s: %s\n", argv[1], err);
		free(text);
		return 1;
	}
	count(doc.tests, doc.ntests, by);
	printf("tests: %zu", doc.ntests);
	for (int s = 0; s < XB_STATUS_COUNT; s++)
		if (by[s])
			printf(", %s: %u", xb_status_name(s), by[s]);
	printf("%s\n", doc.bailed_out ? " (bailed out)" : "");
	ktap_doc_free(&doc);
	free(text);
	return 0;
}

const struct xb_cmd xb_cmd_ktap = { "ktap", ktap_main, "check a KTAP file's structure and print totals" };
