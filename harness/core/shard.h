/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shards (run --shard I/N): split a suite over N lab machines. The split
 * depends only on the test names and, when given, their recorded
 * durations (run --durations RESULTS.json), never on file order, paths or
 * the machine: tests are taken longest first (unknown durations count as
 * the median of the known ones, or all as 1 s when none is known; ties by
 * name) and each goes to the shard with the least total so far (ties: the
 * lowest shard). Without durations that is round-robin in name order.
 */
#ifndef XB_SHARD_H
#define XB_SHARD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define XB_SHARD_MAX 1000

/* "I/N" with 1 <= I <= N <= XB_SHARD_MAX; 0 or -1. */
int xb_shard_parse(const char *s, unsigned int *i, unsigned int *n);

/*
 * shard_of[k] (0-based) for each of the n tests; dur may be NULL, and an
 * entry < 0 means unknown. Returns 0, or -1 when out of memory.
 */
int xb_shard_assign(const char *const *names, const double *dur, size_t n, unsigned int nshards,
		    unsigned int *shard_of);

/*
 * Did a shard's run end by itself? True when its results.json document has
 * a final exit code other than 130 (interrupted); *exit_code gets that code,
 * or -1 when there is none (the run crashed or is still going).
 */
bool xb_shard_finished(const json_t *doc, int *exit_code);

/*
 * The tests a shard's run did not record: every name in its meta.planned,
 * or in its journal (the file's text; NULL when there is none), that has no
 * entry in tests, in that order, once each. Each is {"name", "journal"},
 * journal the last word the journal has for it: "none" (never started),
 * "started" (started, never ended) or "ended" (ended, but not recorded).
 * A new array (empty when nothing is missing), or NULL when out of memory.
 */
json_t *xb_shard_missing(const json_t *doc, const char *journal);

#endif
