/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reports from a results.json document: a self-contained HTML page with SVG
 * plots, and KCIDB data (schema v5.3: kcidb-io's
 * kcidb_io/schema/v05_03.py; tests/unit/test_kcidb.c checks its rules). rundir is where the per-test
 * logs are (bounce logs feed the size plot, kcidb.json names them); it may be NULL.
 */
#ifndef XB_REPORT_H
#define XB_REPORT_H

#include <jansson.h>
#include <stdbool.h>

char *xb_report_html(const json_t *doc, const char *rundir);
/* The same, embedding virtio-gpu thumbnails found in imgdir. */
char *xb_report_html_images(const json_t *doc, const char *rundir, const char *imgdir);
#define XB_KCIDB_MAJOR 5
#define XB_KCIDB_MINOR 3
/*
 * One checkout and one build (the kernel under test, from the fingerprint),
 * a test object per test and per step, ids "xenbounce:HOST-START-RUN..."
 * (meta.host, start_time, run_id). Each names the files it left in
 * rundir/TEST-DIR: log_url and output_files base_url/TEST-DIR/FILE when
 * base_url is given, else misc.xenbounce_log/xenbounce_files relative to
 * rundir (the schema's URL fields want absolute URIs).
 */
json_t *xb_report_kcidb(const json_t *doc, const char *rundir, const char *base_url);
/* An absolute URL (SCHEME:..., no space or control character). */
bool xb_kcidb_base_url_ok(const char *url);

/*
 * The run summary, tests grouped in this order: new failures (any result
 * that is not ok: fail, timeout, crash, error, incomplete), unexpected
 * passes, flaky, known failures, skipped, passed. malloc'd text.
 */
char *xb_report_summary(const json_t *doc);
/* KCIDB status for one of our result words. */
const char *xb_kcidb_status(const char *status);

/* A recorded test's bounced mappings by size, from its bounce logs in rundir. */
json_t *xb_bounce_histogram(const json_t *test, const char *rundir);

#endif
