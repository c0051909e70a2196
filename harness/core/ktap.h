/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP version 1 (Documentation/dev-tools/ktap.rst): a writer that the
 * runner streams as tests finish, and a reader that checks structure,
 * numbering and nesting (used by the tests and by `compare`).
 */
#ifndef XB_KTAP_H
#define XB_KTAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"
#include "util.h"

#define KTAP_MAX_DEPTH 8
#define KTAP_MAX_SINKS 2

/*
 * The words of kselftest's totals line (ksft_print_cnts() in
 * tools/testing/selftests/kselftest.h):
 * "# Totals: pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u".
 * xenbounce's statuses map onto them (ktap_total_of()):
 *   pass, flaky          -> pass   (an ok line: it passed in the end)
 *   skip                 -> skip
 *   xfail, xpass         -> xfail, xpass
 *   fail, timeout        -> fail   (the code under test misbehaved or hung)
 *   error, crash,
 *   incomplete           -> error  (the writer prints all three as "# ERROR",
 *                                   so a reader of the file counts the same)
 */
enum ktap_total {
	KTAP_T_PASS,
	KTAP_T_FAIL,
	KTAP_T_XFAIL,
	KTAP_T_XPASS,
	KTAP_T_SKIP,
	KTAP_T_ERROR,
	KTAP_T_COUNT
};

enum ktap_total ktap_total_of(enum xb_status s);
/* "# Totals: pass:N fail:N xfail:N xpass:N skip:N error:N" without the "# ". */
void ktap_totals_format(char *buf, size_t len, const unsigned int t[KTAP_T_COUNT]);

struct ktap_writer {
	FILE *sink[KTAP_MAX_SINKS];
	int depth;			/* current nesting level, 0 = top */
	unsigned int next[KTAP_MAX_DEPTH];	/* next test number per level */
	/* Top-level results so far, for the totals line after the last one. */
	unsigned int plan, totals[KTAP_T_COUNT];
	bool have_plan, totals_done;
};

void ktap_init(struct ktap_writer *w, FILE *a, FILE *b);
/*
 * "KTAP version 1" and "1..plan" at the current level. At the top level,
 * once plan results are written (or at a bail out) the writer adds
 * kselftest's "# Totals: ..." line.
 */
void ktap_header(struct ktap_writer *w, unsigned int plan);
/* Open a subtest block one level deeper, with its own header. */
void ktap_subtest_begin(struct ktap_writer *w, unsigned int plan);
void ktap_subtest_end(struct ktap_writer *w);
/* "# text" at the current level; newlines become separate lines. */
void ktap_diag(struct ktap_writer *w, const char *fmt, ...) XB_PRINTF(2, 3);
/*
 * Result line at the current level, numbered automatically. reason goes
 * after the directive (SKIP/XFAIL/ERROR) or, for TIMEOUT, is "N seconds".
 */
void ktap_result(struct ktap_writer *w, enum xb_status st, const char *name,
		 const char *reason);
/* "Bail out! reason" at the current level; at the top level the totals follow. */
void ktap_bail_out(struct ktap_writer *w, const char *reason);

/* Reader. */
struct ktap_node {
	unsigned int number;
	bool ok;
	char *name;
	char *directive;	/* SKIP, XFAIL, TIMEOUT, ERROR, TODO or NULL */
	char *reason;		/* text after the directive */
	enum xb_status status;
	char **diag;		/* diagnostics directly before the result */
	size_t ndiag;
	int plan;		/* of the subtests, -1 when absent */
	struct ktap_node *sub;
	size_t nsub;
};

struct ktap_doc {
	int plan;		/* top-level plan, -1 when absent */
	struct ktap_node *tests;
	size_t ntests;
	bool bailed_out;
	size_t unknown_lines;
};

/*
 * Parse a KTAP document. Lines before the first version line are skipped
 * (console noise). Returns 0, or -1 with a message naming the line in err.
 */
int ktap_parse(const char *text, struct ktap_doc *doc, char *err, size_t errlen);
void ktap_doc_free(struct ktap_doc *doc);

#endif
