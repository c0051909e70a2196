// SPDX-License-Identifier: GPL-2.0
/*
 * The KCIDB export against the rules of the schema it claims, v5.3, as
 * published in kernelci/kcidb-io (kcidb_io/schema/v05_03.py, with the
 * patterns it inherits: v03_00.py origin_pattern "[a-z0-9_]+", v05_00.py
 * origin_id_pattern "{origin}:[^\0]*" and test_path_re). The checker below
 * is written from those rules, not from our output: the top level allows
 * only version/checkouts/builds/tests/issues/incidents and requires
 * version; version is {major: const 5, minor: 0..3}, nothing else; a test
 * allows only the properties v5.3 lists and requires build_id, id and
 * origin; ids are "origin:..." (and, per the schema's description, start
 * with the submitting origin, and are unique per object type); status is
 * one of FAIL ERROR MISS PASS DONE SKIP; path is dot-separated
 * [a-zA-Z0-9_-]+ components; start_time is an RFC 3339 date-time;
 * log_excerpt at most 16384 characters; strings have no NUL; no property
 * anywhere is null. Checkouts and builds: only the properties v5.3 lists
 * (a build has a status and no "valid", v4's word), checkout id/origin
 * and build checkout_id/id/origin required, architecture [a-z0-9_]*;
 * log_url and resource urls are URIs (format "uri", which kcidb-io checks:
 * it depends on jsonschema[format]; so absolute, SCHEME:...); input/output
 * files lists of {name, url} (both required, nothing else), the name with
 * no '/'. Each rule is also shown to reject a broken document.
 */
#include "unit.h"

#include <regex.h>
#include <sys/stat.h>

#include "core/report.h"
#include "core/results.h"

struct chk {
	char err[512];
	int n;
};

static void bad(struct chk *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(struct chk *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->n++) {
		va_start(ap, fmt);
		vsnprintf(c->err, sizeof(c->err), fmt, ap);
		va_end(ap);
	}
}

static bool re(const char *pattern, const char *s)
{
	regex_t r;
	bool ok;

	assert_int_equal(regcomp(&r, pattern, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&r, s, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

static bool in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

static void no_nulls(struct chk *c, const json_t *j, const char *where)
{
	const char *k;
	json_t *v;
	size_t i;

	if (json_is_null(j))
		bad(c, "%s: null (the schema allows no null properties)", where);
	else if (json_is_string(j) && strlen(json_string_value(j)) != json_string_length(j))
		bad(c, "%s: string with a NUL", where);
	else if (json_is_object(j))
		json_object_foreach((json_t *)j, k, v)
			no_nulls(c, v, k);
	else if (json_is_array(j))
		json_array_foreach(j, i, v)
			no_nulls(c, v, where);
}

static const char *sval(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Characters (code points) of a UTF-8 string. */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* An absolute URI (RFC 3986: a scheme, then ':'), as format "uri" wants. */
static bool uri(const char *s)
{
	return s && re("^[A-Za-z][A-Za-z0-9+.-]*:[^ ]+$", s);
}

static void check_files(struct chk *c, const json_t *o, const char *id)
{
	static const char *const lists[] = { "input_files", "output_files", "patchset_files", NULL };
	size_t i;
	json_t *r;

	if (json_object_get(o, "log_url") && !uri(sval(o, "log_url")))
		bad(c, "%s: log_url not an absolute URI", id);
	for (const char *const *l = lists; *l; l++) {
		const json_t *a = json_object_get(o, *l);
		const char *k;
		json_t *v;

		if (!a)
			continue;
		if (!json_is_array(a)) {
			bad(c, "%s: %s not an array", id, *l);
			continue;
		}
		json_array_foreach(a, i, r) {
			json_object_foreach(r, k, v)
				if (strcmp(k, "name") && strcmp(k, "url"))
					bad(c, "%s: %s: property \"%s\" not in a resource", id, *l, k);
			if (!sval(r, "name") || !sval(r, "url"))
				bad(c, "%s: %s: a resource needs a name and a url", id, *l);
			else if (!re("^[^/]+$", sval(r, "name")))
				bad(c, "%s: %s: resource name \"%s\" empty or with a '/'", id, *l, sval(r, "name"));
			else if (!uri(sval(r, "url")))
				bad(c, "%s: %s: resource url \"%s\" not an absolute URI", id, *l, sval(r, "url"));
		}
	}
}

static void check_test(struct chk *c, const json_t *t, json_t *ids)
{
	static const char *const props[] = { "_timestamp", "build_id", "id", "origin", "environment",
		"path", "comment", "log_url", "log_excerpt", "status", "number", "start_time", "duration",
		"input_files", "output_files", "misc", NULL };
	static const char *const statuses[] = { "FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP", NULL };
	static const char *const env_props[] = { "compatible", "comment", "misc", NULL };
	const char *k, *id = sval(t, "id"), *origin = sval(t, "origin");
	json_t *v;

	if (!json_is_object(t)) {
		bad(c, "test: not an object");
		return;
	}
	json_object_foreach((json_t *)t, k, v)
		if (!in(k, props))
			bad(c, "test: property \"%s\" not in v5.3", k);
	if (!id || !sval(t, "build_id") || !origin) {
		bad(c, "test: build_id, id and origin are required");
		return;
	}
	if (!re("^[a-z0-9_]+$", origin))
		bad(c, "test: origin \"%s\" not [a-z0-9_]+", origin);
	if (!re("^[a-z0-9_]+:", id) || !re("^[a-z0-9_]+:", sval(t, "build_id")))
		bad(c, "test %s: id and build_id must be \"origin:...\"", id);
	if (strncmp(id, origin, strlen(origin)) || id[strlen(origin)] != ':')
		bad(c, "test %s: id does not start with its origin \"%s:\"", id, origin);
	{
		char key[512];

		snprintf(key, sizeof(key), "test %s", id);
		if (json_object_get(ids, key))
			bad(c, "test %s: id not unique", id);
		json_object_set_new(ids, key, json_true());
	}
	if (json_object_get(t, "status") && (!sval(t, "status") || !in(sval(t, "status"), statuses)))
		bad(c, "test %s: status not one of FAIL ERROR MISS PASS DONE SKIP", id);
	if (json_object_get(t, "path") &&
	    (!sval(t, "path") || !re("^([a-zA-Z0-9_-]+([.][a-zA-Z0-9_-]+)*)?$", sval(t, "path"))))
		bad(c, "test %s: path \"%s\" not dot-separated [a-zA-Z0-9_-]+", id, sval(t, "path") ?: "?");
	if (json_object_get(t, "start_time") && (!sval(t, "start_time") ||
	    !re("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
		sval(t, "start_time"))))
		bad(c, "test %s: start_time not an RFC 3339 date-time", id);
	if (json_object_get(t, "duration") && !json_is_number(json_object_get(t, "duration")))
		bad(c, "test %s: duration not a number", id);
	if (json_object_get(t, "comment") && !json_is_string(json_object_get(t, "comment")))
		bad(c, "test %s: comment not a string", id);
	if (json_object_get(t, "log_excerpt") && (!sval(t, "log_excerpt") || chars(sval(t, "log_excerpt")) > 16384))
		bad(c, "test %s: log_excerpt not a string of at most 16384 characters", id);
	if (json_object_get(t, "misc") && !json_is_object(json_object_get(t, "misc")))
		bad(c, "test %s: misc not an object", id);
	check_files(c, t, id);
	if ((v = json_object_get(t, "environment"))) {
		const char *ek;
		json_t *ev;

		if (!json_is_object(v))
			bad(c, "test %s: environment not an object", id);
		json_object_foreach(v, ek, ev)
			if (!in(ek, env_props))
				bad(c, "test %s: environment property \"%s\" not in v5.3", id, ek);
	}
}

/* A checkout or build: allowed and required properties, id and origin. */
static void check_object(struct chk *c, const char *type, const json_t *o, json_t *ids)
{
	static const char *const checkout_props[] = { "_timestamp", "id", "origin", "tree_name",
		"git_repository_url", "git_commit_hash", "git_commit_name", "git_commit_tags",
		"git_commit_message", "git_repository_branch", "git_repository_branch_tip",
		"patchset_files", "patchset_hash", "message_id", "comment", "start_time",
		"origin_builds_finish_time", "origin_tests_finish_time", "log_url", "log_excerpt",
		"valid", "misc", NULL };
	static const char *const build_props[] = { "_timestamp", "checkout_id", "id", "origin", "comment",
		"start_time", "duration", "architecture", "command", "compiler", "input_files",
		"output_files", "config_name", "config_url", "log_url", "log_excerpt", "status", "misc", NULL };
	static const char *const statuses[] = { "FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP", NULL };
	bool build = !strcmp(type, "build");
	const char *k, *id = sval(o, "id"), *origin = sval(o, "origin");
	char key[512];
	json_t *v;

	if (!json_is_object(o)) {
		bad(c, "%s: not an object", type);
		return;
	}
	json_object_foreach((json_t *)o, k, v)
		if (!in(k, build ? build_props : checkout_props))
			bad(c, "%s: property \"%s\" not in v5.3", type, k);
	if (!id || !origin || (build && !sval(o, "checkout_id"))) {
		bad(c, "%s: %s are required", type, build ? "checkout_id, id and origin" : "id and origin");
		return;
	}
	if (!re("^[a-z0-9_]+$", origin))
		bad(c, "%s: origin \"%s\" not [a-z0-9_]+", type, origin);
	if (strncmp(id, origin, strlen(origin)) || id[strlen(origin)] != ':')
		bad(c, "%s %s: id does not start with its origin \"%s:\"", type, id, origin);
	if (build && !re("^[a-z0-9_]+:", sval(o, "checkout_id")))
		bad(c, "build %s: checkout_id must be \"origin:...\"", id);
	snprintf(key, sizeof(key), "%s %s", type, id);
	if (json_object_get(ids, key))
		bad(c, "%s %s: id not unique", type, id);
	json_object_set_new(ids, key, json_true());
	if (json_object_get(o, "valid") && !json_is_boolean(json_object_get(o, "valid")))
		bad(c, "%s %s: valid not a boolean", type, id);
	if (json_object_get(o, "status") && (!sval(o, "status") || !in(sval(o, "status"), statuses)))
		bad(c, "%s %s: status not one of FAIL ERROR MISS PASS DONE SKIP", type, id);
	if (json_object_get(o, "architecture") &&
	    (!sval(o, "architecture") || !re("^[a-z0-9_]*$", sval(o, "architecture"))))
		bad(c, "%s %s: architecture not [a-z0-9_]*", type, id);
	if (json_object_get(o, "start_time") && (!sval(o, "start_time") ||
	    !re("^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$",
		sval(o, "start_time"))))
		bad(c, "%s %s: start_time not an RFC 3339 date-time", type, id);
	if (json_object_get(o, "misc") && !json_is_object(json_object_get(o, "misc")))
		bad(c, "%s %s: misc not an object", type, id);
	check_files(c, o, id);
}

/* 0 when doc follows the v5.3 rules; else the count, the first in c->err. */
static int kcidb_check(const json_t *doc, struct chk *c)
{
	static const char *const top[] = { "version", "checkouts", "builds", "tests", "issues", "incidents", NULL };
	const json_t *ver = json_object_get(doc, "version");
	json_t *ids = json_object(), *v;
	const char *k;
	size_t i;

	memset(c, 0, sizeof(*c));
	no_nulls(c, doc, "document");
	json_object_foreach((json_t *)doc, k, v) {
		if (!in(k, top))
			bad(c, "top level: property \"%s\" not in v5.3", k);
		else if (strcmp(k, "version") && !json_is_array(v))
			bad(c, "%s: not an array", k);
	}
	if (!json_is_object(ver))
		bad(c, "version is required");
	json_object_foreach((json_t *)ver, k, v)
		if (strcmp(k, "major") && strcmp(k, "minor"))
			bad(c, "version: property \"%s\"", k);
	if (!json_is_integer(json_object_get(ver, "major")) || json_integer_value(json_object_get(ver, "major")) != 5)
		bad(c, "version.major must be 5");
	if (json_object_get(ver, "minor") && (!json_is_integer(json_object_get(ver, "minor")) ||
	    json_integer_value(json_object_get(ver, "minor")) < 0 || json_integer_value(json_object_get(ver, "minor")) > 3))
		bad(c, "version.minor must be 0..3");
	json_array_foreach(json_object_get(doc, "checkouts"), i, v)
		check_object(c, "checkout", v, ids);
	json_array_foreach(json_object_get(doc, "builds"), i, v)
		check_object(c, "build", v, ids);
	json_array_foreach(json_object_get(doc, "tests"), i, v)
		check_test(c, v, ids);
	json_decref(ids);
	return c->n;
}

/*
 * A results document with every result word, awkward names and findings,
 * and a test that ended before any step (incomplete).
 */
static json_t *results_doc(void)
{
	static const char *const words[] = { "pass", "skip", "xfail", "xpass", "flaky", "error", "fail",
					     "timeout", "crash", "incomplete" };
	json_t *tests = json_array();
	char big[20001];

	/* 10 000 two-byte characters: a byte cut at 16384 may split one. */
	for (size_t i = 0; i + 2 < sizeof(big); i += 2)
		memcpy(big + i, "\u00e9", 2);
	big[sizeof(big) - 1] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "t%zu.with dots and spaces", i);
		json_array_append_new(tests, json_pack("{s:s, s:s, s:s, s:f, s:[{s:s, s:s, s:s, s:f, s:[{s:s, s:s}]}]}",
			"name", name, "status", words[i], "reason", "why", "duration_s", 1.5,
			"steps", "name", "step/one", "status", words[i], "reason", "r\u00e9sum\u00e9 \u2013 why",
			"duration_s", 0.5, "findings", "kind", "corruption", "summary", i == 3 ? big : "\u00e9t\u00e9"));
		if (i % 2)
			json_object_set_new(json_array_get(tests, i), "start_time", json_string("2026-12-01T10:00:00Z"));
	}
	json_array_append_new(tests, json_pack("{s:s, s:s, s:s, s:f, s:[]}", "name", "gone", "status", "incomplete",
		"reason", "the machine went down during this test", "duration_s", 0.0, "steps"));
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:{s:{s:s}, s:{s:s, s:s, s:s, s:{s:s}}}}, s:o}",
			 "format", "xenbounce-results", "run_id", "run", "start_time", "2026-12-01T09:59:59Z",
			 "meta", "host", "lab1", "environment", "xen", "version", "4.17.7",
			 "kernel", "release", "6.1.0-57-amd64", "version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1",
			 "machine", "x86_64", "config", "CONFIG_SWIOTLB_XEN", "y",
			 "tests", tests);
}

static const json_t *by_path(const json_t *k, const char *path)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(k, "tests"), i, t)
		if (!strcmp(sval(t, "path"), path))
			return t;
	print_error("no test with path %s\n", path);
	fail();
	return NULL;
}

static void assert_follows(const json_t *k)
{
	struct chk c;

	assert_non_null(k);
	if (kcidb_check(k, &c)) {
		print_error("%d violations; first: %s\n", c.n, c.err);
		fail();
	}
}

static void test_export_follows_v5_3(void **state)
{
	json_t *doc = results_doc(), *k = xb_report_kcidb(doc, NULL, NULL), *t;
	const json_t *co, *b;
	size_t i;

	(void)state;
	assert_follows(k);
	/* The claim itself: 5.3, the newest version kcidb-io publishes. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(k, "version"), "major")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(k, "version"), "minor")), 3);
	/* One object per test and one per step. */
	assert_int_equal(json_array_size(json_object_get(k, "tests")), 11 + 10);
	/* One checkout and one build, the kernel under test, linked. */
	assert_int_equal(json_array_size(json_object_get(k, "checkouts")), 1);
	assert_int_equal(json_array_size(json_object_get(k, "builds")), 1);
	co = json_array_get(json_object_get(k, "checkouts"), 0);
	b = json_array_get(json_object_get(k, "builds"), 0);
	assert_string_equal(sval(co, "id"), "xenbounce:lab1-20261201T095959Z-run");
	assert_string_equal(sval(b, "checkout_id"), sval(co, "id"));
	assert_string_equal(sval(co, "git_commit_name"), "6.1.0-57-amd64");
	assert_true(json_is_true(json_object_get(co, "valid")));
	assert_string_equal(sval(b, "architecture"), "x86_64");
	assert_string_equal(sval(b, "status"), "PASS");
	assert_non_null(strstr(sval(b, "comment"), "#1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1"));
	json_array_foreach(json_object_get(k, "tests"), i, t) {
		assert_string_equal(sval(t, "build_id"), sval(b, "id"));
		/* Every test has a start time: its own or the run's. */
		assert_non_null(sval(t, "start_time"));
		assert_non_null(sval(t, "status"));
		assert_int_equal(strncmp(sval(t, "id"), "xenbounce:lab1-20261201T095959Z-run:", 36), 0);
	}
	/* The tests' own records, with their status and reason. */
	t = (json_t *)by_path(k, "xenbounce.t0_with_dots_and_spaces");
	assert_string_equal(sval(t, "status"), "PASS");
	assert_string_equal(sval(t, "comment"), "why");
	assert_string_equal(sval(t, "start_time"), "2026-12-01T09:59:59Z");
	assert_string_equal(sval(by_path(k, "xenbounce.t1_with_dots_and_spaces"), "start_time"), "2026-12-01T10:00:00Z");
	t = (json_t *)by_path(k, "xenbounce.gone");
	assert_string_equal(sval(t, "status"), "MISS");
	assert_string_equal(sval(t, "comment"), "the machine went down during this test");
	assert_string_equal(sval(json_object_get(t, "misc"), "xenbounce_status"), "incomplete");
	assert_string_equal(sval(by_path(k, "xenbounce.t8_with_dots_and_spaces"), "status"), "FAIL");
	assert_string_equal(sval(json_object_get(by_path(k, "xenbounce.t8_with_dots_and_spaces"), "misc"),
				 "xenbounce_status"), "crash");
	/* The long excerpt is kept, cut to the limit, still valid text. */
	assert_non_null(sval(by_path(k, "xenbounce.t3_with_dots_and_spaces.step_one"), "log_excerpt"));
	assert_string_equal(sval(by_path(k, "xenbounce.t0_with_dots_and_spaces.step_one"), "id"),
			    "xenbounce:lab1-20261201T095959Z-run:t0.with dots and spaces.step/one");
	/* No run directory: no files to name. */
	assert_null(json_object_get(by_path(k, "xenbounce.t0_with_dots_and_spaces"), "log_url"));
	assert_null(json_object_get(json_object_get(by_path(k, "xenbounce.t0_with_dots_and_spaces"), "misc"), "xenbounce_log"));
	json_decref(k);
	json_decref(doc);
}

/* Every night's /results/run: another start, or another host, other ids. */
static void test_ids_unique_per_run(void **state)
{
	json_t *a = results_doc(), *b = results_doc(), *c = results_doc(), *ka, *kb, *kc, *seen = json_object(), *t;
	static const char *const lists[] = { "checkouts", "builds", "tests" };
	size_t i;

	(void)state;
	json_object_set_new(b, "start_time", json_string("2026-12-02T09:59:59Z"));
	json_object_set_new(json_object_get(c, "meta"), "host", json_string("lab2"));
	ka = xb_report_kcidb(a, NULL, NULL);
	kb = xb_report_kcidb(b, NULL, NULL);
	kc = xb_report_kcidb(c, NULL, NULL);
	for (size_t l = 0; l < 3; l++) {
		json_array_foreach(json_object_get(ka, lists[l]), i, t)
			json_object_set_new(seen, sval(t, "id"), json_true());
		json_array_foreach(json_object_get(kb, lists[l]), i, t)
			assert_null(json_object_get(seen, sval(t, "id")));
		json_array_foreach(json_object_get(kc, lists[l]), i, t)
			assert_null(json_object_get(seen, sval(t, "id")));
	}
	assert_string_equal(sval(json_array_get(json_object_get(kc, "builds"), 0), "id"),
			    "xenbounce:lab2-20261201T095959Z-run");
	/* Older results.json without a host still export, marked as such. */
	json_object_del(json_object_get(a, "meta"), "host");
	json_decref(ka);
	ka = xb_report_kcidb(a, NULL, NULL);
	assert_follows(ka);
	assert_string_equal(sval(json_array_get(json_object_get(ka, "builds"), 0), "id"),
			    "xenbounce:unknown-host-20261201T095959Z-run");
	json_decref(seen);
	json_decref(ka);
	json_decref(kb);
	json_decref(kc);
	json_decref(a);
	json_decref(b);
	json_decref(c);
}

/* "NAME=URL ..." of output_files, or "PATH ..." of misc.xenbounce_files. */
static void names(const json_t *o, char *out, size_t len)
{
	const json_t *rel = json_object_get(json_object_get(o, "misc"), "xenbounce_files");
	size_t i, n = 0;
	json_t *r;

	out[0] = '\0';
	json_array_foreach(json_object_get(o, "output_files"), i, r)
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s=%s", i ? " " : "", sval(r, "name"), sval(r, "url"));
	json_array_foreach(rel, i, r)
		n += (size_t)snprintf(out + n, n < len ? len - n : 0, "%s%s", i ? " " : "", json_string_value(r));
}

static const char *rel_log(const json_t *o)
{
	return sval(json_object_get(o, "misc"), "xenbounce_log");
}

/*
 * The evidence files each test and step left: paths relative to the run
 * in misc (a relative reference is no "uri": kcidb-io would refuse it in
 * log_url), log_url and output_files once the lab gives its base URL.
 */
static void test_files(void **state)
{
	char *dir = unit_tmpdir(), path[4200], got[4096];
	json_t *doc = json_pack("{s:s, s:s, s:{s:s}, s:[{s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}]},"
				" {s:s, s:s, s:s, s:s, s:[]}]}",
		"run_id", "run", "start_time", "2026-12-01T09:59:59Z", "meta", "host", "lab1",
		"tests", "name", "t", "dir", "001-t", "status", "pass", "reason", "ok",
		"steps", "name", "a", "status", "pass", "name", "b", "status", "pass",
		"name", "s p", "dir", "002-s p", "status", "skip", "reason", "no edu", "steps");
	json_t *k;
	const json_t *t;
	static const char *const files[] = { "001-t/result.json", "001-t/01-a.out.txt", "001-t/01-a.err.txt",
		"001-t/01-a.dmesg.txt", "001-t/02-b.out.txt", "001-t/02-b.report.jsonl", "002-s p/result.json" };

	(void)state;
	snprintf(path, sizeof(path), "%s/001-t", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/002-s p", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unit_write(path, "x\n");
	}
	k = xb_report_kcidb(doc, dir, NULL);
	assert_follows(k);
	/* The test: its result.json as the log, every other file of its directory. */
	t = by_path(k, "xenbounce.t");
	assert_null(json_object_get(t, "log_url"));
	assert_null(json_object_get(t, "output_files"));
	assert_string_equal(rel_log(t), "001-t/result.json");
	names(t, got, sizeof(got));
	assert_string_equal(got, "001-t/01-a.dmesg.txt 001-t/01-a.err.txt 001-t/01-a.out.txt 001-t/02-b.out.txt "
			    "001-t/02-b.report.jsonl");
	/* A step: its output as the log, its other files. */
	t = by_path(k, "xenbounce.t.a");
	assert_string_equal(rel_log(t), "001-t/01-a.out.txt");
	names(t, got, sizeof(got));
	assert_string_equal(got, "001-t/01-a.dmesg.txt 001-t/01-a.err.txt");
	t = by_path(k, "xenbounce.t.b");
	assert_string_equal(rel_log(t), "001-t/02-b.out.txt");
	names(t, got, sizeof(got));
	assert_string_equal(got, "001-t/02-b.report.jsonl");
	/* A test with no steps still names what it left. */
	t = by_path(k, "xenbounce.s_p");
	assert_string_equal(rel_log(t), "002-s p/result.json");
	assert_null(json_object_get(json_object_get(t, "misc"), "xenbounce_files"));
	json_decref(k);
	/* With the lab's base URL, the schema's fields, URLs escaped. */
	k = xb_report_kcidb(doc, dir, "https://lab.example/runs/7/");
	assert_follows(k);
	t = by_path(k, "xenbounce.t");
	assert_string_equal(sval(t, "log_url"), "https://lab.example/runs/7/001-t/result.json");
	assert_null(json_object_get(json_object_get(t, "misc"), "xenbounce_log"));
	assert_null(json_object_get(json_object_get(t, "misc"), "xenbounce_files"));
	names(by_path(k, "xenbounce.t.b"), got, sizeof(got));
	assert_string_equal(got, "02-b.report.jsonl=https://lab.example/runs/7/001-t/02-b.report.jsonl");
	names(by_path(k, "xenbounce.t.a"), got, sizeof(got));
	assert_string_equal(got, "01-a.dmesg.txt=https://lab.example/runs/7/001-t/01-a.dmesg.txt "
			    "01-a.err.txt=https://lab.example/runs/7/001-t/01-a.err.txt");
	assert_string_equal(sval(by_path(k, "xenbounce.s_p"), "log_url"), "https://lab.example/runs/7/002-s%20p/result.json");
	json_decref(k);
	json_decref(doc);
	unit_rmrf(dir);
	free(dir);
}

static void test_base_url(void **state)
{
	(void)state;
	assert_true(xb_kcidb_base_url_ok("https://lab.example/runs/7"));
	assert_true(xb_kcidb_base_url_ok("file:///srv/results"));
	assert_false(xb_kcidb_base_url_ok(""));
	assert_false(xb_kcidb_base_url_ok("lab.example/runs"));
	assert_false(xb_kcidb_base_url_ok("/srv/results"));
	assert_false(xb_kcidb_base_url_ok("https://lab example/"));
	assert_false(xb_kcidb_base_url_ok("https:"));
}

static void test_status_mapping(void **state)
{
	(void)state;
	assert_string_equal(xb_kcidb_status("pass"), "PASS");
	/* A known failure: the code under test still fails. */
	assert_string_equal(xb_kcidb_status("xfail"), "FAIL");
	assert_string_equal(xb_kcidb_status("xpass"), "PASS");
	assert_string_equal(xb_kcidb_status("flaky"), "PASS");
	assert_string_equal(xb_kcidb_status("skip"), "SKIP");
	assert_string_equal(xb_kcidb_status("fail"), "FAIL");
	assert_string_equal(xb_kcidb_status("timeout"), "FAIL");
	assert_string_equal(xb_kcidb_status("crash"), "FAIL");
	assert_string_equal(xb_kcidb_status("error"), "ERROR");
	assert_string_equal(xb_kcidb_status("incomplete"), "MISS");
	assert_string_equal(xb_kcidb_status("bogus"), "ERROR");
}

/* The checker is only worth something if it rejects what breaks the rules. */
static void test_checker_rejects(void **state)
{
	static const struct {
		const char *json, *err;
	} cases[] = {
		{ "{\"tests\": []}", "version is required" },
		{ "{\"version\": {\"major\": 5, \"minor\": 4}}", "version.minor must be 0..3" },
		{ "{\"version\": {\"major\": 4, \"minor\": 3}}", "version.major must be 5" },
		{ "{\"version\": {\"major\": 5}, \"extra\": []}", "top level: property \"extra\" not in v5.3" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"xenbounce:a\", \"origin\": \"xenbounce\"}]}",
		  "test: build_id, id and origin are required" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"a\", \"build_id\": \"xenbounce:b\", \"origin\": \"xenbounce\"}]}",
		  "test a: id and build_id must be \"origin:...\"" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"other:a\", \"build_id\": \"xenbounce:b\", \"origin\": \"xenbounce\"}]}",
		  "test other:a: id does not start with its origin" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"X-Bounce\"}]}",
		  "test: origin \"X-Bounce\" not [a-z0-9_]+" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"status\": \"XFAIL\"}]}",
		  "test x:a: status not one of" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"path\": \"a.b c\"}]}",
		  "test x:a: path \"a.b c\" not dot-separated" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"path\": \"a..b\"}]}",
		  "test x:a: path \"a..b\" not dot-separated" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"start_time\": \"2026-12-01 10:00:00\"}]}",
		  "test x:a: start_time not an RFC 3339 date-time" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"duration\": null}]}",
		  "duration: null" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"description\": \"v3 word\"}]}",
		  "test: property \"description\" not in v5.3" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\"}, {\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\"}]}",
		  "test x:a: id not unique" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"environment\": {\"description\": \"d\"}}]}",
		  "test x:a: environment property \"description\" not in v5.3" },
		{ "{\"version\": {\"major\": 5}, \"builds\": [{\"id\": \"x:b\", \"origin\": \"x\", \"checkout_id\": \"x:c\", \"valid\": true}]}",
		  "build: property \"valid\" not in v5.3" },
		{ "{\"version\": {\"major\": 5}, \"builds\": [{\"id\": \"x:b\", \"origin\": \"x\"}]}",
		  "build: checkout_id, id and origin are required" },
		{ "{\"version\": {\"major\": 5}, \"checkouts\": [{\"id\": \"x:c\"}]}",
		  "checkout: id and origin are required" },
		{ "{\"version\": {\"major\": 5}, \"checkouts\": [{\"id\": \"x:c\", \"origin\": \"x\", \"architecture\": \"x86_64\"}]}",
		  "checkout: property \"architecture\" not in v5.3" },
		{ "{\"version\": {\"major\": 5}, \"builds\": [{\"id\": \"x:b\", \"origin\": \"x\", \"checkout_id\": \"x:c\", \"architecture\": \"x86-64\"}]}",
		  "build x:b: architecture not [a-z0-9_]*" },
		{ "{\"version\": {\"major\": 5}, \"builds\": [{\"id\": \"x:b\", \"origin\": \"x\", \"checkout_id\": \"x:c\"}, {\"id\": \"x:b\", \"origin\": \"x\", \"checkout_id\": \"x:c\"}]}",
		  "build x:b: id not unique" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"output_files\": [{\"name\": \"001-t/a.txt\", \"url\": \"https://l/001-t/a.txt\"}]}]}",
		  "x:a: output_files: resource name \"001-t/a.txt\" empty or with a '/'" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"output_files\": [{\"name\": \"a.txt\"}]}]}",
		  "x:a: output_files: a resource needs a name and a url" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"output_files\": [{\"name\": \"a\", \"url\": \"https://l/a\", \"size\": 1}]}]}",
		  "x:a: output_files: property \"size\" not in a resource" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"log_url\": 3}]}",
		  "x:a: log_url not an absolute URI" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"log_url\": \"001-t/result.json\"}]}",
		  "x:a: log_url not an absolute URI" },
		{ "{\"version\": {\"major\": 5}, \"tests\": [{\"id\": \"x:a\", \"build_id\": \"x:b\", \"origin\": \"x\", \"output_files\": [{\"name\": \"a\", \"url\": \"001-t/a\"}]}]}",
		  "x:a: output_files: resource url \"001-t/a\" not an absolute URI" },
	};
	struct chk c;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *d = json_loads(cases[i].json, 0, NULL);

		assert_non_null(d);
		if (!kcidb_check(d, &c) || strncmp(c.err, cases[i].err, strlen(cases[i].err))) {
			print_error("case %zu: got \"%s\", want \"%s\"\n", i, c.err, cases[i].err);
			fail();
		}
		json_decref(d);
	}
	/* An excerpt one character too long. */
	{
		char *big = malloc(16386);
		json_t *d;

		memset(big, 'a', 16385);
		big[16385] = '\0';
		d = json_pack("{s:{s:i}, s:[{s:s, s:s, s:s, s:s}]}", "version", "major", 5, "tests", "id", "x:a",
			      "build_id", "x:b", "origin", "x", "log_excerpt", big);
		assert_int_equal(kcidb_check(d, &c), 1);
		assert_non_null(strstr(c.err, "log_excerpt"));
		json_decref(d);
		free(big);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_follows_v5_3),
		cmocka_unit_test(test_ids_unique_per_run),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_base_url),
		cmocka_unit_test(test_status_mapping),
		cmocka_unit_test(test_checker_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
