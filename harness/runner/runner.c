// SPDX-License-Identifier: GPL-2.0
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "evidence/conserve.h"
#include "evidence/env.h"
#include "evidence/evidence.h"
#include "fault.h"
#include "core/finding.h"
#include "verdict.h"
#include "core/ktap.h"
#include "core/util.h"
#include "userspace/workload.h"

static volatile sig_atomic_t interrupted;
/* The pool check (evidence/conserve.h) of the run in progress; NULL: off. */
static struct xb_conserve *conserve;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static uint64_t name_seed(const char *name)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return h & XB_SEED_MAX;
}

uint64_t xb_scenario_seed(const struct xb_scenario *sc, const struct xb_run_opts *o)
{
	return o->seed_set ? o->seed : sc->seed_set ? sc->seed : name_seed(sc->name);
}

static __attribute__((noreturn)) void child_main(const struct xb_scenario *sc,
						 const struct xb_workload *wl, uint64_t seed,
						 const char *dir, const char *prefix)
{
	const struct xb_wl_setup setup = xb_scenario_wl_setup(sc);
	struct xb_wl_ctx ctx = { .setup = &setup, .wl = wl, .seed = seed, .dir = dir };
	char path[4096];
	int fd;
	enum xb_wl_rc rc;

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		dup2(fd, 0);
	if (!xb_path(path, sizeof(path), "%s/%sout.txt", dir, prefix) &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) >= 0)
		dup2(fd, 1);
	if (!xb_path(path, sizeof(path), "%s/%serr.txt", dir, prefix) &&
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) >= 0)
		dup2(fd, 2);
	if (!xb_path(path, sizeof(path), "%s/%sreport.jsonl", dir, prefix))
		ctx.report = fopen(path, "we");
	if (!ctx.report)
		ctx.report_errno = errno ? errno : ENAMETOOLONG;
	rc = wl->driver->run(&ctx);
	if (ctx.report && fclose(ctx.report) && !ctx.report_errno)
		ctx.report_errno = errno;
	fflush(stdout);
	if (ctx.report_errno) {
		/* Findings that did not reach the file are no pass: the runner makes it an error. */
		fprintf(stderr, "xenbounce: findings could not be recorded in %s: %s\n", path,
			strerror(ctx.report_errno));
		rc = XB_WL_REPORT_LOST;
	}
	fflush(stderr);
	_exit(rc);
}

/*
 * Read the child's report: findings, notes, and a skip/error reason. The
 * number of lines that could not be read, or -errno when the file could not.
 */
static int read_report(const char *dir, const char *prefix, struct xb_step_result *s,
		       char *reason, size_t rlen)
{
	char path[4096], *text, *line, *save = NULL;
	int bad = 0;

	if (xb_path(path, sizeof(path), "%s/%sreport.jsonl", dir, prefix))
		return -ENAMETOOLONG;
	text = xb_read_file(path, NULL);
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *o = json_loads(line, 0, &e);
		const char *type;

		if (!o) {
			/* A child killed mid-write leaves a partial last line. */
			json_array_append_new(s->notes, json_string("unreadable report line ignored"));
			bad++;
			continue;
		}
		type = json_string_value(json_object_get(o, "type"));
		if (type && !strcmp(type, "finding")) {
			json_object_del(o, "type");
			json_array_append(s->findings, o);
		} else if (type && (!strcmp(type, "skip") || !strcmp(type, "error"))) {
			snprintf(reason, rlen, "%s", json_string_value(json_object_get(o, "text")));
		} else if (type && !strcmp(type, "note")) {
			json_array_append(s->notes, json_object_get(o, "text"));
		}
		json_decref(o);
	}
	free(text);
	return bad;
}

void xb_run_step(const struct xb_scenario *sc, const struct xb_workload *wl, uint64_t seed,
		 const char *dir, const char *prefix, double timeout_s, struct xb_step_result *s)
{
	double start = xb_now(), deadline = start + timeout_s;
	char reason[512] = "";
	int status = 0, bad;
	bool timed_out = false, done = false;
	pid_t pid;

	s->findings = json_array();
	s->notes = json_array();
	snprintf(s->name, sizeof(s->name), "%s", wl->name);
	snprintf(s->driver, sizeof(s->driver), "%s", wl->driver->name);
	s->exit_code = -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		s->status = XB_ERROR;
		snprintf(s->reason, sizeof(s->reason), "fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		child_main(sc, wl, seed, dir, prefix);
	setpgid(pid, pid);	/* also here: no race with the child's own call */
	while (!done) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		struct timespec ts = { 0, 5 * 1000 * 1000 };

		if (r == pid) {
			done = true;
			break;
		}
		if (r < 0 && errno != EINTR) {
			done = true;
			status = 0;
			snprintf(reason, sizeof(reason), "waitpid: %s", strerror(errno));
			break;
		}
		if (xb_now() >= deadline || interrupted) {
			timed_out = !interrupted;
			kill(-pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			break;
		}
		nanosleep(&ts, NULL);
	}
	/* Whatever the child left behind in its group goes too. */
	kill(-pid, SIGKILL);
	s->duration_s = xb_now() - start;
	bad = read_report(dir, prefix, s, reason, sizeof(reason));
	if (interrupted) {
		s->status = XB_ERROR;
		snprintf(s->reason, sizeof(s->reason), "interrupted");
		return;
	}
	if (timed_out) {
		json_t *f = xb_finding_new(XB_K_HANG, "timeout", "runner");

		json_object_set_new(f, "summary", json_sprintf("killed after %.0f seconds", timeout_s));
		json_array_append_new(s->findings, f);
		s->status = XB_TIMEOUT;
		snprintf(s->reason, sizeof(s->reason), "%.0f seconds", timeout_s);
		return;
	}
	if (WIFSIGNALED(status)) {
		s->signal = WTERMSIG(status);
		s->status = XB_CRASH;
		snprintf(s->reason, sizeof(s->reason), "crash: killed by signal %d (%s)", s->signal,
			 strsignal(s->signal));
		return;
	}
	s->exit_code = WEXITSTATUS(status);
	if (bad && s->exit_code != XB_WL_REPORT_LOST) {
		/* The child ended on its own: every line it wrote must be whole. */
		s->status = XB_ERROR;
		if (bad < 0)
			snprintf(s->reason, sizeof(s->reason), "findings lost: %sreport.jsonl: %s", prefix,
				 strerror(-bad));
		else
			snprintf(s->reason, sizeof(s->reason), "findings lost: %d unreadable line%s in %sreport.jsonl",
				 bad, bad == 1 ? "" : "s", prefix);
		return;
	}
	switch (s->exit_code) {
	case XB_WL_DONE:
		s->status = XB_PASS;	/* judged later against [expect] */
		break;
	case XB_WL_SKIP:
		s->status = XB_SKIP;
		snprintf(s->reason, sizeof(s->reason), "%s", reason[0] ? reason : "skipped");
		break;
	case XB_WL_ERROR:
		s->status = XB_ERROR;
		snprintf(s->reason, sizeof(s->reason), "%s", reason[0] ? reason : "workload error");
		break;
	case XB_WL_REPORT_LOST:
		s->status = XB_ERROR;
		snprintf(s->reason, sizeof(s->reason),
			 "findings lost: the workload could not write %sreport.jsonl (results disk full or not writable; see %serr.txt)",
			 prefix, prefix);
		break;
	default:
		s->status = XB_ERROR;
		snprintf(s->reason, sizeof(s->reason), "workload exited with %d", s->exit_code);
	}
}

/* One KTAP diagnostic per finding: "[where: ]kind/subkind[ device][ (injected)]: what". */
static void findings_diag(struct ktap_writer *w, const char *where, const json_t *findings)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		const char *sum = json_string_value(json_object_get(f, "summary"));
		const char *line = json_string_value(json_object_get(f, "line"));
		const char *dev = json_string_value(json_object_get(f, "device"));

		ktap_diag(w, "%s%s%s/%s%s%s%s: %s", where ? where : "", where ? ": " : "",
			  json_string_value(json_object_get(f, "kind")),
			  json_string_value(json_object_get(f, "subkind")), dev ? " " : "", dev ? dev : "",
			  json_is_true(json_object_get(f, "injected")) ? " (injected)" : "",
			  sum ? sum : line ? line : "");
	}
}

static void step_diag(struct ktap_writer *w, const struct xb_step_result *s)
{
	size_t i;
	json_t *n;

	findings_diag(w, NULL, s->findings);
	json_array_foreach(s->notes, i, n)
		ktap_diag(w, "%s", json_string_value(n));
}

/* Fault setup or teardown, with its evidence gathered like a step's. */
static void phase_begin(struct xb_phase_result *p, struct xb_evidence *ev)
{
	p->ran = true;
	p->status = XB_PASS;
	p->findings = json_array();
	xb_evidence_begin(ev);
}

static void phase_end(struct xb_phase_result *p, struct xb_evidence *ev, const char *dir,
		      const char *name, struct xb_test_result *t, struct ktap_writer *w,
		      const struct xb_scenario *sc)
{
	json_t *evid = json_object();
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "%s.", name);
	xb_evidence_end(ev, dir, prefix, p->findings, evid);
	xb_judge_phase(sc, p);
	xb_judge_evidence(evid, &p->status, p->reason, sizeof(p->reason));
	json_object_set_new(t->evidence, name, evid);
	findings_diag(w, name, p->findings);
	if (p->status != XB_PASS)
		ktap_diag(w, "%s: %s: %s", name, xb_status_name(p->status), p->reason);
}

static void run_one(const struct xb_scenario *sc, const struct xb_run_opts *o,
		    struct xb_results *res, struct xb_evidence *ev, struct ktap_writer *w,
		    size_t index, struct xb_test_result *t, const struct xb_expect_facts *facts,
		    unsigned int attempt)
{
	uint64_t seed = xb_scenario_seed(sc, o);
	double budget = (double)(o->timeout_s ? o->timeout_s : sc->timeout_s);
	double start = xb_now();
	char dir[4096], why[512] = "";
	unsigned int missing;
	json_t *fault_rec = json_object();
	bool faults = xb_fault_any(&sc->fault);

	snprintf(t->name, sizeof(t->name), "%s", sc->name);
	snprintf(t->description, sizeof(t->description), "%s", sc->description);
	snprintf(t->file, sizeof(t->file), "%s", sc->path);
	snprintf(t->expect_mode, sizeof(t->expect_mode), "%s", sc->expect_mode);
	if (attempt > 1)
		snprintf(t->dir, sizeof(t->dir), "%03zu-%s.attempt%u", index + 1, sc->name, attempt);
	else
		snprintf(t->dir, sizeof(t->dir), "%03zu-%s", index + 1, sc->name);
	xb_iso_time(t->start_time, sizeof(t->start_time));
	t->seed = seed;
	t->evidence = json_object();
	if (xb_path(dir, sizeof(dir), "%s/%s", res->root, t->dir) || xb_mkdir_p(dir, 0755)) {
		t->status = XB_ERROR;
		snprintf(t->reason, sizeof(t->reason), "could not create %s", dir);
		goto out;
	}
	if (sc->description[0])
		ktap_diag(w, "%s: %s", sc->name, sc->description);
	/* What the run needs (--require) missing is a broken machine, not a skip. */
	if (xb_env_check(o->require, why, sizeof(why))) {
		t->status = XB_ERROR;
		snprintf(t->reason, sizeof(t->reason), "run --require: %s", why);
		goto out;
	}
	missing = xb_env_check(sc->requires, why, sizeof(why));
	if (missing) {
		t->status = XB_SKIP;
		snprintf(t->reason, sizeof(t->reason), "%s", why);
		goto out;
	}
	if (faults) {
		phase_begin(&t->setup, ev);
		t->setup.status = xb_fault_setup(sc, seed, fault_rec, t->setup.reason,
						 sizeof(t->setup.reason));
		phase_end(&t->setup, ev, dir, "fault-setup", t, w, sc);
	}
	if (!faults || t->setup.status == XB_PASS) {
		ktap_subtest_begin(w, (unsigned int)sc->nwl);
		for (size_t i = 0; i < sc->nwl && i < XB_MAX_STEPS; i++) {
			const struct xb_workload *wl = &sc->wl[i];
			struct xb_step_result *s = &t->steps[t->nsteps++];
			char prefix[96];
			double left = budget - (xb_now() - start);
			json_t *evid = json_object();

			snprintf(prefix, sizeof(prefix), "%02zu-%s.", i + 1, wl->name);
			if (left < 0.001)
				left = 0.001;
			if (o->progress)
				fprintf(stderr, "xenbounce: [%zu] %s: %s ...\n", index + 1, sc->name, wl->name);
			xb_evidence_begin(ev);
			xb_run_step(sc, wl, seed + i, dir, prefix, left, s);
			xb_evidence_end(ev, dir, prefix, s->findings, evid);
			xb_judge_step(wl, s);
			xb_judge_evidence(evid, &s->status, s->reason, sizeof(s->reason));
			json_object_set_new(t->evidence, wl->name, evid);
			{
				const struct xb_expect_entry *kf = xb_expect_match(o->expect, XB_EXP_KNOWN_FAILURE,
										   sc->name, wl->name, facts);

				xb_judge_step_expected(kf, wl, s);
				if (kf)
					snprintf(t->expectation, sizeof(t->expectation), "known-failure %s (step %s)",
						 kf->where, wl->name);
			}
			step_diag(w, s);
			if (s->status != XB_PASS)
				ktap_diag(w, "%s: %s", wl->name, s->reason);
			ktap_result(w, s->status, wl->name, s->status == XB_FAIL ? NULL : s->reason);
			if (interrupted)
				break;
		}
		ktap_subtest_end(w);
	}
	/* Undo what setup did, also when it failed half-way. */
	if (faults && !xb_env_check(XB_REQ_ROOT | XB_REQ_KMOD, NULL, 0)) {
		phase_begin(&t->teardown, ev);
		t->teardown.status = xb_fault_teardown(sc, fault_rec, t->teardown.reason,
						       sizeof(t->teardown.reason));
		phase_end(&t->teardown, ev, dir, "fault-teardown", t, w, sc);
	}
	/*
	 * Nothing the test borrowed may be lost: the pool check after every
	 * test that got past its requirements, whatever its steps did.
	 */
	if (conserve) {
		json_t *rec = json_object();
		char cwhy[sizeof(t->pool_check.reason)];
		double pc0 = xb_now();

		phase_begin(&t->pool_check, ev);
		if (xb_conserve_check(conserve, t->pool_check.findings, rec, cwhy, sizeof(cwhy))) {
			t->pool_check.status = XB_ERROR;
			snprintf(t->pool_check.reason, sizeof(t->pool_check.reason), "%s", cwhy);
		}
		phase_end(&t->pool_check, ev, dir, "pool-check", t, w, sc);
		/* Its whole cost, the collectors' windows included. */
		json_object_set_new(rec, "phase_seconds", json_real(xb_now() - pc0));
		json_object_set_new(json_object_get(t->evidence, "pool-check"), "conserve", rec);
	}
	xb_judge_test(sc, t);
	xb_judge_test_expected(xb_expect_match(o->expect, XB_EXP_KNOWN_FAILURE, sc->name, NULL, facts), sc, t);
out:
	json_object_set_new(t->evidence, "fault", fault_rec);
	t->duration_s = xb_now() - start;
	if (t->status != XB_PASS && t->status != XB_SKIP && t->nsteps == 0)
		ktap_diag(w, "%s: %s", sc->name, t->reason);
}

static void test_end(const struct xb_scenario *sc, const struct xb_run_opts *o, struct xb_results *res,
		     struct ktap_writer *w, size_t index, const struct xb_test_result *t)
{
	ktap_result(w, t->status, sc->name, t->status == XB_FAIL ? NULL : t->reason);
	xb_results_journal(res, "end %s %s %.3f", sc->name, xb_status_name(t->status), t->duration_s);
	if (o->progress)
		fprintf(stderr, "xenbounce: [%zu] %s: %s (%.1fs)\n", index + 1, sc->name,
			xb_status_name(t->status), t->duration_s);
}

/*
 * One test as the expectations file says: not at all (skip), once, or for
 * a flaky one until it passes or runs out of attempts. Each attempt's KTAP
 * is held back; the last one is streamed, earlier ones become a diagnostic
 * line each, and every attempt's record is kept in results.json.
 */
static void run_test(const struct xb_scenario *sc, const struct xb_run_opts *o,
		     struct xb_results *res, struct xb_evidence *ev, struct ktap_writer *w,
		     size_t index, struct xb_test_result *t, const struct xb_expect_facts *facts)
{
	const struct xb_expect_entry *sk = xb_expect_match(o->expect, XB_EXP_SKIP, sc->name, NULL, facts);
	const struct xb_expect_entry *fl = xb_expect_match(o->expect, XB_EXP_FLAKY, sc->name, NULL, facts);
	enum xb_status st[XB_EXP_MAX_ATTEMPTS];
	json_t *attempts;
	size_t n = 0;
	char why[256] = "", refused[256] = "";

	xb_results_journal(res, "start %s", sc->name);
	if (sk) {
		snprintf(t->name, sizeof(t->name), "%s", sc->name);
		snprintf(t->description, sizeof(t->description), "%s", sc->description);
		snprintf(t->file, sizeof(t->file), "%s", sc->path);
		snprintf(t->dir, sizeof(t->dir), "%03zu-%s", index + 1, sc->name);
		xb_iso_time(t->start_time, sizeof(t->start_time));
		t->seed = xb_scenario_seed(sc, o);
		t->evidence = json_object();
		t->status = XB_SKIP;
		snprintf(t->reason, sizeof(t->reason), "expectations (%s): %s", sk->where, sk->reason);
		snprintf(t->expectation, sizeof(t->expectation), "skip %s", sk->where);
		{
			char dir[4096];

			/* Its directory holds result.json, like every test's. */
			if (xb_path(dir, sizeof(dir), "%s/%s", res->root, t->dir) || xb_mkdir_p(dir, 0755)) {
				t->status = XB_ERROR;
				snprintf(t->reason, sizeof(t->reason), "could not create %s", dir);
			}
		}
		test_end(sc, o, res, w, index, t);
		return;
	}
	if (!fl) {
		run_one(sc, o, res, ev, w, index, t, facts, 1);
		test_end(sc, o, res, w, index, t);
		return;
	}
	attempts = json_array();
	for (unsigned int a = 1; a <= fl->attempts; a++) {
		struct xb_test_result ta = { 0 };
		FILE *saved[KTAP_MAX_SINKS], *mem;
		char *buf = NULL;
		size_t len = 0;
		bool again;

		memcpy(saved, w->sink, sizeof(saved));
		mem = open_memstream(&buf, &len);
		for (int k = 0; k < KTAP_MAX_SINKS; k++)
			w->sink[k] = k == 0 ? mem : NULL;
		run_one(sc, o, res, ev, w, index, &ta, facts, a);
		memcpy(w->sink, saved, sizeof(saved));
		if (mem)
			fclose(mem);
		st[n++] = ta.status;
		json_array_append_new(attempts, xb_test_result_json(&ta));
		again = xb_flaky_rerun(fl, ta.status, xb_test_failed_kinds(sc, &ta), a, refused,
				       sizeof(refused)) && !interrupted;
		if (!again) {
			for (int k = 0; k < KTAP_MAX_SINKS; k++) {
				if (w->sink[k] && buf) {
					fputs(buf, w->sink[k]);
					fflush(w->sink[k]);
				}
			}
			*t = ta;
		} else {
			ktap_diag(w, "%s: attempt %u of %u: %s: %s", sc->name, a, fl->attempts,
				  xb_status_name(ta.status), ta.reason);
			xb_test_result_clear(&ta);
		}
		free(buf);
		if (!again)
			break;
	}
	t->attempts = attempts;
	t->status = xb_judge_flaky(st, n, why, sizeof(why));
	if (refused[0])
		snprintf(why, sizeof(why), "%s", refused);
	if (why[0]) {
		char r[sizeof(t->reason)];

		snprintf(r, sizeof(r), "%s (%s: %s); last: %s", why, fl->where, fl->reason, t->reason);
		snprintf(t->reason, sizeof(t->reason), "%s", r);
	}
	if (!t->expectation[0])
		snprintf(t->expectation, sizeof(t->expectation), "flaky %s", fl->where);
	test_end(sc, o, res, w, index, t);
}

/*
 * The test that was running when the machine went down: incomplete, with
 * the console tail the lab (or the user) kept from before the restart.
 */
static void incomplete(const struct xb_scenario *sc, const struct xb_run_opts *o, struct xb_results *res,
		       struct ktap_writer *w, size_t index, struct xb_test_result *t)
{
	char *tail = o->console_tail ? xb_read_file(o->console_tail, NULL) : NULL;

	snprintf(t->name, sizeof(t->name), "%s", sc->name);
	snprintf(t->description, sizeof(t->description), "%s", sc->description);
	snprintf(t->file, sizeof(t->file), "%s", sc->path);
	snprintf(t->dir, sizeof(t->dir), "%03zu-%s", index + 1, sc->name);
	t->status = XB_INCOMPLETE;
	snprintf(t->reason, sizeof(t->reason), "the machine went down while this test ran");
	t->evidence = json_object();
	if (tail) {
		size_t len = strlen(tail);
		const char *from = len > 8000 ? tail + len - 8000 : tail;

		json_object_set_new(t->evidence, "console_tail", json_string(from));
		ktap_diag(w, "%s: console before the restart:", sc->name);
		/* The last lines, as KTAP diagnostics. */
		for (const char *p = len > 1500 ? tail + len - 1500 : tail; *p;) {
			const char *nl = strchr(p, '\n');
			int l = nl ? (int)(nl - p) : (int)strlen(p);

			ktap_diag(w, "  %.*s", l, p);
			p += l + (nl ? 1 : 0);
		}
	}
	free(tail);
	xb_results_journal(res, "end %s incomplete 0.000", sc->name);
	ktap_result(w, XB_INCOMPLETE, sc->name, t->reason);
}

int xb_run(struct xb_scenario *scs, size_t n, const struct xb_run_opts *o,
	   char *results_path, size_t pathlen)
{
	struct xb_results res;
	struct xb_evidence ev;
	struct ktap_writer w;
	struct sigaction sa = { .sa_handler = on_sigint };
	enum xb_status *st = calloc(n ? n : 1, sizeof(*st));
	json_t *meta = json_object();
	char *running = NULL;
	int ret, code;
	struct xb_expect_facts facts;

	if (!st)
		return XB_EXIT_USAGE;
	interrupted = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* The fingerprint first: what reading it logs is not the first test's. */
	json_object_set_new(meta, "environment", xb_env_fingerprint());
	/* The pool check's baseline, before the logs' start: its log lines are no test's. */
	{
		char cwhy[256];

		conserve = xb_conserve_open(cwhy, sizeof(cwhy));
		json_object_set_new(meta, "pool_check", conserve ? json_string("on") :
				    json_sprintf("off: %s", cwhy));
	}
	xb_evidence_open(&ev);
	json_object_set_new(meta, "collectors", xb_evidence_describe(&ev));
	xb_expect_facts_from(json_object_get(meta, "environment"), &facts);
	if (o->shard)
		json_object_set_new(meta, "shard", json_string(o->shard));
	/* What this run (a shard's share) means to run: merge names what a cut-short one never ran. */
	{
		json_t *planned = json_array();

		for (size_t i = 0; i < n; i++)
			json_array_append_new(planned, xb_json_string_lossy(scs[i].name));
		json_object_set_new(meta, "planned", planned);
	}
	if (o->seed_set)
		json_object_set_new(meta, "seed", json_integer((json_int_t)o->seed));
	if (o->resume)
		ret = xb_results_resume(&res, o->results_dir, meta, &running);
	else
		ret = o->results_dir ? xb_results_open_dir(&res, o->results_dir, meta)
				     : xb_results_open(&res, o->results_root, meta);
	json_decref(meta);
	if (ret) {
		if (o->resume)
			fprintf(stderr, "xenbounce run: --resume %s: %s\n", o->results_dir,
				ret == -EBADMSG ? "results.json is missing or not a results file; nothing changed" :
				ret == -ENOENT ? "no run to resume there (no such directory or no journal)" :
				strerror(-ret));
		else
			fprintf(stderr, "xenbounce run: could not create results directory %s: %s\n",
				o->results_dir ? o->results_dir : o->results_root, strerror(-ret));
		xb_evidence_close(&ev);
		xb_conserve_close(conserve);
		conserve = NULL;
		free(st);
		/* A bad results path is the caller's mistake: a usage error. */
		return o->bisect ? XB_EXIT_BISECT_ABORT : XB_EXIT_USAGE;
	}
	if (!o->resume) {
		ret = xb_results_begin(&res);
		if (ret)
			fprintf(stderr, "xenbounce run: could not write %s/results.json: %s\n", res.root,
				strerror(-ret));
	}
	if (results_path)
		snprintf(results_path, pathlen, "%s", res.root);
	ktap_init(&w, o->ktap_out, res.ktap_mem);
	ktap_header(&w, (unsigned int)n);
	for (size_t i = 0; i < n; i++) {
		struct xb_test_result t = { 0 };
		const json_t *done = o->resume ? xb_results_find(&res, scs[i].name) : NULL;

		if (interrupted) {
			n = i;
			break;
		}
		if (done) {
			/* Finished before the crash: report it again, do not rerun. */
			int s = xb_status_from_name(json_string_value(json_object_get(done, "status")));

			st[i] = s < 0 ? XB_ERROR : (enum xb_status)s;
			ktap_diag(&w, "%s: recorded before the restart", scs[i].name);
			ktap_result(&w, st[i], scs[i].name, st[i] == XB_FAIL ? NULL :
				    json_string_value(json_object_get(done, "reason")));
			continue;
		}
		if (running && !strcmp(running, scs[i].name)) {
			incomplete(&scs[i], o, &res, &w, i, &t);
			st[i] = t.status;
			ret = xb_results_add(&res, &t);
			if (ret)
				fprintf(stderr, "xenbounce run: could not write results for %s: %s\n", t.name,
					strerror(-ret));
			xb_test_result_clear(&t);
			continue;
		}
		run_test(&scs[i], o, &res, &ev, &w, i, &t, &facts);
		st[i] = t.status;
		ret = xb_results_add(&res, &t);
		if (ret) {
			/* A verdict that cannot be recorded is no pass. */
			fprintf(stderr, "xenbounce run: could not write results for %s: %s (earlier results are intact)\n",
				t.name, strerror(-ret));
			ktap_diag(&w, "%s: its result could not be written: %s", t.name, strerror(-ret));
			st[i] = xb_status_worst(st[i], XB_ERROR);
		}
		xb_test_result_clear(&t);
	}
	code = xb_exit_code(st, n, o->bisect, interrupted);
	if (interrupted)
		ktap_bail_out(&w, "interrupted");
	ret = xb_results_close(&res, code);
	if (ret) {
		fprintf(stderr, "xenbounce run: could not write final results: %s\n", strerror(-ret));
		if (code == XB_EXIT_PASS || code == XB_EXIT_SKIP)
			code = o->bisect ? XB_EXIT_BISECT_UNTESTABLE : XB_EXIT_FAIL;
	}
	xb_evidence_close(&ev);
	xb_conserve_close(conserve);
	conserve = NULL;
	free(st);
	free(running);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	return code;
}
