// SPDX-License-Identifier: GPL-2.0
/* Deterministic, duration-balanced shards: see shard.h. */
#include "shard.h"

#include <stdlib.h>
#include <string.h>

/* Digits only (no sign, space or 0x), at most 4 of them. */
static int number(const char **p, unsigned int *v)
{
	unsigned int x = 0;
	int d = 0;

	while (**p >= '0' && **p <= '9' && d < 5) {
		x = x * 10 + (unsigned int)(**p - '0');
		(*p)++;
		d++;
	}
	*v = x;
	return d >= 1 && d <= 4 ? 0 : -1;
}

int xb_shard_parse(const char *s, unsigned int *i, unsigned int *n)
{
	unsigned int a, b;

	if (!s || number(&s, &a) || *s++ != '/' || number(&s, &b) || *s)
		return -1;
	if (a < 1 || b < 1 || a > b || b > XB_SHARD_MAX)
		return -1;
	*i = a;
	*n = b;
	return 0;
}

struct item {
	const char *name;
	double w;
	size_t k;
};

static int by_weight(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;

	if (a->w != b->w)
		return a->w > b->w ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int by_value(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return a < b ? -1 : a > b;
}

int xb_shard_assign(const char *const *names, const double *dur, size_t n, unsigned int nshards,
		    unsigned int *shard_of)
{
	struct item *it = calloc(n ? n : 1, sizeof(*it));
	double *known = calloc(n ? n : 1, sizeof(*known));
	double *load = calloc(nshards ? nshards : 1, sizeof(*load));
	double fill = 1.0;
	size_t nk = 0;

	if (!it || !known || !load || !nshards) {
		free(it);
		free(known);
		free(load);
		return -1;
	}
	for (size_t k = 0; dur && k < n; k++)
		if (dur[k] >= 0)
			known[nk++] = dur[k];
	if (nk) {
		qsort(known, nk, sizeof(*known), by_value);
		fill = nk % 2 ? known[nk / 2] : (known[nk / 2 - 1] + known[nk / 2]) / 2;
	}
	for (size_t k = 0; k < n; k++) {
		it[k].name = names[k];
		it[k].w = dur && dur[k] >= 0 ? dur[k] : fill;
		it[k].k = k;
	}
	qsort(it, n, sizeof(*it), by_weight);
	for (size_t j = 0; j < n; j++) {
		unsigned int best = 0;

		for (unsigned int s = 1; s < nshards; s++)
			if (load[s] < load[best])
				best = s;
		load[best] += it[j].w;
		shard_of[it[j].k] = best;
	}
	free(it);
	free(known);
	free(load);
	return 0;
}

bool xb_shard_finished(const json_t *doc, int *exit_code)
{
	const json_t *c = json_object_get(doc, "exit_code");

	*exit_code = json_is_integer(c) ? (int)json_integer_value(c) : -1;
	return json_is_integer(c) && *exit_code != 130;
}

/* Add name to out (once, in order) unless tests records it; the journal's last word wins. */
static int note(json_t *out, json_t *seen, const json_t *recorded, const char *name, size_t len,
		const char *journal)
{
	json_t *m;
	char *n = strndup(name, len);
	int ret = 0;

	if (!n)
		return -1;
	m = json_object_get(seen, n);
	if (m) {
		if (strcmp(journal, "none"))
			json_object_set_new(m, "journal", json_string(journal));
	} else if (*n && !json_object_get(recorded, n)) {
		m = json_pack("{s:s, s:s}", "name", n, "journal", journal);
		if (!m || json_object_set(seen, n, m) || json_array_append_new(out, m))
			ret = -1;
	}
	free(n);
	return ret;
}

json_t *xb_shard_missing(const json_t *doc, const char *journal)
{
	json_t *out = json_array(), *seen = json_object(), *recorded = json_object(), *t;
	int bad = !out || !seen || !recorded;
	size_t i;

	json_array_foreach(json_object_get(doc, "tests"), i, t) {
		const char *name = json_string_value(json_object_get(t, "name"));

		if (name && !bad)
			bad = json_object_set(recorded, name, json_true());
	}
	json_array_foreach(json_object_get(json_object_get(doc, "meta"), "planned"), i, t) {
		const char *name = json_string_value(t);

		if (name && !bad)
			bad = note(out, seen, recorded, name, strlen(name), "none");
	}
	/* Journal lines: "start NAME" and "end NAME STATUS SECONDS". */
	for (const char *p = journal; p && *p && !bad;) {
		const char *nl = strchr(p, '\n'), *e = nl ? nl : p + strlen(p);

		if (!strncmp(p, "start ", 6))
			bad = note(out, seen, recorded, p + 6, (size_t)(e - p - 6), "started");
		else if (!strncmp(p, "end ", 4))
			bad = note(out, seen, recorded, p + 4, strcspn(p + 4, " \n"), "ended");
		p = nl ? nl + 1 : e;
	}
	json_decref(seen);
	json_decref(recorded);
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}
