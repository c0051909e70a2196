// SPDX-License-Identifier: GPL-2.0
/* Load and unload xenbounce.ko with libkmod. */
#include <errno.h>
#include <libkmod.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "status.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: xenbounce module load [PATH.ko [PARAM=VALUE...]] | unload | status\n"
		"load: insert the module (default: xenbounce from the module path), with\n"
		"      parameters such as edu_dma_bits=64.\n"
		"unload: remove it; it gives back every swiotlb slot and page it holds.\n");
}

static int module_main(int argc, char *argv[])
{
	struct kmod_ctx *ctx;
	struct kmod_module *mod = NULL;
	int ret, code = 1;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		help(argc < 2 ? stderr : stdout);
		return argc < 2 ? XB_EXIT_USAGE : 0;
	}
	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		fprintf(stderr, "xenbounce module: could not create libkmod context\n");
		return 1;
	}
	if (!strcmp(argv[1], "load")) {
		char params[1024] = "";
		size_t off = 0;

		for (int i = 3; i < argc; i++) {
			int n = snprintf(params + off, sizeof(params) - off, "%s%s", i > 3 ? " " : "", argv[i]);

			if (n < 0 || (size_t)n >= sizeof(params) - off || !strchr(argv[i], '=')) {
				fprintf(stderr, "xenbounce module: bad parameter '%s' (PARAM=VALUE)\n", argv[i]);
				code = XB_EXIT_USAGE;
				goto out;
			}
			off += (size_t)n;
		}
		ret = argc >= 3 ? kmod_module_new_from_path(ctx, argv[2], &mod)
				: kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (ret) {
			fprintf(stderr, "xenbounce module: could not find %s: %s\n",
				argc == 3 ? argv[2] : "xenbounce", strerror(-ret));
			goto out;
		}
		ret = kmod_module_insert_module(mod, 0, params[0] ? params : NULL);
		if (ret == -EEXIST) {
			code = 0;
		} else if (ret) {
			fprintf(stderr, "xenbounce module: could not load %s: %s\n",
				kmod_module_get_path(mod) ? kmod_module_get_path(mod) : "xenbounce",
				strerror(-ret));
		} else {
			code = 0;
		}
	} else if (!strcmp(argv[1], "unload") && argc == 2) {
		ret = kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (!ret)
			ret = kmod_module_remove_module(mod, 0);
		if (ret && ret != -ENOENT)
			fprintf(stderr, "xenbounce module: could not unload xenbounce: %s\n", strerror(-ret));
		else
			code = 0;
	} else if (!strcmp(argv[1], "status") && argc == 2) {
		ret = kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (!ret) {
			int st = kmod_module_get_initstate(mod);

			printf("xenbounce: %s\n", st < 0 ? "not loaded" : kmod_module_initstate_str(st));
			code = st < 0 ? 1 : 0;
		}
	} else {
		help(stderr);
		code = XB_EXIT_USAGE;
	}
out:
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(ctx);
	return code;
}

const struct xb_cmd xb_cmd_module = { "module", module_main, "load, unload or check xenbounce.ko (libkmod)" };
