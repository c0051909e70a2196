// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce merge: join the results of the shards of one suite (run
 * --shard I/N on N machines) into one results set: results.json with every
 * test, one KTAP document, junit.xml, report.html and kcidb.json, all
 * regenerated. Each test's directory stays where its shard wrote it; the
 * merged set links to it (OUT/sI-NNN-name -> SHARD/NNN-name).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/report.h"
#include "core/results.h"
#include "core/shard.h"
#include "core/status.h"
#include "core/util.h"
#include "runner/verdict.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: xenbounce merge -o OUT_DIR RUN...\n"
		"Join shard results (RUN: a run directory or its results.json) into one\n"
		"results set in OUT_DIR: results.json, ktap.txt, junit.xml, report.html,\n"
		"kcidb.json. Shards (meta.shard I/N) must all be there, once each; a test\n"
		"in two runs is an error. A shard cut short (no final exit code, or 130)\n"
		"is named, and each test it planned (meta.planned) or started (journal)\n"
		"but did not record is merged as error or incomplete.\n\n"
		"Exit: as `run` for the merged results (0, 1, 4); 1 when a shard was cut\n"
		"short; 2 on a usage or input error.\n");
}

/* A run's directory and its results.json document. */
static json_t *load_run(const char *arg, char *dir, size_t dlen)
{
	struct stat st;
	char file[PATH_MAX];
	json_error_t je;
	json_t *doc;

	if (!stat(arg, &st) && S_ISDIR(st.st_mode)) {
		snprintf(dir, dlen, "%s", arg);
		snprintf(file, sizeof(file), "%s/results.json", arg);
	} else {
		char *slash;

		snprintf(file, sizeof(file), "%s", arg);
		snprintf(dir, dlen, "%s", arg);
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		else
			snprintf(dir, dlen, ".");
	}
	doc = json_load_file(file, 0, &je);
	if (!doc) {
		fprintf(stderr, "xenbounce merge: %s: %s\n", file, je.text);
		return NULL;
	}
	if (strcmp(json_string_value(json_object_get(doc, "format")) ?: "", "xenbounce-results") ||
	    !json_is_array(json_object_get(doc, "tests"))) {
		fprintf(stderr, "xenbounce merge: %s: not a xenbounce results.json\n", file);
		json_decref(doc);
		return NULL;
	}
	return doc;
}

/* Point OUT/LINK at RUNDIR/DIR and rewrite the record's dir to LINK. */
static int relink(json_t *rec, const char *rundir, const char *out, unsigned int shard)
{
	const char *d = json_string_value(json_object_get(rec, "dir"));
	char target[PATH_MAX], real[PATH_MAX], link[PATH_MAX + 32], name[NAME_MAX];

	if (!d || !*d || strchr(d, '/'))
		return 0;
	snprintf(target, sizeof(target), "%s/%s", rundir, d);
	if (!realpath(target, real))
		return 0;	/* no directory (a skipped test): nothing to link */
	snprintf(name, sizeof(name), "s%u-%s", shard, d);
	snprintf(link, sizeof(link), "%s/%s", out, name);
	unlink(link);
	if (symlink(real, link)) {
		fprintf(stderr, "xenbounce merge: %s: %s\n", link, strerror(errno));
		return -1;
	}
	json_object_set_new(rec, "dir", json_string(name));
	return 0;
}

/*
 * A shard that did not finish, or tests it did not record: say so, and add
 * a record for each missing test to tests. Returns 1 when there was
 * something to say, 0 when the shard finished with every test, -1 when out
 * of memory.
 */
static int cut_short(const json_t *doc, const char *dir, const char *path, const char *sh,
		     json_t *tests, json_t *shard_rec)
{
	char *journal, jpath[PATH_MAX + 16], code_s[32];
	int code, n = 0;
	bool done = xb_shard_finished(doc, &code);
	json_t *missing, *m;
	size_t i;

	snprintf(jpath, sizeof(jpath), "%s/journal", dir);
	journal = xb_read_file(jpath, NULL);
	missing = xb_shard_missing(doc, journal);
	free(journal);
	if (!missing) {
		fprintf(stderr, "xenbounce merge: %s: out of memory\n", path);
		return -1;
	}
	if (code < 0)
		snprintf(code_s, sizeof(code_s), "none");
	else
		snprintf(code_s, sizeof(code_s), "%d", code);
	if (!done)
		fprintf(stderr, "xenbounce merge: shard %s (%s) was cut short: %s\n", sh, path,
			code < 0 ? "no final exit code (it crashed, or is still running)" : "interrupted (exit 130)");
	json_array_foreach(missing, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		const char *j = json_string_value(json_object_get(m, "journal")) ?: "none";
		bool started = !strcmp(j, "started");
		char reason[256];

		if (!strcmp(j, "ended"))
			snprintf(reason, sizeof(reason), "shard %s ran this test but did not record its result "
				 "(shard exit %s)", sh, code_s);
		else
			snprintf(reason, sizeof(reason), "shard %s ended %s this test ran (shard exit %s)", sh,
				 started ? "while" : "before", code_s);
		fprintf(stderr, "xenbounce merge: shard %s (%s): %s is missing: %s\n", sh, path, name, reason);
		json_array_append_new(tests, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:[], s:{}, s:s}",
			"name", name, "description", "", "file", "", "dir", "",
			"status", started ? "incomplete" : "error", "reason", reason, "duration_s", 0.0,
			"steps", "evidence", "shard", sh));
		n++;
	}
	json_object_set_new(shard_rec, "missing", missing);
	if (!done && !json_is_array(json_object_get(json_object_get(doc, "meta"), "planned")))
		fprintf(stderr, "xenbounce merge: shard %s (%s) has no meta.planned: the tests it did not run "
			"are unknown\n", sh, path);
	return !done || n;
}

static int by_name(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;

	return strcmp(json_string_value(json_object_get(x, "name")) ?: "",
		      json_string_value(json_object_get(y, "name")) ?: "");
}

static int merge_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int c, code = XB_EXIT_USAGE, nruns;
	json_t *merged = NULL, *tests = json_array(), *shards = json_array(), **v = NULL;
	unsigned int nshards = 0, *seen = NULL, short_shards = 0, nmissing = 0;
	enum xb_status *st = NULL;
	char *ktap = NULL, *sum = NULL;
	size_t nt;

	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			help(stdout);
			code = 0;
			goto done;
		default:
			help(stderr);
			goto done;
		}
	}
	nruns = argc - optind;
	if (!out || nruns < 1) {
		help(stderr);
		goto done;
	}
	if (xb_mkdir_p(out, 0755)) {
		fprintf(stderr, "xenbounce merge: %s: %s\n", out, strerror(errno));
		goto done;
	}
	for (int r = 0; r < nruns; r++) {
		char dir[PATH_MAX];
		json_t *doc = load_run(argv[optind + r], dir, sizeof(dir)), *t;
		const char *sh = json_string_value(json_object_get(json_object_get(doc, "meta"), "shard"));
		unsigned int si = 0, sn = 0;
		size_t i;

		if (!doc)
			goto done;
		if (sh && xb_shard_parse(sh, &si, &sn)) {
			fprintf(stderr, "xenbounce merge: %s: bad meta.shard \"%s\"\n", argv[optind + r], sh);
			json_decref(doc);
			goto done;
		}
		if (r == 0) {
			nshards = sn;
			seen = calloc(sn + 1, sizeof(*seen));
			char base[PATH_MAX], *b;

			/* The merged run is named after its directory (KCIDB ids use it). */
			snprintf(base, sizeof(base), "%s", out);
			while ((b = strrchr(base, '/')) && !b[1] && b != base)
				*b = '\0';
			b = strrchr(base, '/');
			merged = json_pack("{s:s, s:i, s:s, s:s, s:o}", "format", "xenbounce-results",
					   "version", 1, "run_id", b ? b + 1 : base,
					   "start_time", json_string_value(json_object_get(doc, "start_time")) ?: "",
					   "meta", json_deep_copy(json_object_get(doc, "meta")) ?: json_object());
			json_object_del(json_object_get(merged, "meta"), "shard");
			json_object_del(json_object_get(merged, "meta"), "planned");
		}
		if (sn != nshards || (sn && seen[si]++)) {
			fprintf(stderr, "xenbounce merge: %s: shard %s %s\n", argv[optind + r], sh ? sh : "(none)",
				sn != nshards ? "does not match the first run's shard count" : "given twice");
			json_decref(doc);
			goto done;
		}
		/* The run spans the earliest start and the latest end. */
		if (strcmp(json_string_value(json_object_get(doc, "start_time")) ?: "~",
			   json_string_value(json_object_get(merged, "start_time")) ?: "~") < 0)
			json_object_set(merged, "start_time", json_object_get(doc, "start_time"));
		if (json_is_string(json_object_get(doc, "end_time")) &&
		    strcmp(json_string_value(json_object_get(doc, "end_time")),
			   json_string_value(json_object_get(merged, "end_time")) ?: "") > 0)
			json_object_set(merged, "end_time", json_object_get(doc, "end_time"));
		json_array_append_new(shards, json_pack("{s:s, s:s, s:s, s:O}", "path", dir,
			"run_id", json_string_value(json_object_get(doc, "run_id")) ?: "",
			"shard", sh ? sh : "", "exit_code",
			json_object_get(doc, "exit_code") ?: json_null()));
		{
			/* Records for what it missed go after its own (a name twice is caught below). */
			json_t *own = json_array();
			int k = cut_short(doc, dir, argv[optind + r], sh ? sh : "(no shard)", own,
					  json_array_get(shards, json_array_size(shards) - 1));
			size_t j;
			json_t *x;

			if (k < 0) {
				json_decref(own);
				json_decref(doc);
				goto done;
			}
			short_shards += (unsigned int)k;
			nmissing += (unsigned int)json_array_size(own);
			json_array_foreach(own, j, x)
				json_array_append(json_object_get(doc, "tests"), x);
			json_decref(own);
		}
		json_array_foreach(json_object_get(doc, "tests"), i, t) {
			const char *name = json_string_value(json_object_get(t, "name"));
			size_t k, a;
			json_t *o, *att;

			json_array_foreach(tests, k, o) {
				if (!strcmp(json_string_value(json_object_get(o, "name")) ?: "", name ?: "")) {
					fprintf(stderr, "xenbounce merge: test %s is in %s and in an earlier run\n",
						name, argv[optind + r]);
					json_decref(doc);
					goto done;
				}
			}
			if (relink(t, dir, out, si))
				goto done;
			json_array_foreach(json_object_get(t, "attempts"), a, att)
				relink(att, dir, out, si);
			json_object_set_new(t, "shard", json_string(sh ? sh : ""));
			json_array_append(tests, t);
		}
		json_decref(doc);
	}
	for (unsigned int s = 1; s <= nshards; s++) {
		if (!seen[s]) {
			fprintf(stderr, "xenbounce merge: shard %u/%u is missing\n", s, nshards);
			goto done;
		}
	}
	/* One order for every merge of the same shards: by test name. */
	nt = json_array_size(tests);
	v = calloc(nt ? nt : 1, sizeof(*v));
	st = calloc(nt ? nt : 1, sizeof(*st));
	if (!v || !st)
		goto done;
	for (size_t i = 0; i < nt; i++)
		v[i] = json_array_get(tests, i);
	qsort(v, nt, sizeof(*v), by_name);
	{
		json_t *sorted = json_array();

		for (size_t i = 0; i < nt; i++) {
			int s = xb_status_from_name(json_string_value(json_object_get(v[i], "status")) ?: "");

			st[i] = s < 0 ? XB_ERROR : (enum xb_status)s;
			json_array_append(sorted, v[i]);
		}
		json_object_set_new(merged, "tests", sorted);
	}
	json_object_set_new(json_object_get(merged, "meta"), "merged_shards", shards);
	shards = NULL;
	code = xb_exit_code(st, nt, false, false);
	if (short_shards) {
		/* Not a clean night, whatever the tests that did run say. */
		fprintf(stderr, "xenbounce merge: %u shard(s) cut short or incomplete, %u test(s) missing "
			"(merged as error or incomplete, listed above): exit 1\n", short_shards, nmissing);
		code = XB_EXIT_FAIL;
	}
	json_object_set_new(merged, "exit_code", json_integer(code));
	ktap = xb_ktap_from_results(merged);
	if (!ktap || xb_results_write_doc(out, merged, ktap, strlen(ktap))) {
		fprintf(stderr, "xenbounce merge: could not write %s\n", out);
		code = XB_EXIT_USAGE;
		goto done;
	}
	fputs(ktap, stdout);
	sum = xb_report_summary(merged);
	if (sum)
		fputs(sum, stderr);
	fprintf(stderr, "xenbounce merge: %zu tests from %d runs in %s\n", nt, nruns, out);
done:
	free(sum);
	free(ktap);
	free(v);
	free(st);
	free(seen);
	json_decref(shards);
	json_decref(tests);
	json_decref(merged);
	return code;
}

const struct xb_cmd xb_cmd_merge = { "merge", merge_main, "join shard results into one results set" };
