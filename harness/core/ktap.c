// SPDX-License-Identifier: GPL-2.0
#include "ktap.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Totals */

enum ktap_total ktap_total_of(enum xb_status s)
{
	switch (s) {
	case XB_PASS:
	case XB_FLAKY:
		return KTAP_T_PASS;
	case XB_SKIP:
		return KTAP_T_SKIP;
	case XB_XFAIL:
		return KTAP_T_XFAIL;
	case XB_XPASS:
		return KTAP_T_XPASS;
	case XB_FAIL:
	case XB_TIMEOUT:
		return KTAP_T_FAIL;
	case XB_ERROR:
	case XB_CRASH:
	case XB_INCOMPLETE:
	default:
		return KTAP_T_ERROR;
	}
}

void ktap_totals_format(char *buf, size_t len, const unsigned int t[KTAP_T_COUNT])
{
	snprintf(buf, len, "Totals: pass:%u fail:%u xfail:%u xpass:%u skip:%u error:%u",
		 t[KTAP_T_PASS], t[KTAP_T_FAIL], t[KTAP_T_XFAIL], t[KTAP_T_XPASS], t[KTAP_T_SKIP],
		 t[KTAP_T_ERROR]);
}

/* Writer */

void ktap_init(struct ktap_writer *w, FILE *a, FILE *b)
{
	memset(w, 0, sizeof(*w));
	w->sink[0] = a;
	w->sink[1] = b;
}

static void emit(struct ktap_writer *w, const char *line)
{
	for (int i = 0; i < KTAP_MAX_SINKS; i++) {
		if (!w->sink[i])
			continue;
		fprintf(w->sink[i], "%*s%s\n", 2 * w->depth, "", line);
		fflush(w->sink[i]);
	}
}

/* The totals line, once, at the top level. */
static void totals(struct ktap_writer *w)
{
	char buf[128];

	if (w->totals_done || w->depth)
		return;
	w->totals_done = true;
	ktap_totals_format(buf, sizeof(buf), w->totals);
	ktap_diag(w, "%s", buf);
}

void ktap_header(struct ktap_writer *w, unsigned int plan)
{
	char buf[32];

	w->next[w->depth] = 1;
	emit(w, "KTAP version 1");
	snprintf(buf, sizeof(buf), "1..%u", plan);
	emit(w, buf);
	if (w->depth == 0) {
		w->plan = plan;
		w->have_plan = true;
		w->totals_done = false;
		memset(w->totals, 0, sizeof(w->totals));
		if (plan == 0)
			totals(w);
	}
}

void ktap_subtest_begin(struct ktap_writer *w, unsigned int plan)
{
	if (w->depth + 1 < KTAP_MAX_DEPTH)
		w->depth++;
	ktap_header(w, plan);
}

void ktap_subtest_end(struct ktap_writer *w)
{
	if (w->depth > 0)
		w->depth--;
}

void ktap_diag(struct ktap_writer *w, const char *fmt, ...)
{
	va_list ap;
	char *text, *line, *save = NULL;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *buf;

		if (asprintf(&buf, "# %s", line) < 0)
			break;
		emit(w, buf);
		free(buf);
	}
	free(text);
}

/* A description may not contain '#' or line breaks. */
static void sanitize(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src && *src && i + 1 < len; src++)
		dst[i++] = (*src == '#' || *src == '\n' || *src == '\r') ? '_' : *src;
	dst[i] = '\0';
}

void ktap_result(struct ktap_writer *w, enum xb_status st, const char *name,
		 const char *reason)
{
	char desc[256], why[512], *line;
	const char *directive = NULL;
	unsigned int n = w->next[w->depth]++;
	int r;

	sanitize(desc, sizeof(desc), name);
	/* The reason follows the directive: it only has to stay on one line. */
	snprintf(why, sizeof(why), "%s", reason ? reason : "");
	for (char *p = why; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	switch (st) {
	case XB_PASS:
	case XB_FAIL:
		break;
	case XB_SKIP:
		directive = "SKIP";
		break;
	case XB_XFAIL:
		directive = "XFAIL";
		break;
	/*
	 * Not KTAP directives: KTAP readers that do not know them (kunit.py)
	 * see a plain "ok", which is true (the code under test passed, at
	 * least at the end); ours reads them back.
	 */
	case XB_XPASS:
		directive = "XPASS";
		break;
	case XB_FLAKY:
		directive = "FLAKY";
		break;
	case XB_TIMEOUT:
		directive = "TIMEOUT";
		break;
	case XB_ERROR:
	case XB_CRASH:
	case XB_INCOMPLETE:
	default:
		directive = "ERROR";
		break;
	}
	if (directive)
		r = asprintf(&line, "%s %u %s # %s%s%s", xb_status_ok(st) ? "ok" : "not ok",
			     n, desc, directive, why[0] ? " " : "", why);
	else
		r = asprintf(&line, "%s %u %s", xb_status_ok(st) ? "ok" : "not ok", n, desc);
	if (r < 0)
		return;
	emit(w, line);
	free(line);
	if (w->depth == 0) {
		w->totals[ktap_total_of(st)]++;
		if (w->have_plan && n == w->plan)
			totals(w);
	}
}

void ktap_bail_out(struct ktap_writer *w, const char *reason)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "Bail out! %s", reason ? reason : "");
	emit(w, buf);
	/* As kselftest's ksft_exit_fail_msg(): the totals after the bail out. */
	if (w->have_plan)
		totals(w);
}

/* Reader */

struct lines {
	char **v;
	int *indent;
	size_t n;
	size_t i;
	char *err;
	size_t errlen;
	size_t unknown;
	bool bailed;
};

static int fail_at(struct lines *L, size_t idx, const char *fmt, ...) XB_PRINTF(3, 4);
static int fail_at(struct lines *L, size_t idx, const char *fmt, ...)
{
	va_list ap;
	int off;

	off = snprintf(L->err, L->errlen, "line %zu: ", idx + 1);
	if (off < 0 || (size_t)off >= L->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(L->err + off, L->errlen - (size_t)off, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_version(const char *s)
{
	return !strcmp(s, "KTAP version 1") || !strcmp(s, "TAP version 13") ||
	       !strcmp(s, "TAP version 14");
}

#define KTAP_MAX_PLAN 1000000

enum plan_kind { PLAN_NONE, PLAN_OK, PLAN_TOO_BIG };

/*
 * "1..N": PLAN_OK with *plan = N, PLAN_TOO_BIG when N is over
 * KTAP_MAX_PLAN (or does not fit at all): an error, not console noise.
 */
static enum plan_kind parse_plan(const char *s, int *plan)
{
	const char *p = s + 3;
	unsigned long long v = 0;
	bool big = false;

	if (strncmp(s, "1..", 3) || !isdigit((unsigned char)*p))
		return PLAN_NONE;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (unsigned long long)(*p - '0');
		if (v > KTAP_MAX_PLAN) {
			big = true;
			v = KTAP_MAX_PLAN + 1;
		}
	}
	/* "1..0 # SKIP reason" is allowed. */
	if (*p && strncmp(p, " #", 2))
		return PLAN_NONE;
	if (big)
		return PLAN_TOO_BIG;
	*plan = (int)v;
	return PLAN_OK;
}

static int plan_too_big(struct lines *L, size_t idx)
{
	const char *s = L->v[idx];
	size_t n = strspn(s + 3, "0123456789");

	return fail_at(L, idx, "plan 1..%.*s is over the limit of %d tests", (int)n, s + 3,
		       KTAP_MAX_PLAN);
}

static bool is_result(const char *s)
{
	return !strncmp(s, "ok ", 3) || !strncmp(s, "not ok ", 7);
}

static void node_free(struct ktap_node *n)
{
	free(n->name);
	free(n->directive);
	free(n->reason);
	for (size_t i = 0; i < n->ndiag; i++)
		free(n->diag[i]);
	free(n->diag);
	for (size_t i = 0; i < n->nsub; i++)
		node_free(&n->sub[i]);
	free(n->sub);
}

static int parse_result(struct lines *L, const char *s, struct ktap_node *n)
{
	const char *p = s;
	const char *hash, *d;
	char *end;
	unsigned long long num;

	n->ok = !strncmp(p, "ok ", 3);
	p += n->ok ? 3 : 7;
	if (!isdigit((unsigned char)*p))
		return fail_at(L, L->i, "result line without a test number: %s", s);
	errno = 0;
	num = strtoull(p, &end, 10);
	if (*end && *end != ' ')
		return fail_at(L, L->i, "result line without a test number: %s", s);
	if (errno == ERANGE || num > UINT_MAX)
		return fail_at(L, L->i, "test number %.*s is out of range", (int)(end - p), p);
	n->number = (unsigned int)num;
	p = end;
	while (*p == ' ')
		p++;
	if (!strncmp(p, "- ", 2))
		p += 2;
	hash = strstr(p, " # ");
	d = hash ? hash + 3 : NULL;
	if (!hash && p[0] == '#' && (p[1] == ' ' || !p[1])) {
		/* No description: "ok 1 # SKIP why" or "ok 1 #". */
		hash = p;
		d = p[1] ? p + 2 : p + 1;
	}
	n->name = strndup(p, hash ? (size_t)(hash - p) : strlen(p));
	n->status = n->ok ? XB_PASS : XB_FAIL;
	if (hash) {
		static const char *const dirs[] = { "SKIP", "XFAIL", "XPASS", "FLAKY", "TIMEOUT", "ERROR", "TODO" };

		for (size_t k = 0; k < XB_ARRAY_SIZE(dirs); k++) {
			size_t len = strlen(dirs[k]);

			if (strncasecmp(d, dirs[k], len) || (d[len] && d[len] != ' '))
				continue;
			n->directive = strdup(dirs[k]);
			d += len;
			while (*d == ' ')
				d++;
			break;
		}
		n->reason = strdup(d);
	}
	if (n->directive) {
		if (!strcmp(n->directive, "SKIP"))
			n->status = XB_SKIP;
		else if (!strcmp(n->directive, "XFAIL"))
			n->status = n->ok ? XB_XFAIL : XB_FAIL;
		else if (!strcmp(n->directive, "XPASS"))
			n->status = n->ok ? XB_XPASS : XB_FAIL;
		else if (!strcmp(n->directive, "FLAKY"))
			n->status = n->ok ? XB_FLAKY : XB_FAIL;
		else if (!strcmp(n->directive, "TIMEOUT"))
			n->status = XB_TIMEOUT;
		else if (!strcmp(n->directive, "ERROR"))
			n->status = XB_ERROR;
	}
	return 0;
}

/*
 * Parse one block that starts with a version line at indentation 'indent'
 * (L->i points at it) and ends before the first line indented less.
 */
static int parse_block(struct lines *L, int indent, int *plan,
		       struct ktap_node **tests, size_t *ntests)
{
	char **diag = NULL;
	size_t ndiag = 0;
	struct ktap_node *pending = NULL;
	size_t npending = 0;
	int pending_plan = -1;
	bool have_pending = false;
	size_t start = L->i;
	int ret = 0;

	*plan = -1;
	*tests = NULL;
	*ntests = 0;
	L->i++;		/* the version line */
	if (L->i < L->n && L->indent[L->i] == indent) {
		switch (parse_plan(L->v[L->i], plan)) {
		case PLAN_TOO_BIG:
			return plan_too_big(L, L->i);
		case PLAN_OK:
			L->i++;
			break;
		case PLAN_NONE:
			break;
		}
	}

	while (L->i < L->n) {
		const char *s = L->v[L->i];
		int ind = L->indent[L->i];
		enum plan_kind pk;
		int p;

		if (!*s) {	/* empty lines mean nothing */
			L->i++;
			continue;
		}
		if (ind < indent)
			break;
		if (ind == indent + 2 && is_version(s)) {
			if (have_pending) {
				ret = fail_at(L, L->i, "subtest block without a result line for the previous one");
				goto out;
			}
			ret = parse_block(L, indent + 2, &pending_plan, &pending, &npending);
			if (ret)
				goto out;
			have_pending = true;
			continue;
		}
		if (ind > indent) {
			if (is_result(s) && ind == indent + 2) {
				ret = fail_at(L, L->i, "subtest results without a \"KTAP version 1\" line");
				goto out;
			}
			L->unknown++;
			L->i++;
			continue;
		}
		if (s[0] == '#') {
			char **nd = realloc(diag, (ndiag + 1) * sizeof(*diag));

			if (!nd) {
				ret = fail_at(L, L->i, "out of memory");
				goto out;
			}
			diag = nd;
			diag[ndiag++] = strdup(s[1] == ' ' ? s + 2 : s + 1);
			L->i++;
			continue;
		}
		if (!strncmp(s, "Bail out!", 9)) {
			L->bailed = true;
			L->i++;
			continue;
		}
		if (is_result(s)) {
			struct ktap_node n = { 0 }, *nt;

			if (parse_result(L, s, &n)) {
				node_free(&n);
				ret = -1;
				goto out;
			}
			if (n.number != *ntests + 1) {
				ret = fail_at(L, L->i, "expected test number %zu, found %u", *ntests + 1, n.number);
				node_free(&n);
				goto out;
			}
			n.diag = diag;
			n.ndiag = ndiag;
			diag = NULL;
			ndiag = 0;
			n.plan = have_pending ? pending_plan : -1;
			n.sub = pending;
			n.nsub = npending;
			pending = NULL;
			npending = 0;
			have_pending = false;
			if (n.sub && n.status == XB_PASS) {
				/* A plain ok parent must not hide a failed subtest. */
				for (size_t k = 0; k < n.nsub; k++) {
					if (n.ok && !xb_status_ok(n.sub[k].status)) {
						ret = fail_at(L, L->i, "test %u is ok but its subtest %u failed",
							      n.number, n.sub[k].number);
						node_free(&n);
						goto out;
					}
				}
			}
			nt = realloc(*tests, (*ntests + 1) * sizeof(*nt));
			if (!nt) {
				node_free(&n);
				ret = fail_at(L, L->i, "out of memory");
				goto out;
			}
			*tests = nt;
			(*tests)[(*ntests)++] = n;
			L->i++;
			continue;
		}
		pk = parse_plan(s, &p);
		if (pk == PLAN_TOO_BIG) {
			ret = plan_too_big(L, L->i);
			goto out;
		}
		if (pk == PLAN_OK && *plan < 0 && *ntests == 0) {
			*plan = p;
			L->i++;
			continue;
		}
		L->unknown++;
		L->i++;
	}
	if (have_pending) {
		ret = fail_at(L, L->i ? L->i - 1 : 0, "subtest block (line %zu) has no result line", start + 1);
		goto out;
	}
	if (*plan >= 0 && (size_t)*plan != *ntests && !L->bailed)
		ret = fail_at(L, L->i ? L->i - 1 : 0, "plan 1..%d but %zu test results", *plan, *ntests);
out:
	for (size_t k = 0; k < ndiag; k++)
		free(diag[k]);
	free(diag);
	for (size_t k = 0; k < npending; k++)
		node_free(&pending[k]);
	free(pending);
	return ret;
}

int ktap_parse(const char *text, struct ktap_doc *doc, char *err, size_t errlen)
{
	struct lines L = { .err = err, .errlen = errlen };
	char *copy, *save = NULL, *line;
	size_t cap = 0, prefix = 0;
	bool found = false;
	int ret;

	memset(doc, 0, sizeof(*doc));
	doc->plan = -1;
	if (errlen)
		err[0] = '\0';
	copy = strdup(text ? text : "");
	if (!copy)
		return -1;
	/* Split by hand: empty lines count for line numbers. */
	for (line = copy; line; line = save) {
		char *nl = strchr(line, '\n');
		size_t len;
		int ind = 0;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!found) {
			char *v = strstr(line, "KTAP version ");

			if (!v)
				v = strstr(line, "TAP version ");
			if (v && is_version(v)) {
				found = true;
				prefix = (size_t)(v - line);
			}
		}
		if (found && prefix && strlen(line) >= prefix)
			line += prefix;
		while (line[ind] == ' ')
			ind++;
		if (L.n == cap) {
			cap = cap ? cap * 2 : 64;
			L.v = realloc(L.v, cap * sizeof(*L.v));
			L.indent = realloc(L.indent, cap * sizeof(*L.indent));
			if (!L.v || !L.indent) {
				free(L.v);
				free(L.indent);
				free(copy);
				return -1;
			}
		}
		L.v[L.n] = line + ind;
		L.indent[L.n] = found ? ind : -1;
		L.n++;
	}
	while (L.i < L.n && !(L.indent[L.i] >= 0 && is_version(L.v[L.i])))
		L.i++;
	if (L.i == L.n) {
		snprintf(err, errlen, "no \"KTAP version 1\" line");
		ret = -1;
	} else if (L.indent[L.i] != 0) {
		ret = fail_at(&L, L.i, "top-level version line is indented");
	} else {
		size_t first = L.i;

		ret = parse_block(&L, 0, &doc->plan, &doc->tests, &doc->ntests);
		/* A version line alone (or with only noise) is no document. */
		if (!ret && doc->plan < 0 && !doc->ntests && !L.bailed)
			ret = fail_at(&L, first,
				      "empty document: a version line but no plan and no test results");
	}
	doc->bailed_out = L.bailed;
	doc->unknown_lines = L.unknown;
	free(L.v);
	free(L.indent);
	free(copy);
	if (ret)
		ktap_doc_free(doc);
	return ret;
}

void ktap_doc_free(struct ktap_doc *doc)
{
	for (size_t i = 0; i < doc->ntests; i++)
		node_free(&doc->tests[i]);
	free(doc->tests);
	doc->tests = NULL;
	doc->ntests = 0;
}
