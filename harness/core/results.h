/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results/RUN-ID/: what a run leaves behind. The journal is appended and
 * fsync'd as each test starts and ends, so a crash loses at most the test
 * that was running; every other file is rewritten whole and atomically
 * after each test, so it is always complete and parseable.
 */
#ifndef XB_RESULTS_H
#define XB_RESULTS_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "status.h"

struct xb_step_result {
	char name[64];
	char driver[32];
	enum xb_status status;
	char reason[512];
	double duration_s;
	int exit_code;		/* -1 when killed */
	int signal;
	json_t *findings;	/* array, owned */
	json_t *notes;		/* array of strings, owned */
};

/* Fault setup or teardown: judged like a step, recorded beside the steps. */
struct xb_phase_result {
	bool ran;
	enum xb_status status;
	char reason[512];
	json_t *findings;	/* array, owned */
};

/* One step per workload; the scenario parser holds XB_MAX_WORKLOADS. */
#define XB_MAX_STEPS 16

struct xb_test_result {
	char name[64];
	char description[256];
	char file[PATH_MAX];
	char dir[PATH_MAX];	/* relative to the run directory */
	enum xb_status status;
	char reason[512];
	double duration_s;
	char start_time[32];	/* RFC 3339, UTC; empty when unknown */
	uint64_t seed;
	struct xb_step_result steps[XB_MAX_STEPS];
	size_t nsteps;
	struct xb_phase_result setup, teardown;
	/* The pool check after the test (evidence/conserve.h): judged like a phase. */
	struct xb_phase_result pool_check;
	json_t *evidence;	/* object: collector name -> data, owned */
	json_t *attempts;	/* flaky reruns: every attempt's record, owned; NULL */
	char expectation[256];	/* the expectations-file entry applied, if any */
	char expect_mode[8];	/* the scenario's [expect MODE] applied, if any */
};

struct xb_results {
	char root[PATH_MAX];	/* results/RUN-ID */
	char run_id[64];
	json_t *doc;		/* results.json */
	char *ktap;		/* KTAP text streamed so far */
	size_t ktap_len;
	FILE *ktap_mem;
};

/* Create root/RUN-ID (RUN-ID from the clock, made unique). */
int xb_results_open(struct xb_results *r, const char *root, json_t *meta);
/* Same, into an exact directory (created if needed). */
int xb_results_open_dir(struct xb_results *r, const char *dir, json_t *meta);
int xb_results_journal(struct xb_results *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Reopen a run directory after a crash: the tests results.json already
 * holds stay; *running gets the name of the test the journal shows started
 * but not ended (malloc'd, or NULL).
 */
int xb_results_resume(struct xb_results *r, const char *dir, json_t *meta, char **running);
/* The recorded test of that name, or NULL. */
const json_t *xb_results_find(const struct xb_results *r, const char *name);
/*
 * Write the files with no test yet: a crash during the first test still
 * leaves a results.json that --resume can read.
 */
int xb_results_begin(struct xb_results *r);
/* Record a finished test and rewrite results.json, junit.xml, ktap.txt. */
int xb_results_add(struct xb_results *r, const struct xb_test_result *t);
/* Final rewrite with totals and the end time. */
int xb_results_close(struct xb_results *r, int exit_code);

json_t *xb_test_result_json(const struct xb_test_result *t);
void xb_test_result_clear(struct xb_test_result *t);
/* Now, as results files write times (RFC 3339, UTC). */
void xb_iso_time(char *buf, size_t len);
/*
 * Write a whole results set into root: results.json (totals recomputed),
 * junit.xml, ktap.txt (the given text), report.html and kcidb.json.
 */
int xb_results_write_doc(const char *root, json_t *doc, const char *ktap, size_t ktap_len);
/* A KTAP document for a results.json document (merge); malloc'd. */
char *xb_ktap_from_results(const json_t *doc);
/* One test's KTAP block (diagnostics, steps as a subtest, its line numbered number). */
char *xb_ktap_test_block(const json_t *t, unsigned int number);
/*
 * report.html and kcidb.json for a results document, into root; kcidb.json
 * names the tests' files relative to root, or as kcidb_base_url/FILE.
 */
int xb_results_write_reports(const char *root, const json_t *doc, const char *kcidb_base_url);
/* JUnit XML of a results.json document; malloc'd. */
char *xb_junit_xml(const json_t *doc);

#endif
