// SPDX-License-Identifier: GPL-2.0
/*
 * selftest: workloads that misbehave on purpose, so the runner's handling
 * of hangs, crashes and stray processes is tested for real.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "core/finding.h"
#include "kmod/include/uapi/xenbounce.h"
#include "workload.h"
#include "xbdev.h"

static const char *const selftest_keys[] = { "action", "seconds", NULL };

static const char *const actions[] = {
	"pass", "sleep", "segv", "abort", "error", "skip", "sleeper_child", "hang_report",
	"partial_report", "kill_self", "kill_runner", "panic_kernel", "flaky", "leak_swiotlb",
};

/* Slots leak_swiotlb holds and never gives back (the pool check's control). */
#define SELFTEST_LEAK_SLOTS 8

static int selftest_validate(const struct xb_wl_setup *setup, const struct xb_workload *wl,
			     char *err, size_t len)
{
	(void)setup;
	for (size_t i = 0; i < XB_ARRAY_SIZE(actions); i++)
		if (!strcmp(wl->action, actions[i]))
			return 0;
	snprintf(err, len, "driver selftest needs action = pass, sleep, segv, abort, error, skip, sleeper_child, hang_report, partial_report, kill_self, kill_runner, panic_kernel, flaky or leak_swiotlb");
	return -1;
}

/*
 * Fails (a corruption finding) on odd runs, passes on even ones, counting
 * runs of this test in a file beside its result directories (a flaky
 * test's attempts each have their own directory in the same run).
 */
static enum xb_wl_rc flaky(struct xb_wl_ctx *ctx)
{
	char path[4096], *slash;
	unsigned int count = 0;
	FILE *f;
	json_t *fd;

	snprintf(path, sizeof(path), "%s", ctx->dir);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (size_t)(slash ? slash + 1 - path : 0),
		 "selftest-flaky-%s.count", ctx->setup->test);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &count) != 1)
			count = 0;
		fclose(f);
	}
	count++;
	f = fopen(path, "w");
	if (!f)
		return xb_wl_error(ctx, "could not write %s", path);
	fprintf(f, "%u\n", count);
	fclose(f);
	xb_report_note(ctx, "run %u of this test", count);
	if (count % 2 == 0)
		return XB_WL_DONE;
	fd = xb_finding_new(XB_K_CORRUPTION, "target", "workload");
	json_object_set_new(fd, "summary", json_sprintf("selftest flaky: fails on odd runs (run %u)", count));
	xb_report_finding(ctx, fd);
	return XB_WL_DONE;
}

static enum xb_wl_rc selftest_run(struct xb_wl_ctx *ctx)
{
	const char *a = ctx->wl->action;

	if (!strcmp(a, "pass"))
		return XB_WL_DONE;
	if (!strcmp(a, "flaky"))
		return flaky(ctx);
	if (!strcmp(a, "sleep")) {
		sleep((unsigned int)ctx->wl->seconds);
		return XB_WL_DONE;
	}
	if (!strcmp(a, "segv")) {
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (!strcmp(a, "abort"))
		abort();
	if (!strcmp(a, "kill_self"))
		raise(SIGKILL);
	if (!strcmp(a, "kill_runner")) {
		/* The runner dies mid-test, as if the machine went down. */
		kill(getppid(), SIGKILL);
		sleep(5);
		return XB_WL_DONE;
	}
	if (!strcmp(a, "panic_kernel")) {
		const char *ok = getenv("XENBOUNCE_ALLOW_CRASH");
		int fd;

		if (!ok || strcmp(ok, "1"))
			return xb_wl_skip(ctx, "crashing the kernel on purpose needs XENBOUNCE_ALLOW_CRASH=1");
		fd = open("/proc/sysrq-trigger", O_WRONLY);
		if (fd < 0 || write(fd, "c", 1) != 1)
			return xb_wl_error(ctx, "could not trigger a panic through /proc/sysrq-trigger");
		sleep(60);
		return xb_wl_error(ctx, "the kernel did not panic");
	}
	if (!strcmp(a, "leak_swiotlb")) {
		/* Through the module: held past the test's end, released by the pool check. */
		int ret = xb_dev_cmd(XB_FILE_RESERVE, "leak=%d", SELFTEST_LEAK_SLOTS);

		if (ret)
			return xb_wl_error(ctx, "reserve leak=%d: %s", SELFTEST_LEAK_SLOTS, strerror(-ret));
		xb_report_note(ctx, "holding %d swiotlb slots on purpose, never given back", SELFTEST_LEAK_SLOTS);
		return XB_WL_DONE;
	}
	if (!strcmp(a, "error"))
		return xb_wl_error(ctx, "selftest error on purpose");
	if (!strcmp(a, "skip"))
		return xb_wl_skip(ctx, "selftest skip on purpose");
	if (!strcmp(a, "sleeper_child")) {
		/* A grandchild that outlives us: the runner must kill the group. */
		if (fork() == 0) {
			sleep((unsigned int)ctx->wl->seconds);
			_exit(0);
		}
		return XB_WL_DONE;
	}
	if (!strcmp(a, "hang_report")) {
		json_t *f = xb_finding_new(XB_K_HANG, "dma_timeout", "workload");

		json_object_set_new(f, "summary", json_string("selftest: DMA did not complete"));
		xb_report_finding(ctx, f);
		return XB_WL_DONE;
	}
	if (!strcmp(a, "partial_report")) {
		/* Killed mid-write: half a JSON line, then gone. */
		fputs("{\"type\":\"finding\",\"kind\":\"corr", ctx->report);
		fflush(ctx->report);
		_exit(XB_WL_DONE);
	}
	return xb_wl_error(ctx, "unknown action %s", a);
}

const struct xb_driver xb_driver_selftest = {
	.name = "selftest",
	.help = "misbehaves on purpose (sleep, segv, abort, ...) to test the runner",
	.keys = selftest_keys,
	.validate = selftest_validate,
	.run = selftest_run,
};
