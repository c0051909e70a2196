// SPDX-License-Identifier: GPL-2.0
/*
 * xenbounce merge: join the results of the shards of one suite (run
 * --shard I/N on N machines) into one results set: results.json with every
 * test in run order, one KTAP document (each test's block from its shard's
 * ktap.txt, renumbered), junit.xml, report.html and kcidb.json. Each test's
 * directory stays where its shard wrote it; the merged set links to it
 * relatively (OUT/sI-NNN-name -> ../SHARD/NNN-name). OUT must not exist: the
 * set is written beside it and renamed when complete.
 */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "core/ktap.h"
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
		"but did not record is merged as error or incomplete. Tests stay in run\n"
		"order (shard 1/N's first), each with its KTAP block from its shard's\n"
		"ktap.txt; test directories are relative links. OUT_DIR must not exist:\n"
		"it is written as OUT_DIR.tmp-XXXXXX and renamed when complete.\n\n"
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

/*
 * The path of to relative to the directory from; both absolute and
 * canonical (realpath). Returns 0, or -1 when it does not fit.
 */
static int rel_path(char *buf, size_t len, const char *from, const char *to)
{
	size_t common = 0, i, used;

	/* The longest common prefix that ends at a component boundary. */
	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && (to[i] == '/' || !to[i]))
		common = i;
	if (!strcmp(from, "/"))
		common = 0;
	buf[0] = '\0';
	used = 0;
	for (i = common; from[i]; i++) {
		if (from[i] == '/' && from[i + 1]) {
			if (used + 3 >= len)
				return -1;
			memcpy(buf + used, "../", 4);
			used += 3;
		}
	}
	if (snprintf(buf + used, len - used, "%s", to[common] == '/' ? to + common + 1 : to + common) >=
	    (int)(len - used))
		return -1;
	if (!buf[0])
		snprintf(buf, len, ".");
	else if (buf[strlen(buf) - 1] == '/')
		buf[strlen(buf) - 1] = '\0';
	return 0;
}

/*
 * Point OUT/LINK at RUNDIR/DIR with a relative symlink (it survives moving
 * the merged set together with its shards) and rewrite the record's dir to
 * LINK. out_real is the canonical path of OUT (its temporary name: same
 * parent, so the same relative path).
 */
static int relink(json_t *rec, const char *rundir, const char *out, const char *out_real, unsigned int shard)
{
	const char *d = json_string_value(json_object_get(rec, "dir"));
	char target[PATH_MAX], real[PATH_MAX], rel[PATH_MAX], link[PATH_MAX + 32], name[NAME_MAX];

	if (!d || !*d || strchr(d, '/'))
		return 0;
	snprintf(target, sizeof(target), "%s/%s", rundir, d);
	if (!realpath(target, real))
		return 0;	/* no directory (a skipped test): nothing to link */
	if (rel_path(rel, sizeof(rel), out_real, real)) {
		fprintf(stderr, "xenbounce merge: %s: path too long\n", real);
		return -1;
	}
	snprintf(name, sizeof(name), "s%u-%s", shard, d);
	snprintf(link, sizeof(link), "%s/%s", out, name);
	unlink(link);
	if (symlink(rel, link)) {
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

/* A test in merged order: by shard (1/N first), then as its shard ran them. */
struct ordered {
	json_t *t;
	unsigned int shard;
	size_t idx;
};

static int by_run_order(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;

	if (x->shard != y->shard)
		return x->shard < y->shard ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* "ok N name[ # ...]" or "not ok N ..." at column 0: its name, into name. */
static bool top_result(const char *l, size_t len, char *name, size_t nlen)
{
	const char *p = l, *end = l + len, *e;

	if (len >= 7 && !strncmp(l, "not ok ", 7))
		p += 7;
	else if (len >= 3 && !strncmp(l, "ok ", 3))
		p += 3;
	else
		return false;
	if (p >= end || !isdigit((unsigned char)*p))
		return false;
	while (p < end && isdigit((unsigned char)*p))
		p++;
	if (p < end && *p == ' ')
		p++;
	for (e = p; e < end && !(e + 3 <= end && !strncmp(e, " # ", 3)); e++)
		;
	snprintf(name, nlen, "%.*s", (int)(e - p), p);
	return true;
}

/* Append the lines [a, b) to the string at key in obj, each ending in a newline. */
static void add_lines(json_t *obj, const char *key, const char *a, const char *b, bool as_diag)
{
	const char *old = json_string_value(json_object_get(obj, key)) ?: "";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	fputs(old, f);
	while (a < b) {
		const char *nl = memchr(a, '\n', (size_t)(b - a)), *e = nl ? nl : b;

		fprintf(f, "%s%.*s\n", as_diag ? "# " : "", (int)(e - a), a);
		a = nl ? nl + 1 : b;
	}
	fclose(f);
	if (buf)
		json_object_set_new(obj, key, json_string(buf));
	free(buf);
}

/*
 * Split a shard's ktap.txt into its top-level tests: blocks[name] is every
 * line from after the previous test's result line to its own (its
 * diagnostics, its subtests). The header, plan and totals lines are left
 * out; lines after the last result (a test cut short) go to tails[sh], as
 * diagnostics.
 */
static void ktap_blocks(const char *text, const char *sh, json_t *blocks, json_t *tails)
{
	const char *p = text, *end = text + strlen(text), *bs = NULL;
	bool want_plan = false;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *next = nl ? nl + 1 : end;
		size_t len = (size_t)(le - p);
		char name[512];

		if (len >= 13 && !strncmp(p, "KTAP version ", 13)) {
			if (bs && bs < p)
				add_lines(tails, sh, bs, p, true);
			bs = next;
			want_plan = true;
		} else if (!bs) {
			/* console noise before the document */
		} else if (want_plan && len >= 3 && !strncmp(p, "1..", 3)) {
			bs = next;
			want_plan = false;
		} else if (len >= 9 && !strncmp(p, "# Totals:", 9)) {
			if (bs < p)
				add_lines(tails, sh, bs, p, true);
			bs = next;
		} else if (top_result(p, len, name, sizeof(name))) {
			json_object_del(blocks, name);
			add_lines(blocks, name, bs, next, false);
			bs = next;
			want_plan = false;
		} else {
			want_plan = false;
		}
		p = next;
	}
	if (bs && bs < end)
		add_lines(tails, sh, bs, end, true);
}

/* block with its last (result) line numbered n; malloc'd. */
static char *renumber(const char *block, unsigned int n)
{
	size_t len = strlen(block);
	const char *last = block + len - 1, *num;
	char *out = NULL;

	while (last > block && last[-1] != '\n')
		last--;
	num = last + (!strncmp(last, "not ok ", 7) ? 7 : 3);
	while (isdigit((unsigned char)*num))
		num++;
	if (asprintf(&out, "%.*s%s %u%s", (int)(last - block), block,
		     !strncmp(last, "not ok ", 7) ? "not ok" : "ok", n, num) < 0)
		return NULL;
	return out;
}

/*
 * Whether the shard's block is the test results.json records: it parses
 * as one KTAP test of that name whose line counts as its status does.
 * When not, why.
 */
static bool block_agrees(const char *block, const char *name, enum xb_status st, char *why, size_t wlen)
{
	char *one = renumber(block, 1), *doc = NULL, err[256] = "";
	struct ktap_doc d;
	bool ok = false;

	if (!one || asprintf(&doc, "KTAP version 1\n1..1\n%s", one) < 0) {
		free(one);
		snprintf(why, wlen, "out of memory");
		return false;
	}
	if (ktap_parse(doc, &d, err, sizeof(err))) {
		snprintf(why, wlen, "its block there does not parse: %s", err);
	} else {
		if (d.ntests != 1 || strcmp(d.tests[0].name ?: "", name))
			snprintf(why, wlen, "its block there is not one test of that name");
		else if (ktap_total_of(d.tests[0].status) != ktap_total_of(st))
			snprintf(why, wlen, "its line there says %s, results.json %s",
				 xb_status_name(d.tests[0].status), xb_status_name(st));
		else
			ok = true;
		ktap_doc_free(&d);
	}
	free(doc);
	free(one);
	return ok;
}

/*
 * The merged KTAP document: each test's block from its shard's ktap.txt,
 * renumbered; regenerated from results.json, with a line saying so, when
 * the shard's ktap.txt lacks it or disagrees. One totals line at the end.
 */
static char *merged_ktap(const json_t *doc, const enum xb_status *st, json_t *blocks, json_t *tails)
{
	const json_t *tests = json_object_get(doc, "tests");
	unsigned int tot[KTAP_T_COUNT] = { 0 };
	char *buf = NULL, line[160];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	json_t *t;
	const char *k;
	json_t *v;
	void *tmp;

	if (!f)
		return NULL;
	fprintf(f, "KTAP version 1\n1..%zu\n", json_array_size(tests));
	json_array_foreach(tests, i, t) {
		const char *name = json_string_value(json_object_get(t, "name")) ?: "";
		const char *sh = json_string_value(json_object_get(t, "shard")) ?: "";
		const char *b = json_string_value(json_object_get(blocks, name));
		char why[400], *text;

		tot[ktap_total_of(st[i])]++;
		if (b && block_agrees(b, name, st[i], why, sizeof(why))) {
			text = renumber(b, (unsigned int)i + 1);
		} else {
			if (!b)
				snprintf(why, sizeof(why), "it has no result line for it");
			fprintf(f, "# %s: not taken from shard %s's ktap.txt (%s): regenerated from results.json\n",
				name, *sh ? sh : "(none)", why);
			if (json_object_get(tails, sh)) {
				fprintf(f, "# shard %s's ktap.txt ended with these lines, no result after them:\n",
					*sh ? sh : "(none)");
				fputs(json_string_value(json_object_get(tails, sh)), f);
				json_object_del(tails, sh);
			}
			text = xb_ktap_test_block(t, (unsigned int)i + 1);
		}
		if (!text) {
			fclose(f);
			free(buf);
			return NULL;
		}
		fputs(text, f);
		free(text);
	}
	json_object_foreach_safe(tails, tmp, k, v) {
		fprintf(f, "# shard %s's ktap.txt ended with these lines, no result after them:\n%s",
			*k ? k : "(none)", json_string_value(v));
	}
	ktap_totals_format(line, sizeof(line), tot);
	fprintf(f, "# %s\n", line);
	fclose(f);
	return buf;
}

/* Remove a tree without following its symlinks (they point into the shards). */
static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
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
	json_t *merged = NULL, *tests = json_array(), *shards = json_array();
	json_t *blocks = json_object(), *tails = json_object();
	unsigned int nshards = 0, *seen = NULL, short_shards = 0, nmissing = 0;
	enum xb_status *st = NULL;
	struct ordered *v = NULL;
	char *ktap = NULL, *sum = NULL, outn[PATH_MAX], tmpdir[PATH_MAX + 16] = "", tmp_real[PATH_MAX];
	bool renamed = false;
	struct stat ost;
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
	/*
	 * Written into OUT.tmp-XXXXXX beside OUT, renamed to OUT when all is
	 * written: a failed merge leaves nothing. An OUT already there is an
	 * error and stays as it was.
	 */
	snprintf(outn, sizeof(outn), "%s", out);
	for (size_t l = strlen(outn); l > 1 && outn[l - 1] == '/'; l--)
		outn[l - 1] = '\0';
	if (!lstat(outn, &ost) || errno != ENOENT) {
		fprintf(stderr, "xenbounce merge: %s: %s\n", outn,
			errno == ENOENT || !errno ? "already exists (merge writes a new directory)" : strerror(errno));
		goto done;
	}
	snprintf(tmpdir, sizeof(tmpdir), "%s.tmp-XXXXXX", outn);
	if (!mkdtemp(tmpdir) || !realpath(tmpdir, tmp_real)) {
		fprintf(stderr, "xenbounce merge: %s: %s\n", tmpdir, strerror(errno));
		if (!strstr(tmpdir, "XXXXXX"))
			rmdir(tmpdir);
		tmpdir[0] = '\0';
		goto done;
	}
	{
		mode_t mask = umask(0);

		umask(mask);
		chmod(tmpdir, 0755 & ~mask);	/* mkdtemp's 0700: as mkdir 0755 would */
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
			snprintf(base, sizeof(base), "%s", outn);
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
		{
			/* Its ktap.txt, for each of its tests' KTAP block. */
			char kpath[PATH_MAX + 16], *text;
			json_t *own = json_object(), *tail = json_object();

			snprintf(kpath, sizeof(kpath), "%s/ktap.txt", dir);
			text = xb_read_file(kpath, NULL);
			if (text)
				ktap_blocks(text, sh ? sh : "", own, tail);
			else
				fprintf(stderr, "xenbounce merge: %s: %s: its tests' KTAP is regenerated from "
					"results.json\n", kpath, strerror(errno));
			free(text);
			json_array_foreach(json_object_get(doc, "tests"), i, t) {
				const char *name = json_string_value(json_object_get(t, "name")) ?: "";

				if (json_object_get(own, name))
					json_object_set(blocks, name, json_object_get(own, name));
			}
			json_object_update(tails, tail);
			json_decref(own);
			json_decref(tail);
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
			if (relink(t, dir, tmpdir, tmp_real, si)) {
				json_decref(doc);
				goto done;
			}
			json_array_foreach(json_object_get(t, "attempts"), a, att)
				relink(att, dir, tmpdir, tmp_real, si);
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
	/*
	 * One order for every merge of the same shards, whatever the order
	 * they are given in: shard 1/N's tests as it ran them, then 2/N's...
	 */
	nt = json_array_size(tests);
	v = calloc(nt ? nt : 1, sizeof(*v));
	st = calloc(nt ? nt : 1, sizeof(*st));
	if (!v || !st)
		goto done;
	for (size_t i = 0; i < nt; i++) {
		unsigned int si = 0, sn = 0;

		v[i].t = json_array_get(tests, i);
		v[i].idx = i;
		if (!xb_shard_parse(json_string_value(json_object_get(v[i].t, "shard")) ?: "", &si, &sn))
			v[i].shard = si;
	}
	qsort(v, nt, sizeof(*v), by_run_order);
	{
		json_t *sorted = json_array();

		for (size_t i = 0; i < nt; i++) {
			int s = xb_status_from_name(json_string_value(json_object_get(v[i].t, "status")) ?: "");

			st[i] = s < 0 ? XB_ERROR : (enum xb_status)s;
			json_array_append(sorted, v[i].t);
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
	ktap = merged_ktap(merged, st, blocks, tails);
	if (!ktap || xb_results_write_doc(tmpdir, merged, ktap, strlen(ktap))) {
		fprintf(stderr, "xenbounce merge: could not write %s\n", tmpdir);
		code = XB_EXIT_USAGE;
		goto done;
	}
	if (rename(tmpdir, outn)) {
		fprintf(stderr, "xenbounce merge: %s -> %s: %s\n", tmpdir, outn, strerror(errno));
		code = XB_EXIT_USAGE;
		goto done;
	}
	renamed = true;
	fputs(ktap, stdout);
	sum = xb_report_summary(merged);
	if (sum)
		fputs(sum, stderr);
	fprintf(stderr, "xenbounce merge: %zu tests from %d runs in %s\n", nt, nruns, outn);
done:
	if (tmpdir[0] && !renamed && nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS))
		fprintf(stderr, "xenbounce merge: could not remove %s: %s\n", tmpdir, strerror(errno));
	json_decref(blocks);
	json_decref(tails);
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
