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
