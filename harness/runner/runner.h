/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runner: every scenario is one KTAP test, every workload one subtest.
 * Each workload runs in a forked child in its own process group with the
 * time left of the scenario's timeout; on timeout the whole group gets
 * SIGKILL. Evidence is gathered around every workload.
 */
#ifndef XB_RUNNER_H
#define XB_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/expect.h"
#include "core/results.h"
#include "scenario.h"

struct xb_run_opts {
	const char *results_root;	/* results/ */
	const char *results_dir;	/* exact directory (overrides root) */
	uint64_t timeout_s;		/* 0: per scenario */
	uint64_t seed;
	bool seed_set;
	bool bisect;
	bool progress;			/* progress lines on stderr */
	FILE *ktap_out;			/* usually stdout */
	bool resume;			/* continue results_dir after a crash */
	const char *console_tail;	/* file: the console before the crash */
	const struct xb_expectations *expect;	/* --expectations, or NULL */
	const char *shard;		/* "I/N" when --shard, recorded in meta */
	unsigned int require;		/* --require: XB_REQ_* bits the whole run needs */
};

/* Run one step (workload) and fill s; used by the run loop and by tests. */
void xb_run_step(const struct xb_scenario *sc, const struct xb_workload *wl, uint64_t seed,
		 const char *dir, const char *prefix, double timeout_s, struct xb_step_result *s);

/* The seed a scenario runs with: --seed, its own seed=, or one from its name. */
uint64_t xb_scenario_seed(const struct xb_scenario *sc, const struct xb_run_opts *o);

/* Run scenarios; returns the exit code (see status.h). */
int xb_run(struct xb_scenario *scs, size_t n, const struct xb_run_opts *o,
	   char *results_path, size_t pathlen);

#endif
