// SPDX-License-Identifier: GPL-2.0
#include "classify.h"

#include <errno.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "util.h"

/*
 * What each rule captures. A rule's numbers[] names its regex groups that
 * are numbers (decimal, or hex where the log prints hex), device is the
 * group holding a PCI address, and the fixup function derives a subkind
 * where the line alone decides it.
 */
enum rule_id {
	R_SWIOTLB_FULL_TOTALS,
	R_SWIOTLB_FULL,
	R_SW_IOMMU_SPACE,
	R_XEN_VTD,
	R_XEN_VTD_REASON,
	R_XEN_AMDVI,
	R_LINUX_AMDVI_NEW,
	R_LINUX_AMDVI_OLD,
	R_LINUX_DMAR,
	R_LINUX_DMAR_OLD,
	R_LINUX_DMAR_OLD_REASON,
	R_AMDGPU_VM_FAULT,
	R_AMDGPU_VM_STATUS,
	R_AMDGPU_RING_TIMEOUT,
	R_AMDGPU_RESET,
	R_RADEON_LOCKUP,
	R_RADEON_STALLED,
	R_BO_ALLOC_FAIL,
	R_KERNEL_BUG,
	R_GPF,
	R_SLEEP_IN_ATOMIC,
	R_SOFT_LOCKUP,
	R_SLAB,
	R_RCU_STALL,
	R_HUNG_TASK,
	R_BUG,
	R_OOPS,
	R_PANIC,
	R_XEN_PANIC,
	R_HARD_LOCKUP,
	R_DOM0_CRASHED,
	R_WARNING,
	R_XEN_DEVICE_DISABLED,
	R_SUPPRESSED,
	R_COUNT
};

struct rule {
	enum rule_id id;
	int kind;		/* enum xb_kind, or -1: not a finding */
	const char *subkind;
	const char *re;
	int device_group;	/* 0: none */
	const char *groups[6];	/* names of groups 1..n; NULL: skip */
	bool hex[6];
};

/* A message, joined fragments included, is cut at this (the kernel's LOG_LINE_MAX is 992). */
#define MSG_MAX 1024

#define BDF "([0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]|[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7])"

static const struct rule rules[] = {
	{ R_SWIOTLB_FULL_TOTALS, XB_K_POOL_EXHAUSTED, "pool_full",
	  "swiotlb buffer is full \\(sz: ([0-9]+) bytes\\), total ([0-9]+) \\(slots\\), used ([0-9]+) \\(slots\\)",
	  0, { "size_bytes", "total_slots", "used_slots" } },
	{ R_SWIOTLB_FULL, XB_K_POOL_EXHAUSTED, "pool_full",
	  "swiotlb buffer is full \\(sz: ([0-9]+) bytes\\)", 0, { "size_bytes" } },
	{ R_SW_IOMMU_SPACE, XB_K_POOL_EXHAUSTED, "sw_iommu_space",
	  "Out of SW-IOMMU space for ([0-9]+) bytes", 0, { "size_bytes" } },
	{ R_XEN_VTD, XB_K_IOMMU_FAULT, "xen_vtd",
	  "\\[VT-D\\]DMAR:\\[DMA (Read|Write)\\] Request device \\[" BDF "\\] fault addr ([0-9a-fA-F]+)",
	  2, { NULL, NULL, "addr" }, { false, false, true } },
	{ R_XEN_VTD_REASON, -1, NULL,
	  "\\[VT-D\\]DMAR: reason ([0-9a-fA-F]+) - (.*)$", 0, { "reason" }, { true } },
	{ R_XEN_AMDVI, XB_K_IOMMU_FAULT, "xen_amdvi",
	  "AMD-Vi: ([A-Z_]+): " BDF " d([0-9]+) addr ([0-9a-fA-F]+) flags (0x[0-9a-fA-F]+)",
	  2, { NULL, NULL, "domain", "addr", "flags" }, { false, false, false, true, true } },
	{ R_LINUX_AMDVI_NEW, XB_K_IOMMU_FAULT, "linux_amdvi",
	  "AMD-Vi: Event logged \\[IO_PAGE_FAULT domain=0x([0-9a-fA-F]+) address=0x([0-9a-fA-F]+) flags=0x([0-9a-fA-F]+)\\]",
	  0, { "domain", "addr", "flags" }, { true, true, true } },
	{ R_LINUX_AMDVI_OLD, XB_K_IOMMU_FAULT, "linux_amdvi",
	  "AMD-Vi: Event logged \\[IO_PAGE_FAULT device=" BDF " domain=0x([0-9a-fA-F]+) address=0x([0-9a-fA-F]+) flags=0x([0-9a-fA-F]+)\\]",
	  1, { NULL, "domain", "addr", "flags" }, { false, true, true, true } },
	/*
	 * Linux 4.x-5.x "[%s] Request device [...] fault addr %llx [fault reason
	 * %02d] %s" (5.x: "PASID %x " before "fault addr"); 5.x and later (6.1,
	 * 6.12) "[%s NO_PASID]" or "[%s PASID 0x%x]", "fault addr 0x%llx
	 * [fault reason 0x%02x] %s". Groups: 1 access, 2 PASID, 3 device, 4
	 * old PASID, 5 "0x", 6 addr, 7 "0x" (hex reason), 8 reason, 9 its text.
	 */
	{ R_LINUX_DMAR, XB_K_IOMMU_FAULT, "linux_dmar",
	  "DMAR: ?\\[DMA (Read|Write)( NO_PASID| PASID [0-9a-fA-Fx]+)?\\] Request device \\[" BDF "\\] (PASID [0-9a-fA-F]+ )?fault addr (0x)?([0-9a-fA-F]+) \\[fault reason (0x)?([0-9a-fA-F]+)\\] ?(.*)$",
	  3, { NULL, NULL, NULL, NULL, NULL, "addr" },
	  { false, false, false, false, false, true } },
	{ R_LINUX_DMAR_OLD, XB_K_IOMMU_FAULT, "linux_dmar",
	  "DMAR: ?\\[DMA (Read|Write)\\] Request device \\[" BDF "\\] fault addr (0x)?([0-9a-fA-F]+) *$",
	  2, { NULL, NULL, NULL, "addr" }, { false, false, false, true } },
	/* The second line of the above: "DMAR:[fault reason %02d] %s", decimal. */
	{ R_LINUX_DMAR_OLD_REASON, -1, NULL,
	  "DMAR: ?\\[fault reason ([0-9]+)\\] (.*)$", 0, { "reason" }, { false } },
	{ R_AMDGPU_VM_FAULT, XB_K_GPU_FAULT, "gpuvm_fault",
	  "\\[(gfxhub|mmhub)[0-9]*\\] ([a-z-]+ )?page fault \\(src_id:([0-9]+) ring:([0-9]+) vmid:([0-9]+) pasid:([0-9]+)",
	  0, { NULL, NULL, "src_id", "ring", "vmid", "pasid" } },
	{ R_AMDGPU_VM_STATUS, -1, NULL,
	  "(GC)?VM_L2_PROTECTION_FAULT_STATUS: ?0x([0-9a-fA-F]+)", 0, { NULL, "l2_status" }, { false, true } },
	{ R_AMDGPU_RING_TIMEOUT, XB_K_GPU_FAULT, "ring_timeout",
	  "ring ([A-Za-z0-9_.]+) timeout, signaled seq=([0-9]+), emitted seq=([0-9]+)",
	  0, { NULL, "signaled_seq", "emitted_seq" } },
	{ R_AMDGPU_RESET, XB_K_GPU_FAULT, "gpu_reset",
	  "GPU reset begin!|GPU reset\\(([0-9]+)\\) succeeded|GPU reset succeeded|GPU recovery failed", 0, { "reset_count" } },
	{ R_RADEON_LOCKUP, XB_K_GPU_FAULT, "radeon_lockup", "GPU lockup", 0, { NULL } },
	{ R_RADEON_STALLED, XB_K_GPU_FAULT, "ring_stalled",
	  "ring ([0-9]+) stalled for more than ([0-9]+) ?msec", 0, { "ring", "stalled_ms" } },
	{ R_BO_ALLOC_FAIL, XB_K_MAP_ERROR, "bo_alloc_failed",
	  "(Failed to allocate GEM object|failed to allocate BO|Failed to allocate buffer object).*\\((-?[0-9]+)\\)",
	  0, { NULL, "errno" } },
	{ R_KERNEL_BUG, XB_K_OOPS, "kernel_bug", "kernel BUG at ([^ !]+)", 0, { NULL } },
	/*
	 * The kernel's own reports, each its header line (the lines after it
	 * match nothing). Linux 6.1 and 6.12: x86 traps.c + dumpstack.c
	 * "general protection fault[, probably for non-canonical address
	 * 0x%lx | , maybe for address 0x%lx]: %04lx [#%d] ..." (no "Oops: 0000"
	 * line; 6.10 and later put "Oops: " in front); sched/core.c
	 * __might_resched(); watchdog.c's soft lockup (before R_BUG, whose
	 * generic "BUG:" would take it); slub.c slab_bug() "BUG %s (%s): %pV"
	 * (cache, print_tainted(), reason); rcu/tree_stall.h and tree_exp.h
	 * stalls; hung_task.c.
	 */
	{ R_GPF, XB_K_OOPS, "gpf",
	  "general protection fault(, [^:]* 0x([0-9a-fA-F]+))?: [0-9a-fA-F]{4} \\[#[0-9]+\\]",
	  0, { NULL, "addr" }, { false, true } },
	{ R_SLEEP_IN_ATOMIC, XB_K_OOPS, "sleep_in_atomic",
	  "BUG: sleeping function called from invalid context", 0, { NULL } },
	{ R_SOFT_LOCKUP, XB_K_OOPS, "soft_lockup",
	  "BUG: soft lockup - CPU#([0-9]+) stuck for ([0-9]+)s!( \\[.*:([0-9]+)\\])?",
	  0, { "cpu", "stuck_s", NULL, "pid" } },
	{ R_SLAB, XB_K_OOPS, "slab_corruption",
	  "^BUG ([^ ]+) \\((Not tainted|Tainted: [^)]*)\\): (.+)$", 0, { NULL } },
	{ R_RCU_STALL, XB_K_OOPS, "rcu_stall",
	  "INFO: rcu_[a-z_]+ (self-detected stall on CPU|detected (expedited )?stalls on (CPUs/)?tasks)",
	  0, { NULL } },
	{ R_HUNG_TASK, XB_K_OOPS, "hung_task",
	  "INFO: task .*:([0-9]+) blocked for more than ([0-9]+) seconds", 0, { "pid", "blocked_s" } },
	{ R_BUG, XB_K_OOPS, "bug", "BUG: (unable to handle|kernel NULL pointer|Bad page|scheduling while atomic|KASAN|spinlock)", 0, { NULL } },
	{ R_OOPS, XB_K_OOPS, "oops", "Oops: [0-9a-fA-Fx]+", 0, { NULL } },
	{ R_PANIC, XB_K_OOPS, "panic", "Kernel panic - not syncing", 0, { NULL } },
	{ R_XEN_PANIC, XB_K_OOPS, "xen_panic", "Panic on CPU ([0-9]+)", 0, { "cpu" } },
	/*
	 * 6.1 watchdog_hld.c (pr_fmt "NMI watchdog: "), later watchdog.c:
	 * "Watchdog detected hard LOCKUP on cpu %d". After R_PANIC: a kernel
	 * that panics with these words is a panic.
	 */
	{ R_HARD_LOCKUP, XB_K_OOPS, "hard_lockup", "Watchdog detected hard LOCKUP on cpu ([0-9]+)", 0, { "cpu" } },
	{ R_DOM0_CRASHED, XB_K_OOPS, "dom0_crashed", "Hardware Dom0 crashed", 0, { NULL } },
	{ R_WARNING, XB_K_WARNING, "warning", "WARNING: CPU: ([0-9]+) PID: ([0-9]+) at ([^ ]+)", 0, { "cpu", "pid" } },
	{ R_XEN_DEVICE_DISABLED, XB_K_DEVICE_DISABLED, "bus_master_off",
	  BDF ": (disabl(ed|ing) .*(bus[- ]mast|too many)|.*bus mastering disabled)", 1, { NULL } },
	{ R_SUPPRESSED, -1, NULL, "([A-Za-z0-9_]+): ([0-9]+) callbacks suppressed", 0, { NULL, "suppressed" } },
};

_Static_assert(XB_ARRAY_SIZE(rules) == R_COUNT, "one rule per rule_id");

struct xb_classifier {
	char *source;		/* the findings' "source", whole */
	regex_t re[R_COUNT];
	regex_t bdf;
	bool ok[R_COUNT];
	json_t *last_iommu;	/* for two-line forms */
	json_t *last_gpu;
	json_t *last_slab;	/* a SLUB report, until another finding */
	size_t lines, suppressed;
	/* The record held back until the next one shows whether it continues it. */
	char held[MSG_MAX];
	char held_caller[16];	/* kmsg's "caller=T123", or "" */
	bool have_held, held_xen;
	bool after_kmsg;	/* " KEY=value" lines are the last record's dictionary */
	/* Where a finding came from (xb_classifier_positions()). */
	bool positions;
	size_t fed;		/* lines given to xb_classify_line() */
	size_t newlines;	/* '\n' seen by xb_classify_buf() and _stream() */
	size_t held_line_no;
	char held_ts[XB_CLASSIFY_TS_MAX];
	size_t ktap_skipped;
};

struct xb_classifier *xb_classifier_new(const char *source)
{
	struct xb_classifier *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->source = strdup(source ? source : "log");
	if (!c->source) {
		free(c);
		return NULL;
	}
	for (size_t i = 0; i < R_COUNT; i++)
		c->ok[i] = regcomp(&c->re[i], rules[i].re, REG_EXTENDED) == 0;
	regcomp(&c->bdf, BDF, REG_EXTENDED);
	return c;
}

void xb_classifier_free(struct xb_classifier *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < R_COUNT; i++)
		if (c->ok[i])
			regfree(&c->re[i]);
	regfree(&c->bdf);
	json_decref(c->last_iommu);
	json_decref(c->last_gpu);
	json_decref(c->last_slab);
	free(c->source);
	free(c);
}

size_t xb_classifier_lines(const struct xb_classifier *c)
{
	return c->lines;
}

size_t xb_classifier_suppressed(const struct xb_classifier *c)
{
	return c->suppressed;
}

size_t xb_classifier_ktap_skipped(const struct xb_classifier *c)
{
	return c->ktap_skipped;
}

void xb_classifier_positions(struct xb_classifier *c, bool on)
{
	c->positions = on;
}

static bool skip_digits(const char **p, size_t min)
{
	size_t n = 0;

	while (**p >= '0' && **p <= '9') {
		(*p)++;
		n++;
	}
	return n >= min;
}

/* "[  123.456789] " or "[000000000ebb0c70] " */
static const char *skip_timestamp(const char *s)
{
	const char *p = s;

	if (*p != '[')
		return s;
	p++;
	while (*p == ' ')
		p++;
	while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == '.')
		p++;
	if (*p != ']')
		return s;
	p++;
	while (*p == ' ')
		p++;
	return p;
}

/*
 * The text of a bracketed stamp at s ("[  12.345678]", "[000000000ebb0c70]",
 * Xen's "[2024-12-06 16:24:53.123]"), blanks trimmed, into ts; false when
 * s holds none.
 */
static bool bracket_ts(const char *s, char *ts, size_t len)
{
	const char *p = s + 1, *end;
	bool digit = false;

	if (*s != '[')
		return false;
	while (*p == ' ')
		p++;
	for (end = p; *end && *end != ']'; end++) {
		if (!strchr("0123456789abcdefABCDEF.:- ", *end))
			return false;
		digit |= *end >= '0' && *end <= '9';
	}
	if (*end != ']' || !digit)
		return false;
	while (end > p && end[-1] == ' ')
		end--;
	snprintf(ts, len, "%.*s", (int)(end - p), p);
	return true;
}

/*
 * A saved log line's timestamp, as printed, or "": a syslog or journal
 * prefix's time ("Dec 06 16:24:53[.123456]", "2024-12-06T16:24:53+0100"),
 * else the dmesg seconds ("[  12.345678]", also after "<N>" and in
 * journalctl -o short-monotonic), else a Xen console stamp after "(XEN) ".
 */
static void log_ts(const char *line, char *ts, size_t len)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const char *p = line, *q;

	ts[0] = '\0';
	/* "Dec 06 16:24:53[.123456] host kernel: ", "Dec  6 ...". */
	for (size_t i = 0; i < XB_ARRAY_SIZE(months); i++) {
		if (strncmp(line, months[i], 3) || line[3] != ' ')
			continue;
		q = line + 4;
		while (*q == ' ')
			q++;
		if (skip_digits(&q, 1) && *q++ == ' ' && skip_digits(&q, 2) && *q++ == ':' &&
		    skip_digits(&q, 2) && *q++ == ':' && skip_digits(&q, 2) &&
		    strstr(q, " kernel: ")) {
			/* short-precise: fractions of a second */
			if (*q == '.') {
				q++;
				skip_digits(&q, 1);
			}
			if (*q != ' ')
				break;
			snprintf(ts, len, "%.*s", (int)(q - line), line);
			return;
		}
		break;
	}
	/* "2024-12-06T16:24:53+0100 host kernel: " */
	q = line;
	if (skip_digits(&q, 4) && *q++ == '-' && skip_digits(&q, 2) && *q++ == '-' &&
	    skip_digits(&q, 2) && *q == 'T' && strchr(q, ' ') && strstr(q, " kernel: ")) {
		snprintf(ts, len, "%.*s", (int)(strchr(q, ' ') - line), line);
		return;
	}
	if (*p == '<') {
		q = p + 1;
		if (skip_digits(&q, 1) && *q == '>')
			p = q + 1;
	}
	if (bracket_ts(p, ts, len))
		return;
	if (!strncmp(p, "(XEN)", 5)) {
		p += 5;
		while (*p == ' ')
			p++;
		bracket_ts(p, ts, len);
	}
}

/*
 * A line xenbounce itself wrote into the log: its KTAP (a serial console
 * or a LAVA log holds the run's output between the kernel's lines), whose
 * diagnostics repeat the kernel's lines the findings came from. msg is
 * normalized (no console timestamp); the kernel's own lines never start
 * with "# ", "ok ", "not ok " or a version line.
 */
static bool harness_ktap(const char *msg)
{
	while (*msg == ' ' || *msg == '\t')
		msg++;
	return !strncmp(msg, "# ", 2) || !strcmp(msg, "#") || !strncmp(msg, "ok ", 3) ||
	       !strncmp(msg, "not ok ", 7) || !strncmp(msg, "KTAP version ", 13) ||
	       !strncmp(msg, "TAP version ", 12);
}

void xb_log_normalize(const char *line, char *out, size_t len, int *xen)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const char *p = line, *k;
	size_t n;

	*xen = 0;
	/* syslog/journal: "Dec 06 16:24:53 host kernel: " */
	for (size_t i = 0; i < XB_ARRAY_SIZE(months); i++) {
		const char *q = p + 4;

		if (strncmp(p, months[i], 3) || p[3] != ' ')
			continue;
		while (*q == ' ')
			q++;
		if (!skip_digits(&q, 1) || *q++ != ' ' || !skip_digits(&q, 2) || *q++ != ':' ||
		    !skip_digits(&q, 2) || *q++ != ':' || !skip_digits(&q, 2))
			break;
		k = strstr(q, " kernel: ");
		if (k)
			p = k + 9;
		break;
	}
	/* ISO journal form: "2024-12-06T16:24:53+0100 host kernel: " */
	if (p == line && (k = strstr(p, " kernel: ")) && k - p < 64 && p[0] >= '0' && p[0] <= '9')
		p = k + 9;
	/* dmesg -r: "<6>[    1.000000] text". */
	if (*p == '<') {
		const char *q = p + 1;

		if (skip_digits(&q, 1) && *q == '>')
			p = q + 1;
	}
	/* kmsg records from /dev/kmsg have no timestamp; dmesg output has. */
	p = skip_timestamp(p);
	/* journalctl -o short-monotonic: "[    1.234567] host kernel: ". */
	if (p != line && (k = strstr(p, " kernel: ")) && !memchr(p, ' ', (size_t)(k - p)))
		p = k + 9;
	if (!strncmp(p, "(XEN)", 5)) {
		*xen = 1;
		p += 5;
		while (*p == ' ')
			p++;
		p = skip_timestamp(p);
	}
	snprintf(out, len, "%s", p);
	n = strlen(out);
	while (n && (out[n - 1] == '\r' || out[n - 1] == '\n'))
		out[--n] = '\0';
}

/*
 * A number as the log prints it (decimal, or hex with or without "0x").
 * False when it does not fit a JSON integer (int64): such a number is
 * unknown, never a wrapped or saturated value.
 */
static bool parse_number(const char *s, size_t len, bool hex, json_int_t *v)
{
	unsigned long long x = 0, base = hex ? 16 : 10;

	if (hex && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned long long d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned long long)(s[i] - '0');
		else if (hex && s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned long long)(s[i] - 'a' + 10);
		else if (hex && s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned long long)(s[i] - 'A' + 10);
		else
			return false;
		if (x > ((unsigned long long)INT64_MAX - d) / base)
			return false;
		x = x * base + d;
	}
	*v = (json_int_t)x;
	return true;
}

/*
 * Log text as a JSON string: every string a finding takes from the log
 * goes through here, so a line that is not UTF-8 is escaped, never
 * dropped (xb_json_string_lossy()). s[0..len) lies within a message, so
 * it fits MSG_MAX.
 */
static json_t *log_string(const char *s, size_t len)
{
	char buf[MSG_MAX];

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return xb_json_string_lossy(buf);
}

/* Group g of a match, as log_string(). */
static json_t *group_string(const char *s, const regmatch_t *m, int g)
{
	return log_string(s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so));
}

/*
 * numbers.NAME from the text s[0..len), or, when it does not fit,
 * out_of_range.NAME with the text as printed: unknown, and nothing may be
 * derived from it.
 */
static void set_number(json_t *f, const char *name, const char *s, size_t len, bool hex)
{
	json_int_t v;
	json_t *oor;

	if (parse_number(s, len, hex, &v)) {
		json_object_set_new(json_object_get(f, "numbers"), name, json_integer(v));
		return;
	}
	oor = json_object_get(f, "out_of_range");
	if (!oor) {
		oor = json_object();
		json_object_set_new(f, "out_of_range", oor);
	}
	json_object_del(json_object_get(f, "numbers"), name);
	json_object_set_new(oor, name, log_string(s, len));
}

static void set_group(json_t *f, const struct rule *r, int g, const char *s, regmatch_t *m)
{
	if (m[g].rm_so < 0 || !r->groups[g - 1])
		return;
	set_number(f, r->groups[g - 1], s + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so),
		   r->hex[g - 1]);
}

static void set_device(json_t *f, const char *s, regmatch_t *m, int g)
{
	char buf[32];
	size_t len = (size_t)(m[g].rm_eo - m[g].rm_so);

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s + m[g].rm_so, len);
	buf[len] = '\0';
	/* Linux prints bus:dev.fn without the segment in some forms. */
	if (len == 7) {
		memmove(buf + 5, buf, len + 1);
		memcpy(buf, "0000:", 5);
		len += 5;
	}
	json_object_set_new(f, "device", log_string(buf, len));
}

/*
 * Which way the pool ran out, from the numbers; "undetermined" when a
 * number it needs is unknown (out of range).
 */
static void pool_subkind(json_t *f, const struct rule *r)
{
	json_t *nums = json_object_get(f, "numbers");
	json_t *size = json_object_get(nums, "size_bytes");
	json_t *total = json_object_get(nums, "total_slots"), *used = json_object_get(nums, "used_slots");
	json_int_t sz = json_integer_value(size);

	if (!size) {
		json_object_set_new(f, "subkind", json_string("undetermined"));
		return;
	}
	/* One mapping is at most 128 slots of 2 KiB (IO_TLB_SEGSIZE). */
	if (sz > 128 * 2048) {
		json_object_set_new(f, "subkind", json_string("oversize_mapping"));
		return;
	}
	if (r->id != R_SWIOTLB_FULL_TOTALS)
		return;
	if (!total || !used) {
		json_object_set_new(f, "subkind", json_string("undetermined"));
	} else {
		json_int_t t = json_integer_value(total), u = json_integer_value(used);
		json_int_t need = (sz + 2047) / 2048;

		json_object_set_new(f, "subkind", json_string(t - u < need ? "pool_full" : "fragmented"));
	}
}

/* One whole message, its prefixes stripped: the rules, first match wins. */
static void classify_msg(struct xb_classifier *c, const char *msg, bool xen, size_t line_no,
			 const char *ts, json_t *out)
{
	regmatch_t m[10];

	if (!msg[0])
		return;
	c->lines++;
	for (size_t i = 0; i < R_COUNT; i++) {
		const struct rule *r = &rules[i];
		json_t *f;

		if (!c->ok[i] || regexec(&c->re[i], msg, XB_ARRAY_SIZE(m), m, 0))
			continue;
		if (r->id == R_SUPPRESSED) {
			size_t len = (size_t)(m[2].rm_eo - m[2].rm_so);
			json_int_t n;

			/* A count that does not fit is not counted. */
			if (parse_number(msg + m[2].rm_so, len, false, &n))
				c->suppressed += (size_t)n;
			return;
		}
		if (r->id == R_XEN_VTD_REASON || r->id == R_LINUX_DMAR_OLD_REASON) {
			/* Second line of a two-line IOMMU fault. */
			if (c->last_iommu) {
				/* Xen prints the reason in hex, old Linux in decimal. */
				set_number(c->last_iommu, "reason", msg + m[1].rm_so,
					   (size_t)(m[1].rm_eo - m[1].rm_so),
					   r->id == R_XEN_VTD_REASON);
				json_object_set_new(c->last_iommu, "reason", group_string(msg, m, 2));
				json_object_set_new(c->last_iommu, "line2", log_string(msg, strlen(msg)));
				json_decref(c->last_iommu);
				c->last_iommu = NULL;
			}
			return;
		}
		if (r->id == R_AMDGPU_VM_STATUS) {
			if (c->last_gpu) {
				set_group(c->last_gpu, r, 2, msg, m);
				json_decref(c->last_gpu);
				c->last_gpu = NULL;
			}
			return;
		}
		/*
		 * Since "mm: slub: call WARN() when detecting a slab corruption"
		 * (6.15, in 6.12.46 and other stable kernels) a SLUB report ends
		 * in a WARN_ON(1) in mm/slub.c; 6.1's kmem_cache_destroy() WARNs
		 * in mm/slab_common.c after slab_err(). Such a WARNING with no
		 * other finding since the report is part of it.
		 */
		if (r->id == R_WARNING && c->last_slab && !xen &&
		    (!strncmp(msg + m[3].rm_so, "mm/slub.c:", 10) ||
		     !strncmp(msg + m[3].rm_so, "mm/slab_common.c:", 17))) {
			json_object_set_new(c->last_slab, "warning", log_string(msg, strlen(msg)));
			json_decref(c->last_slab);
			c->last_slab = NULL;
			return;
		}
		json_decref(c->last_slab);
		c->last_slab = NULL;
		f = xb_finding_new((enum xb_kind)r->kind, r->subkind, xen ? "xen" : c->source);
		json_object_set_new(f, "line", log_string(msg, strlen(msg)));
		if (c->positions) {
			json_object_set_new(f, "line_no", json_integer((json_int_t)line_no));
			if (ts[0])
				json_object_set_new(f, "ts", log_string(ts, strlen(ts)));
		}
		for (int g = 1; g <= 6 && g < (int)XB_ARRAY_SIZE(m); g++)
			set_group(f, r, g, msg, m);
		if (r->device_group) {
			set_device(f, msg, m, r->device_group);
		} else {
			regmatch_t d[2];

			if (!regexec(&c->bdf, msg, 2, d, 0))
				set_device(f, msg, d, 1);
		}
		/* Group 1 of these rules is the access, Read or Write. */
		if (r->id == R_XEN_VTD || r->id == R_LINUX_DMAR || r->id == R_LINUX_DMAR_OLD)
			json_object_set_new(f, "access", group_string(msg, m, 1));
		if (r->id == R_LINUX_DMAR) {
			/* "[fault reason 0x%02x]" since 5.x, "%02d" before. */
			set_number(f, "reason", msg + m[8].rm_so, (size_t)(m[8].rm_eo - m[8].rm_so),
				   m[7].rm_so >= 0);
			if (m[9].rm_eo > m[9].rm_so)
				json_object_set_new(f, "reason", group_string(msg, m, 9));
		}
		if (r->id == R_XEN_VTD || r->id == R_LINUX_DMAR_OLD) {
			json_decref(c->last_iommu);
			c->last_iommu = json_incref(f);
		}
		if (r->id == R_AMDGPU_VM_FAULT) {
			/* Group 1 is gfxhub or mmhub: ASCII by the regex. */
			json_object_set_new(f, "subkind", json_sprintf("gpuvm_fault_%.*s",
				(int)(m[1].rm_eo - m[1].rm_so), msg + m[1].rm_so));
			json_decref(c->last_gpu);
			c->last_gpu = json_incref(f);
		}
		if (r->id == R_SLAB) {
			json_object_set_new(f, "cache", group_string(msg, m, 1));
			json_object_set_new(f, "reason", group_string(msg, m, 3));
			c->last_slab = json_incref(f);
		}
		if (r->kind == XB_K_POOL_EXHAUSTED)
			pool_subkind(f, r);
		json_array_append_new(out, f);
		return;	/* first rule wins: the table is ordered */
	}
}

void xb_classify_flush(struct xb_classifier *c, json_t *out)
{
	if (!c->have_held)
		return;
	c->have_held = false;
	classify_msg(c, c->held, c->held_xen, c->held_line_no, c->held_ts, out);
}

/* "AMD-Vi: Event logged [": a record that opens a bracket as its last word. */
static bool opens_bracket(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == ' ')
		n--;
	return n && s[n - 1] == '[';
}

/*
 * One message, prefixes stripped. It joins the held record when it is a
 * KERN_CONT fragment (cont) or when the held record ends in an open '['
 * (a later printk without KERN_CONT, which since Linux 4.9 starts a record
 * of its own); otherwise the held record is classified and this one held.
 * A join that would not fit MSG_MAX is not made: both are classified.
 */
static void feed_msg(struct xb_classifier *c, const char *msg, bool xen, bool cont,
		     const char *caller, size_t line_no, const char *ts, json_t *out)
{
	size_t have = strlen(c->held), add = strlen(msg);

	if (!msg[0])
		return;
	/* Passed over as if absent: a record it interrupts may go on after it. */
	if (!cont && !xen && harness_ktap(msg)) {
		c->ktap_skipped++;
		return;
	}
	/* The kernel only appends a fragment to its own caller's record. */
	if (cont && caller[0] && c->held_caller[0] && strcmp(caller, c->held_caller))
		cont = false;
	if (c->have_held && (cont || (xen == c->held_xen && opens_bracket(c->held))) &&
	    have + add < sizeof(c->held)) {
		memcpy(c->held + have, msg, add + 1);
		return;
	}
	xb_classify_flush(c, out);
	snprintf(c->held, sizeof(c->held), "%s", msg);
	snprintf(c->held_caller, sizeof(c->held_caller), "%s", caller);
	c->held_xen = xen;
	c->held_line_no = line_no;
	snprintf(c->held_ts, sizeof(c->held_ts), "%s", ts);
	c->have_held = true;
}

/*
 * A /dev/kmsg record, "PRI,SEQ,USEC,FLAGS[,KEY=VALUE...];text": the text,
 * the flags field's first character ('-', or 'c' for a KERN_CONT fragment;
 * kernels before 4.9 also wrote '+' for the fragments after a 'c') and the
 * caller ("caller=T123", CONFIG_PRINTK_CALLER) or "".
 */
static const char *kmsg_record(const char *line, char *flag, char *caller, size_t len,
			       char *ts, size_t tslen)
{
	const char *p = line, *end, *cl, *usec = NULL;

	for (int field = 0; field < 3; field++) {
		if (field == 2)
			usec = p;
		if (!skip_digits(&p, 1) || *p++ != ',')
			return NULL;
	}
	/* The record's microseconds as dmesg prints them: seconds, 6 decimals. */
	{
		size_t n = (size_t)(p - 1 - usec);

		if (n > 6)
			snprintf(ts, tslen, "%.*s.%.6s", (int)(n - 6), usec, usec + n - 6);
		else
			snprintf(ts, tslen, "0.%.*s%.*s", (int)(6 - n), "000000", (int)n, usec);
	}
	if (*p != '-' && *p != 'c' && *p != '+')
		return NULL;
	*flag = *p;
	end = strchr(p, ';');
	if (!end)
		return NULL;
	caller[0] = '\0';
	cl = strstr(p, ",caller=");
	if (cl && cl < end) {
		size_t n = strcspn(cl + 8, ",;");

		snprintf(caller, len, "%.*s", (int)n, cl + 8);
	}
	return end + 1;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* One line, line_no its number in the input. */
static void classify_line(struct xb_classifier *c, const char *line, size_t line_no, json_t *out)
{
	char msg[MSG_MAX], caller[sizeof(c->held_caller)], flag, ts[XB_CLASSIFY_TS_MAX] = "";
	const char *text;
	size_t n = 0;
	bool first = true;
	int xen;

	/* A kmsg record's dictionary: " SUBSYSTEM=pci", " DEVICE=+pci:0000:00:03.0". */
	if (c->after_kmsg && line[0] == ' ')
		return;
	text = kmsg_record(line, &flag, caller, sizeof(caller), ts, sizeof(ts));
	c->after_kmsg = text != NULL;
	if (!text) {
		xb_log_normalize(line, msg, sizeof(msg), &xen);
		if (c->positions)
			log_ts(line, ts, sizeof(ts));
		feed_msg(c, msg, xen, false, "", line_no, ts, out);
		return;
	}
	/*
	 * kmsg escapes bytes below ' ', above '~' and '\' as "\xNN". A newline
	 * inside a record (a printk of two lines) makes two messages, as dmesg
	 * prints them; an escaped NUL ends a line too.
	 */
	for (const char *p = text;; p++) {
		char ch = *p;

		if (ch == '\\' && p[1] == 'x' && hexval(p[2]) >= 0 && hexval(p[3]) >= 0) {
			ch = (char)(hexval(p[2]) * 16 + hexval(p[3]));
			p += 3;
		}
		if (ch == '\n' || ch == '\0' || ch == '\r') {
			msg[n] = '\0';
			feed_msg(c, msg, false, first && flag != '-', caller, line_no, ts, out);
			first = false;
			n = 0;
			if (!*p)
				break;
			continue;
		}
		if (n + 1 < sizeof(msg))
			msg[n++] = ch;
	}
}

void xb_classify_line(struct xb_classifier *c, const char *line, json_t *out)
{
	classify_line(c, line, ++c->fed, out);
}

/*
 * Lines end at '\n' and at NUL: a NUL is a separator, not text. Saved logs
 * get runs of NULs where a crash left a file's tail unwritten, and the text
 * after them starts a line of its own, prefix and all. An over-long line
 * is classified by its first MSG_MAX - 1 bytes.
 */
static void feed_buf(struct xb_classifier *c, const char *buf, size_t len, json_t *out)
{
	size_t i = 0;

	while (i < len) {
		size_t start = i, n;
		char line[MSG_MAX];

		while (i < len && buf[i] != '\n' && buf[i] != '\0')
			i++;
		n = i - start;
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, buf + start, n);
		line[n] = '\0';
		/* Numbered as an editor does: by newlines only. */
		if (n)
			classify_line(c, line, c->newlines + 1, out);
		if (i < len && buf[i] == '\n')
			c->newlines++;
		i++;	/* the separator */
	}
}

void xb_classify_buf(struct xb_classifier *c, const char *buf, size_t len, json_t *out)
{
	feed_buf(c, buf, len, out);
	xb_classify_flush(c, out);
}

void xb_classify_text(struct xb_classifier *c, const char *text, json_t *out)
{
	xb_classify_buf(c, text, text ? strlen(text) : 0, out);
}

int xb_classify_stream(struct xb_classifier *c, FILE *f, json_t *out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int err = 0;

	errno = 0;
	while ((n = getline(&line, &cap, f)) >= 0)
		feed_buf(c, line, (size_t)n, out);
	if (ferror(f))
		err = errno ? errno : EIO;
	free(line);
	xb_classify_flush(c, out);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
