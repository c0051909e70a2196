// SPDX-License-Identifier: GPL-2.0
#include "classify.h"

#include <regex.h>
#include <stdbool.h>
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
	R_BUG,
	R_OOPS,
	R_PANIC,
	R_XEN_PANIC,
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
	{ R_LINUX_DMAR, XB_K_IOMMU_FAULT, "linux_dmar",
	  "DMAR: \\[DMA (Read|Write)[A-Z_ ]*\\] Request device \\[" BDF "\\] (PASID [0-9a-fA-F]+ )?fault addr (0x)?([0-9a-fA-F]+) \\[fault reason (0x)?([0-9a-fA-F]+)\\]",
	  2, { NULL, NULL, NULL, NULL, "addr", NULL }, { false, false, false, false, true, false } },
	{ R_LINUX_DMAR_OLD, XB_K_IOMMU_FAULT, "linux_dmar",
	  "DMAR: ?\\[DMA (Read|Write)\\] Request device \\[" BDF "\\] fault addr (0x)?([0-9a-fA-F]+) *$",
	  2, { NULL, NULL, NULL, "addr" }, { false, false, false, true } },
	{ R_LINUX_DMAR_OLD_REASON, -1, NULL,
	  "DMAR: ?\\[fault reason ([0-9a-fA-F]+)\\] (.*)$", 0, { "reason" }, { true } },
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
	{ R_BUG, XB_K_OOPS, "bug", "BUG: (unable to handle|kernel NULL pointer|Bad page|scheduling while atomic|KASAN|soft lockup|spinlock)", 0, { NULL } },
	{ R_OOPS, XB_K_OOPS, "oops", "Oops: [0-9a-fA-Fx]+", 0, { NULL } },
	{ R_PANIC, XB_K_OOPS, "panic", "Kernel panic - not syncing", 0, { NULL } },
	{ R_XEN_PANIC, XB_K_OOPS, "xen_panic", "Panic on CPU ([0-9]+)", 0, { "cpu" } },
	{ R_DOM0_CRASHED, XB_K_OOPS, "dom0_crashed", "Hardware Dom0 crashed", 0, { NULL } },
	{ R_WARNING, XB_K_WARNING, "warning", "WARNING: CPU: ([0-9]+) PID: ([0-9]+) at ([^ ]+)", 0, { "cpu", "pid" } },
	{ R_XEN_DEVICE_DISABLED, XB_K_DEVICE_DISABLED, "bus_master_off",
	  BDF ": (disabl(ed|ing) .*(bus[- ]mast|too many)|.*bus mastering disabled)", 1, { NULL } },
	{ R_SUPPRESSED, -1, NULL, "([A-Za-z0-9_]+): ([0-9]+) callbacks suppressed", 0, { NULL, "suppressed" } },
};

_Static_assert(XB_ARRAY_SIZE(rules) == R_COUNT, "one rule per rule_id");

struct xb_classifier {
	char source[32];
	regex_t re[R_COUNT];
	regex_t bdf;
	bool ok[R_COUNT];
	json_t *last_iommu;	/* for two-line forms */
	json_t *last_gpu;
	size_t lines, suppressed;
};

struct xb_classifier *xb_classifier_new(const char *source)
{
	struct xb_classifier *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	snprintf(c->source, sizeof(c->source), "%s", source ? source : "log");
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
	/* kmsg records from /dev/kmsg have no timestamp; dmesg output has. */
	p = skip_timestamp(p);
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

static void set_group(json_t *f, const struct rule *r, int g, const char *s, regmatch_t *m)
{
	char buf[64];
	size_t len;

	if (m[g].rm_so < 0 || !r->groups[g - 1])
		return;
	len = (size_t)(m[g].rm_eo - m[g].rm_so);
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s + m[g].rm_so, len);
	buf[len] = '\0';
	json_object_set_new(json_object_get(f, "numbers"), r->groups[g - 1],
			    json_integer((json_int_t)strtoull(buf, NULL, r->hex[g - 1] ? 16 : 10)));
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
	if (len == 7)
		json_object_set_new(f, "device", json_sprintf("0000:%s", buf));
	else
		json_object_set_new(f, "device", json_string(buf));
}

static void pool_subkind(json_t *f)
{
	json_t *nums = json_object_get(f, "numbers");
	json_int_t size = json_integer_value(json_object_get(nums, "size_bytes"));
	json_t *total = json_object_get(nums, "total_slots"), *used = json_object_get(nums, "used_slots");

	/* One mapping is at most 128 slots of 2 KiB (IO_TLB_SEGSIZE). */
	if (size > 128 * 2048) {
		json_object_set_new(f, "subkind", json_string("oversize_mapping"));
		return;
	}
	if (total && used) {
		json_int_t t = json_integer_value(total), u = json_integer_value(used);
		json_int_t need = (size + 2047) / 2048;

		json_object_set_new(f, "subkind", json_string(t - u < need ? "pool_full" : "fragmented"));
	}
}

void xb_classify_line(struct xb_classifier *c, const char *line, json_t *out)
{
	char msg[1024];
	int xen;
	regmatch_t m[10];

	xb_log_normalize(line, msg, sizeof(msg), &xen);
	if (!msg[0])
		return;
	c->lines++;
	for (size_t i = 0; i < R_COUNT; i++) {
		const struct rule *r = &rules[i];
		json_t *f;

		if (!c->ok[i] || regexec(&c->re[i], msg, XB_ARRAY_SIZE(m), m, 0))
			continue;
		if (r->id == R_SUPPRESSED) {
			c->suppressed += strtoul(msg + m[2].rm_so, NULL, 10);
			return;
		}
		if (r->id == R_XEN_VTD_REASON || r->id == R_LINUX_DMAR_OLD_REASON) {
			/* Second line of a two-line IOMMU fault. */
			if (c->last_iommu) {
				json_t *nums = json_object_get(c->last_iommu, "numbers");

				json_object_set_new(nums, "reason", json_integer(
					(json_int_t)strtoull(msg + m[1].rm_so, NULL, 16)));
				json_object_set_new(c->last_iommu, "reason", json_stringn(
					msg + m[2].rm_so, (size_t)(m[2].rm_eo - m[2].rm_so)));
				json_object_set_new(c->last_iommu, "line2", json_string(msg));
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
		f = xb_finding_new((enum xb_kind)r->kind, r->subkind, xen ? "xen" : c->source);
		json_object_set_new(f, "line", json_string(msg));
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
			json_object_set_new(f, "access", json_stringn(msg + m[1].rm_so,
				(size_t)(m[1].rm_eo - m[1].rm_so)));
		if (r->id == R_XEN_VTD || r->id == R_LINUX_DMAR_OLD) {
			json_decref(c->last_iommu);
			c->last_iommu = json_incref(f);
		}
		if (r->id == R_AMDGPU_VM_FAULT) {
			json_object_set_new(f, "subkind", json_sprintf("gpuvm_fault_%.*s",
				(int)(m[1].rm_eo - m[1].rm_so), msg + m[1].rm_so));
			json_decref(c->last_gpu);
			c->last_gpu = json_incref(f);
		}
		if (r->kind == XB_K_POOL_EXHAUSTED)
			pool_subkind(f);
		json_array_append_new(out, f);
		return;	/* first rule wins: the table is ordered */
	}
}

void xb_classify_text(struct xb_classifier *c, const char *text, json_t *out)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024];

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		xb_classify_line(c, line, out);
		p = nl ? nl + 1 : NULL;
	}
}
