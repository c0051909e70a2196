// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "evidence/evidence.h"
#include "runner/fault.h"
#include "runner/runner.h"
#include "runner/scenario.h"
#include "core/expect.h"
#include "core/report.h"
#include "core/results.h"
#include "core/shard.h"
#include "core/status.h"
#include "core/util.h"
#include "userspace/workload.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: xenbounce run [OPTIONS] [FILE|DIR]...\n"
		"Run scenario files (DIR: every *.ini in it, sorted); default: scenarios/.\n\n"
		"Options:\n"
		"  -l, --list          list the scenarios and exit\n"
		"  -f, --filter GLOB   only scenarios whose name matches GLOB (repeatable)\n"
		"  -s, --seed N        seed for every scenario (default: the scenario's)\n"
		"  -r, --results DIR   results root (default: results); a run goes in DIR/RUN-ID\n"
		"      --results-dir D write this run into exactly D (refused when D holds\n"
		"                      files: --resume D continues that run, --force replaces it)\n"
		"      --force         with --results-dir: remove the earlier run in D first\n"
		"      --require LIST  what the whole run needs (root, xen, xen_pv, bare, kmod,\n"
		"                      edu, iommu, iommu_strict, amdgpu, dom0): on a machine without\n"
		"                      one every test is an ERROR, not a SKIP\n"
		"  -t, --timeout S     per-scenario timeout in seconds (default: the scenario's)\n"
		"  -n, --dry-run       parse, check and show what would run; run nothing\n"
		"  -b, --bisect        exit 0 good, 1 bad, 125 untestable (git bisect run)\n"
		"  -q, --quiet         no progress on stderr\n"
		"  -d, --device BDF    the GPU to use (PCI address, e.g. 0000:03:00.0)\n"
		"      --resume DIR    continue the run in DIR after a crash: finished tests\n"
		"                      stay, the one that was running becomes incomplete\n"
		"      --console-tail F the console before the crash, kept with that test\n"
		"  -e, --expectations F known failures, flakes and skips (INI; see README)\n"
		"      --shard I/N     run only shard I of N (deterministic, by name)\n"
		"      --durations R   balance shards by the durations in results.json R\n"
		"  -h, --help          this text\n\n"
		"Exit: 0 all passed, 1 a failure, 2 usage or scenario error, 4 all skipped,\n"
		"130 interrupted; with --bisect 0 good, 1 bad, 125 untestable, 128 usage error\n"
		"(aborts git bisect run).\n");
}

struct list {
	char **v;
	size_t n;
};

static int add_path(struct list *l, const char *p)
{
	char **nv = realloc(l->v, (l->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	l->v = nv;
	l->v[l->n] = strdup(p);
	return l->v[l->n++] ? 0 : -ENOMEM;
}

static int expand(struct list *files, const char *arg)
{
	struct stat st;
	struct dirent **ents;
	int n, ret = 0;

	if (stat(arg, &st)) {
		fprintf(stderr, "xenbounce run: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return add_path(files, arg);
	n = scandir(arg, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "xenbounce run: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(ents[i]->d_name);
		char path[4096];

		if (!ret && len > 4 && !strcmp(ents[i]->d_name + len - 4, ".ini") &&
		    !xb_path(path, sizeof(path), "%s/%s", arg, ents[i]->d_name))
			ret = add_path(files, path);
		free(ents[i]);
	}
	free(ents);
	return ret;
}

/* "pass" or the outcome kinds, comma-separated. */
static void print_outcome(unsigned int set)
{
	char kinds[256];

	xb_kinds_format(set, kinds, sizeof(kinds));
	printf("%s", set & XB_EXPECT_PASS ? "pass" : kinds);
}

/* An expectations entry's environment globs (kernel = ... firmware =), or "". */
static void entry_env(const struct xb_expect_entry *e, char *buf, size_t len)
{
	const struct { const char *key, *glob; } g[] = {
		{ "kernel", e->kernel }, { "xen", e->xen }, { "dom0", e->dom0 }, { "gpu", e->gpu },
		{ "firmware", e->firmware },
	};
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < XB_ARRAY_SIZE(g) && off < len; i++)
		if (g[i].glob[0])
			off += (size_t)snprintf(buf + off, len - off, "%s%s %s", off ? ", " : "",
						g[i].key, g[i].glob);
}

/*
 * Each expectations entry for this scenario (or one of its steps), and
 * whether it applies on this machine: its environment globs match here,
 * and no earlier entry of its kind takes the test first.
 */
static void dry_run_expectations(const struct xb_scenario *sc, const struct xb_run_opts *o,
				 const struct xb_expect_facts *facts)
{
	for (size_t i = 0; o->expect && i < o->expect->n; i++) {
		const struct xb_expect_entry *e = &o->expect->e[i];
		struct xb_expectations alone = { (struct xb_expect_entry *)e, 1 };
		const struct xb_expect_entry *won = NULL;
		bool env_here = false, any_step = !e->step[0];
		char kinds[256] = "", env[512];

		if (fnmatch(e->test, sc->name, 0))
			continue;
		if (e->step[0]) {
			for (size_t w = 0; w < sc->nwl; w++) {
				const char *wl = sc->wl[w].name;
				const struct xb_expect_entry *m;

				if (fnmatch(e->step, wl, 0))
					continue;
				any_step = true;
				env_here |= xb_expect_match(&alone, e->kind, sc->name, wl, facts) != NULL;
				m = xb_expect_match(o->expect, e->kind, sc->name, wl, facts);
				if (!won || m == e)
					won = m;
			}
		} else {
			env_here = xb_expect_match(&alone, e->kind, sc->name, NULL, facts) != NULL;
			won = xb_expect_match(o->expect, e->kind, sc->name, NULL, facts);
		}
		if (!any_step)
			continue;
		if (e->kinds)
			xb_kinds_format(e->kinds, kinds, sizeof(kinds));
		entry_env(e, env, sizeof(env));
		printf("  expectation %s %s", xb_expect_kind_name(e->kind), e->where);
		if (e->step[0])
			printf(" (step %s)", e->step);
		if (e->kind == XB_EXP_FLAKY)
			printf(", up to %u attempts", e->attempts);
		if (kinds[0])
			printf(", kinds %s", kinds);
		printf(": %s; ", e->reason);
		if (!env_here)
			printf("not on this machine (%s)\n", env);
		else if (won != e && won)
			printf("not used: %s comes first\n", won->where);
		else
			printf("applies here%s%s%s\n", env[0] ? " (" : "", env, env[0] ? ")" : "");
	}
}

static void dry_run(const struct xb_scenario *sc, const struct xb_run_opts *o,
		    const struct xb_expect_facts *facts)
{
	const struct xb_fault *f = &sc->fault;
	const struct xb_expect_entry *sk = xb_expect_match(o->expect, XB_EXP_SKIP, sc->name, NULL,
							   facts);
	char why[256];

	printf("%s (%s): timeout %llus, seed %s%llu\n", sc->name, sc->path,
	       (unsigned long long)(o->timeout_s ? o->timeout_s : sc->timeout_s),
	       o->seed_set || sc->seed_set ? "" : "from name, ",
	       (unsigned long long)xb_scenario_seed(sc, o));
	if (f->pool_pages)
		printf("  fault: pool of %llu pages%s\n", (unsigned long long)f->pool_pages,
		       f->pool_shuffle ? ", machine frames shuffled" : "");
	if (f->scramble_mib)
		printf("  fault: scramble %llu MiB of free memory\n", (unsigned long long)f->scramble_mib);
	if (f->scramble_blocks)
		printf("  fault: every free 2 MiB block made machine-discontiguous\n");
	if (f->scramble_misalign)
		printf("  fault: every free 4 MiB block's lower 2 MiB machine-contiguous on an odd frame\n");
	if (f->scramble_split)
		printf("  fault: every free 4 MiB block's upper 2 MiB machine frames permuted, the lower half kept\n");
	if (f->reserve_mode)
		printf("  fault: swiotlb reserve %s=%llu\n",
		       f->reserve_mode == XB_RESERVE_FREE ? "free" :
		       f->reserve_mode == XB_RESERVE_SLOTS ? "slots" :
		       f->reserve_mode == XB_RESERVE_HOLE ? "hole" : "fragment",
		       (unsigned long long)f->reserve_value);
	for (size_t i = 0; i < sc->nwl; i++)
		printf("  workload %s: driver %s%s%s, %zu sizes x %zu offsets x %llu iterations\n",
		       sc->wl[i].name, sc->wl[i].driver->name, sc->wl[i].path ? ", path " : "",
		       sc->wl[i].path ? xb_path_name(sc->wl[i].path) : "", sc->wl[i].sizes.n,
		       sc->wl[i].offsets.n ? sc->wl[i].offsets.n : 1,
		       (unsigned long long)sc->wl[i].iterations);
	printf("  expect%s%s: ", sc->expect_mode[0] ? " " : "", sc->expect_mode);
	print_outcome(sc->expect ? sc->expect : XB_EXPECT_PASS);
	printf("\n");
	for (int m = 0; m < XB_DOM0_NMODES; m++) {
		const struct xb_mode_expect *me = &sc->mode_expect[m];

		if (!me->present || !strcmp(sc->expect_mode, xb_dom0_mode_name((enum xb_dom0_mode)m)))
			continue;
		printf("  expect %s (not this dom0): ", xb_dom0_mode_name((enum xb_dom0_mode)m));
		print_outcome(me->expect_set ? me->expect : sc->expect ? sc->expect : XB_EXPECT_PASS);
		printf("\n");
	}
	/* What the run would decide before the first step, in the runner's order. */
	if (sk)
		printf("  would skip: expectations (%s): %s\n", sk->where, sk->reason);
	else if (xb_env_check(o->require, why, sizeof(why)))
		printf("  would be an error: run --require: %s\n", why);
	else if (xb_env_check(sc->requires, why, sizeof(why)))
		printf("  would skip: %s\n", why);
	else
		printf("  would run here\n");
	dry_run_expectations(sc, o, facts);
}

/*
 * An expectations entry that no scenario given to run (before --filter and
 * --shard) can use is a mistake (a renamed test, a typo in a glob): its
 * test glob matches no scenario, or its step glob no workload of those it
 * matches. 0, or -1 with each such entry named.
 */
static int expectations_used(const struct xb_expectations *x, const struct xb_scenario *scs,
			     size_t n)
{
	int ret = 0;

	for (size_t i = 0; i < x->n; i++) {
		const struct xb_expect_entry *e = &x->e[i];
		bool test = false, step = !e->step[0];
		char wls[512] = "";
		size_t off = 0;

		for (size_t k = 0; k < n; k++) {
			if (fnmatch(e->test, scs[k].name, 0))
				continue;
			test = true;
			for (size_t w = 0; w < scs[k].nwl; w++) {
				step |= e->step[0] && !fnmatch(e->step, scs[k].wl[w].name, 0);
				if (off < sizeof(wls))
					off += (size_t)snprintf(wls + off, sizeof(wls) - off, "%s%s",
								off ? ", " : "", scs[k].wl[w].name);
			}
		}
		if (!test)
			fprintf(stderr, "xenbounce run: %s: [%s %s] matches none of the %zu scenarios given\n",
				e->where, xb_expect_kind_name(e->kind), e->test, n);
		else if (!step)
			fprintf(stderr, "xenbounce run: %s: [%s %s] step = %s matches no workload of its tests (%s)\n",
				e->where, xb_expect_kind_name(e->kind), e->test, e->step, wls);
		if (!test || !step)
			ret = -1;
	}
	return ret;
}

/* Recorded durations by test name, from a results.json (or its run directory). */
static json_t *load_durations(const char *path)
{
	char file[4096];
	struct stat st;
	json_error_t je;
	json_t *doc, *out, *t;
	size_t i;

	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		snprintf(file, sizeof(file), "%s/results.json", path);
	else
		snprintf(file, sizeof(file), "%s", path);
	doc = json_load_file(file, 0, &je);
	if (!doc || !json_is_array(json_object_get(doc, "tests"))) {
		fprintf(stderr, "xenbounce run: --durations %s: %s\n", file,
			doc ? "not a results.json (no tests array)" : je.text);
		json_decref(doc);
		return NULL;
	}
	out = json_object();
	json_array_foreach(json_object_get(doc, "tests"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));
		json_t *d = json_object_get(t, "duration_s");

		if (name && json_is_number(d))
			json_object_set_new(out, name, json_real(json_number_value(d)));
	}
	json_decref(doc);
	return out;
}

/* Keep only this shard's scenarios, in their order. */
static int pick_shard(struct xb_scenario *scs, size_t *nsc, unsigned int i, unsigned int n,
		      const char *durations)
{
	const char **names = calloc(*nsc, sizeof(*names));
	double *dur = calloc(*nsc, sizeof(*dur));
	unsigned int *of = calloc(*nsc, sizeof(*of));
	json_t *d = durations ? load_durations(durations) : NULL;
	size_t kept = 0;
	int ret = -1;

	if (!names || !dur || !of || (durations && !d))
		goto out;
	for (size_t k = 0; k < *nsc; k++) {
		json_t *v = json_object_get(d, scs[k].name);

		names[k] = scs[k].name;
		dur[k] = json_is_number(v) ? json_number_value(v) : -1;
	}
	if (xb_shard_assign(names, d ? dur : NULL, *nsc, n, of))
		goto out;
	for (size_t k = 0; k < *nsc; k++)
		if (of[k] == i - 1)
			memmove(&scs[kept++], &scs[k], sizeof(scs[k]));
	*nsc = kept;
	ret = 0;
out:
	free(names);
	free(dur);
	free(of);
	json_decref(d);
	return ret;
}

/* --require LIST: the names scenario files use in requires =. */
static int parse_require(const char *list, unsigned int *req)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned int bit = xb_require_from_name(xb_trim(tok));

		if (!bit) {
			fprintf(stderr, "xenbounce run: --require: unknown \"%s\" (root, xen, xen_pv, bare, kmod, edu, iommu, iommu_strict, amdgpu, dom0)\n",
				tok);
			return -1;
		}
		*req |= bit;
	}
	if (!*req) {
		fprintf(stderr, "xenbounce run: --require: give a list (root, xen, xen_pv, bare, kmod, edu, iommu, iommu_strict, amdgpu, dom0)\n");
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (ftw->level == 0)
		return 0;	/* the directory itself stays */
	if (remove(path)) {
		fprintf(stderr, "xenbounce run: --force: could not remove %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * --results-dir D must not mix a new run into an old one: a D that holds
 * files is refused, or with --force emptied, and only when it is a run
 * (a journal or results.json): --force never empties another directory.
 */
static int results_dir_ready(const char *dir, bool force)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true, run = false;
	char path[4200];

	if (!d)
		return 0;	/* missing (created later) or not a directory (refused later) */
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		empty = false;
		run |= !strcmp(e->d_name, "journal") || !strcmp(e->d_name, "results.json");
	}
	closedir(d);
	if (empty)
		return 0;
	if (!force) {
		fprintf(stderr, "xenbounce run: --results-dir %s is not empty%s: --resume %s continues that run, --force replaces it, or choose another directory; nothing changed\n",
			dir, run ? " (it holds a run)" : "", dir);
		return -1;
	}
	if (!run) {
		fprintf(stderr, "xenbounce run: --force: %s holds files but no xenbounce run (no journal or results.json): not removing them; nothing changed\n",
			dir);
		return -1;
	}
	snprintf(path, sizeof(path), "%s", dir);
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS))
		return -1;
	fprintf(stderr, "xenbounce run: --force: removed the earlier run in %s\n", dir);
	return 0;
}

/* The short options, read twice: once for --bisect, then for real. */
#define RUN_OPTSTRING "lf:s:r:t:nbqd:he:"

static int run_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "filter", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "results", required_argument, NULL, 'r' },
		{ "results-dir", required_argument, NULL, 'R' },
		{ "timeout", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "bisect", no_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "device", required_argument, NULL, 'd' },
		{ "resume", required_argument, NULL, 'U' },
		{ "console-tail", required_argument, NULL, 'C' },
		{ "expectations", required_argument, NULL, 'e' },
		{ "shard", required_argument, NULL, 'S' },
		{ "durations", required_argument, NULL, 'D' },
		{ "force", no_argument, NULL, 'F' },
		{ "require", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xb_run_opts o = { .results_root = "results", .ktap_out = stdout,
				 .progress = isatty(2) };
	struct list files = { 0 }, filters = { 0 };
	struct xb_scenario *scs = NULL;
	bool *keep = NULL;
	size_t nsc = 0, nparsed = 0;
	bool list = false, dry = false, bad = false;
	int c, code = XB_EXIT_USAGE;
	struct xb_expectations expect = { 0 };
	const char *expect_path = NULL, *shard = NULL, *durations = NULL;
	unsigned int shard_i = 0, shard_n = 0;
	char results[4096] = "";
	bool force = false;

	/*
	 * Under --bisect every usage error must stop git bisect (128), also
	 * one that comes before -b on the command line: look for it first.
	 */
	opterr = 0;
	while ((c = getopt_long(argc, argv, RUN_OPTSTRING, opts, NULL)) != -1)
		if (c == 'b')
			o.bisect = true;
	opterr = 1;
	optind = 0;
	while ((c = getopt_long(argc, argv, RUN_OPTSTRING, opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			list = true;
			break;
		case 'f':
			if (add_path(&filters, optarg))
				goto out;
			break;
		case 's':
			if (xb_parse_u64(optarg, 0, XB_SEED_MAX, &o.seed)) {
				fprintf(stderr, "xenbounce run: --seed %s: a number from 0 to %llu\n", optarg,
					XB_SEED_MAX);
				goto out;
			}
			o.seed_set = true;
			break;
		case 'r':
			o.results_root = optarg;
			break;
		case 'R':
			o.results_dir = optarg;
			break;
		case 't':
			if (xb_parse_u64(optarg, 1, 86400, &o.timeout_s)) {
				fprintf(stderr, "xenbounce run: --timeout %s: seconds, 1-86400\n", optarg);
				goto out;
			}
			break;
		case 'n':
			dry = true;
			break;
		case 'U':
			o.resume = true;
			o.results_dir = optarg;
			break;
		case 'C':
			o.console_tail = optarg;
			break;
		case 'e':
			expect_path = optarg;
			break;
		case 'S':
			if (xb_shard_parse(optarg, &shard_i, &shard_n)) {
				fprintf(stderr, "xenbounce run: --shard %s: I/N with 1 <= I <= N <= %d\n", optarg,
					XB_SHARD_MAX);
				goto out;
			}
			shard = optarg;
			break;
		case 'D':
			durations = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'Q':
			if (parse_require(optarg, &o.require))
				goto out;
			break;
		case 'b':
			o.bisect = true;
			break;
		case 'q':
			o.progress = false;
			break;
		case 'd': {
			unsigned int dom, bus, dev, fn;
			char end;

			if (sscanf(optarg, "%4x:%2x:%2x.%1u%c", &dom, &bus, &dev, &fn, &end) != 4 ||
			    strlen(optarg) != 12 || dev > 0x1f || fn > 7) {
				fprintf(stderr, "xenbounce run: --device %s: a PCI address like 0000:03:00.0\n", optarg);
				goto out;
			}
			/* Workload drivers (amdgpu) read it in their child. */
			setenv("XENBOUNCE_AMDGPU_DEVICE", optarg, 1);
			break;
		}
		case 'h':
			help(stdout);
			code = 0;
			goto out;
		default:
			help(stderr);
			goto out;
		}
	}
	{
		char err[512];

		if (xb_evidence_check_names(getenv("XENBOUNCE_COLLECTORS"), err, sizeof(err))) {
			fprintf(stderr, "xenbounce run: XENBOUNCE_COLLECTORS: %s\n", err);
			goto out;
		}
	}
	if (optind == argc && expand(&files, "scenarios"))
		goto out;
	for (int i = optind; i < argc; i++)
		if (expand(&files, argv[i]))
			goto out;
	scs = calloc(files.n ? files.n : 1, sizeof(*scs));
	keep = calloc(files.n ? files.n : 1, sizeof(*keep));
	if (!scs || !keep)
		goto out;
	/*
	 * Parse everything first: one bad file and nothing runs. Every file's
	 * scenario is kept until the expectations are checked against them.
	 */
	for (size_t i = 0; i < files.n; i++) {
		char err[1024];

		if (xb_scenario_parse(files.v[i], &scs[nparsed], err, sizeof(err))) {
			fprintf(stderr, "xenbounce run: %s\n", err);
			bad = true;
			continue;
		}
		keep[nparsed] = filters.n == 0;
		for (size_t k = 0; k < filters.n; k++)
			keep[nparsed] |= fnmatch(filters.v[k], scs[nparsed].name, 0) == 0;
		for (size_t k = 0; keep[nparsed] && k < nparsed; k++) {
			if (keep[k] && !strcmp(scs[k].name, scs[nparsed].name)) {
				fprintf(stderr, "xenbounce run: %s: scenario name %s also used by %s\n",
					files.v[i], scs[nparsed].name, scs[k].path);
				bad = true;
			}
		}
		nparsed++;
	}
	if (bad)
		goto out;
	if (durations && !shard) {
		fprintf(stderr, "xenbounce run: --durations only balances --shard\n");
		goto out;
	}
	if (expect_path) {
		char err[1024];

		if (xb_expect_parse(expect_path, &expect, err, sizeof(err))) {
			fprintf(stderr, "xenbounce run: %s\n", err);
			goto out;
		}
		if (expectations_used(&expect, scs, nparsed))
			goto out;
		o.expect = &expect;
	}
	/* The scenarios --filter keeps, in their order. */
	for (size_t i = 0; i < nparsed; i++) {
		if (!keep[i])
			continue;
		if (i != nsc)
			memmove(&scs[nsc], &scs[i], sizeof(scs[i]));
		nsc++;
	}
	/* [expect MODE]: what this dom0 mode should see. */
	for (size_t i = 0; i < nsc; i++)
		xb_scenario_apply_mode(&scs[i], xb_env_dom0_mode());
	if (shard && nsc && pick_shard(scs, &nsc, shard_i, shard_n, durations))
		goto out;
	o.shard = shard;
	if (nsc == 0 && shard) {
		fprintf(stderr, "xenbounce run: shard %s has no tests\n", shard);
	} else if (nsc == 0) {
		fprintf(stderr, "xenbounce run: no scenarios to run\n");
		goto out;
	}
	if (list) {
		for (size_t i = 0; i < nsc; i++)
			printf("%-36s %s\n", scs[i].name, scs[i].description);
		code = 0;
		goto out;
	}
	if (dry) {
		struct xb_expect_facts facts = { 0 };

		/* The facts an expectations file's environment globs are matched on. */
		if (o.expect) {
			json_t *fp = xb_env_fingerprint();

			xb_expect_facts_from(fp, &facts);
			json_decref(fp);
		}
		for (size_t i = 0; i < nsc; i++)
			dry_run(&scs[i], &o, &facts);
		code = 0;
		goto out;
	}
	if (force && (!o.results_dir || o.resume)) {
		fprintf(stderr, "xenbounce run: --force goes with --results-dir (not --resume)\n");
		goto out;
	}
	if (o.results_dir && !o.resume && results_dir_ready(o.results_dir, force))
		goto out;
	code = xb_run(scs, nsc, &o, results, sizeof(results));
	if (results[0]) {
		char path[4200];
		json_t *doc;
		char *sum;

		/* The summary leads with new failures (stderr: stdout is KTAP). */
		snprintf(path, sizeof(path), "%s/results.json", results);
		doc = json_load_file(path, 0, NULL);
		sum = doc ? xb_report_summary(doc) : NULL;
		if (sum)
			fputs(sum, stderr);
		free(sum);
		json_decref(doc);
		fprintf(stderr, "xenbounce run: results in %s\n", results);
	}
out:
	/* A broken command line must stop a bisection, not mark a commit. */
	if (o.bisect && code == XB_EXIT_USAGE)
		code = XB_EXIT_BISECT_ABORT;
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	for (size_t i = 0; i < filters.n; i++)
		free(filters.v[i]);
	free(filters.v);
	free(scs);
	free(keep);
	xb_expect_free(&expect);
	return code;
}

const struct xb_cmd xb_cmd_run = { "run", run_main, "run scenario files, print KTAP, write results/" };
