// SPDX-License-Identifier: GPL-2.0
#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "core/util.h"
#include "kmod/include/uapi/xenbounce.h"
#include "userspace/workload.h"

/* Parser state shared by the line reader and the key handler. */
struct pstate {
	struct xb_scenario *sc;
	FILE *f;
	int line;
	int err_line;
	char err[512];
	/* Which keys were seen, to reject duplicates: "section\nkey". */
	char **seen;
	size_t nseen;
	struct xb_workload *cur_wl;
	bool in_scenario, in_fault, in_expect;
	struct xb_mode_expect *mode;	/* in [expect MODE] */
};

static int perr(struct pstate *ps, const char *fmt, ...) XB_PRINTF(2, 3);
static int perr(struct pstate *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->err_line)
		return 0;
	ps->err_line = ps->line ? ps->line : 1;
	va_start(ap, fmt);
	vsnprintf(ps->err, sizeof(ps->err), fmt, ap);
	va_end(ap);
	return 0;	/* inih: handler error */
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= XB_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

/*
 * Sections are checked as the reader sees them, so an unknown or duplicate
 * section is an error even when it has no keys.
 */
static int check_section(struct pstate *ps, char *text)
{
	char *end = strchr(text, ']');
	char *name;

	if (!end)
		return 0;	/* inih reports the syntax error */
	*end = '\0';
	name = xb_trim(text + 1);
	ps->in_scenario = ps->in_fault = ps->in_expect = false;
	ps->cur_wl = NULL;
	ps->mode = NULL;
	if (!strcmp(name, "scenario") || !strcmp(name, "fault") || !strcmp(name, "expect")) {
		for (size_t i = 0; i < ps->nseen; i++)
			if (!strcmp(ps->seen[i], name))
				return perr(ps, "duplicate section [%s]", name);
		ps->seen = realloc(ps->seen, (ps->nseen + 1) * sizeof(*ps->seen));
		ps->seen[ps->nseen++] = strdup(name);
		ps->in_scenario = !strcmp(name, "scenario");
		ps->in_fault = !strcmp(name, "fault");
		ps->in_expect = !strcmp(name, "expect");
		return 1;
	}
	if (!strncmp(name, "expect", 6) && (name[6] == ' ' || name[6] == '\t')) {
		char *mname = xb_trim(name + 7);
		enum xb_dom0_mode m = xb_dom0_mode_from_name(mname);

		if (m == XB_DOM0_NMODES)
			return perr(ps, "[expect %s]: unknown dom0 mode (pv, pvh, hvm, none, domu-pv)", mname);
		if (ps->sc->mode_expect[m].present)
			return perr(ps, "duplicate section [expect %s]", mname);
		ps->sc->mode_expect[m].present = true;
		ps->mode = &ps->sc->mode_expect[m];
		return 1;
	}
	if (!strncmp(name, "workload", 8) && (name[8] == ' ' || name[8] == '\t')) {
		struct xb_scenario *sc = ps->sc;
		char *wname = xb_trim(name + 9);

		if (!valid_name(wname))
			return perr(ps, "bad workload name \"%s\": use letters, digits, '-', '_' or '.'", wname);
		for (size_t i = 0; i < sc->nwl; i++)
			if (!strcmp(sc->wl[i].name, wname))
				return perr(ps, "duplicate section [workload %s]", wname);
		if (sc->nwl == XB_MAX_WORKLOADS)
			return perr(ps, "too many workloads (at most %d)", XB_MAX_WORKLOADS);
		ps->cur_wl = &sc->wl[sc->nwl++];
		memset(ps->cur_wl, 0, sizeof(*ps->cur_wl));
		snprintf(ps->cur_wl->name, sizeof(ps->cur_wl->name), "%s", wname);
		ps->cur_wl->line = ps->line;
		ps->cur_wl->iterations = 1;
		return 1;
	}
	return perr(ps, "unknown section [%s] (sections: scenario, fault, workload NAME, expect, expect MODE)", name);
}

static char *reader(char *str, int num, void *stream)
{
	struct pstate *ps = stream;
	char t[512];

	switch (xb_ini_line(str, num, ps->f, &ps->line, t, sizeof(t))) {
	case XB_INI_EOF:
		return NULL;
	case XB_INI_TOO_LONG:
		perr(ps, "line too long");
		return NULL;
	case XB_INI_CONTINUATION:
		/* Continuation lines would silently extend a value: refuse them. */
		perr(ps, "indented line: continuation lines are not supported");
		break;
	case XB_INI_OK:
		if (*t == '[')
			check_section(ps, t);
		break;
	}
	return str;
}

static int split_list(char *value, char **items, size_t max, size_t *n)
{
	char *save = NULL, *tok;

	*n = 0;
	for (tok = strtok_r(value, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = xb_trim(tok);
		if (!*tok)
			return -EINVAL;
		if (*n == max)
			return -E2BIG;
		items[(*n)++] = tok;
	}
	return *n ? 0 : -EINVAL;
}

static int parse_u64_key(struct pstate *ps, const char *key, const char *v,
			 uint64_t min, uint64_t max, uint64_t *out)
{
	int r = xb_parse_u64(v, min, max, out);

	if (r == -ERANGE)
		return perr(ps, "%s = %s: out of range (%llu..%llu)", key, v,
			    (unsigned long long)min, (unsigned long long)max);
	if (r)
		return perr(ps, "%s = %s: not a number", key, v);
	return 1;
}

static int parse_size_list(struct pstate *ps, const char *key, const char *v,
			   uint64_t min, uint64_t max, struct xb_u64_list *out)
{
	char buf[1024], *items[XB_MAX_LIST];
	size_t n;
	int r;

	snprintf(buf, sizeof(buf), "%s", v);
	r = split_list(buf, items, XB_MAX_LIST, &n);
	if (r == -E2BIG)
		return perr(ps, "%s: more than %d values", key, XB_MAX_LIST);
	if (r)
		return perr(ps, "%s = %s: empty list item", key, v);
	for (size_t i = 0; i < n; i++) {
		uint64_t s;

		if (xb_parse_size(items[i], &s))
			return perr(ps, "%s: \"%s\" is not a size (bytes, or with K, M, G)", key, items[i]);
		if (s < min || s > max)
			return perr(ps, "%s: %s out of range (%llu..%llu bytes)", key, items[i],
				    (unsigned long long)min, (unsigned long long)max);
		out->v[i] = s;
	}
	out->n = n;
	return 1;
}

/* outcome/expect: "pass" or kinds; allow: kinds. */
static int parse_kinds(struct pstate *ps, const char *key, const char *v, bool pass_ok,
		       unsigned int *out)
{
	char buf[512], *items[XB_MAX_LIST];
	size_t n;
	unsigned int set = 0;

	snprintf(buf, sizeof(buf), "%s", v);
	if (split_list(buf, items, XB_MAX_LIST, &n))
		return perr(ps, "%s = %s: bad list", key, v);
	for (size_t i = 0; i < n; i++) {
		int k;

		if (pass_ok && !strcmp(items[i], "pass")) {
			set |= XB_EXPECT_PASS;
			continue;
		}
		k = xb_kind_from_name(items[i]);
		if (k < 0) {
			char valid[256];

			/* The valid words from the kind table itself, so the list cannot go stale. */
			xb_kinds_format(XB_KIND_BIT(XB_K_COUNT) - 1, valid, sizeof(valid));
			return perr(ps, "%s: unknown outcome \"%s\" (%s%s)", key, items[i], pass_ok ? "pass, " : "",
				    valid);
		}
		set |= XB_KIND_BIT(k);
	}
	if ((set & XB_EXPECT_PASS) && (set & ~XB_EXPECT_PASS))
		return perr(ps, "%s: \"pass\" cannot be combined with other outcomes", key);
	*out = set;
	return 1;
}

static int mark_seen(struct pstate *ps, const char *section, const char *key)
{
	char *id;

	if (asprintf(&id, "%s\n%s", section, key) < 0)
		return perr(ps, "out of memory");
	for (size_t i = 0; i < ps->nseen; i++) {
		if (!strcmp(ps->seen[i], id)) {
			free(id);
			return perr(ps, "duplicate key \"%s\" in [%s]", key, section);
		}
	}
	ps->seen = realloc(ps->seen, (ps->nseen + 1) * sizeof(*ps->seen));
	ps->seen[ps->nseen++] = id;
	return 1;
}

static int h_scenario(struct pstate *ps, const char *key, const char *v)
{
	struct xb_scenario *sc = ps->sc;

	if (!strcmp(key, "name")) {
		if (!valid_name(v))
			return perr(ps, "name = %s: use letters, digits, '-', '_' or '.' (at most %d)", v, XB_NAME_MAX - 1);
		snprintf(sc->name, sizeof(sc->name), "%s", v);
		return 1;
	}
	if (!strcmp(key, "description")) {
		if (strlen(v) >= sizeof(sc->description))
			return perr(ps, "description longer than %zu characters", sizeof(sc->description) - 1);
		xb_utf8_escape(sc->description, sizeof(sc->description), v);
		return 1;
	}
	if (!strcmp(key, "seed")) {
		sc->seed_set = true;
		return parse_u64_key(ps, key, v, 0, XB_SEED_MAX, &sc->seed);
	}
	if (!strcmp(key, "timeout"))
		return parse_u64_key(ps, key, v, 1, 86400, &sc->timeout_s);
	if (!strcmp(key, "requires")) {
		char buf[512], *items[XB_MAX_LIST];
		size_t n;

		snprintf(buf, sizeof(buf), "%s", v);
		if (split_list(buf, items, XB_MAX_LIST, &n))
			return perr(ps, "requires = %s: bad list", v);
		for (size_t i = 0; i < n; i++) {
			unsigned int bit = xb_require_from_name(items[i]);

			if (!bit)
				return perr(ps, "requires: unknown \"%s\" (root, xen, xen_pv, bare, kmod, edu, iommu, iommu_strict, amdgpu, dom0)", items[i]);
			sc->requires |= bit;
		}
		if ((sc->requires & (XB_REQ_XEN_PV | XB_REQ_XEN | XB_REQ_DOM0)) && (sc->requires & XB_REQ_BARE))
			return perr(ps, "requires: xen, xen_pv or dom0 and bare exclude each other");
		return 1;
	}
	return perr(ps, "unknown key \"%s\" in [scenario] (name, description, seed, timeout, requires)", key);
}

static int h_fault(struct pstate *ps, const char *key, const char *v)
{
	struct xb_fault *f = &ps->sc->fault;

	if (!strcmp(key, "pool_pages"))
		return parse_u64_key(ps, key, v, 2, 1024, &f->pool_pages);
	if (!strcmp(key, "pool_shuffle")) {
		if (xb_parse_bool(v, &f->pool_shuffle))
			return perr(ps, "pool_shuffle = %s: use yes or no", v);
		return 1;
	}
	if (!strcmp(key, "pool_contiguous")) {
		if (xb_parse_bool(v, &f->pool_contiguous))
			return perr(ps, "pool_contiguous = %s: use yes or no", v);
		return 1;
	}
	if (!strcmp(key, "scramble_blocks")) {
		if (xb_parse_bool(v, &f->scramble_blocks))
			return perr(ps, "scramble_blocks = %s: use yes or no", v);
		return 1;
	}
	if (!strcmp(key, "scramble_misalign")) {
		if (xb_parse_bool(v, &f->scramble_misalign))
			return perr(ps, "scramble_misalign = %s: use yes or no", v);
		return 1;
	}
	if (!strcmp(key, "scramble_split")) {
		if (xb_parse_bool(v, &f->scramble_split))
			return perr(ps, "scramble_split = %s: use yes or no", v);
		return 1;
	}
	if (!strcmp(key, "scramble_mib"))
		return parse_u64_key(ps, key, v, 1, 4096, &f->scramble_mib);
	if (!strcmp(key, "balloon_mib"))
		return parse_u64_key(ps, key, v, 1, 65536, &f->balloon_mib);
	if (!strcmp(key, "xen_exhaust_bits"))
		return parse_u64_key(ps, key, v, XB_EXHAUST_MIN_BITS, XB_EXHAUST_MAX_BITS,
				     &f->xen_exhaust_bits);
	if (!strcmp(key, "xen_exhaust_min_order")) {
		f->xen_exhaust_min_order_set = true;
		return parse_u64_key(ps, key, v, 0, XB_EXHAUST_MAX_ORDER, &f->xen_exhaust_min_order);
	}
	if (!strcmp(key, "swiotlb_reserve")) {
		static const struct {
			const char *word;
			enum xb_reserve_mode mode;
			uint64_t min;
		} modes[] = {
			{ "free=", XB_RESERVE_FREE, 0 },
			{ "slots=", XB_RESERVE_SLOTS, 1 },
			{ "fragment=", XB_RESERVE_FRAGMENT, 1 },
			{ "hole=", XB_RESERVE_HOLE, 1 },
		};

		for (size_t i = 0; i < XB_ARRAY_SIZE(modes); i++) {
			size_t len = strlen(modes[i].word);

			if (strncmp(v, modes[i].word, len))
				continue;
			f->reserve_mode = modes[i].mode;
			return parse_u64_key(ps, key, v + len, modes[i].min, 1u << 24, &f->reserve_value);
		}
		return perr(ps, "swiotlb_reserve = %s: use free=N, slots=N, fragment=K or hole=K", v);
	}
	return perr(ps, "unknown key \"%s\" in [fault] (pool_pages, pool_shuffle, pool_contiguous, scramble_mib, scramble_blocks, scramble_misalign, scramble_split, swiotlb_reserve, balloon_mib, xen_exhaust_bits, xen_exhaust_min_order)", key);
}

static bool driver_takes(const struct xb_driver *d, const char *key)
{
	for (const char *const *k = d->keys; k && *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

static int h_workload(struct pstate *ps, const char *key, const char *v)
{
	struct xb_workload *w = ps->cur_wl;

	if (!strcmp(key, "driver")) {
		w->driver = xb_driver_find(v);
		if (!w->driver) {
			char names[256];
			size_t off = 0;

			names[0] = '\0';
			for (size_t i = 0; i < xb_ndrivers && off < sizeof(names); i++)
				off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s",
							i ? ", " : "", xb_drivers[i]->name);
			return perr(ps, "unknown driver \"%s\" (%s)", v, names);
		}
		return 1;
	}
	if (!strcmp(key, "expect")) {
		w->expect_set = true;
		return parse_kinds(ps, key, v, true, &w->expect);
	}
	if (!strcmp(key, "allow")) {
		w->allow_set = true;
		return parse_kinds(ps, key, v, false, &w->allow);
	}
	if (!w->driver)
		return perr(ps, "\"driver\" must come first in [workload %s]", w->name);
	if (!driver_takes(w->driver, key))
		return perr(ps, "driver %s takes no key \"%s\"", w->driver->name, key);
	if (!strcmp(key, "sizes"))
		return parse_size_list(ps, key, v, 1, 1u << 30, &w->sizes);
	if (!strcmp(key, "offsets"))
		return parse_size_list(ps, key, v, 0, 1u << 20, &w->offsets);
	if (!strcmp(key, "iterations"))
		return parse_u64_key(ps, key, v, 1, 1000000, &w->iterations);
	if (!strcmp(key, "buffers"))
		return parse_u64_key(ps, key, v, 1, 4096, &w->buffers);
	if (!strcmp(key, "seconds"))
		return parse_u64_key(ps, key, v, 0, 86400, &w->seconds);
	if (!strcmp(key, "path")) {
		for (enum xb_dma_path i = XB_PATH_DMA_API; i <= XB_PATH_LAST; i++) {
			if (!strcmp(v, xb_path_name(i))) {
				w->path = (enum xb_dma_path)i;
				return 1;
			}
		}
		return perr(ps, "path = %s: use dma_api, first_page, raw_phys or stale", v);
	}
	if (!strcmp(key, "directions")) {
		char buf[256], *items[XB_MAX_LIST];
		size_t n;

		snprintf(buf, sizeof(buf), "%s", v);
		if (split_list(buf, items, XB_MAX_LIST, &n))
			return perr(ps, "directions = %s: bad list", v);
		w->directions = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned int bit = xb_dir_from_name(items[i]);

			if (!bit)
				return perr(ps, "directions: unknown \"%s\" (to_device, from_device, bidirectional)",
					    items[i]);
			w->directions |= bit;
		}
		return 1;
	}
	if (!strcmp(key, "segments"))
		return parse_u64_key(ps, key, v, 1, 256, &w->segments);
	if (!strcmp(key, "sync_offset"))
		return parse_u64_key(ps, key, v, 0, 4u << 20, &w->sync_offset);
	if (!strcmp(key, "sync_len"))
		return parse_u64_key(ps, key, v, 1, 4095, &w->sync_len);
	if (!strcmp(key, "rounds"))
		return parse_u64_key(ps, key, v, 1, 64, &w->rounds);
	if (!strcmp(key, "partial"))
		return parse_u64_key(ps, key, v, 1, 4095, &w->partial);
	if (!strcmp(key, "contiguous"))
		return xb_parse_bool(v, &w->contiguous) ? perr(ps, "contiguous = %s: yes or no", v) : 1;
	if (!strcmp(key, "buffer")) {
		if (strcmp(v, "pool") && strcmp(v, "allocated"))
			return perr(ps, "buffer = %s: pool or allocated", v);
		snprintf(w->buffer, sizeof(w->buffer), "%s", v);
		return 1;
	}
	if (!strcmp(key, "mapping")) {
		if (strcmp(v, "single") && strcmp(v, "page") && strcmp(v, "sg"))
			return perr(ps, "mapping = %s: single, page or sg", v);
		snprintf(w->mapping, sizeof(w->mapping), "%s", v);
		return 1;
	}
	if (!strcmp(key, "above_mask"))
		return xb_parse_bool(v, &w->above_mask) ? perr(ps, "above_mask = %s: yes or no", v) : 1;
	if (!strcmp(key, "skip_cpu_sync"))
		return xb_parse_bool(v, &w->skip_cpu_sync) ? perr(ps, "skip_cpu_sync = %s: yes or no", v) : 1;
	if (!strcmp(key, "dma_bits"))
		return parse_u64_key(ps, key, v, 24, 64, &w->dma_bits);
	if (!strcmp(key, "coherent_bits"))
		return parse_u64_key(ps, key, v, 24, 64, &w->coherent_bits);
	if (!strcmp(key, "min_align")) {
		w->min_align_set = true;
		return parse_u64_key(ps, key, v, 0, 4095, &w->min_align);
	}
	if (!strcmp(key, "max_seg"))
		return parse_u64_key(ps, key, v, 4096, UINT32_MAX, &w->max_seg);
	if (!strcmp(key, "seg_boundary"))
		return parse_u64_key(ps, key, v, 4095, UINT64_MAX, &w->seg_boundary);
	if (!strcmp(key, "bounce")) {
		if (strcmp(v, "expected") && strcmp(v, "none") && strcmp(v, "any"))
			return perr(ps, "bounce = %s: expected, none or any", v);
		snprintf(w->bounce, sizeof(w->bounce), "%s", v);
		return 1;
	}
	if (!strcmp(key, "action") || !strcmp(key, "inject") || !strcmp(key, "mode")) {
		char *dst = !strcmp(key, "action") ? w->action : !strcmp(key, "inject") ? w->inject : w->mode;

		if (!valid_name(v) || strlen(v) >= sizeof(w->action))
			return perr(ps, "%s = %s: not a word", key, v);
		snprintf(dst, sizeof(w->action), "%s", v);
		return 1;
	}
	return perr(ps, "driver %s lists key \"%s\" but the parser does not know it", w->driver->name, key);
}

/* [expect] and [expect MODE] take the same keys. */
static int h_expect(struct pstate *ps, const char *key, const char *v)
{
	struct xb_scenario *sc = ps->sc;
	struct xb_mode_expect *m = ps->mode;
	char *xfail = m ? m->xfail : sc->xfail;

	if (!strcmp(key, "outcome")) {
		if (m)
			m->expect_set = true;
		return parse_kinds(ps, key, v, true, m ? &m->expect : &sc->expect);
	}
	if (!strcmp(key, "allow")) {
		if (m)
			m->allow_set = true;
		return parse_kinds(ps, key, v, false, m ? &m->allow : &sc->allow);
	}
	if (!strcmp(key, "xfail")) {
		if (!*v || strlen(v) >= sizeof(sc->xfail))
			return perr(ps, "xfail: give the reason (at most %zu characters)", sizeof(sc->xfail) - 1);
		snprintf(xfail, sizeof(sc->xfail), "%s", v);
		return 1;
	}
	if (!strcmp(key, "xfail_kinds")) {
		char why[256];

		if (xb_kinds_parse(v, true, m ? &m->xfail_kinds : &sc->xfail_kinds, why, sizeof(why)))
			return perr(ps, "xfail_kinds = %s: %s", v, why);
		return 1;
	}
	return perr(ps, "unknown key \"%s\" in [expect%s] (outcome, allow, xfail, xfail_kinds)", key,
		    m ? " MODE" : "");
}

void xb_scenario_apply_mode(struct xb_scenario *sc, enum xb_dom0_mode mode)
{
	const struct xb_mode_expect *m;

	if ((unsigned int)mode >= XB_DOM0_NMODES || !sc->mode_expect[mode].present)
		return;
	m = &sc->mode_expect[mode];
	for (size_t i = 0; i < sc->nwl; i++) {
		struct xb_workload *w = &sc->wl[i];

		if (m->expect_set && !w->expect_set)
			w->expect = m->expect;
		if (m->allow_set && !w->allow_set)
			w->allow = m->allow;
	}
	if (m->expect_set)
		sc->expect = m->expect;
	if (m->allow_set)
		sc->allow = m->allow;
	if (m->xfail[0]) {
		snprintf(sc->xfail, sizeof(sc->xfail), "%s", m->xfail);
		sc->xfail_kinds = m->xfail_kinds;
	}
	snprintf(sc->expect_mode, sizeof(sc->expect_mode), "%s", xb_dom0_mode_name(mode));
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct pstate *ps = user;
	char v[1024];
	int r;

	if (ps->err_line)
		return 0;
	if (!*section)
		return perr(ps, "key \"%s\" outside a section", key);
	snprintf(v, sizeof(v), "%s", value);
	if (!*xb_trim(v))
		return perr(ps, "%s: empty value", key);
	if (ps->cur_wl) {
		char id[XB_NAME_MAX + 16];

		snprintf(id, sizeof(id), "workload %s", ps->cur_wl->name);
		r = mark_seen(ps, id, key);
		return r ? h_workload(ps, key, xb_trim(v)) : 0;
	}
	r = mark_seen(ps, section, key);
	if (!r)
		return 0;
	if (ps->in_scenario)
		return h_scenario(ps, key, xb_trim(v));
	if (ps->in_fault)
		return h_fault(ps, key, xb_trim(v));
	if (ps->in_expect || ps->mode)
		return h_expect(ps, key, xb_trim(v));
	return perr(ps, "key \"%s\" in an unknown section", key);
}

static int post_check(struct pstate *ps)
{
	const struct xb_wl_setup setup = xb_scenario_wl_setup(ps->sc);
	struct xb_scenario *sc = ps->sc;

	if (sc->nwl == 0) {
		ps->line = ps->line ? ps->line : 1;
		return perr(ps, "no [workload NAME] section");
	}
	for (size_t i = 0; i < sc->nwl; i++) {
		struct xb_workload *w = &sc->wl[i];
		char msg[256];

		ps->line = w->line;
		if (!w->driver)
			return perr(ps, "[workload %s] has no driver", w->name);
		if (!w->expect_set)
			w->expect = sc->expect ? sc->expect : XB_EXPECT_PASS;
		if (!w->allow_set)
			w->allow = sc->allow;
		msg[0] = '\0';
		if (w->driver->validate && w->driver->validate(&setup, w, msg, sizeof(msg)))
			return perr(ps, "[workload %s]: %s", w->name, msg);
	}
	/* A known bug names what it fails with; anything else stays a failure. */
	if (!sc->xfail[0] != !sc->xfail_kinds) {
		ps->line = 1;
		return perr(ps, "[expect]: xfail and xfail_kinds go together (the reason, and the kinds the known bug fails with)");
	}
	for (size_t i = 0; i < XB_DOM0_NMODES; i++) {
		const struct xb_mode_expect *m = &sc->mode_expect[i];

		if (!m->xfail[0] != !m->xfail_kinds) {
			ps->line = 1;
			return perr(ps, "[expect %s]: xfail and xfail_kinds go together (the reason, and the kinds the known bug fails with)",
				    xb_dom0_mode_name((enum xb_dom0_mode)i));
		}
	}
	if (sc->fault.pool_contiguous && !sc->fault.pool_pages) {
		ps->line = 1;
		return perr(ps, "pool_contiguous needs pool_pages");
	}
	if (sc->fault.pool_shuffle && !sc->fault.pool_pages) {
		ps->line = 1;
		return perr(ps, "pool_shuffle needs pool_pages");
	}
	if (sc->fault.xen_exhaust_min_order_set && !sc->fault.xen_exhaust_bits) {
		ps->line = 1;
		return perr(ps, "xen_exhaust_min_order needs xen_exhaust_bits");
	}
	return 1;
}

int xb_scenario_parse(const char *path, struct xb_scenario *sc, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	int r;

	if (!f) {
		memset(sc, 0, sizeof(*sc));
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = xb_scenario_parse_file(f, path, sc, err, errlen);
	fclose(f);
	return r;
}

int xb_scenario_parse_file(FILE *f, const char *path, struct xb_scenario *sc, char *err,
			   size_t errlen)
{
	struct pstate ps = { .sc = sc, .f = f };
	char base[PATH_MAX], *dot;
	int r;

	memset(sc, 0, sizeof(*sc));
	sc->timeout_s = XB_DEFAULT_TIMEOUT_S;
	if (snprintf(sc->path, sizeof(sc->path), "%s", path) >= (int)sizeof(sc->path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	r = ini_parse_stream(reader, &ps, handler, &ps);
	if (!ps.err_line && r > 0) {
		ps.err_line = r;
		snprintf(ps.err, sizeof(ps.err), "syntax error (expected [section] or key = value)");
	} else if (!ps.err_line && r < 0) {
		ps.err_line = 1;
		snprintf(ps.err, sizeof(ps.err), "could not parse (%d)", r);
	}
	if (!ps.err_line)
		post_check(&ps);
	for (size_t i = 0; i < ps.nseen; i++)
		free(ps.seen[i]);
	free(ps.seen);
	if (ps.err_line) {
		snprintf(err, errlen, "%s:%d: %s", path, ps.err_line, ps.err);
		return -1;
	}
	if (!sc->name[0]) {
		snprintf(base, sizeof(base), "%s", path);
		snprintf(sc->name, sizeof(sc->name), "%s", basename(base));
		dot = strrchr(sc->name, '.');
		if (dot && !strcmp(dot, ".ini"))
			*dot = '\0';
		if (!valid_name(sc->name)) {
			snprintf(err, errlen, "%s:1: file name is not a valid scenario name; set [scenario] name", path);
			return -1;
		}
	}
	return 0;
}

struct xb_wl_setup xb_scenario_wl_setup(const struct xb_scenario *sc)
{
	struct xb_wl_setup s = { .test = sc->name, .pool_pages = sc->fault.pool_pages };

	return s;
}
