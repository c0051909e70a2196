// SPDX-License-Identifier: GPL-2.0
/*
 * The evidence windows on this machine's own kernel log: what is logged
 * between two windows reaches the next one, and what came before the run
 * reaches none. Needs a writable /dev/kmsg (root); skipped without one.
 */
#include <fcntl.h>

#include "evidence/evidence.h"
#include "core/finding.h"
#include "runner/verdict.h"
#include "unit.h"

static void kmsg_write(const char *line)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);
}

static unsigned int window(struct xb_evidence *ev, const char *dir, const char *prefix)
{
	json_t *findings = json_array(), *evid = json_object();
	unsigned int kinds;

	xb_evidence_begin(ev);
	xb_evidence_end(ev, dir, prefix, findings, evid);
	kinds = xb_findings_kinds(findings, true);
	json_decref(findings);
	json_decref(evid);
	return kinds;
}

static void test_between_windows_is_not_dropped(void **state)
{
	struct xb_evidence ev;
	char *dir;

	(void)state;
	if (access("/dev/kmsg", W_OK))
		skip();
	dir = unit_tmpdir();
	setenv("XENBOUNCE_COLLECTORS", "kmsg", 1);
	/* Before the run: not any test's. */
	kmsg_write("<4>WARNING: CPU: 0 PID: 1 at xenbounce/unit.c:1 before_the_run+0x0/0x10\n");
	xb_evidence_open(&ev);
	assert_int_equal(window(&ev, dir, "w1."), 0);
	/* Between two windows, as deferred work after a test would log it. */
	kmsg_write("<4>WARNING: CPU: 0 PID: 1 at xenbounce/unit.c:2 between_windows+0x0/0x10\n");
	assert_int_equal(window(&ev, dir, "w2."), XB_KIND_BIT(XB_K_WARNING));
	assert_int_equal(window(&ev, dir, "w3."), 0);
	xb_evidence_close(&ev);
	unsetenv("XENBOUNCE_COLLECTORS");
	unit_rmrf(dir);
	free(dir);
}

static void test_lost_records_are_an_error(void **state)
{
	json_t *evid = json_pack("{s:{s:i}}", "kmsg", "lost", 12);
	enum xb_status st = XB_PASS;
	char reason[512] = "no findings";

	(void)state;
	xb_judge_evidence(evid, &st, reason, sizeof(reason));
	assert_int_equal(st, XB_ERROR);
	assert_string_equal(reason, "kernel log: 12 records overwritten before they were read, findings may be missing; no findings");
	/* A failure stays a failure, and says so too. */
	st = XB_FAIL;
	snprintf(reason, sizeof(reason), "unexpected oops");
	xb_judge_evidence(evid, &st, reason, sizeof(reason));
	assert_int_equal(st, XB_FAIL);
	assert_non_null(strstr(reason, "12 records overwritten"));
	json_decref(evid);
	/* Nothing lost: nothing changes. */
	evid = json_pack("{s:{s:i}}", "kmsg", "lost", 0);
	st = XB_PASS;
	snprintf(reason, sizeof(reason), "no findings");
	xb_judge_evidence(evid, &st, reason, sizeof(reason));
	assert_int_equal(st, XB_PASS);
	assert_string_equal(reason, "no findings");
	json_decref(evid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_between_windows_is_not_dropped),
		cmocka_unit_test(test_lost_records_are_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
