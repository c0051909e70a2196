// SPDX-License-Identifier: GPL-2.0
#include "fault.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "evidence/env.h"
#include "evidence/xen.h"
#include "core/util.h"
#include "kmod/include/uapi/xenbounce.h"
#include "userspace/xbdev.h"

/*
 * Scrambled free memory must be what the next large allocation gets. Since
 * Linux 6.7 the per-CPU page lists tune their size up to 1/8 of a zone per
 * CPU and drain back into the buddy lists every second, so pages that hid
 * there during the scramble come back unscrambled, at the head of the free
 * lists (6.1 kept them small). While such a fault is set up: the largest
 * vm.percpu_pagelist_high_fraction (the smallest, fixed lists) and one CPU
 * for the scramble and the workloads, whose LIFO list then holds the last
 * scrambled block. Both are restored at teardown.
 */
#define PCP_FRACTION "/proc/sys/vm/percpu_pagelist_high_fraction"
#define PCP_SMALLEST "1073741824"

static char pcp_saved[32];
static bool pcp_changed, cpu_pinned;
static cpu_set_t cpus_saved;

static bool fault_scrambles(const struct xb_fault *f)
{
	return f->scramble_mib || f->scramble_blocks || f->scramble_misalign || f->scramble_split ||
	       f->balloon_mib;
}

/* Pages held in all per-CPU lists now (/proc/zoneinfo "count:"); -1 unreadable. */
static long pcp_pages(void)
{
	char *z = xb_read_file("/proc/zoneinfo", NULL), *p;
	long sum = 0;

	if (!z)
		return -1;
	for (p = strstr(z, "count:"); p; p = strstr(p + 6, "count:"))
		sum += strtol(p + 6, NULL, 10);
	free(z);
	return sum;
}

/*
 * Smaller lists do not empty themselves at once: 6.7+ lowers them by an
 * eighth a second. Wait (at most 5 s) until they stop shrinking, so the
 * scramble sees those pages in the free lists instead of meeting them
 * afterwards as whole, unscrambled blocks.
 */
static void pcp_settle(json_t *record)
{
	long before = pcp_pages(), prev = before, now = before;
	struct timespec ts = { 0, 250 * 1000 * 1000 };

	for (int i = 0; i < 20 && now > 0; i++) {
		nanosleep(&ts, NULL);
		now = pcp_pages();
		if (now >= prev && i >= 3)
			break;
		prev = now;
	}
	json_object_set_new(record, "pcp_pages_before", json_integer(before));
	json_object_set_new(record, "pcp_pages_settled", json_integer(now));
}

static void pcp_tighten(json_t *record)
{
	cpu_set_t one;
	int cpu;

	if (!xb_read_line(PCP_FRACTION, pcp_saved, sizeof(pcp_saved)) &&
	    !xb_write_string(PCP_FRACTION, PCP_SMALLEST "\n")) {
		pcp_changed = true;
		json_object_set_new(record, "pcp_high_fraction_before", json_string(pcp_saved));
		pcp_settle(record);
	}
	if (!sched_getaffinity(0, sizeof(cpus_saved), &cpus_saved)) {
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &cpus_saved); cpu++)
			;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (cpu < CPU_SETSIZE && !sched_setaffinity(0, sizeof(one), &one)) {
			cpu_pinned = true;
			json_object_set_new(record, "pinned_cpu", json_integer(cpu));
		}
	}
}

static int pcp_restore(json_t *errs)
{
	int bad = 0;

	if (pcp_changed && xb_write_string(PCP_FRACTION, pcp_saved)) {
		json_array_append_new(errs, json_sprintf("could not restore %s to %s", PCP_FRACTION, pcp_saved));
		bad = 1;
	}
	if (cpu_pinned && sched_setaffinity(0, sizeof(cpus_saved), &cpus_saved)) {
		json_array_append_new(errs, json_sprintf("could not restore the CPU affinity: %s", strerror(errno)));
		bad = 1;
	}
	pcp_changed = false;
	cpu_pinned = false;
	return bad;
}

bool xb_fault_any(const struct xb_fault *f)
{
	return f->pool_pages || f->scramble_mib || f->scramble_blocks || f->scramble_misalign ||
	       f->scramble_split || f->reserve_mode != XB_RESERVE_NONE || f->balloon_mib || f->xen_exhaust_bits;
}

static enum xb_status cmd_status(int ret, const char *what, char *why, size_t len)
{
	if (!ret)
		return XB_PASS;
	snprintf(why, len, "%s: %s", what, strerror(-ret));
	/* The module says EOPNOTSUPP where the fault cannot exist (not Xen PV). */
	return ret == -EOPNOTSUPP ? XB_SKIP : XB_ERROR;
}

/* Copy a module file's "key: value" lines into the record. */
static void record_file(json_t *record, const char *name, const char *file)
{
	char *text = xb_dev_read(file);

	if (text) {
		/* Keep only the header, not per-page dumps. */
		char *dump = strstr(text, "\npfn ");

		if (dump)
			dump[1] = '\0';
		json_object_set_new(record, name, json_string(text));
	}
	free(text);
}

/*
 * Free blocks per order as the workloads find them (/proc/buddyinfo): what
 * a scramble left unbroken below its floor is served before the broken
 * blocks when it is of a smaller order.
 */
static void record_buddyinfo(json_t *record)
{
	char *text = xb_read_file("/proc/buddyinfo", NULL);

	if (text)
		json_object_set_new(record, "buddyinfo_after_setup", json_string(text));
	free(text);
}

/* One swiotlb counter for the fault record; null when it cannot be read. */
static json_t *swiotlb_file(const char *name)
{
	long long v = xb_swiotlb_value(name);

	return v < 0 ? json_null() : json_integer((json_int_t)v);
}

static json_t *swiotlb_used(void)
{
	return swiotlb_file("io_tlb_used");
}

#define DOM0_TARGET "/local/domain/0/memory/target"
#define BALLOON_CURRENT "/sys/devices/system/xen_memory/xen_memory0/info/current_kb"
/*
 * The balloon driver may be slow (a PVH dom0 under TCG on a loaded host
 * gave back 70 MiB in 60 s): wait while it moves, give up when it has not
 * moved for BALLOON_STALL_S or after BALLOON_MAX_S in all.
 */
#define BALLOON_STALL_S 30
#define BALLOON_MAX_S 300

static long long current_kib(void)
{
	char buf[64];
	uint64_t v;

	if (xb_read_line(BALLOON_CURRENT, buf, sizeof(buf)) || xb_parse_u64(buf, 0, UINT64_MAX, &v))
		return -1;
	return (long long)v;
}

/*
 * Set dom0's target and wait until the balloon driver has settled: at the
 * target, or within 4 MiB of it and unchanged for a second (the driver works
 * in batches, so a value within 4 MiB may still be on its way).
 */
static int balloon_to(long long kib, char *why, size_t len)
{
	char val[32];
	double start = xb_now(), changed = start;
	long long last = -1;
	int ret;

	snprintf(val, sizeof(val), "%lld", kib);
	ret = xb_xs_op(DOM0_TARGET, val, NULL, 0, 5000);
	if (ret) {
		snprintf(why, len, "balloon: could not write %s: %s", DOM0_TARGET, strerror(-ret));
		return ret;
	}
	while (xb_now() - changed < BALLOON_STALL_S && xb_now() - start < BALLOON_MAX_S) {
		long long cur = current_kib();
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (cur != last) {
			last = cur;
			changed = xb_now();
		}
		if (cur == kib || (cur >= 0 && llabs(cur - kib) <= 4096 && xb_now() - changed >= 1.0))
			return 0;
		nanosleep(&ts, NULL);
	}
	snprintf(why, len, "balloon: dom0 did not reach %lld KiB: now %lld after %.0f s, %s", kib,
		 current_kib(), xb_now() - start,
		 xb_now() - start >= BALLOON_MAX_S ? "the limit" : "not moving");
	return -ETIMEDOUT;
}

/*
 * Balloon dom0 down by mib and back up: the pages it gets back are fresh
 * machine frames, so the P2M comes out fragmented (PV and PVH alike; only
 * PV hands machine addresses to devices). The original target is always
 * put back.
 */
static enum xb_status balloon(uint64_t mib, json_t *record, char *why, size_t len)
{
	char buf[64];
	uint64_t target;
	long long before = current_kib(), low;
	double t0 = xb_now();
	int ret;

	if (before < 0 || xb_env_dom0_mode() == XB_DOM0_NONE) {
		snprintf(why, len, "balloon: not a Xen domain with a balloon driver (%s)", BALLOON_CURRENT);
		return XB_SKIP;
	}
	ret = xb_xs_op(DOM0_TARGET, NULL, buf, sizeof(buf), 2000);
	if (ret == -ETIMEDOUT) {
		snprintf(why, len, "balloon: xenstore does not answer (no xenstored?)");
		return XB_SKIP;
	}
	/* No target written yet (toolstack never set one): dom0's size now. */
	if (ret || xb_parse_u64(buf, 1, UINT64_MAX, &target)) {
		target = (uint64_t)before;
		snprintf(buf, sizeof(buf), "%lld", before);
	}
	json_object_set_new(record, "balloon_target_kib", json_integer((json_int_t)target));
	json_object_set_new(record, "balloon_current_kib_before", json_integer(before));
	if (mib * 1024 >= target / 2) {
		snprintf(why, len, "balloon: %llu MiB is more than half of dom0's %llu KiB",
			 (unsigned long long)mib, (unsigned long long)target);
		return XB_ERROR;
	}
	ret = balloon_to((long long)(target - mib * 1024), why, len);
	low = current_kib();
	if (!ret)
		ret = balloon_to((long long)target, why, len);
	if (ret)	/* always put the target back */
		xb_xs_op(DOM0_TARGET, buf, NULL, 0, 5000);
	json_object_set_new(record, "balloon_current_kib_low", json_integer(low));
	json_object_set_new(record, "balloon_current_kib_after", json_integer(current_kib()));
	json_object_set_new(record, "balloon_seconds", json_real(xb_now() - t0));
	return ret ? XB_ERROR : XB_PASS;
}

/* Xen's free memory below 2^bits into the record, in KiB (null when unreadable). */
static void record_xen_free(json_t *record, const char *key, uint64_t bits)
{
	long long kib = xb_xen_free_below_kib((unsigned int)bits);

	json_object_set_new(record, key, kib < 0 ? json_null() : json_integer(kib));
}

/*
 * Exhaust Xen's free memory below 2^bits: the module exchanges dom0's free
 * blocks for extents below the limit until Xen refuses, and holds them.
 * When it stopped for another reason (dom0's floor, its own maximum), Xen
 * may still have memory there and the scenario cannot see the fault: SKIP.
 */
static enum xb_status xen_exhaust(const struct xb_fault *f, json_t *record, char *why, size_t len)
{
	char stopped[32] = "";
	enum xb_status st;
	char *text;

	record_xen_free(record, "xen_free_below_kib_before", f->xen_exhaust_bits);
	st = cmd_status(xb_dev_cmd(XB_FILE_EXHAUST, "take %llu %llu",
				   (unsigned long long)f->xen_exhaust_bits,
				   (unsigned long long)f->xen_exhaust_min_order),
			"xen exhaust", why, len);
	if (st != XB_PASS)
		return st;
	record_file(record, "xen_exhaust", XB_FILE_EXHAUST);
	record_xen_free(record, "xen_free_below_kib_exhausted", f->xen_exhaust_bits);
	text = xb_dev_read(XB_FILE_EXHAUST);
	if (text)
		xb_kv_get(text, "stopped", stopped, sizeof(stopped));
	free(text);
	if (strcmp(stopped, "xen_refused")) {
		snprintf(why, len, "precondition: Xen's memory below 2^%llu not exhausted (the module stopped: %s)",
			 (unsigned long long)f->xen_exhaust_bits, stopped[0] ? stopped : "unreadable");
		return XB_SKIP;
	}
	return XB_PASS;
}

/*
 * A scramble mode with a probe ("misalign", "split"): run it, record the
 * module's file, then read the module's own probe: did an allocation after
 * the fault get the block it builds (after the blocks served first, held
 * until teardown)? If not, the workloads cannot see the fault and a pass
 * would mean nothing: SKIP.
 */
static enum xb_status scramble_probed(const char *mode, const char *probe_key, const char *what,
				      uint64_t seed, json_t *record, char *why, size_t len)
{
	char cmd[64], key[64];
	uint64_t found = 0;
	enum xb_status st;

	snprintf(cmd, sizeof(cmd), "scramble %s", mode);
	snprintf(key, sizeof(key), "scramble_%s", mode);
	st = cmd_status(xb_dev_cmd(XB_FILE_SCRAMBLE, "%s %llu", mode, (unsigned long long)seed), cmd, why, len);
	if (st != XB_PASS)
		return st;
	record_file(record, key, XB_FILE_SCRAMBLE);
	if (xb_dev_get_u64(XB_FILE_SCRAMBLE, probe_key, &found) || !found) {
		snprintf(why, len, "precondition: no %s after %s", what, cmd);
		return XB_SKIP;
	}
	return XB_PASS;
}

enum xb_status xb_fault_setup(const struct xb_scenario *sc, uint64_t seed, json_t *record,
			      char *why, size_t len)
{
	const struct xb_fault *f = &sc->fault;
	enum xb_status st;
	int ret;
	char w[256];

	if (!xb_fault_any(f))
		return XB_PASS;
	if (xb_env_check(XB_REQ_ROOT | XB_REQ_KMOD, w, sizeof(w))) {
		snprintf(why, len, "fault injection: %s", w);
		return XB_SKIP;
	}
	if (fault_scrambles(f))
		pcp_tighten(record);
	if (f->balloon_mib) {
		st = balloon(f->balloon_mib, record, why, len);
		if (st != XB_PASS)
			return st;
	}
	if (f->pool_pages) {
		ret = xb_dev_cmd(XB_FILE_POOL, "%s %llu", f->pool_contiguous ? "alloc_contig" : "alloc",
				 (unsigned long long)f->pool_pages);
		if (ret == -EAGAIN) {
			snprintf(why, len, "precondition: no machine-contiguous block of %llu pages in %d tries",
				 (unsigned long long)f->pool_pages, XB_CONTIG_TRIES);
			return XB_SKIP;
		}
		st = cmd_status(ret, "pool alloc", why, len);
		if (st != XB_PASS)
			return st;
		if (f->pool_shuffle) {
			st = cmd_status(xb_dev_cmd(XB_FILE_POOL, "shuffle %llu", (unsigned long long)seed),
					"pool shuffle", why, len);
			if (st != XB_PASS)
				return st;
		}
		record_file(record, "pool", XB_FILE_POOL);
	}
	if (f->scramble_mib) {
		st = cmd_status(xb_dev_cmd(XB_FILE_SCRAMBLE, "%llu %llu", (unsigned long long)f->scramble_mib,
					   (unsigned long long)seed), "scramble", why, len);
		if (st != XB_PASS)
			return st;
		record_file(record, "scramble", XB_FILE_SCRAMBLE);
	}
	if (f->scramble_blocks) {
		/* Held until the end of setup: see release_blocks below. */
		st = cmd_status(xb_dev_cmd(XB_FILE_SCRAMBLE, "blocks %llu hold", (unsigned long long)seed),
				"scramble blocks", why, len);
		if (st != XB_PASS)
			return st;
		record_file(record, "scramble_blocks", XB_FILE_SCRAMBLE);
	}
	if (f->scramble_misalign) {
		char what[96];

		snprintf(what, sizeof(what), "machine-contiguous, misaligned %u KiB block",
			 4u << XB_MISALIGN_PROBE_ORDER);
		st = scramble_probed(XB_SCRAMBLE_MISALIGN, "probe_misaligned", what, seed, record, why, len);
		if (st != XB_PASS)
			return st;
	}
	if (f->scramble_split) {
		st = scramble_probed(XB_SCRAMBLE_SPLIT, "probe_split",
				     "4 MiB block with a machine-contiguous lower half and a discontiguous upper half",
				     seed, record, why, len);
		if (st != XB_PASS)
			return st;
	}
	if (f->reserve_mode != XB_RESERVE_NONE) {
		static const char *const words[] = {
			[XB_RESERVE_FREE] = "free", [XB_RESERVE_SLOTS] = "slots",
			[XB_RESERVE_FRAGMENT] = "fragment", [XB_RESERVE_HOLE] = "hole",
		};

		json_object_set_new(record, "swiotlb_used_before_reserve", swiotlb_used());
		st = cmd_status(xb_dev_cmd(XB_FILE_RESERVE, "%s=%llu", words[f->reserve_mode],
					   (unsigned long long)f->reserve_value), "swiotlb reserve", why, len);
		if (st != XB_PASS)
			return st;
		json_object_set_new(record, "swiotlb_used_after_reserve", swiotlb_used());
		json_object_set_new(record, "swiotlb_nslabs", swiotlb_file("io_tlb_nslabs"));
		record_file(record, "reserve", XB_FILE_RESERVE);
	}
	/*
	 * The broken blocks go back last, just before the workloads: the
	 * newest free 2 MiB blocks are then broken ones, whatever the per-CPU
	 * lists handed back meanwhile.
	 */
	if (f->scramble_blocks) {
		st = cmd_status(xb_dev_cmd(XB_FILE_SCRAMBLE, "release_blocks"), "scramble release_blocks",
				why, len);
		if (st != XB_PASS)
			return st;
		/* held_clean_blocks: what the allocator still offered first */
		record_file(record, "scramble_release_blocks", XB_FILE_SCRAMBLE);
	}
	/* Last: what the module holds is not dom0's until teardown. */
	if (f->xen_exhaust_bits) {
		st = xen_exhaust(f, record, why, len);
		if (st != XB_PASS)
			return st;
	}
	if (fault_scrambles(f))
		record_buddyinfo(record);
	return XB_PASS;
}

enum xb_status xb_fault_teardown(const struct xb_scenario *sc, json_t *record, char *why,
				  size_t len)
{
	const struct xb_fault *f = &sc->fault;
	json_t *errs = json_array();
	int ret;

	if (!xb_fault_any(f)) {
		json_decref(errs);
		return XB_PASS;
	}
	/* Reverse order of setup; the module tolerates "nothing to release". */
	if (f->xen_exhaust_bits) {
		uint64_t held = 1, kept = 0, lost = 0;

		if ((ret = xb_dev_cmd(XB_FILE_EXHAUST, "release")))
			json_array_append_new(errs, json_sprintf("xen exhaust release: %s", strerror(-ret)));
		record_file(record, "xen_exhaust_release", XB_FILE_EXHAUST);
		record_xen_free(record, "xen_free_below_kib_released", f->xen_exhaust_bits);
		if (xb_dev_get_u64(XB_FILE_EXHAUST, "held_kib", &held) ||
		    xb_dev_get_u64(XB_FILE_EXHAUST, "kept_kib", &kept) ||
		    xb_dev_get_u64(XB_FILE_EXHAUST, "lost_kib", &lost) || held || kept || lost)
			json_array_append_new(errs, json_sprintf("xen exhaust release: %llu KiB still held, %llu KiB not taken back by Xen, %llu KiB lost",
								 (unsigned long long)held, (unsigned long long)kept,
								 (unsigned long long)lost));
	}
	if (f->reserve_mode != XB_RESERVE_NONE && (ret = xb_dev_cmd(XB_FILE_RESERVE, "release")))
		json_array_append_new(errs, json_sprintf("reserve release: %s", strerror(-ret)));
	/* One "release" gives back every block the scramble holds: the probe's, broken and clean. */
	if ((f->scramble_misalign || f->scramble_blocks || f->scramble_split) && (ret = xb_dev_cmd(XB_FILE_SCRAMBLE, "release")))
		json_array_append_new(errs, json_sprintf("scramble release: %s", strerror(-ret)));
	if (f->pool_pages && (ret = xb_dev_cmd(XB_FILE_POOL, "free")))
		json_array_append_new(errs, json_sprintf("pool free: %s", strerror(-ret)));
	pcp_restore(errs);
	json_object_set_new(record, "teardown_errors", errs);
	/* Anything not undone changes what the next test sees: an error. */
	if (json_array_size(errs)) {
		snprintf(why, len, "%s", json_string_value(json_array_get(errs, 0)));
		return XB_ERROR;
	}
	return XB_PASS;
}
