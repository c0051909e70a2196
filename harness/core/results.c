// SPDX-License-Identifier: GPL-2.0
#include "results.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "report.h"
#include "util.h"

void xb_iso_time(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int xb_results_open_dir(struct xb_results *r, const char *dir, json_t *meta)
{
	char now[32], host[256] = "";
	json_t *m;
	const char *slash;
	int ret;

	memset(r, 0, sizeof(*r));
	if (xb_path(r->root, sizeof(r->root), "%s", dir))
		return -ENAMETOOLONG;
	slash = strrchr(dir, '/');
	snprintf(r->run_id, sizeof(r->run_id), "%s", slash ? slash + 1 : dir);
	ret = xb_mkdir_p(r->root, 0755);
	if (ret)
		return ret;
	{
		struct stat st;

		if (stat(r->root, &st) || !S_ISDIR(st.st_mode))
			return -ENOTDIR;
	}
	xb_iso_time(now, sizeof(now));
	/* The caller's meta and the host (KCIDB ids: host, start, run). */
	m = meta ? json_copy(meta) : json_object();
	if (m && !json_object_get(m, "host") && !gethostname(host, sizeof(host) - 1) && host[0])
		json_object_set_new(m, "host", json_string(host));
	r->doc = json_pack("{s:s, s:i, s:s, s:s, s:o, s:[], s:{}}", "format", "xenbounce-results",
			   "version", 1, "run_id", r->run_id, "start_time", now,
			   "meta", m ? m : json_object(), "tests", "totals");
	r->ktap_mem = open_memstream(&r->ktap, &r->ktap_len);
	if (!r->doc || !r->ktap_mem)
		return -ENOMEM;
	return 0;
}

int xb_results_open(struct xb_results *r, const char *root, json_t *meta)
{
	char id[64], dir[PATH_MAX];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(id, sizeof(id), "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 0; i < 1000; i++) {
		struct stat st;
		int ret = i ? xb_path(dir, sizeof(dir), "%s/%s-%d", root, id, i)
			    : xb_path(dir, sizeof(dir), "%s/%s", root, id);

		if (ret)
			return ret;
		if (stat(dir, &st) == 0)
			continue;
		return xb_results_open_dir(r, dir, meta);
	}
	return -EEXIST;
}

int xb_results_resume(struct xb_results *r, const char *dir, json_t *meta, char **running)
{
	char path[PATH_MAX], *journal, *line, *save = NULL;
	json_t *old;
	json_error_t je;
	struct stat st;
	int ret;

	*running = NULL;
	/* Nothing to resume, or a record we cannot read: say so, touch nothing. */
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return stat(dir, &st) ? -ENOENT : -ENOTDIR;
	if (xb_path(path, sizeof(path), "%s/journal", dir))
		return -ENAMETOOLONG;
	journal = xb_read_file(path, NULL);
	if (!journal)
		return -ENOENT;
	if (xb_path(path, sizeof(path), "%s/results.json", dir)) {
		free(journal);
		return -ENAMETOOLONG;
	}
	old = json_load_file(path, 0, &je);
	if (!old || !json_is_array(json_object_get(old, "tests"))) {
		json_decref(old);
		free(journal);
		return -EBADMSG;
	}
	ret = xb_results_open_dir(r, dir, meta);
	if (ret) {
		json_decref(old);
		free(journal);
		return ret;
	}
	json_object_set(r->doc, "tests", json_object_get(old, "tests"));
	json_object_set(r->doc, "start_time", json_object_get(old, "start_time"));
	/* The run keeps its KCIDB ids: the host it started on stays. */
	if (json_is_string(json_object_get(json_object_get(old, "meta"), "host")))
		json_object_set(json_object_get(r->doc, "meta"), "host",
				json_object_get(json_object_get(old, "meta"), "host"));
	json_decref(old);
	json_object_set_new(r->doc, "resumed", json_true());
	for (line = strtok_r(journal, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "start ", 6)) {
			free(*running);
			*running = strdup(line + 6);
		} else if (!strncmp(line, "end ", 4) && *running) {
			size_t n = strlen(*running);

			if (!strncmp(line + 4, *running, n) && line[4 + n] == ' ') {
				free(*running);
				*running = NULL;
			}
		}
	}
	free(journal);
	return 0;
}

const json_t *xb_results_find(const struct xb_results *r, const char *name)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(r->doc, "tests"), i, t)
		if (!strcmp(json_string_value(json_object_get(t, "name")), name))
			return t;
	return NULL;
}

int xb_results_journal(struct xb_results *r, const char *fmt, ...)
{
	char path[PATH_MAX], *line, *full;
	va_list ap;
	int ret;

	if (xb_path(path, sizeof(path), "%s/journal", r->root))
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	ret = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -ENOMEM;
	full = xb_strdup_printf("%s\n", line);
	free(line);
	if (!full)
		return -ENOMEM;
	ret = xb_append_sync(path, full);
	free(full);
	return ret;
}

static json_t *phase_json(const struct xb_phase_result *p)
{
	return json_pack("{s:s, s:o, s:o}", "status", xb_status_name(p->status),
			 "reason", xb_json_string_lossy(p->reason),
			 "findings", p->findings ? json_incref(p->findings) : json_array());
}

json_t *xb_test_result_json(const struct xb_test_result *t)
{
	json_t *steps = json_array(), *j;

	for (size_t i = 0; i < t->nsteps; i++) {
		const struct xb_step_result *s = &t->steps[i];

		/* Text from outside (files, logs, errors) as valid UTF-8: never a lost record. */
		json_array_append_new(steps, json_pack("{s:o, s:s, s:s, s:o, s:f, s:i, s:i, s:o, s:o}",
			"name", xb_json_string_lossy(s->name), "driver", s->driver, "status", xb_status_name(s->status),
			"reason", xb_json_string_lossy(s->reason), "duration_s", s->duration_s, "exit_code", s->exit_code,
			"signal", s->signal,
			"findings", s->findings ? json_incref(s->findings) : json_array(),
			"notes", s->notes ? json_incref(s->notes) : json_array()));
	}
	j = json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:f, s:I, s:o, s:o}",
		      "name", xb_json_string_lossy(t->name), "description", xb_json_string_lossy(t->description),
		      "file", xb_json_string_lossy(t->file), "dir", xb_json_string_lossy(t->dir),
		      "status", xb_status_name(t->status), "reason", xb_json_string_lossy(t->reason),
		      "duration_s", t->duration_s, "seed", (json_int_t)t->seed, "steps", steps,
		      "evidence", t->evidence ? json_incref(t->evidence) : json_object());
	if (j && t->start_time[0])
		json_object_set_new(j, "start_time", json_string(t->start_time));
	if (j && t->attempts)
		json_object_set(j, "attempts", t->attempts);
	if (j && t->expectation[0])
		json_object_set_new(j, "expectation", xb_json_string_lossy(t->expectation));
	if (j && t->expect_mode[0])
		json_object_set_new(j, "expect_mode", json_string(t->expect_mode));
	if (j && t->setup.ran)
		json_object_set_new(j, "fault_setup", phase_json(&t->setup));
	if (j && t->teardown.ran)
		json_object_set_new(j, "fault_teardown", phase_json(&t->teardown));
	if (j && t->pool_check.ran)
		json_object_set_new(j, "pool_check", phase_json(&t->pool_check));
	return j;
}

void xb_test_result_clear(struct xb_test_result *t)
{
	for (size_t i = 0; i < t->nsteps; i++) {
		json_decref(t->steps[i].findings);
		json_decref(t->steps[i].notes);
	}
	json_decref(t->setup.findings);
	json_decref(t->teardown.findings);
	json_decref(t->pool_check.findings);
	json_decref(t->evidence);
	json_decref(t->attempts);
	memset(t, 0, sizeof(*t));
}

static void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 forbids most control characters. */
			if (c < 0x20 && c != '\n' && c != '\t')
				fputc('?', f);
			else
				fputc(c, f);
		}
	}
}

/*
 * junit.xml: one <testsuite> per test, holding a <testcase> for the test
 * itself (classname "xenbounce", name the test: its verdict and reason)
 * and one per workload step (classname "xenbounce.TEST", name the step).
 * A test with no step (a skip before any step, a fault-setup error, an
 * incomplete test) and a test failed by its fault teardown are so still
 * there. Jenkins shows the verdicts as class "xenbounce" and each test's
 * steps as a class of their own; GitLab lists every case by suite.
 * Result words, for tests and steps alike:
 *   pass             passed
 *   skip             <skipped message=REASON type="skip">
 *   xfail            <skipped message="known failure: REASON" type="xfail">
 *                    (as pytest writes a known failure)
 *   xpass            passed, with a <system-out> saying so
 *   flaky            passed, with one <flakyFailure> per earlier attempt in
 *                    which it did not pass (Maven Surefire's rerun format,
 *                    which Jenkins and GitLab read)
 *   fail             <failure message=REASON type="fail">
 *   error, timeout, crash, incomplete (or an unknown word)
 *                    <error message=REASON type=WORD>
 * tests/failures/errors/skipped on <testsuites> and on each <testsuite>
 * count these elements; time is the tests' durations.
 */
enum junit_kind { JUNIT_PASSED, JUNIT_SKIPPED, JUNIT_FAILURE, JUNIT_ERROR };

static enum junit_kind junit_kind(const char *st)
{
	if (!st)
		return JUNIT_ERROR;
	if (!strcmp(st, "skip") || !strcmp(st, "xfail"))
		return JUNIT_SKIPPED;
	if (xb_status_passing(st))
		return JUNIT_PASSED;
	return !strcmp(st, "fail") ? JUNIT_FAILURE : JUNIT_ERROR;
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Count one result into a testsuite(s) element's counters. */
static void junit_count(unsigned int c[4], const char *st)
{
	c[junit_kind(st)]++;
}

/* One failed attempt (of a test or of one of its steps) as a flakyFailure; a passing one writes nothing. */
static void flaky_failure(FILE *f, bool *any, size_t attempt, const json_t *rec)
{
	if (xb_status_passing(jstr(rec, "status")))
		return;
	fprintf(f, "%s      <flakyFailure message=\"attempt %zu: ", *any ? "" : ">\n", attempt + 1);
	xml_escape(f, jstr(rec, "reason"));
	fputs("\" type=\"", f);
	xml_escape(f, jstr(rec, "status"));
	fputs("\"/>\n", f);
	*any = true;
}

/*
 * One testcase. For a flaky test, the earlier attempts in which the test
 * (step NULL) or its step of that name did not pass become flakyFailures.
 */
static void junit_case(FILE *f, const json_t *t, const json_t *rec, const char *step)
{
	const char *tname = jstr(t, "name"), *st = jstr(rec, "status"), *reason = jstr(rec, "reason");
	enum junit_kind k = junit_kind(st);
	bool any = false;
	size_t i, j;
	json_t *a, *as;

	fputs("    <testcase classname=\"xenbounce", f);
	if (step) {
		fputc('.', f);
		xml_escape(f, tname);
	}
	fputs("\" name=\"", f);
	xml_escape(f, step ? step : tname);
	fprintf(f, "\" time=\"%.3f\"", json_real_value(json_object_get(rec, "duration_s")));
	if (k != JUNIT_PASSED) {
		fprintf(f, ">\n      <%s message=\"%s", k == JUNIT_SKIPPED ? "skipped" : k == JUNIT_FAILURE ?
			"failure" : "error", !strcmp(st, "xfail") ? "known failure: " : "");
		xml_escape(f, reason);
		fputs("\" type=\"", f);
		xml_escape(f, *st ? st : "unknown");
		fputs("\"/>\n    </testcase>\n", f);
		return;
	}
	if (!strcmp(jstr(t, "status"), "flaky")) {
		json_array_foreach(json_object_get(t, "attempts"), i, a) {
			if (!step) {
				flaky_failure(f, &any, i, a);
				continue;
			}
			json_array_foreach(json_object_get(a, "steps"), j, as)
				if (!strcmp(jstr(as, "name"), step))
					flaky_failure(f, &any, i, as);
		}
	}
	if (!strcmp(st, "xpass")) {
		fprintf(f, "%s      <system-out>unexpected pass (a known failure passed): ", any ? "" : ">\n");
		xml_escape(f, reason);
		fputs("</system-out>\n", f);
		any = true;
	}
	fputs(any ? "    </testcase>\n" : "/>\n", f);
}

char *xb_junit_xml(const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0, i, j;
	FILE *f = open_memstream(&buf, &len);
	json_t *tests = json_object_get(doc, "tests"), *t, *s;
	unsigned int c[4] = { 0 };
	double total = 0;

	if (!f)
		return NULL;
	json_array_foreach(tests, i, t) {
		junit_count(c, json_string_value(json_object_get(t, "status")));
		total += json_real_value(json_object_get(t, "duration_s"));
		json_array_foreach(json_object_get(t, "steps"), j, s)
			junit_count(c, json_string_value(json_object_get(s, "status")));
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"xenbounce\" tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.3f\">\n",
		c[0] + c[1] + c[2] + c[3], c[JUNIT_FAILURE], c[JUNIT_ERROR], c[JUNIT_SKIPPED], total);
	json_array_foreach(tests, i, t) {
		json_t *steps = json_object_get(t, "steps");
		unsigned int tc[4] = { 0 };

		junit_count(tc, json_string_value(json_object_get(t, "status")));
		json_array_foreach(steps, j, s)
			junit_count(tc, json_string_value(json_object_get(s, "status")));
		fprintf(f, "  <testsuite name=\"");
		xml_escape(f, jstr(t, "name"));
		fprintf(f, "\" tests=\"%u\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" time=\"%.3f\">\n",
			tc[0] + tc[1] + tc[2] + tc[3], tc[JUNIT_FAILURE], tc[JUNIT_ERROR], tc[JUNIT_SKIPPED],
			json_real_value(json_object_get(t, "duration_s")));
		junit_case(f, t, t, NULL);
		json_array_foreach(steps, j, s)
			junit_case(f, t, s, jstr(s, "name"));
		fprintf(f, "  </testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	fclose(f);
	return buf;
}

static int write_json(const char *path, const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(1));
	int ret;

	if (!s)
		return -ENOMEM;
	ret = xb_write_file_atomic(path, s, strlen(s));
	free(s);
	return ret;
}

int xb_results_write_reports(const char *root, const json_t *doc, const char *kcidb_base_url)
{
	char path[PATH_MAX], *html;
	json_t *kcidb;
	int ret;

	html = xb_report_html(doc, root);
	if (!html)
		return -ENOMEM;
	if (xb_path(path, sizeof(path), "%s/report.html", root)) {
		free(html);
		return -ENAMETOOLONG;
	}
	ret = xb_write_file_atomic(path, html, strlen(html));
	free(html);
	if (ret)
		return ret;
	kcidb = xb_report_kcidb(doc, root, kcidb_base_url);
	if (xb_path(path, sizeof(path), "%s/kcidb.json", root)) {
		json_decref(kcidb);
		return -ENAMETOOLONG;
	}
	ret = write_json(path, kcidb);
	json_decref(kcidb);
	return ret;
}

int xb_results_write_doc(const char *root, json_t *doc, const char *ktap, size_t ktap_len)
{
	char path[PATH_MAX], *xml;
	int ret;

	json_t *totals = json_object();
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(doc, "tests"), i, t) {
		const char *st = json_string_value(json_object_get(t, "status"));

		json_object_set_new(totals, st, json_integer(json_integer_value(json_object_get(totals, st)) + 1));
	}
	json_object_set_new(doc, "totals", totals);
	if (xb_path(path, sizeof(path), "%s/results.json", root))
		return -ENAMETOOLONG;
	ret = write_json(path, doc);
	if (ret)
		return ret;
	xml = xb_junit_xml(doc);
	if (!xml)
		return -ENOMEM;
	if (xb_path(path, sizeof(path), "%s/junit.xml", root)) {
		free(xml);
		return -ENAMETOOLONG;
	}
	ret = xb_write_file_atomic(path, xml, strlen(xml));
	free(xml);
	if (ret)
		return ret;
	if (xb_path(path, sizeof(path), "%s/ktap.txt", root))
		return -ENAMETOOLONG;
	ret = xb_write_file_atomic(path, ktap ? ktap : "", ktap ? ktap_len : 0);
	if (ret)
		return ret;
	return xb_results_write_reports(root, doc, NULL);
}

static int rewrite_all(struct xb_results *r)
{
	fflush(r->ktap_mem);
	return xb_results_write_doc(r->root, r->doc, r->ktap, r->ktap_len);
}

int xb_results_begin(struct xb_results *r)
{
	return rewrite_all(r);
}

/* One test's KTAP from its record: its steps as a subtest, then its line. */
static void ktap_test(struct ktap_writer *w, const json_t *t)
{
	const char *name = json_string_value(json_object_get(t, "name"));
	const char *st = json_string_value(json_object_get(t, "status"));
	int s = st ? xb_status_from_name(st) : -1;
	size_t i, n = json_array_size(json_object_get(t, "attempts"));
	json_t *x;

	for (i = 0; n > 1 && i + 1 < n; i++) {
		const json_t *a = json_array_get(json_object_get(t, "attempts"), i);

		ktap_diag(w, "%s: attempt %zu of %zu: %s: %s", name ? name : "", i + 1, n,
			  json_string_value(json_object_get(a, "status")) ?: "",
			  json_string_value(json_object_get(a, "reason")) ?: "");
	}
	if (json_array_size(json_object_get(t, "steps"))) {
		ktap_subtest_begin(w, (unsigned int)json_array_size(json_object_get(t, "steps")));
		json_array_foreach(json_object_get(t, "steps"), i, x) {
			const char *ss = json_string_value(json_object_get(x, "status"));
			int v = ss ? xb_status_from_name(ss) : -1;
			const char *why = json_string_value(json_object_get(x, "reason"));

			if (v != XB_PASS && why)
				ktap_diag(w, "%s: %s", json_string_value(json_object_get(x, "name")) ?: "", why);
			ktap_result(w, v < 0 ? XB_ERROR : (enum xb_status)v,
				    json_string_value(json_object_get(x, "name")), v == XB_FAIL ? NULL : why);
		}
		ktap_subtest_end(w);
	}
	ktap_result(w, s < 0 ? XB_ERROR : (enum xb_status)s, name,
		    s == XB_FAIL ? NULL : json_string_value(json_object_get(t, "reason")));
}

char *xb_ktap_from_results(const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	struct ktap_writer w;
	json_t *t;

	if (!f)
		return NULL;
	ktap_init(&w, f, NULL);
	ktap_header(&w, (unsigned int)json_array_size(json_object_get(doc, "tests")));
	json_array_foreach(json_object_get(doc, "tests"), i, t)
		ktap_test(&w, t);
	fclose(f);
	return buf;
}

char *xb_ktap_test_block(const json_t *t, unsigned int number)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ktap_writer w;

	if (!f)
		return NULL;
	ktap_init(&w, f, NULL);
	w.next[0] = number;	/* no plan: no totals line either */
	ktap_test(&w, t);
	fclose(f);
	return buf;
}

int xb_results_add(struct xb_results *r, const struct xb_test_result *t)
{
	json_t *j = xb_test_result_json(t);
	char path[PATH_MAX];
	int ret;

	if (!j)
		return -ENOMEM;
	json_object_set_new(j, "bounce_histogram", xb_bounce_histogram(j, r->root));
	/*
	 * The test's directory may be gone: a crash before the journal
	 * committed its creation (the incomplete test of a resumed run).
	 */
	if (xb_path(path, sizeof(path), "%s/%s", r->root, t->dir) == 0 && xb_mkdir_p(path, 0755) == 0 &&
	    xb_path(path, sizeof(path), "%s/%s/result.json", r->root, t->dir) == 0) {
		ret = write_json(path, j);
		if (ret) {
			json_decref(j);
			return ret;
		}
	}
	json_array_append_new(json_object_get(r->doc, "tests"), j);
	return rewrite_all(r);
}

int xb_results_close(struct xb_results *r, int exit_code)
{
	char now[32];
	int ret = 0;

	if (r->doc) {
		xb_iso_time(now, sizeof(now));
		json_object_set_new(r->doc, "end_time", json_string(now));
		json_object_set_new(r->doc, "exit_code", json_integer(exit_code));
		ret = rewrite_all(r);
	}
	if (r->ktap_mem)
		fclose(r->ktap_mem);
	free(r->ktap);
	json_decref(r->doc);
	memset(r, 0, sizeof(*r));
	return ret;
}
