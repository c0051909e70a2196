// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce amdgpu-plan: the amdgpu workload's dry run. For a scenario and
 * a chosen SDMA family it prints, without a GPU, exactly the BOs, the IBs
 * (decoded packet by packet) and the submissions the driver would make,
 * with stand-in GPU addresses and an assumed memory size.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "userspace/amdgpu-plan.h"
#include "userspace/sdma.h"
#include "userspace/workload.h"
#include "cmd.h"
#include "runner/runner.h"
#include "runner/scenario.h"
#include "core/status.h"

int cmd_amdgpu_plan(int argc, char **argv);

static void usage(FILE *f)
{
	fprintf(f, "Usage: xenbounce amdgpu-plan --family NAME [OPTIONS] SCENARIO.ini\n"
		"Print what the amdgpu workloads of a scenario would allocate and submit on a GPU\n"
		"of family NAME, IBs decoded packet by packet, without a GPU.\n\n"
		"  -f, --family NAME      SDMA generation: %s\n"
		"  -w, --workload NAME    only this [workload NAME]\n"
		"      --vram-mib N       assumed usable VRAM (default 2048)\n"
		"      --gtt-mib N        assumed usable GTT (default 8192)\n"
		"      --page-size N      assumed CPU page size (default 4096)\n"
		"      --lockup-timeout S amdgpu's lockup_timeout parameter to assume (default \"\")\n"
		"  -h, --help\n"
		"Exit: 0 planned (SKIP lines say what the driver would skip), 1 an IB did not\n"
		"decode cleanly, 2 usage or scenario error (also a --workload that is not one\n"
		"of the scenario's amdgpu workloads).\n", xb_sdma_family_names());
}

static int number(const char *opt, const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || !*s || *end || *s == '-') {
		fprintf(stderr, "xenbounce amdgpu-plan: %s %s: not a number\n", opt, s);
		return -1;
	}
	return 0;
}

static int plan_workload(const struct xb_sdma_family_info *f, const struct xb_ap_dev *dev,
			 const struct xb_scenario *sc, const struct xb_workload *wl)
{
	size_t noff = wl->offsets.n ? wl->offsets.n : 1, ncase = 0;
	const struct xb_run_opts run = { 0 };
	/* The seed `run` gives this workload: the scenario's, plus its index. */
	uint64_t seed = xb_scenario_seed(sc, &run) + (uint64_t)(wl - sc->wl);
	int bad = 0;

	printf("workload %s: action %s, %zu sizes x %zu offsets x %" PRIu64 " iterations, seed %" PRIu64 "\n",
	       wl->name, wl->action, wl->sizes.n, noff, wl->iterations, seed);
	for (uint64_t it = 0; it < wl->iterations; it++)
		for (size_t si = 0; si < wl->sizes.n; si++)
			for (size_t oi = 0; oi < noff; oi++) {
				uint64_t off = wl->offsets.n ? wl->offsets.v[oi] : 0;
				struct xb_ap_case c;
				char why[256];
				int r = xb_ap_case_build(f, dev, wl->action, wl->sizes.v[si], off, seed + it,
							 wl->buffers, &c, why, sizeof(why));

				printf(" case %zu: %s of %" PRIu64 " bytes at offset %" PRIu64 ", seed %" PRIu64 "\n",
				       ++ncase, wl->action, wl->sizes.v[si], off, seed + it);
				if (r) {
					/* The driver SKIPs the workload with this reason. */
					printf("  SKIP: %s\n", why);
					return bad;
				}
				if (c.eviction)
					printf("  then: AMDGPU_INFO_NUM_EVICTIONS must have grown, else SKIP (nothing moved)\n");
				if (xb_ap_print_case(stdout, f, &c))
					bad = 1;
				xb_ap_case_free(&c);
			}
	return bad;
}

int cmd_amdgpu_plan(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "workload", required_argument, NULL, 'w' },
		{ "vram-mib", required_argument, NULL, 'V' },
		{ "gtt-mib", required_argument, NULL, 'G' },
		{ "page-size", required_argument, NULL, 'P' },
		{ "lockup-timeout", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct xb_sdma_family_info *f = NULL;
	const char *only = NULL, *family = NULL, *lockup = "";
	uint64_t vram = 2048, gtt = 8192, page = 4096;
	struct xb_scenario *sc;
	struct xb_ap_timeout to;
	struct xb_ap_dev dev;
	char err[512];
	size_t nplanned = 0;
	int c, bad = 0;

	opterr = 0;
	optind = 0;	/* re-initialise getopt: options may follow the scenario */
	while ((c = getopt_long(argc, argv, ":f:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			family = optarg;
			break;
		case 'w':
			only = optarg;
			break;
		case 'V':
			if (number("--vram-mib", optarg, &vram))
				return XB_EXIT_USAGE;
			break;
		case 'G':
			if (number("--gtt-mib", optarg, &gtt))
				return XB_EXIT_USAGE;
			break;
		case 'P':
			if (number("--page-size", optarg, &page) || !page || page & (page - 1) || page > (1u << 30)) {
				fprintf(stderr, "xenbounce amdgpu-plan: --page-size must be a power of two\n");
				return XB_EXIT_USAGE;
			}
			break;
		case 'T':
			lockup = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "xenbounce amdgpu-plan: %s needs a value\n", argv[optind - 1]);
			usage(stderr);
			return XB_EXIT_USAGE;
		default:
			fprintf(stderr, "xenbounce amdgpu-plan: unknown option '%s' (valid: --family, --workload, --vram-mib, --gtt-mib, --page-size, --lockup-timeout, --help)\n",
				argv[optind - 1]);
			return XB_EXIT_USAGE;
		}
	}
	if (!family) {
		fprintf(stderr, "xenbounce amdgpu-plan: --family is required (valid: %s)\n", xb_sdma_family_names());
		return XB_EXIT_USAGE;
	}
	f = xb_sdma_family_by_name(family);
	if (!f) {
		fprintf(stderr, "xenbounce amdgpu-plan: unknown family '%s' (valid: %s)\n", family,
			xb_sdma_family_names());
		return XB_EXIT_USAGE;
	}
	if (optind != argc - 1) {
		usage(stderr);
		return XB_EXIT_USAGE;
	}
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return XB_EXIT_USAGE;
	if (xb_scenario_parse(argv[optind], sc, err, sizeof(err))) {
		fprintf(stderr, "xenbounce amdgpu-plan: %s\n", err);
		free(sc);
		return XB_EXIT_USAGE;
	}
	/* -w names an amdgpu workload of this scenario, or nothing is planned: an error. */
	if (only) {
		const struct xb_workload *named = NULL;
		char valid[512] = "";
		size_t off = 0;

		for (size_t i = 0; i < sc->nwl; i++) {
			const struct xb_workload *wl = &sc->wl[i];

			if (!strcmp(wl->name, only))
				named = wl;
			if (wl->driver && !strcmp(wl->driver->name, "amdgpu") &&
			    off < sizeof(valid))
				off += (size_t)snprintf(valid + off, sizeof(valid) - off, "%s%s",
							off ? ", " : "", wl->name);
		}
		if (!named || !named->driver || strcmp(named->driver->name, "amdgpu")) {
			if (named)
				fprintf(stderr, "xenbounce amdgpu-plan: --workload %s: [workload %s] of %s is driver %s, not amdgpu (amdgpu workloads: %s)\n",
					only, only, argv[optind],
					named->driver ? named->driver->name : "(none)",
					valid[0] ? valid : "none");
			else
				fprintf(stderr, "xenbounce amdgpu-plan: --workload %s: no such workload in %s (amdgpu workloads: %s)\n",
					only, argv[optind], valid[0] ? valid : "none");
			free(sc);
			return XB_EXIT_USAGE;
		}
	}
	/* libdrm reports 3/4 of a heap as its largest BO (AMDGPU_INFO_MEMORY). */
	dev = (struct xb_ap_dev){ vram << 20, (vram << 20) / 4 * 3, gtt << 20, (gtt << 20) / 4 * 3, (uint32_t)page, 0 };
	xb_ap_sdma_timeout(lockup, &to);
	printf("amdgpu plan for %s, family %s (%s)\n", argv[optind], f->name, f->desc);
	printf("limits: COPY <= %u bytes/packet, WRITE <= %u dwords/packet, IB <= %u dwords, padded to %u with NOP 0x%08x\n",
	       f->copy_max_bytes, f->write_max_dw, f->ib_max_dw, f->ib_align_dw, f->nop);
	printf("assumed: VRAM %" PRIu64 " MiB, GTT %" PRIu64 " MiB, page %" PRIu64 "; GPU addresses are stand-ins\n",
	       vram, gtt, page);
	printf("fence wait: up to %" PRIu64 " ms (kernel SDMA job timeout %" PRIu64 " ms%s); a fence error is the kernel's verdict\n",
	       to.wait_ms, to.kernel_ms, to.infinite ? ", disabled: default assumed" : to.defaulted ? ", default" : "");
	for (size_t i = 0; i < sc->nwl; i++) {
		const struct xb_workload *wl = &sc->wl[i];

		if (!wl->driver || strcmp(wl->driver->name, "amdgpu") || (only && strcmp(only, wl->name)))
			continue;
		nplanned++;
		if (plan_workload(f, &dev, sc, wl))
			bad = 1;
	}
	if (!nplanned)
		printf("no amdgpu workload in %s\n", argv[optind]);
	free(sc);
	return bad ? XB_EXIT_FAIL : 0;
}

const struct xb_cmd xb_cmd_amdgpu_plan = { "amdgpu-plan", cmd_amdgpu_plan,
					   "print the amdgpu workload's BOs, IBs and submissions for a GPU family (dry run)" };
