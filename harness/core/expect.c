// SPDX-License-Identifier: GPL-2.0
/* Expectations files: parse and match (see expect.h). */
#include "expect.h"

#include <errno.h>
#include <fnmatch.h>
#include <ini.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "util.h"

static const char *const kind_names[] = {
	[XB_EXP_KNOWN_FAILURE] = "known-failure",
	[XB_EXP_FLAKY] = "flaky",
	[XB_EXP_SKIP] = "skip",
};

const char *xb_expect_kind_name(enum xb_expect_kind k)
{
	return (unsigned int)k < XB_ARRAY_SIZE(kind_names) ? kind_names[k] : "?";
}

struct estate {
	struct xb_expectations *x;
	const char *path;
	FILE *f;
	int line;
	int err_line;
	char err[512];
	char **seen;		/* keys of the current section */
	size_t nseen;
};

static int eerr(struct estate *es, const char *fmt, ...) XB_PRINTF(2, 3);
static int eerr(struct estate *es, const char *fmt, ...)
{
	va_list ap;

	if (es->err_line)
		return 0;
	es->err_line = es->line ? es->line : 1;
	va_start(ap, fmt);
	vsnprintf(es->err, sizeof(es->err), fmt, ap);
	va_end(ap);
	return 0;
}

static void forget_keys(struct estate *es)
{
	for (size_t i = 0; i < es->nseen; i++)
		free(es->seen[i]);
	free(es->seen);
	es->seen = NULL;
	es->nseen = 0;
}

/* The last entry must be complete: reason = always, kinds = for a known failure. */
static bool last_incomplete(struct estate *es)
{
	const struct xb_expect_entry *e = es->x->n ? &es->x->e[es->x->n - 1] : NULL;

	if (!e)
		return false;
	if (!e->reason[0]) {
		eerr(es, "[%s %s] (from %s) has no reason =", xb_expect_kind_name(e->kind), e->test, e->where);
		return true;
	}
	if (e->kind == XB_EXP_KNOWN_FAILURE && !e->kinds) {
		eerr(es, "[%s %s] (from %s) has no kinds =: name the finding kinds the known failure shows (anything else stays a new failure)",
		     xb_expect_kind_name(e->kind), e->test, e->where);
		return true;
	}
	return false;
}

/* Sections as the reader sees them: "[KIND GLOB]" starts an entry. */
static void check_section(struct estate *es, char *t)
{
	char *end = strrchr(t, ']'), *sp, *glob;
	struct xb_expect_entry *ne, *e;
	int kind = -1;

	if (es->err_line)
		return;
	/* A section must end the previous one complete. */
	if (last_incomplete(es))
		return;
	if (!end) {
		eerr(es, "section without ']'");
		return;
	}
	*end = '\0';
	sp = strchr(t + 1, ' ');
	glob = sp ? xb_trim(sp + 1) : NULL;
	if (sp)
		*sp = '\0';
	for (size_t k = 0; k < XB_ARRAY_SIZE(kind_names); k++)
		if (!strcmp(t + 1, kind_names[k]))
			kind = (int)k;
	if (kind < 0) {
		eerr(es, "unknown section [%s] (sections: known-failure TEST, flaky TEST, skip TEST)", t + 1);
		return;
	}
	if (!glob || !*glob || strlen(glob) >= sizeof(e->test) || strchr(glob, ' ')) {
		eerr(es, "[%s] needs a test name or glob: [%s TEST]", t + 1, t + 1);
		return;
	}
	ne = realloc(es->x->e, (es->x->n + 1) * sizeof(*ne));
	if (!ne) {
		eerr(es, "out of memory");
		return;
	}
	es->x->e = ne;
	e = &ne[es->x->n++];
	memset(e, 0, sizeof(*e));
	e->kind = (enum xb_expect_kind)kind;
	snprintf(e->test, sizeof(e->test), "%s", glob);
	e->attempts = kind == XB_EXP_FLAKY ? XB_EXP_DEFAULT_ATTEMPTS : 1;
	snprintf(e->where, sizeof(e->where), "%s:%d", es->path, es->line);
	forget_keys(es);
}

static char *reader(char *str, int num, void *stream)
{
	struct estate *es = stream;
	char t[512];

	switch (xb_ini_line(str, num, es->f, &es->line, t, sizeof(t))) {
	case XB_INI_EOF:
		return NULL;
	case XB_INI_TOO_LONG:
		eerr(es, "line too long");
		return NULL;
	case XB_INI_CONTINUATION:
		eerr(es, "indented line: continuation lines are not supported");
		break;
	case XB_INI_OK:
		if (*t == '[')
			check_section(es, t);
		break;
	}
	return str;
}

static int set_str(struct estate *es, char *dst, size_t len, const char *key, const char *v)
{
	if (!*v)
		return eerr(es, "%s: empty value", key);
	if (strlen(v) >= len)
		return eerr(es, "%s: longer than %zu characters", key, len - 1);
	snprintf(dst, len, "%s", v);
	return 1;
}

static int handler(void *user, const char *section, const char *key, const char *v)
{
	struct estate *es = user;
	struct xb_expect_entry *e;
	char **ns;
	bool fl, kf;

	if (es->err_line)
		return 0;
	if (!es->x->n)
		return eerr(es, "key \"%s\" outside a section (sections: known-failure TEST, flaky TEST, skip TEST)", key);
	(void)section;
	e = &es->x->e[es->x->n - 1];
	for (size_t i = 0; i < es->nseen; i++)
		if (!strcmp(es->seen[i], key))
			return eerr(es, "duplicate key \"%s\" in [%s %s]", key, xb_expect_kind_name(e->kind), e->test);
	ns = realloc(es->seen, (es->nseen + 1) * sizeof(*ns));
	if (!ns)
		return eerr(es, "out of memory");
	es->seen = ns;
	if (!(es->seen[es->nseen] = strdup(key)))
		return eerr(es, "out of memory");
	es->nseen++;
	fl = e->kind == XB_EXP_FLAKY;
	kf = e->kind == XB_EXP_KNOWN_FAILURE;
	if (!strcmp(key, "reason"))
		return set_str(es, e->reason, sizeof(e->reason), key, v);
	if (kf && !strcmp(key, "step"))
		return set_str(es, e->step, sizeof(e->step), key, v);
	if (fl && !strcmp(key, "attempts")) {
		uint64_t n;

		if (xb_parse_u64(v, 2, XB_EXP_MAX_ATTEMPTS, &n))
			return eerr(es, "attempts = %s: a number from 2 to %d (runs in all)", v, XB_EXP_MAX_ATTEMPTS);
		e->attempts = (unsigned int)n;
		return 1;
	}
	if ((kf || fl) && !strcmp(key, "kinds")) {
		char why[256];

		if (xb_kinds_parse(v, true, &e->kinds, why, sizeof(why)))
			return eerr(es, "kinds = %s: %s", v, why);
		return 1;
	}
	if (!strcmp(key, "kernel"))
		return set_str(es, e->kernel, sizeof(e->kernel), key, v);
	if (!strcmp(key, "xen"))
		return set_str(es, e->xen, sizeof(e->xen), key, v);
	if (!strcmp(key, "dom0"))
		return set_str(es, e->dom0, sizeof(e->dom0), key, v);
	if (!strcmp(key, "gpu"))
		return set_str(es, e->gpu, sizeof(e->gpu), key, v);
	if (!strcmp(key, "firmware"))
		return set_str(es, e->firmware, sizeof(e->firmware), key, v);
	return eerr(es, "unknown key \"%s\" in [%s] (%s)", key, xb_expect_kind_name(e->kind),
		    kf ? "reason, kinds, step, kernel, xen, dom0, gpu, firmware" :
		    fl ? "reason, kinds, attempts, kernel, xen, dom0, gpu, firmware" :
			 "reason, kernel, xen, dom0, gpu, firmware");
}

int xb_expect_parse_file(FILE *f, const char *path, struct xb_expectations *x, char *err,
			 size_t errlen)
{
	struct estate es = { .x = x, .path = path, .f = f };
	int r;

	memset(x, 0, sizeof(*x));
	r = ini_parse_stream(reader, &es, handler, &es);
	if (!es.err_line && r > 0) {
		es.err_line = r;
		snprintf(es.err, sizeof(es.err), "syntax error (expected [section] or key = value)");
	} else if (!es.err_line && r < 0) {
		es.err_line = 1;
		snprintf(es.err, sizeof(es.err), "could not parse (%d)", r);
	}
	if (!es.err_line) {
		es.line++;
		last_incomplete(&es);
	}
	forget_keys(&es);
	if (es.err_line) {
		snprintf(err, errlen, "%s:%d: %s", path, es.err_line, es.err);
		xb_expect_free(x);
		return -1;
	}
	return 0;
}

int xb_expect_parse(const char *path, struct xb_expectations *x, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int r;

	memset(x, 0, sizeof(*x));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = xb_expect_parse_file(f, path, x, err, errlen);
	fclose(f);
	return r;
}

void xb_expect_free(struct xb_expectations *x)
{
	free(x->e);
	memset(x, 0, sizeof(*x));
}

static void strip_0x(char *dst, size_t len, const char *s)
{
	if (s && (!strncmp(s, "0x", 2) || !strncmp(s, "0X", 2)))
		s += 2;
	snprintf(dst, len, "%s", s ? s : "");
}

static void add_firmware(struct xb_expect_facts *f, const json_t *v)
{
	if (f->nfirmware >= XB_EXP_MAX_FACTS)
		return;
	if (json_is_string(v))
		snprintf(f->firmware[f->nfirmware++], sizeof(f->firmware[0]), "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(f->firmware[f->nfirmware++], sizeof(f->firmware[0]), "%lld",
			 (long long)json_integer_value(v));
}

void xb_expect_facts_from(const json_t *fp, struct xb_expect_facts *f)
{
	const char *s;
	const json_t *d, *v;
	const char *k;
	size_t i;

	memset(f, 0, sizeof(*f));
	s = json_string_value(json_object_get(json_object_get(fp, "kernel"), "release"));
	snprintf(f->kernel, sizeof(f->kernel), "%s", s ? s : "");
	s = json_string_value(json_object_get(json_object_get(fp, "xen"), "version"));
	snprintf(f->xen, sizeof(f->xen), "%s", s ? s : "");
	s = json_string_value(json_object_get(fp, "dom0_mode"));
	snprintf(f->dom0, sizeof(f->dom0), "%s", s ? s : "");
	json_object_foreach((json_t *)json_object_get(fp, "firmware"), k, v)
		add_firmware(f, v);
	json_array_foreach(json_object_get(fp, "pci"), i, d) {
		const char *cls = json_string_value(json_object_get(d, "class"));
		char ven[16], dev[16];

		if (!cls || strncmp(cls, "0x03", 4) || f->ngpu >= XB_EXP_MAX_FACTS)
			continue;
		strip_0x(ven, sizeof(ven), json_string_value(json_object_get(d, "vendor")));
		strip_0x(dev, sizeof(dev), json_string_value(json_object_get(d, "device")));
		snprintf(f->gpu[f->ngpu++], sizeof(f->gpu[0]), "%.4s:%.4s", ven, dev);
		json_object_foreach((json_t *)json_object_get(d, "firmware"), k, v)
			add_firmware(f, v);
	}
}

static bool glob_ok(const char *glob, const char *fact)
{
	return !glob[0] || fnmatch(glob, fact, 0) == 0;
}

static bool glob_any(const char *glob, const char facts[][128], size_t n, size_t w)
{
	if (!glob[0])
		return true;
	for (size_t i = 0; i < n; i++)
		if (fnmatch(glob, (const char *)facts + i * w, FNM_CASEFOLD) == 0)
			return true;
	return false;
}

static bool env_ok(const struct xb_expect_entry *e, const struct xb_expect_facts *f)
{
	bool gpu = !e->gpu[0];

	for (size_t i = 0; !gpu && i < f->ngpu; i++)
		gpu = fnmatch(e->gpu, f->gpu[i], FNM_CASEFOLD) == 0;
	return glob_ok(e->kernel, f->kernel) && glob_ok(e->xen, f->xen) && glob_ok(e->dom0, f->dom0) &&
	       gpu && glob_any(e->firmware, f->firmware, f->nfirmware, sizeof(f->firmware[0]));
}

const struct xb_expect_entry *xb_expect_match(const struct xb_expectations *x,
					      enum xb_expect_kind kind, const char *test,
					      const char *step, const struct xb_expect_facts *f)
{
	for (size_t i = 0; x && i < x->n; i++) {
		const struct xb_expect_entry *e = &x->e[i];

		if (e->kind != kind || fnmatch(e->test, test, 0))
			continue;
		if (step ? !e->step[0] || fnmatch(e->step, step, 0) : e->step[0] != '\0')
			continue;
		if (env_ok(e, f))
			return e;
	}
	return NULL;
}
