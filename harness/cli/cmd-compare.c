// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "core/compare.h"
#include "core/status.h"

static void print_list(const json_t *r, const char *key, const char *title)
{
	const json_t *l = json_object_get(r, key);
	size_t i;
	json_t *e;

	if (!json_array_size(l))
		return;
	printf("%s:\n", title);
	json_array_foreach(l, i, e) {
		const char *reason = json_string_value(json_object_get(e, "reason"));
		char *before = json_dumps(json_object_get(e, "before"), JSON_ENCODE_ANY | JSON_COMPACT);
		char *after = json_dumps(json_object_get(e, "after"), JSON_ENCODE_ANY | JSON_COMPACT);
		const char *label = json_string_value(json_object_get(e, "test"));

		if (!label)
			label = json_string_value(json_object_get(e, "field"));
		if (json_object_get(e, "what"))
			printf("  %s: %s: %s -> %s\n", label, json_string_value(json_object_get(e, "what")),
			       before ? before : "-", after ? after : "-");
		else
			printf("  %s: %s -> %s%s%s\n", label, before ? before : "-", after ? after : "-",
			       reason && *reason ? "  # " : "", reason && *reason ? reason : "");
		free(before);
		free(after);
	}
}

static int compare_main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "table", no_argument, NULL, 't' },
		{ "allow-missing", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool as_json = false, as_table = false, allow_missing = false;
	json_t *a, *b, *r;
	char err[1024];
	int c, code;

	while ((c = getopt_long(argc, argv, "jth", opts, NULL)) != -1) {
		if (c == 'm') {
			allow_missing = true;
			continue;
		}
		if (c == 'j' || c == 't') {
			*(c == 'j' ? &as_json : &as_table) = true;
			continue;
		}
		fprintf(c == 'h' ? stdout : stderr,
			"Usage: xenbounce compare [--json | --table] [--allow-missing] RUN_A RUN_B\n"
			"Compare two runs (results.json, a run directory or a lab directory):\n"
			"status changes, evidence deltas, environment differences.\n"
			"--table: both runs side by side in markdown, one row per test (status,\n"
			"  [expect MODE] applied, finding kinds), columns named by dom0 mode:\n"
			"  a PV and a PVH run of one suite, for a qualification report.\n"
			"--allow-missing: tests of RUN_A absent from RUN_B are listed, not an\n"
			"  error (the suites differ on purpose).\n"
			"Exit: 0 no new failure, 1 new failures (a test that was ok is not, or a\n"
			"new test that is not ok) or tests of RUN_A missing from RUN_B,\n"
			"2 usage or unreadable results.\n");
		return c == 'h' ? 0 : XB_EXIT_USAGE;
	}
	if (as_json && as_table) {
		fprintf(stderr, "xenbounce compare: --json and --table exclude each other\n");
		return XB_EXIT_USAGE;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "xenbounce compare: need RUN_A and RUN_B\n");
		return XB_EXIT_USAGE;
	}
	a = xb_results_load(argv[optind], err, sizeof(err));
	if (!a) {
		fprintf(stderr, "xenbounce compare: %s\n", err);
		return XB_EXIT_USAGE;
	}
	b = xb_results_load(argv[optind + 1], err, sizeof(err));
	if (!b) {
		fprintf(stderr, "xenbounce compare: %s\n", err);
		json_decref(a);
		return XB_EXIT_USAGE;
	}
	r = xb_compare(a, b);
	code = xb_compare_exit(r, allow_missing);
	if (as_table) {
		char *s = xb_compare_table(a, b);

		fputs(s ? s : "", stdout);
		free(s);
	} else if (as_json) {
		char *s = json_dumps(r, JSON_INDENT(1) | JSON_SORT_KEYS);

		puts(s ? s : "{}");
		free(s);
	} else {
		printf("%s -> %s: %zu new failures, %zu unexpected passes, %zu flaky, %zu known failures, "
		       "%zu fixes, %zu new skips, %zu other changes, %zu added, %zu removed\n",
		       argv[optind], argv[optind + 1], json_array_size(json_object_get(r, "new_failures")),
		       json_array_size(json_object_get(r, "unexpected_passes")),
		       json_array_size(json_object_get(r, "flaky")),
		       json_array_size(json_object_get(r, "known_failures")),
		       json_array_size(json_object_get(r, "fixes")), json_array_size(json_object_get(r, "new_skips")),
		       json_array_size(json_object_get(r, "changed")), json_array_size(json_object_get(r, "added")),
		       json_array_size(json_object_get(r, "removed")));
		print_list(r, "new_failures", "new failures");
		print_list(r, "unexpected_passes", "unexpected passes");
		print_list(r, "flaky", "flaky");
		print_list(r, "known_failures", "known failures");
		print_list(r, "fixes", "fixes");
		print_list(r, "new_skips", "new skips");
		print_list(r, "changed", "other status changes");
		print_list(r, "added", "added");
		print_list(r, "removed", "removed");
		print_list(r, "evidence", "evidence");
		print_list(r, "environment", "environment");
	}
	if (!allow_missing && json_array_size(json_object_get(r, "removed"))) {
		size_t i;
		json_t *e;

		/* stderr: stdout may be JSON or a table. */
		fprintf(stderr, "xenbounce compare: %zu test(s) of %s missing from %s (a run cut short? "
			"--allow-missing if the suites differ on purpose):", json_array_size(json_object_get(r, "removed")),
			argv[optind], argv[optind + 1]);
		json_array_foreach(json_object_get(r, "removed"), i, e)
			fprintf(stderr, " %s", json_string_value(json_object_get(e, "test")));
		fputc('\n', stderr);
	}
	json_decref(r);
	json_decref(a);
	json_decref(b);
	return code;
}

const struct xb_cmd xb_cmd_compare = {
	"compare", compare_main, "compare two runs: status changes, evidence and environment deltas",
};
