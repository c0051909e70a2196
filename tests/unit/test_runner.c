// SPDX-License-Identifier: GPL-2.0
/*
 * The runner, for real: forked workloads that hang, crash, leave children
 * behind or misreport; verdicts against [expect]; exit codes; the KTAP it
 * streams and the results it writes, read back with the project's readers.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "runner/verdict.h"
#include "unit.h"

#include "core/ktap.h"
#include "runner/runner.h"
#include "core/util.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = unit_tmpdir();
	/* Host kernel messages must not decide these tests. */
	setenv("XENBOUNCE_COLLECTORS", "none", 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unit_rmrf(dir);
	free(dir);
	return 0;
}

static void scenario(struct xb_scenario *sc, const char *name, const char *text)
{
	char path[4200], err[1024];

	snprintf(path, sizeof(path), "%s/%s.ini", dir, name);
	unit_write(path, text);
	if (xb_scenario_parse(path, sc, err, sizeof(err)))
		fail_msg("%s", err);
}

struct run {
	int code;
	char *ktap;
	char results[4200];
	double seconds;
};

static void run(struct xb_scenario *scs, size_t n, bool bisect, struct run *r)
{
	size_t len = 0;
	FILE *out = open_memstream(&r->ktap, &len);
	struct xb_run_opts o = { .results_root = dir, .ktap_out = out, .bisect = bisect };
	double t0 = xb_now();

	r->code = xb_run(scs, n, &o, r->results, sizeof(r->results));
	r->seconds = xb_now() - t0;
	fclose(out);
}

static struct xb_scenario scs[6];

static void test_timeout_and_crash(void **state)
{
	struct run r;
	struct ktap_doc doc;
	char err[256];

	(void)state;
	scenario(&scs[0], "hang", "[scenario]\ntimeout = 1\n[workload sleep]\ndriver = selftest\naction = sleep\nseconds = 30\n");
	scenario(&scs[1], "segv", "[workload segv]\ndriver = selftest\naction = segv\n");
	scenario(&scs[2], "abort", "[workload abort]\ndriver = selftest\naction = abort\n");
	scenario(&scs[3], "after", "[workload fine]\ndriver = selftest\naction = pass\n");
	run(scs, 4, false, &r);
	/* The hang was killed at its 1 s timeout, not after 30 s. */
	assert_true(r.seconds < 10);
	assert_int_equal(r.code, 1);
	assert_int_equal(ktap_parse(r.ktap, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.plan, 4);
	assert_int_equal(doc.ntests, 4);
	assert_int_equal(doc.tests[0].status, XB_TIMEOUT);
	assert_int_equal(doc.tests[0].nsub, 1);
	assert_int_equal(doc.tests[0].sub[0].status, XB_TIMEOUT);
	assert_string_equal(doc.tests[0].sub[0].reason, "1 seconds");
	assert_int_equal(doc.tests[1].status, XB_ERROR);
	assert_non_null(strstr(doc.tests[1].reason, "signal 11"));
	assert_non_null(strstr(doc.tests[2].reason, "signal 6"));
	/* The run went on after the crashes. */
	assert_int_equal(doc.tests[3].status, XB_PASS);
	ktap_doc_free(&doc);
	free(r.ktap);
}

static void test_group_is_killed(void **state)
{
	struct xb_step_result s = { 0 };
	int status, reaped = 0;
	double t0;

	(void)state;
	/* Orphans come to us, so we can see how the grandchild ended. */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	scenario(&scs[0], "sleeper", "[workload w]\ndriver = selftest\naction = sleeper_child\nseconds = 30\n");
	xb_run_step(&scs[0], &scs[0].wl[0], 1, dir, "sleeper.", 10, &s);
	assert_int_equal(s.status, XB_PASS);
	t0 = xb_now();
	while (xb_now() - t0 < 5) {
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p > 0) {
			assert_true(WIFSIGNALED(status));
			assert_int_equal(WTERMSIG(status), SIGKILL);
			reaped++;
			break;
		}
		usleep(10000);
	}
	assert_int_equal(reaped, 1);
	json_decref(s.findings);
	json_decref(s.notes);
}

static void test_verdicts(void **state)
{
	struct run r;
	struct ktap_doc doc;
	char err[256];

	(void)state;
	/* Known-bad control caught: pass. */
	scenario(&scs[0], "bad-caught", "[workload w]\ndriver = cpu\nsizes = 16K\ninject = page_swap\n[expect]\noutcome = corruption\n");
	/* Known-bad control not caught: the harness would be lying. */
	scenario(&scs[1], "bad-missed", "[workload w]\ndriver = cpu\nsizes = 16K\n[expect]\noutcome = corruption\n");
	/* Unexpected corruption in a test that expects pass. */
	scenario(&scs[2], "unexpected", "[workload w]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n");
	/* Known failure marked xfail. */
	scenario(&scs[3], "known", "[workload w]\ndriver = cpu\nsizes = 4K\ninject = bitflip\n[expect]\nxfail = tracked elsewhere\nxfail_kinds = corruption\n");
	/* A hang expected by the scenario: the runner's timeout satisfies it. */
	scenario(&scs[4], "hang-expected", "[scenario]\ntimeout = 1\n[workload w]\ndriver = selftest\naction = sleep\nseconds = 20\n[expect]\noutcome = hang\n");
	scenario(&scs[5], "hang-reported", "[workload w]\ndriver = selftest\naction = hang_report\n[expect]\noutcome = hang\n");
	run(scs, 6, false, &r);
	if (ktap_parse(r.ktap, &doc, err, sizeof(err)))
		fail_msg("%s\n%s", err, r.ktap);
	assert_int_equal(doc.tests[0].status, XB_PASS);
	assert_int_equal(doc.tests[1].status, XB_FAIL);
	assert_int_equal(doc.tests[2].status, XB_FAIL);
	assert_int_equal(doc.tests[3].status, XB_XFAIL);
	assert_string_equal(doc.tests[3].reason, "tracked elsewhere");
	assert_int_equal(doc.tests[4].status, XB_PASS);
	assert_int_equal(doc.tests[5].status, XB_PASS);
	/* The failing step names what was missing or unexpected. */
	assert_non_null(strstr(r.ktap, "# w: expected corruption: not found"));
	assert_non_null(strstr(r.ktap, "# w: unexpected corruption"));
	assert_int_equal(r.code, 1);
	ktap_doc_free(&doc);
	free(r.ktap);
}

static void test_exit_codes(void **state)
{
	enum xb_status pass[] = { XB_PASS, XB_SKIP, XB_XFAIL };
	enum xb_status skip[] = { XB_SKIP, XB_SKIP };
	enum xb_status fail[] = { XB_PASS, XB_FAIL };
	enum xb_status err[] = { XB_PASS, XB_ERROR };
	enum xb_status hang[] = { XB_TIMEOUT };

	(void)state;
	assert_int_equal(xb_exit_code(pass, 3, false, false), 0);
	assert_int_equal(xb_exit_code(skip, 2, false, false), 4);
	assert_int_equal(xb_exit_code(fail, 2, false, false), 1);
	assert_int_equal(xb_exit_code(err, 2, false, false), 1);
	assert_int_equal(xb_exit_code(pass, 3, true, false), 0);
	assert_int_equal(xb_exit_code(skip, 2, true, false), 125);
	assert_int_equal(xb_exit_code(fail, 2, true, false), 1);
	assert_int_equal(xb_exit_code(err, 2, true, false), 125);
	assert_int_equal(xb_exit_code(hang, 1, true, false), 1);
	assert_int_equal(xb_exit_code(pass, 3, true, true), 130);
}

static void test_results_files(void **state)
{
	struct run r;
	char path[4400], *text;
	json_error_t jerr;
	json_t *doc, *t;
	DIR *d;
	struct dirent *e;

	(void)state;
	scenario(&scs[0], "one", "[scenario]\ndescription = first\n[workload a]\ndriver = selftest\naction = pass\n[workload b]\ndriver = selftest\naction = skip\n");
	scenario(&scs[1], "two", "[workload c]\ndriver = selftest\naction = error\n");
	run(scs, 2, false, &r);
	assert_int_equal(r.code, 1);

	snprintf(path, sizeof(path), "%s/results.json", r.results);
	doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	assert_int_equal(json_array_size(json_object_get(doc, "tests")), 2);
	t = json_array_get(json_object_get(doc, "tests"), 0);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "pass");
	assert_string_equal(json_string_value(json_object_get(t, "description")), "first");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(t, "steps"), 1), "status")), "skip");
	t = json_array_get(json_object_get(doc, "tests"), 1);
	assert_string_equal(json_string_value(json_object_get(t, "status")), "error");
	assert_string_equal(json_string_value(json_object_get(t, "reason")), "c: selftest error on purpose");
	assert_int_equal(json_integer_value(json_object_get(doc, "exit_code")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "totals"), "pass")), 1);
	/* The host the run was on (KCIDB ids use it). */
	{
		char host[256] = "";

		assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
		assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "meta"), "host")), host);
	}
	json_decref(doc);

	/* Per-test result.json, logs, journal, junit, ktap. */
	snprintf(path, sizeof(path), "%s/001-one/result.json", r.results);
	assert_int_equal(access(path, R_OK), 0);
	snprintf(path, sizeof(path), "%s/002-two/01-c.out.txt", r.results);
	text = xb_read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "error: selftest error on purpose"));
	free(text);
	snprintf(path, sizeof(path), "%s/journal", r.results);
	text = xb_read_file(path, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "start one\nend one pass "));
	assert_non_null(strstr(text, "start two\nend two error "));
	free(text);
	snprintf(path, sizeof(path), "%s/junit.xml", r.results);
	text = xb_read_file(path, NULL);
	assert_non_null(text);
	/* Two tests and their three steps, each a testcase. */
	assert_non_null(strstr(text, "<testsuites name=\"xenbounce\" tests=\"5\" failures=\"0\" errors=\"2\" skipped=\"1\""));
	assert_non_null(strstr(text, "<testcase classname=\"xenbounce\" name=\"two\""));
	assert_non_null(strstr(text, "<testcase classname=\"xenbounce.two\" name=\"c\""));
	free(text);
	snprintf(path, sizeof(path), "%s/ktap.txt", r.results);
	text = xb_read_file(path, NULL);
	assert_non_null(text);
	assert_string_equal(text, r.ktap);
	free(text);
	/* Atomic writes leave no temporary files behind. */
	d = opendir(r.results);
	assert_non_null(d);
	while ((e = readdir(d)))
		assert_null(strstr(e->d_name, ".tmp."));
	closedir(d);
	free(r.ktap);
}

static void test_truncated_report(void **state)
{
	struct xb_step_result s = { 0 };

	(void)state;
	/*
	 * The report's last line was cut mid-write by a child that then exited
	 * on its own: a finding may be lost, so the step is an error, never a pass.
	 */
	scenario(&scs[0], "trunc", "[workload w]\ndriver = selftest\naction = partial_report\n");
	xb_run_step(&scs[0], &scs[0].wl[0], 1, dir, "trunc.", 10, &s);
	assert_int_equal(s.status, XB_ERROR);
	assert_string_equal(s.reason, "findings lost: 1 unreadable line in trunc.report.jsonl");
	assert_int_equal(json_array_size(s.findings), 0);
	assert_string_equal(json_string_value(json_array_get(s.notes, 0)), "unreadable report line ignored");
	json_decref(s.findings);
	json_decref(s.notes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timeout_and_crash),
		cmocka_unit_test(test_group_is_killed),
		cmocka_unit_test(test_verdicts),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_results_files),
		cmocka_unit_test(test_truncated_report),
	};

	return cmocka_run_group_tests_name("runner", tests, setup, teardown);
}
