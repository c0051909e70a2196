// SPDX-License-Identifier: GPL-2.0
/*
 * Log classifiers. Fixture lines are generated here from the kernel's and
 * Xen's format strings (shared/reference/kernel-xen-facts.md), then wrapped
 * in every prefix a saved log can carry: none, a dmesg timestamp, a syslog
 * or journal prefix, an ISO journal prefix, "(XEN)" with its timestamps,
 * and a CRLF line end.
 */
#include "unit.h"

#include "core/classify.h"
#include "core/finding.h"

static const char *const wrappers[] = {
	"%s",
	"[ 1234.567890] %s",
	"Dec 06 16:24:53 dom0 kernel: %s",
	"Dec  6 16:24:53 dom0 kernel: %s",
	"2024-12-06T16:24:53+0100 dom0 kernel: %s",
	"Dec 06 16:24:53 dom0 kernel: [ 1234.567890] %s",
	"%s\r",
};

static const char *const xen_wrappers[] = {
	"(XEN) %s",
	"(XEN) [    9.333594] %s",
	"(XEN) [000000000ebb0c70] %s",
	"(XEN) [2024-12-06 16:24:53.123] %s",
	"%s\r",
};

struct expect {
	const char *kind;
	const char *subkind;
	const char *device;	/* NULL: none expected */
	const char *num;	/* a number to check, or NULL */
	long long value;
};

static json_t *classify(const char *const *lines, size_t n)
{
	struct xb_classifier *c = xb_classifier_new("test");
	json_t *out = json_array();

	for (size_t i = 0; i < n; i++)
		xb_classify_line(c, lines[i], out);
	xb_classifier_free(c);
	return out;
}

static void check(const json_t *f, const struct expect *e, const char *ctx)
{
	const char *dev = json_string_value(json_object_get(f, "device"));

	if (!f)
		fail_msg("%s: no finding", ctx);
	if (strcmp(json_string_value(json_object_get(f, "kind")), e->kind) ||
	    strcmp(json_string_value(json_object_get(f, "subkind")), e->subkind))
		fail_msg("%s: got %s/%s, want %s/%s", ctx, json_string_value(json_object_get(f, "kind")),
			 json_string_value(json_object_get(f, "subkind")), e->kind, e->subkind);
	if (e->device && (!dev || strcmp(dev, e->device)))
		fail_msg("%s: device %s, want %s", ctx, dev ? dev : "(none)", e->device);
	if (e->num) {
		json_t *v = json_object_get(json_object_get(f, "numbers"), e->num);

		if (!v || json_integer_value(v) != e->value)
			fail_msg("%s: %s = %lld, want %lld", ctx, e->num, v ? (long long)json_integer_value(v) : -1,
				 e->value);
	}
}

/* One message in every wrapper: exactly one finding, as expected. */
static void one_in_all(const char *msg, const struct expect *e, bool xen)
{
	const char *const *w = xen ? xen_wrappers : wrappers;
	size_t nw = xen ? sizeof(xen_wrappers) / sizeof(*w) : sizeof(wrappers) / sizeof(*w);

	for (size_t i = 0; i < nw; i++) {
		char line[1024], ctx[1200];
		const char *lines[1] = { line };
		json_t *out;

		snprintf(line, sizeof(line), w[i], msg);
		snprintf(ctx, sizeof(ctx), "[%s]", line);
		out = classify(lines, 1);
		if (json_array_size(out) != 1)
			fail_msg("%s: %zu findings", ctx, json_array_size(out));
		check(json_array_get(out, 0), e, ctx);
		json_decref(out);
	}
}

static void test_swiotlb(void **state)
{
	char msg[256];
	struct expect full = { "pool_exhausted", "pool_full", "0000:03:00.0", "used_slots", 32768 };
	struct expect frag = { "pool_exhausted", "fragmented", "0000:03:00.0", "used_slots", 16384 };
	struct expect over = { "pool_exhausted", "oversize_mapping", "0000:00:03.0", "size_bytes", 2097152 };
	struct expect old = { "pool_exhausted", "pool_full", "0000:01:00.0", "size_bytes", 65536 };
	struct expect older = { "pool_exhausted", "sw_iommu_space", NULL, "size_bytes", 4096 };

	(void)state;
	/* 5.x+: "swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)" */
	snprintf(msg, sizeof(msg), "radeon 0000:03:00.0: swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)",
		 (ssize_t)3072, 32768ul, 32768ul);
	one_in_all(msg, &full, false);
	snprintf(msg, sizeof(msg), "amdgpu 0000:03:00.0: swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)",
		 (ssize_t)3072, 32768ul, 16384ul);
	one_in_all(msg, &frag, false);
	/* Too large for any bounce: used far below total. */
	snprintf(msg, sizeof(msg), "pci 0000:00:03.0: swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)",
		 (ssize_t)2097152, 32768ul, 0ul);
	one_in_all(msg, &over, false);
	/* 4.17-4.19: no totals. */
	snprintf(msg, sizeof(msg), "radeon 0000:01:00.0: swiotlb buffer is full (sz: %zd bytes)", (ssize_t)65536);
	one_in_all(msg, &old, false);
	/* Before 4.20. */
	snprintf(msg, sizeof(msg), "DMA: Out of SW-IOMMU space for %zu bytes at device %s", (size_t)4096, "0000:02:00.0");
	older.device = "0000:02:00.0";
	one_in_all(msg, &older, false);
}

static void test_xen_vtd_two_lines(void **state)
{
	const char *lines[] = {
		"(XEN) [    9.333594] [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 57f0000",
		"(XEN) [    9.334048] [VT-D]DMAR: reason 06 - PTE Read access is not set",
		"(XEN) [    9.433594] [VT-D]DMAR:[DMA Write] Request device [0000:00:03.0] fault addr 57f1000",
		"(XEN) [    9.434048] [VT-D]DMAR: reason 05 - PTE Write access is not set",
	};
	struct expect e = { "iommu_fault", "xen_vtd", "0000:00:03.0", "addr", 0x57f0000 };
	json_t *out;

	(void)state;
	out = classify(lines, 4);
	assert_int_equal(json_array_size(out), 2);
	check(json_array_get(out, 0), &e, "read");
	assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "access")), "Read");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(out, 0), "numbers"), "reason")), 6);
	assert_string_equal(json_string_value(json_object_get(json_array_get(out, 0), "reason")), "PTE Read access is not set");
	e.value = 0x57f1000;
	check(json_array_get(out, 1), &e, "write");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(out, 1), "numbers"), "reason")), 5);
	json_decref(out);
	/* The first line alone, in every Xen prefix form. */
	e.value = 0x57f0000;
	one_in_all("[VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 57f0000", &e, true);
}

static void test_iommu_forms(void **state)
{
	char msg[256];
	struct expect xamd = { "iommu_fault", "xen_amdvi", "0000:03:00.0", "addr", 0xdeadb000 };
	struct expect lamd_new = { "iommu_fault", "linux_amdvi", "0000:0a:00.0", "addr", 0xfffff000 };
	struct expect lamd_old = { "iommu_fault", "linux_amdvi", "0000:0a:00.0", "domain", 0xb };
	struct expect dmar = { "iommu_fault", "linux_dmar", "0000:00:02.0", "addr", 0x7f7f0000 };

	(void)state;
	/* Xen AMD: "AMD-Vi: %s: %pp d%u addr %016"PRIx64" flags %#x%s" */
	snprintf(msg, sizeof(msg), "AMD-Vi: %s: %s d%u addr %016llx flags %#x%s", "IO_PAGE_FAULT", "0000:03:00.0",
		 0u, 0xdeadb000ull, 0x70u, " RW");
	one_in_all(msg, &xamd, true);
	/* Linux AMD-Vi, new form (device in the prefix). */
	snprintf(msg, sizeof(msg), "amdgpu 0000:0a:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x%04x address=0x%llx flags=0x%04x]",
		 0xbu, 0xfffff000ull, 0x20u);
	one_in_all(msg, &lamd_new, false);
	/* Linux AMD-Vi, old form (device inside the brackets). */
	snprintf(msg, sizeof(msg), "AMD-Vi: Event logged [IO_PAGE_FAULT device=%02x:%02x.%d domain=0x%04x address=0x%llx flags=0x%04x]",
		 0x0a, 0, 0, 0xbu, 0xfffff000ull, 0x20u);
	one_in_all(msg, &lamd_old, false);
	/* Linux DMAR: "DMAR: [DMA Write NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%llx [fault reason 0x%02x] %s" */
	snprintf(msg, sizeof(msg), "DMAR: [DMA Write NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%llx [fault reason 0x%02x] %s",
		 0, 2, 0, 0x7f7f0000ull, 5, "PTE Write access is not set");
	one_in_all(msg, &dmar, false);
}

static void test_gpu(void **state)
{
	char msg[256];
	const char *two[] = {
		"amdgpu 0000:0a:00.0: amdgpu: [gfxhub0] retry page fault (src_id:0 ring:24 vmid:3 pasid:32769, for process Xorg pid 1234)",
		"amdgpu 0000:0a:00.0: amdgpu:   GCVM_L2_PROTECTION_FAULT_STATUS:0x00301031",
	};
	struct expect vm = { "gpu_fault", "gpuvm_fault_gfxhub", "0000:0a:00.0", "vmid", 3 };
	struct expect ring = { "gpu_fault", "ring_timeout", "0000:0a:00.0", "emitted_seq", 1200 };
	struct expect lock = { "gpu_fault", "radeon_lockup", "0000:01:00.0", NULL, 0 };
	struct expect stall = { "gpu_fault", "ring_stalled", "0000:01:00.0", "stalled_ms", 10000 };
	json_t *out;

	(void)state;
	out = classify(two, 2);
	assert_int_equal(json_array_size(out), 1);
	check(json_array_get(out, 0), &vm, "gpuvm");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(out, 0), "numbers"), "l2_status")), 0x00301031);
	json_decref(out);
	snprintf(msg, sizeof(msg), "[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring %s timeout, signaled seq=%u, emitted seq=%u",
		 "sdma0", 1190u, 1200u);
	ring.device = NULL;
	one_in_all(msg, &ring, false);
	one_in_all("radeon 0000:01:00.0: GPU lockup (current fence id 0x0000000000001234 last fence id 0x0000000000001240 on ring 0)", &lock, false);
	snprintf(msg, sizeof(msg), "radeon 0000:01:00.0: ring %d stalled for more than %llumsec", 0, 10000ull);
	one_in_all(msg, &stall, false);
}

static void test_oops_and_noise(void **state)
{
	const char *lines[] = {
		"BUG: unable to handle page fault for address: ffff888000000000",
		"Oops: 0002 [#1] PREEMPT SMP NOPTI",
		"WARNING: CPU: 1 PID: 123 at kernel/dma/swiotlb.c:700 swiotlb_tbl_map_single+0x1/0x2",
		"kernel BUG at drivers/gpu/drm/ttm/ttm_bo.c:123!",
		"Kernel panic - not syncing: Fatal exception",
		"(XEN) Hardware Dom0 crashed: rebooting machine in 5 seconds.",
		"swiotlb_tbl_map_single: 5 callbacks suppressed",
		"random harmless line",
		"",
		"usb 1-1: new high-speed USB device number 2 using xhci_hcd",
	};
	json_t *out = classify(lines, sizeof(lines) / sizeof(*lines));
	static const char *const want[][2] = {
		{ "oops", "bug" }, { "oops", "oops" }, { "warning", "warning" }, { "oops", "kernel_bug" },
		{ "oops", "panic" }, { "oops", "dom0_crashed" },
	};
	struct xb_classifier *c;

	(void)state;
	assert_int_equal(json_array_size(out), 6);
	for (size_t i = 0; i < 6; i++) {
		json_t *f = json_array_get(out, i);

		assert_string_equal(json_string_value(json_object_get(f, "kind")), want[i][0]);
		assert_string_equal(json_string_value(json_object_get(f, "subkind")), want[i][1]);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(out, 5), "source")), "xen");
	json_decref(out);
	c = xb_classifier_new("t");
	out = json_array();
	xb_classify_text(c, "a: 5 callbacks suppressed\nb: 7 callbacks suppressed\n", out);
	assert_int_equal(xb_classifier_suppressed(c), 12);
	assert_int_equal(json_array_size(out), 0);
	xb_classifier_free(c);
	json_decref(out);
}

static void test_truncated_input(void **state)
{
	/* Cut mid-line, over-long, binary junk: no crash, no false finding. */
	static char big[5000];
	const char *lines[] = {
		"swiotlb buffer is full (sz: ",
		"[VT-D]DMAR:[DMA Read] Request device [0000:00:0",
		"(XEN) [    9.3",
		"\x01\x02\xff\xfe",
		big,
	};
	json_t *out;

	(void)state;
	memset(big, 'A', sizeof(big) - 1);
	out = classify(lines, sizeof(lines) / sizeof(*lines));
	assert_int_equal(json_array_size(out), 0);
	json_decref(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swiotlb),
		cmocka_unit_test(test_xen_vtd_two_lines),
		cmocka_unit_test(test_iommu_forms),
		cmocka_unit_test(test_gpu),
		cmocka_unit_test(test_oops_and_noise),
		cmocka_unit_test(test_truncated_input),
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
