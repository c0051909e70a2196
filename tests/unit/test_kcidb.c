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
 * anywhere is null. Each rule is also shown to reject a broken document.
 */
#include "unit.h"

#include <regex.h>

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
	if (json_object_get(ids, id))
		bad(c, "test %s: id not unique", id);
	json_object_set_new(ids, id, json_true());
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
	json_array_foreach(json_object_get(doc, "tests"), i, v)
		check_test(c, v, ids);
	json_decref(ids);
	return c->n;
}

/* A results document with every result word, awkward names and findings. */
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
	return json_pack("{s:s, s:s, s:s, s:{s:{s:{s:s}, s:{s:s}}}, s:o}", "format", "xenbounce-results",
			 "run_id", "20261201T100000Z", "start_time", "2026-12-01T09:59:59Z",
			 "meta", "environment", "xen", "version", "4.17.7", "kernel", "release", "6.1.0-57-amd64",
			 "tests", tests);
}

static void test_export_follows_v5_3(void **state)
{
	json_t *doc = results_doc(), *k = xb_report_kcidb(doc), *t;
	struct chk c;
	size_t i;

	(void)state;
	assert_non_null(k);
	if (kcidb_check(k, &c)) {
		print_error("%d violations; first: %s\n", c.n, c.err);
		fail();
	}
	/* The claim itself: 5.3, the newest version kcidb-io publishes. */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(k, "version"), "major")), 5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(k, "version"), "minor")), 3);
	assert_int_equal(json_array_size(json_object_get(k, "tests")), 10);
	json_array_foreach(json_object_get(k, "tests"), i, t) {
		/* Every test has a start time: its own or the run's. */
		assert_non_null(sval(t, "start_time"));
		assert_non_null(sval(t, "status"));
	}
	assert_string_equal(sval(json_array_get(json_object_get(k, "tests"), 0), "start_time"), "2026-12-01T09:59:59Z");
	assert_string_equal(sval(json_array_get(json_object_get(k, "tests"), 1), "start_time"), "2026-12-01T10:00:00Z");
	/* The long excerpt is kept, cut to the limit, still valid text. */
	assert_non_null(sval(json_array_get(json_object_get(k, "tests"), 3), "log_excerpt"));
	assert_string_equal(sval(json_array_get(json_object_get(k, "tests"), 0), "path"),
			    "xenbounce.t0_with_dots_and_spaces.step_one");
	json_decref(k);
	json_decref(doc);
}

static void test_status_mapping(void **state)
{
	(void)state;
	assert_string_equal(xb_kcidb_status("pass"), "PASS");
	assert_string_equal(xb_kcidb_status("xfail"), "PASS");
	assert_string_equal(xb_kcidb_status("xpass"), "PASS");
	assert_string_equal(xb_kcidb_status("flaky"), "PASS");
	assert_string_equal(xb_kcidb_status("skip"), "SKIP");
	assert_string_equal(xb_kcidb_status("fail"), "FAIL");
	assert_string_equal(xb_kcidb_status("timeout"), "FAIL");
	assert_string_equal(xb_kcidb_status("error"), "ERROR");
	assert_string_equal(xb_kcidb_status("crash"), "ERROR");
	assert_string_equal(xb_kcidb_status("incomplete"), "MISS");
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
		cmocka_unit_test(test_status_mapping),
		cmocka_unit_test(test_checker_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
