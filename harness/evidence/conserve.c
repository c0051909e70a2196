// SPDX-License-Identifier: GPL-2.0
/* Conservation: see conserve.h. */
#include "conserve.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/finding.h"
#include "core/util.h"
#include "env.h"
#include "kmod/include/uapi/xenbounce.h"
#include "userspace/xbdev.h"
#include "xen.h"

const struct xb_conserve_limits xb_conserve_default_limits = {
	.xen_bytes = XB_CONSERVE_XEN_SLACK,
	.dom0_kib = XB_CONSERVE_DOM0_SLACK_KIB,
};

struct xb_conserve {
	struct xb_conserve_snap base;
	double sync_s;		/* the last snapshot's sync() */
	bool sync;		/* every device's mappings may bounce: sync() first */
	struct xb_xen *xen;	/* NULL: not dom0 */
};

static json_t *leak(json_t *findings, const char *subkind, const char *fmt, ...)
	XB_PRINTF(3, 4);

static json_t *leak(json_t *findings, const char *subkind, const char *fmt, ...)
{
	json_t *f = xb_finding_new(XB_K_POOL_LEAK, subkind, "pool_check");
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	json_object_set_new(f, "summary", json_string(buf));
	json_array_append_new(findings, f);
	return json_object_get(f, "numbers");
}

static void num(json_t *numbers, const char *key, long long v)
{
	json_object_set_new(numbers, key, json_integer((json_int_t)v));
}

/* A loss of a free amount beyond limit (both known, limit >= 0). */
static bool lost(long long before, long long after, long long limit)
{
	return before >= 0 && after >= 0 && limit >= 0 && before - after > limit;
}

static void heap(json_t *findings, const char *subkind, const char *below, long long before,
		 long long after, long long limit)
{
	json_t *n;

	if (!lost(before, after, limit))
		return;
	n = leak(findings, subkind, "Xen's free heap below %s: %lld KiB, %lld KiB at baseline: %lld KiB lost (limit %lld KiB)",
		 below, after >> 10, before >> 10, (before - after) >> 10, limit >> 10);
	num(n, "free_bytes", after);
	num(n, "free_bytes_baseline", before);
	num(n, "lost_bytes", before - after);
	num(n, "limit_bytes", limit);
}

int xb_conserve_judge(const struct xb_conserve_snap *b, const struct xb_conserve_snap *s,
		      const struct xb_conserve_limits *lim, json_t *findings)
{
	size_t n0 = json_array_size(findings);
	json_t *n;

	if (b->used >= 0 && s->used >= 0 && s->used != b->used) {
		n = leak(findings, "swiotlb_used", "swiotlb io_tlb_used %lld, %lld at baseline (%+lld slots)",
			 s->used, b->used, s->used - b->used);
		num(n, "used", s->used);
		num(n, "used_baseline", b->used);
		num(n, "nslabs", s->nslabs);
	}
	if (s->slots_free >= 0 && s->nslabs >= 0 && s->used >= 0 && s->slots_free != s->nslabs - s->used) {
		n = leak(findings, "swiotlb_unusable", "%lld free slots mapped, but swiotlb counts %lld free (nslabs %lld - used %lld): %lld slots lost",
			 s->slots_free, s->nslabs - s->used, s->nslabs, s->used, s->nslabs - s->used - s->slots_free);
		num(n, "slots_free_counted", s->slots_free);
		num(n, "slots_free_by_counter", s->nslabs - s->used);
		num(n, "nslabs", s->nslabs);
		num(n, "used", s->used);
	}
	if (s->slots_free >= 0 && b->slots_free >= 0 && s->slots_free != b->slots_free) {
		n = leak(findings, "swiotlb_slots", "%lld free slots mapped, %lld at baseline (%+lld)",
			 s->slots_free, b->slots_free, s->slots_free - b->slots_free);
		num(n, "slots_free_counted", s->slots_free);
		num(n, "slots_free_baseline", b->slots_free);
	}
	/*
	 * Whole runs are judged on a pool whose slots all came back (used and
	 * counted free as at the baseline): slots still held cost runs too,
	 * and swiotlb_used already says so.
	 */
	if (s->full_runs >= 0 && b->full_runs >= 0 && s->full_runs < b->full_runs &&
	    s->used == b->used && s->slots_free == b->slots_free) {
		n = leak(findings, "swiotlb_full_runs", "%lld free runs of %lld slots, %lld at baseline: free slots no longer join up",
			 s->full_runs, s->max_run, b->full_runs);
		num(n, "full_runs", s->full_runs);
		num(n, "full_runs_baseline", b->full_runs);
		num(n, "max_run_slots", s->max_run);
	}
	if (s->longest_run >= 0 && b->longest_run >= 0 && s->longest_run < b->longest_run) {
		n = leak(findings, "swiotlb_run", "longest mappable run %lld slots, %lld at baseline (of at most %lld)",
			 s->longest_run, b->longest_run, s->max_run);
		num(n, "longest_run_slots", s->longest_run);
		num(n, "longest_run_baseline", b->longest_run);
		num(n, "max_run_slots", s->max_run);
	}
	heap(findings, "xen_heap_4g", "4 GiB", b->xen_free_4g, s->xen_free_4g, lim->xen_bytes);
	heap(findings, "xen_heap_256m", "256 MiB", b->xen_free_256m, s->xen_free_256m, lim->xen_bytes);
	if (lost(b->dom0_free_kib, s->dom0_free_kib, lim->dom0_kib)) {
		n = leak(findings, "dom0_free", "dom0 MemFree %lld KiB, %lld KiB at baseline: %lld KiB lost (limit %lld KiB)",
			 s->dom0_free_kib, b->dom0_free_kib, b->dom0_free_kib - s->dom0_free_kib, lim->dom0_kib);
		num(n, "free_kib", s->dom0_free_kib);
		num(n, "free_kib_baseline", b->dom0_free_kib);
		num(n, "limit_kib", lim->dom0_kib);
	}
	return (int)(json_array_size(findings) - n0);
}

json_t *xb_conserve_snap_json(const struct xb_conserve_snap *s)
{
	json_t *o = json_object();
	const struct {
		const char *key;
		long long v;
	} f[] = {
		{ "nslabs", s->nslabs }, { "used", s->used }, { "slots_free_counted", s->slots_free },
		{ "longest_run_slots", s->longest_run }, { "max_run_slots", s->max_run },
		{ "full_runs", s->full_runs },
		{ "check_mappings", s->mappings }, { "check_ns", s->check_ns },
		{ "xen_free_below_4g_bytes", s->xen_free_4g },
		{ "xen_free_below_256m_bytes", s->xen_free_256m }, { "dom0_memfree_kib", s->dom0_free_kib },
	};

	/* Unknown numbers are left out, the reason the check did not run is kept. */
	for (size_t i = 0; i < XB_ARRAY_SIZE(f); i++)
		if (f[i].v >= 0)
			num(o, f[i].key, f[i].v);
	if (s->check_why[0])
		json_object_set_new(o, "check_unavailable", xb_json_string_lossy(s->check_why));
	if (s->tries > 1)
		num(o, "check_tries", s->tries);
	return o;
}

static long long kv_ll(const char *text, const char *key)
{
	char buf[64];
	uint64_t v;

	if (xb_kv_get(text, key, buf, sizeof(buf)) || xb_parse_u64(buf, 0, INT64_MAX, &v))
		return -1;
	return (long long)v;
}

static long long memfree_kib(void)
{
	char *t = xb_read_file("/proc/meminfo", NULL), *p;
	long long v = -1;

	if (t && (p = strstr(t, "MemFree:")) && sscanf(p + 8, "%lld", &v) != 1)
		v = -1;
	free(t);
	return v;
}

static void module_check(struct xb_conserve_snap *s)
{
	int ret = xb_dev_cmd(XB_FILE_RESERVE, XB_RESERVE_CHECK);
	char *t;

	if (ret) {
		s->check_failed = true;
		snprintf(s->check_why, sizeof(s->check_why), "reserve %s: %s%s", XB_RESERVE_CHECK,
			 strerror(-ret), ret == -EBUSY ? " (a reserve is still held)" :
			 ret == -EOPNOTSUPP ? " (the module's mappings do not bounce here)" : "");
		return;
	}
	t = xb_dev_read(XB_FILE_RESERVE);
	if (!t) {
		s->check_failed = true;
		snprintf(s->check_why, sizeof(s->check_why), "reading %s: %s", XB_FILE_RESERVE, strerror(errno));
		return;
	}
	s->slots_free = kv_ll(t, "check_slots_free");
	s->longest_run = kv_ll(t, "check_longest_run_slots");
	s->max_run = kv_ll(t, "check_max_run_slots");
	s->full_runs = kv_ll(t, "check_full_runs");
	s->mappings = kv_ll(t, "check_mappings");
	s->check_ns = kv_ll(t, "check_time_ns");
	if (s->slots_free < 0 || s->longest_run < 0) {
		s->check_failed = true;
		snprintf(s->check_why, sizeof(s->check_why), "%s: no check_slots_free or check_longest_run_slots",
			 XB_FILE_RESERVE);
	}
	free(t);
}

/* Attempts at a check no other device's mapping overlapped. */
#define CHECK_TRIES 3

static void snapshot(struct xb_conserve *c, struct xb_conserve_snap *s)
{
	unsigned long long b;
	long long used_after = -1;
	double t0 = xb_now();

	/*
	 * Nothing dirty left to write back: a device bouncing meanwhile (all of
	 * them under swiotlb=force) would hold slots the check then misses, or
	 * find none. Under Xen PV, xen-swiotlb bounces only buffers that are
	 * machine-discontiguous or beyond the mask, and the block layer merges
	 * only machine-contiguous pages: no sync() there (it was half the cost).
	 */
	if (c->sync)
		sync();
	c->sync_s = xb_now() - t0;
	for (int i = 0; i < CHECK_TRIES; i++) {
		memset(s, 0, sizeof(*s));
		s->nslabs = xb_swiotlb_value("io_tlb_nslabs");
		s->used = xb_swiotlb_value("io_tlb_used");
		s->slots_free = s->longest_run = s->max_run = s->mappings = s->check_ns = -1;
		s->full_runs = -1;
		module_check(s);
		used_after = xb_swiotlb_value("io_tlb_used");
		s->tries = i + 1;
		if (s->check_failed || used_after == s->used)
			break;
	}
	if (!s->check_failed && used_after != s->used) {
		/* Another device mapped while every try ran: recorded, not judged. */
		snprintf(s->check_why, sizeof(s->check_why),
			 "io_tlb_used changed during each of %d checks (last %lld -> %lld): another device was mapping",
			 CHECK_TRIES, s->used, used_after);
		s->slots_free = s->longest_run = s->full_runs = -1;
	}
	s->xen_free_4g = c->xen && !xb_xen_free_below(c->xen, 32, &b) ? (long long)b : -1;
	s->xen_free_256m = c->xen && !xb_xen_free_below(c->xen, 28, &b) ? (long long)b : -1;
	s->dom0_free_kib = memfree_kib();
}

struct xb_conserve *xb_conserve_open(char *why, size_t len)
{
	struct xb_conserve *c;
	char path[512];
	uint64_t pv = 0;

	if (xb_path(path, sizeof(path), "%s/%s", xb_debugfs_dir(), XB_FILE_RESERVE) || access(path, W_OK)) {
		snprintf(why, len, "no writable %s (xenbounce.ko not loaded, or not root)", path);
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	/* Without swiotlb (a PVH dom0) Xen's heap and dom0's memory are still judged. */
	c->sync = xb_dev_get_u64(XB_FILE_STATUS, "xen_pv", &pv) || !pv;
	c->xen = xb_xen_open();
	snapshot(c, &c->base);
	return c;
}

int xb_conserve_check(struct xb_conserve *c, json_t *findings, json_t *record, char *why, size_t len)
{
	struct xb_conserve_snap now;
	uint64_t held = 0;
	double t0 = xb_now();
	int ret = 0;

	snapshot(c, &now);
	if (now.check_failed && !c->base.check_failed) {
		snprintf(why, len, "the pool check could not run: %s", now.check_why);
		ret = -1;
	}
	json_object_set_new(record, "baseline", xb_conserve_snap_json(&c->base));
	json_object_set_new(record, "after", xb_conserve_snap_json(&now));
	json_object_set_new(record, "sync_seconds", json_real(c->sync_s));
	xb_conserve_judge(&c->base, &now, &xb_conserve_default_limits, findings);
	/* The known-bad control's leak is judged above, then given back. */
	if (!xb_dev_get_u64(XB_FILE_STATUS, "reserve_leaked_slots", &held) && held) {
		int rr = xb_dev_cmd(XB_FILE_RESERVE, "release");

		json_object_set_new(record, "control_leak_released",
				    rr ? json_sprintf("%llu slots: release failed: %s", (unsigned long long)held,
						      strerror(-rr)) :
					  json_sprintf("%llu slots", (unsigned long long)held));
		snapshot(c, &now);
	}
	c->base = now;
	json_object_set_new(record, "seconds", json_real(xb_now() - t0));
	return ret;
}

void xb_conserve_close(struct xb_conserve *c)
{
	if (!c)
		return;
	xb_xen_close(c->xen);
	free(c);
}
