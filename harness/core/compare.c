// SPDX-License-Identifier: GPL-2.0
#include "compare.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "finding.h"
#include "status.h"
#include "util.h"

json_t *xb_results_load(const char *path, char *err, size_t len)
{
	static const char *const tries[] = { "%s", "%s/results.json", "%s/run/results.json" };
	json_error_t je;
	struct stat st;

	for (size_t i = 0; i < XB_ARRAY_SIZE(tries); i++) {
		char p[4096];
		json_t *j;

		if (xb_path(p, sizeof(p), tries[i], path) || stat(p, &st) || !S_ISREG(st.st_mode))
			continue;
		j = json_load_file(p, 0, &je);
		if (!j) {
			snprintf(err, len, "%s:%d: %s", p, je.line, je.text);
			return NULL;
		}
		if (!json_is_array(json_object_get(j, "tests"))) {
			snprintf(err, len, "%s: not a xenbounce results.json (no tests array)", p);
			json_decref(j);
			return NULL;
		}
		return j;
	}
	snprintf(err, len, "%s: no results.json there (a file, a run directory or a lab directory)", path);
	return NULL;
}

static const json_t *find_test(const json_t *run, const char *name)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(run, "tests"), i, t)
		if (!strcmp(json_string_value(json_object_get(t, "name")), name))
			return t;
	return NULL;
}

static int status_of(const json_t *t)
{
	const char *s = json_string_value(json_object_get(t, "status"));

	return s ? xb_status_from_name(s) : -1;
}

/* Sum of an evidence number over a test's steps (evidence.STEP.GROUP.KEY). */
static json_int_t evidence_sum(const json_t *t, const char *group, const char *key, bool max)
{
	const char *step;
	json_t *ev;
	json_int_t v = 0;

	json_object_foreach(json_object_get(t, "evidence"), step, ev) {
		json_int_t x = json_integer_value(json_object_get(json_object_get(ev, group), key));

		v = max ? (x > v ? x : v) : v + x;
	}
	return v;
}

static void count_findings(const json_t *t, json_t *by_kind)
{
	size_t i, j;
	json_t *s, *f;

	json_array_foreach(json_object_get(t, "steps"), i, s) {
		json_array_foreach(json_object_get(s, "findings"), j, f) {
			const char *k = json_string_value(json_object_get(f, "kind"));

			if (k)
				json_object_set_new(by_kind, k, json_integer(json_integer_value(json_object_get(by_kind, k)) + 1));
		}
	}
}

static void evidence_deltas(const char *name, const json_t *ta, const json_t *tb, json_t *out)
{
	static const struct {
		const char *group, *key, *what;
		bool max;
	} nums[] = {
		{ "bounce", "events", "bounce events", false },
		{ "bounce", "bytes", "bounced bytes", false },
		{ "swiotlb", "used_after", "swiotlb slots used after a step (max)", true },
		{ "swiotlb", "hiwater", "swiotlb hiwater (max)", true },
	};
	json_t *fa = json_object(), *fb = json_object();
	const char *k;
	json_t *v;

	for (size_t i = 0; i < XB_ARRAY_SIZE(nums); i++) {
		json_int_t a = evidence_sum(ta, nums[i].group, nums[i].key, nums[i].max);
		json_int_t b = evidence_sum(tb, nums[i].group, nums[i].key, nums[i].max);

		if (a != b)
			json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I}", "test", name, "what",
							     nums[i].what, "before", a, "after", b));
	}
	count_findings(ta, fa);
	count_findings(tb, fb);
	json_object_foreach(fb, k, v)
		if (json_integer_value(v) != json_integer_value(json_object_get(fa, k)))
			json_array_append_new(out, json_pack("{s:s, s:s+, s:I, s:I}", "test", name, "what",
				k, " findings", "before", json_integer_value(json_object_get(fa, k)),
				"after", json_integer_value(v)));
	json_object_foreach(fa, k, v)
		if (!json_object_get(fb, k))
			json_array_append_new(out, json_pack("{s:s, s:s+, s:I, s:i}", "test", name, "what",
				k, " findings", "before", json_integer_value(v), "after", 0));
	json_decref(fa);
	json_decref(fb);
}

static const json_t *path_get(const json_t *o, const char *path)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	return o;
}

static void environment_deltas(const json_t *a, const json_t *b, json_t *out)
{
	static const char *const fields[] = {
		"kernel.release", "kernel.version", "kernel.cmdline", "xen.version", "xen.changeset",
		"xen.cmdline", "xen.iommu_directio", "xen_pv", "dom0_mode", "swiotlb.io_tlb_nslabs", "module_status",
	};
	const json_t *ea = path_get(a, "meta.environment"), *eb = path_get(b, "meta.environment");

	for (size_t i = 0; i < XB_ARRAY_SIZE(fields); i++) {
		const json_t *va = path_get(ea, fields[i]), *vb = path_get(eb, fields[i]);

		if (!json_equal((json_t *)va, (json_t *)vb) && (va || vb))
			json_array_append_new(out, json_pack("{s:s, s:O, s:O}", "field", fields[i],
				"before", va ? (json_t *)va : json_null(), "after", vb ? (json_t *)vb : json_null()));
	}
}

json_t *xb_compare(const json_t *a, const json_t *b)
{
	json_t *r = json_pack("{s:[], s:[], s:[], s:[], s:[], s:[], s:[], s:[], s:[], s:[], s:[]}",
			      "new_failures", "unexpected_passes", "flaky", "known_failures", "fixes",
			      "new_skips", "changed", "added", "removed", "evidence", "environment");
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(b, "tests"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		const json_t *ta = name ? find_test(a, name) : NULL;
		int sa, sb = status_of(t);
		const char *list = NULL;

		if (!name)
			continue;
		/* What run b's own summary says, by the same words. */
		if (sb == XB_XPASS || sb == XB_FLAKY || sb == XB_XFAIL)
			json_array_append_new(json_object_get(r, sb == XB_XPASS ? "unexpected_passes" :
							      sb == XB_FLAKY ? "flaky" : "known_failures"),
				json_pack("{s:s, s:s, s:O}", "test", name, "after", xb_status_name(sb), "reason",
					  json_object_get(t, "reason") ? json_object_get(t, "reason") : json_null()));
		if (!ta) {
			json_array_append_new(json_object_get(r, "added"), json_pack("{s:s, s:O}", "test", name,
				"after", json_object_get(t, "status")));
			/* A test new in b that is not ok is a new failure too. */
			if (sb >= 0 && !xb_status_ok(sb))
				json_array_append_new(json_object_get(r, "new_failures"), json_pack("{s:s, s:s, s:s, s:O}",
					"test", name, "before", "absent", "after", xb_status_name(sb), "reason",
					json_object_get(t, "reason") ? json_object_get(t, "reason") : json_null()));
			continue;
		}
		sa = status_of(ta);
		if (sa != sb && sa >= 0 && sb >= 0) {
			bool ok_a = xb_status_ok(sa), ok_b = xb_status_ok(sb);

			if (ok_a && !ok_b)
				list = "new_failures";
			else if (!ok_a && ok_b && sb != XB_SKIP)
				list = "fixes";
			else if (sb == XB_SKIP)
				list = "new_skips";
			else
				list = "changed";
			json_array_append_new(json_object_get(r, list), json_pack("{s:s, s:s, s:s, s:O}",
				"test", name, "before", xb_status_name(sa), "after", xb_status_name(sb),
				"reason", json_object_get(t, "reason") ? json_object_get(t, "reason") : json_null()));
		}
		evidence_deltas(name, ta, t, json_object_get(r, "evidence"));
	}
	json_array_foreach(json_object_get(a, "tests"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));

		if (name && !find_test(b, name))
			json_array_append_new(json_object_get(r, "removed"), json_pack("{s:s, s:O}", "test", name,
				"before", json_object_get(t, "status")));
	}
	environment_deltas(a, b, json_object_get(r, "environment"));
	return r;
}

int xb_compare_exit(const json_t *r, bool allow_missing)
{
	if (json_array_size(json_object_get(r, "new_failures")))
		return 1;
	return !allow_missing && json_array_size(json_object_get(r, "removed")) ? 1 : 0;
}

/* The kinds a test's steps found, in enum order; "none". */
static void kinds_cell(const json_t *t, char *buf, size_t len)
{
	unsigned int seen = 0;
	size_t i;
	json_t *s;

	json_array_foreach(json_object_get(t, "steps"), i, s)
		seen |= xb_findings_kinds(json_object_get(s, "findings"), true);
	xb_kinds_format(seen, buf, len);
	if (!seen)
		snprintf(buf, len, "none");
}

/* A markdown cell: no '|' or newline inside. */
static void cell_clean(char *s)
{
	for (; *s; s++)
		if (*s == '|' || *s == '\n')
			*s = '/';
}

static void status_cells(FILE *f, const json_t *t)
{
	const char *st = t ? json_string_value(json_object_get(t, "status")) : NULL;
	const char *mode = t ? json_string_value(json_object_get(t, "expect_mode")) : NULL;
	char kinds[256];

	if (!t) {
		fprintf(f, " - | - |");
		return;
	}
	if (st && !strcmp(st, "skip")) {
		snprintf(kinds, sizeof(kinds), "%s", json_string_value(json_object_get(t, "reason")) ?: "");
		cell_clean(kinds);
		fprintf(f, " skip | %s |", kinds);
		return;
	}
	kinds_cell(t, kinds, sizeof(kinds));
	fprintf(f, " %s%s%s%s | %s |", st ? st : "?", mode ? " [expect " : "", mode ? mode : "", mode ? "]" : "",
		kinds);
}

static const char *run_label(const json_t *run, const char *fallback)
{
	const char *m = json_string_value(json_object_get(json_object_get(json_object_get(run, "meta"),
									 "environment"), "dom0_mode"));

	return m && *m ? m : fallback;
}

char *xb_compare_table(const json_t *a, const json_t *b)
{
	const char *la = run_label(a, "A"), *lb = run_label(b, "B");
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_t *t;

	if (!f)
		return NULL;
	if (!strcmp(la, lb)) {
		la = "A";
		lb = "B";
	}
	fprintf(f, "| test | %s | %s: found | %s | %s: found |\n|---|---|---|---|---|\n", la, la, lb, lb);
	json_array_foreach(json_object_get(a, "tests"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));

		fprintf(f, "| %s |", name ? name : "?");
		status_cells(f, t);
		status_cells(f, name ? find_test(b, name) : NULL);
		fputc('\n', f);
	}
	json_array_foreach(json_object_get(b, "tests"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));

		if (name && find_test(a, name))
			continue;
		fprintf(f, "| %s |", name ? name : "?");
		status_cells(f, NULL);
		status_cells(f, t);
		fputc('\n', f);
	}
	fclose(f);
	return buf;
}
