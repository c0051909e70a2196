// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce: fault-injection harness for DMA under Xen PV dom0.
 * This file only dispatches; each subcommand lives in cmd-NAME.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/status.h"
#include "core/util.h"

#ifndef XB_VERSION
#define XB_VERSION "0.1"
#endif

static const struct xb_cmd *const xb_cmds[] = {
	&xb_cmd_run,
	&xb_cmd_classify,
	&xb_cmd_compare,
	&xb_cmd_merge,
	&xb_cmd_report,
	&xb_cmd_module,
	&xb_cmd_ktap,
	&xb_cmd_labverify,
	&xb_cmd_amdgpu_plan,
};

static void help(FILE *f)
{
	fprintf(f, "Usage: xenbounce [-h|-V] COMMAND [OPTIONS]\n\nCommands:\n");
	for (size_t i = 0; i < XB_ARRAY_SIZE(xb_cmds); i++)
		fprintf(f, "  %-10s %s\n", xb_cmds[i]->name, xb_cmds[i]->help);
	fprintf(f, "\n'xenbounce COMMAND -h' describes a command.\n");
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help(stdout);
			return 0;
		case 'V':
			printf("xenbounce %s\n", XB_VERSION);
			return 0;
		default:
			help(stderr);
			return XB_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		help(stderr);
		return XB_EXIT_USAGE;
	}
	for (size_t i = 0; i < XB_ARRAY_SIZE(xb_cmds); i++) {
		if (!strcmp(argv[optind], xb_cmds[i]->name)) {
			optind++;
			/* Each command parses its own options from argv[0]. */
			argv += optind - 1;
			argc -= optind - 1;
			optind = 1;
			return xb_cmds[i]->fn(argc, argv);
		}
	}
	fprintf(stderr, "xenbounce: invalid command '%s'\n", argv[optind]);
	help(stderr);
	return XB_EXIT_USAGE;
}
