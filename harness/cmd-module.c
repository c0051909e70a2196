// SPDX-License-Identifier: GPL-2.0
/* Load and unload xenbounce.ko with libkmod. */
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "env.h"
#include "status.h"
#include "util.h"
#include "xen.h"
#include "../kmod/include/uapi/xenbounce.h"
#include "../userspace/pattern.h"
#include "../userspace/xbdev.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: xenbounce module load [PATH.ko [PARAM=VALUE...]] | unload | status\n"
		"load: insert the module (default: xenbounce from the module path), with\n"
		"      parameters such as edu_dma_bits=64.\n"
		"unload: remove it; it gives back every swiotlb slot and page it holds.\n"
		"fuzz COUNT [SEED]: COUNT random, printable and oversized writes spread\n"
		"      over every module file from 4 processes at once; every one must be\n"
		"      rejected and the module must still answer. Exit 0 when it did.\n");
}

/*
 * Garbage at every file: random bytes, printable junk and oversized
 * writes, from several processes at once. Valid commands are not made on
 * purpose (a random "scramble 4096" would take minutes), so every write
 * should be rejected.
 */
static int fuzz(unsigned long count, uint64_t seed)
{
	static const char *const files[] = {
		XB_FILE_POOL, XB_FILE_POOL_DATA, XB_FILE_SCRAMBLE, XB_FILE_RESERVE, XB_FILE_TTM,
		XB_FILE_BOUNCE_LOG, XB_FILE_EDU, XB_FILE_BENCH, XB_FILE_STATUS, XB_FILE_BOUNCE_STATS,
	};
	enum { WORKERS = 4 };
	unsigned long accepted = 0;
	int status, bad = 0;
	char *st;

	for (int w = 0; w < WORKERS; w++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid)
			continue;
		uint64_t rng = seed * 7919 + (uint64_t)w;
		unsigned long acc = 0;
		char buf[4200];

		for (unsigned long i = w; i < count; i += WORKERS) {
			const char *f = files[xb_rand_next(&rng) % XB_ARRAY_SIZE(files)];
			uint64_t r = xb_rand_next(&rng);
			size_t len = (r & 3) == 0 ? 129 + r % 4000 : 1 + r % 120;
			char path[512];
			int fd;

			for (size_t k = 0; k < len; k++) {
				uint64_t b = xb_rand_next(&rng);

				/* Half printable junk, half raw bytes. */
				buf[k] = (r & 4) ? (char)(' ' + b % 95) : (char)b;
			}
			/* Never start a valid command: first byte is not a letter or digit. */
			buf[0] = (r & 8) ? '#' : '\x01';
			if (xb_path(path, sizeof(path), "%s/%s", xb_debugfs_dir(), f))
				continue;
			fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			if (!strcmp(f, XB_FILE_POOL_DATA))
				len = 0;	/* any bytes are valid data there; only check it does not crash */
			if (len && write(fd, buf, len) >= 0)
				acc++;
			close(fd);
		}
		_exit(acc > 255 ? 255 : (int)acc);
	}
	for (int w = 0; w < WORKERS; w++) {
		if (wait(&status) < 0 || !WIFEXITED(status))
			bad = 1;
		else
			accepted += (unsigned long)WEXITSTATUS(status);
	}
	st = xb_dev_read(XB_FILE_STATUS);
	printf("fuzz: %lu writes, %lu accepted, module %s\n", count, accepted, st ? "answers" : "does not answer");
	bad |= !st || accepted;
	free(st);
	return bad;
}

/*
 * Tell the module whether Xen itself reports an active IOMMU (physinfo's
 * directio): it refuses DMA that relies on one (edu first_page, raw_phys
 * under Xen PV) until told so. Not a Xen dom0: nothing to confirm.
 */
static void confirm_iommu(void)
{
	int active = xb_xen_iommu_active();

	if (active < 0)
		return;
	if (xb_dev_cmd(XB_FILE_CONFIG, XB_CONFIG_IOMMU_CONFIRMED " %d", active))
		fprintf(stderr, "xenbounce module: could not write %s to %s\n", XB_CONFIG_IOMMU_CONFIRMED,
			XB_FILE_CONFIG);
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
		if (!code)
			confirm_iommu();
	} else if (!strcmp(argv[1], "unload") && argc == 2) {
		ret = kmod_module_new_from_name(ctx, "xenbounce", &mod);
		if (!ret)
			ret = kmod_module_remove_module(mod, 0);
		if (ret && ret != -ENOENT)
			fprintf(stderr, "xenbounce module: could not unload xenbounce: %s\n", strerror(-ret));
		else
			code = 0;
	} else if (!strcmp(argv[1], "fuzz") && (argc == 3 || argc == 4)) {
		uint64_t count, seed = 1;

		if (xb_parse_u64(argv[2], 1, 100000000, &count) ||
		    (argc == 4 && xb_parse_u64(argv[3], 0, UINT64_MAX, &seed))) {
			fprintf(stderr, "xenbounce module fuzz: COUNT (1-100000000) [SEED]\n");
			code = XB_EXIT_USAGE;
			goto out;
		}
		code = fuzz((unsigned long)count, seed);
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
