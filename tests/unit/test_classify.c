// SPDX-License-Identifier: GPL-2.0
/*
 * Log classifiers. Fixture lines are generated here from the format
 * strings of the public Linux and Xen sources, each cited where it is used
 * (file and function; Linux as in v6.1 and v6.12 unless a version is
 * named), then wrapped in every prefix a saved log can carry: none, a dmesg
 * timestamp, a syslog or journal prefix, an ISO journal prefix, "(XEN)"
 * with its timestamps, and a CRLF line end.
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
	xb_classify_flush(c, out);
	xb_classifier_free(c);
	return out;
}

static json_t *classify_text(const char *text, size_t len)
{
	struct xb_classifier *c = xb_classifier_new("test");
	json_t *out = json_array();

	xb_classify_buf(c, text, len, out);
	xb_classifier_free(c);
	return out;
}

static const char *str(const json_t *f, const char *name)
{
	const char *v = json_string_value(json_object_get(f, name));

	return v ? v : "(none)";
}

static json_int_t num(const json_t *f, const char *name)
{
	json_t *v = json_object_get(json_object_get(f, "numbers"), name);

	if (!json_is_integer(v))
		fail_msg("numbers.%s missing in %s", name, str(f, "line"));
	return json_integer_value(v);
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
	/*
	 * Linux kernel/dma/swiotlb.c swiotlb_tbl_map_single(), 5.x and later:
	 * "swiotlb buffer is full (sz: %zd bytes), total %lu (slots), used %lu (slots)\n"
	 */
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
	/* The same function in 4.17-4.19: "swiotlb buffer is full (sz: %zd bytes)\n". */
	snprintf(msg, sizeof(msg), "radeon 0000:01:00.0: swiotlb buffer is full (sz: %zd bytes)", (ssize_t)65536);
	one_in_all(msg, &old, false);
	/* lib/swiotlb.c swiotlb_full() before 4.20: "DMA: Out of SW-IOMMU space for %zu bytes at device %s\n". */
	snprintf(msg, sizeof(msg), "DMA: Out of SW-IOMMU space for %zu bytes at device %s", (size_t)4096, "0000:02:00.0");
	older.device = "0000:02:00.0";
	one_in_all(msg, &older, false);
}

/*
 * Xen xen/drivers/passthrough/vtd/iommu.c iommu_page_fault_do_one(), VTDPREFIX
 * "[VT-D]": "DMAR:[%s] Request device [%pp] fault addr %"PRIx64"\n", then
 * "%s: reason %02x - %s\n" (the reason in hex).
 */
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
	/*
	 * Xen xen/drivers/passthrough/amd/iommu_init.c parse_event_log_entry():
	 * "AMD-Vi: %s: %pp d%u addr %016"PRIx64" flags %#x%s%s..." (the flag names).
	 */
	snprintf(msg, sizeof(msg), "AMD-Vi: %s: %s d%u addr %016llx flags %#x%s", "IO_PAGE_FAULT", "0000:03:00.0",
		 0u, 0xdeadb000ull, 0x70u, " RW");
	one_in_all(msg, &xamd, true);
	/*
	 * Linux drivers/iommu/amd/iommu.c amd_iommu_report_page_fault(), dev_fmt "AMD-Vi: ":
	 * pci_err(pdev, "Event logged [IO_PAGE_FAULT domain=0x%04x address=0x%llx flags=0x%04x]\n")
	 */
	snprintf(msg, sizeof(msg), "amdgpu 0000:0a:00.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x%04x address=0x%llx flags=0x%04x]",
		 0xbu, 0xfffff000ull, 0x20u);
	one_in_all(msg, &lamd_new, false);
	/* Linux 4.x drivers/iommu/amd_iommu.c iommu_print_event(): the device inside the brackets. */
	snprintf(msg, sizeof(msg), "AMD-Vi: Event logged [IO_PAGE_FAULT device=%02x:%02x.%d domain=0x%04x address=0x%llx flags=0x%04x]",
		 0x0a, 0, 0, 0xbu, 0xfffff000ull, 0x20u);
	one_in_all(msg, &lamd_old, false);
	/*
	 * Linux drivers/iommu/intel/dmar.c dmar_fault_do_one(), pr_fmt "DMAR: ":
	 * "[%s NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%llx [fault reason 0x%02x] %s\n"
	 */
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
	/*
	 * Linux drivers/gpu/drm/amd/amdgpu/gmc_v9_0.c gmc_v9_0_process_interrupt():
	 * "[%s] %s page fault (src_id:%u ring:%u vmid:%u pasid:%u)\n" (older kernels add
	 * ", for process %s pid %d ..."), then "VM_L2_PROTECTION_FAULT_STATUS:0x%08X\n"
	 * (GCVM_ on GFX10 and later).
	 */
	out = classify(two, 2);
	assert_int_equal(json_array_size(out), 1);
	check(json_array_get(out, 0), &vm, "gpuvm");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(out, 0), "numbers"), "l2_status")), 0x00301031);
	json_decref(out);
	/* amdgpu_job.c amdgpu_job_timedout(): "ring %s timeout, signaled seq=%u, emitted seq=%u\n" */
	snprintf(msg, sizeof(msg), "[drm:amdgpu_job_timedout [amdgpu]] *ERROR* ring %s timeout, signaled seq=%u, emitted seq=%u",
		 "sdma0", 1190u, 1200u);
	ring.device = NULL;
	one_in_all(msg, &ring, false);
	/*
	 * drivers/gpu/drm/radeon/radeon_fence.c radeon_fence_check_lockup(): "GPU lockup
	 * (current fence id 0x%016llx last fence id 0x%016llx on ring %d)\n"; radeon_ring.c
	 * radeon_ring_test_lockup(): "ring %d stalled for more than %llumsec\n".
	 */
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

static void test_nul_bytes(void **state)
{
	/*
	 * A NUL ends a line like a newline does: a crash leaves runs of NULs
	 * where a log file's tail was never written, and the text after them
	 * is a new line with its own prefix.
	 */
	static const char text[] = "first line\0\0\0Dec 06 16:24:53 dom0 kernel: radeon 0000:01:00.0: "
				   "swiotlb buffer is full (sz: 65536 bytes)\n"
				   "junk\0(XEN) [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 57f0000\n"
				   "\0";
	json_t *out = classify_text(text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(json_array_size(out), 2);
	assert_string_equal(str(json_array_get(out, 0), "subkind"), "pool_full");
	assert_int_equal(num(json_array_get(out, 0), "size_bytes"), 65536);
	assert_string_equal(str(json_array_get(out, 1), "subkind"), "xen_vtd");
	assert_string_equal(str(json_array_get(out, 1), "source"), "xen");
	json_decref(out);
}

/* A stream that gives one line, then fails with EIO. */
static ssize_t eio_read(void *cookie, char *buf, size_t size)
{
	int *calls = cookie;
	static const char line[] = "Kernel panic - not syncing: Fatal exception\n";

	if ((*calls)++ || size < sizeof(line) - 1) {
		errno = EIO;
		return -1;
	}
	memcpy(buf, line, sizeof(line) - 1);
	return sizeof(line) - 1;
}

static void test_read_error(void **state)
{
	cookie_io_functions_t io = { .read = eio_read };
	int calls = 0;
	FILE *f = fopencookie(&calls, "r", io);
	struct xb_classifier *c = xb_classifier_new("test");
	json_t *out = json_array();

	(void)state;
	assert_non_null(f);
	errno = 0;
	assert_int_equal(xb_classify_stream(c, f, out), -1);
	assert_int_equal(errno, EIO);
	/* What was read before the error is still classified. */
	assert_int_equal(json_array_size(out), 1);
	fclose(f);
	xb_classifier_free(c);
	json_decref(out);
}

static void test_number_overflow(void **state)
{
	const char *lines[] = {
		/* Too big for any integer: no number, no subkind derived from it. */
		"pci 0000:00:03.0: swiotlb buffer is full (sz: 99999999999999999999 bytes), total 32768 (slots), used 0 (slots)",
		"pci 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes), total 32768 (slots), used 18446744073709551616 (slots)",
		/* Fits 64 bits unsigned, not JSON's signed integers. */
		"pci 0000:00:03.0: swiotlb buffer is full (sz: 18446744073709551615 bytes)",
		"(XEN) [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 123456789abcdef0123",
		"(XEN) [VT-D]DMAR: reason 123456789012345678901234567 - PTE Read access is not set",
		"swiotlb_tbl_map_single: 99999999999999999999 callbacks suppressed",
	};
	struct xb_classifier *c = xb_classifier_new("test");
	json_t *out = json_array(), *f;

	(void)state;
	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++)
		xb_classify_line(c, lines[i], out);
	xb_classify_flush(c, out);
	assert_int_equal(json_array_size(out), 4);
	f = json_array_get(out, 0);
	assert_null(json_object_get(json_object_get(f, "numbers"), "size_bytes"));
	assert_string_equal(str(json_object_get(f, "out_of_range"), "size_bytes"), "99999999999999999999");
	assert_int_equal(num(f, "total_slots"), 32768);
	assert_string_equal(str(f, "subkind"), "undetermined");
	f = json_array_get(out, 1);
	assert_int_equal(num(f, "size_bytes"), 3072);
	assert_null(json_object_get(json_object_get(f, "numbers"), "used_slots"));
	assert_string_equal(str(f, "subkind"), "undetermined");
	f = json_array_get(out, 2);
	assert_null(json_object_get(json_object_get(f, "numbers"), "size_bytes"));
	assert_string_equal(str(f, "subkind"), "undetermined");
	f = json_array_get(out, 3);
	assert_string_equal(str(f, "subkind"), "xen_vtd");
	assert_null(json_object_get(json_object_get(f, "numbers"), "addr"));
	assert_null(json_object_get(json_object_get(f, "numbers"), "reason"));
	assert_string_equal(str(f, "reason"), "PTE Read access is not set");
	assert_int_equal(xb_classifier_suppressed(c), 0);
	xb_classifier_free(c);
	json_decref(out);
}

struct shape {
	const char *name;
	const char *text;
	const char *subkind;
	const char *device;
	const char *addr_name;
	long long addr;
	long long reason;	/* -1: none expected */
	const char *reason_text;
};

/*
 * Events split over records, in the shapes saved logs have: /dev/kmsg
 * ("PRI,SEQ,USEC,FLAGS;text", 'c' marking a KERN_CONT fragment, " KEY=value"
 * dictionary lines, "\x0a" for a newline inside a record), `dmesg -r`, plain
 * dmesg, journalctl -k and xl dmesg. Each must give exactly one finding with
 * every field of the event.
 */
static void test_split_records(void **state)
{
	static const struct shape shapes[] = {
		/*
		 * Linux 6.1 and 6.12 drivers/iommu/intel/dmar.c: dmar_fault() prints
		 * "DRHD: handling fault status reg %x" first, then dmar_fault_do_one()
		 * "[%s NO_PASID] Request device [%02x:%02x.%d] fault addr 0x%llx
		 * [fault reason 0x%02x] %s" (pr_fmt "DMAR: ").
		 */
		{ "kmsg: DMAR fault after its status line",
		  "3,1234,5678,-;DMAR: DRHD: handling fault status reg 2\n"
		  "3,1235,5679,-;DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x57f0000 "
		  "[fault reason 0x06] PTE Read access is not set\n"
		  " SUBSYSTEM=pci\n DEVICE=+pci:0000:00:03.0\n",
		  "linux_dmar", "0000:00:03.0", "addr", 0x57f0000, 6, "PTE Read access is not set" },
		{ "dmesg -r: DMAR fault with a PASID",
		  "<3>[    1.000000] DMAR: DRHD: handling fault status reg 3\n"
		  "<3>[    1.000001] DMAR: [DMA Write PASID 0x5] Request device [00:02.0] fault addr 0x7f7f0000 "
		  "[fault reason 0x0c] non-zero reserved fields in PTE\n",
		  "linux_dmar", "0000:00:02.0", "addr", 0x7f7f0000, 12, "non-zero reserved fields in PTE" },
		/*
		 * Linux up to 4.x drivers/iommu/dmar.c dmar_fault_do_one(): one printk,
		 * two lines: "DMAR:[%s] Request device [%02x:%02x.%d] fault addr %llx \n"
		 * "DMAR:[fault reason %02d] %s\n" (the reason in decimal). /dev/kmsg
		 * keeps it one record with the newline escaped; dmesg splits it.
		 */
		{ "kmsg: old two-line DMAR in one record",
		  "3,300,1000,-;DMAR:[DMA Read] Request device [00:02.0] fault addr 7f7f0000 \\x0a"
		  "DMAR:[fault reason 12] non-zero reserved fields in PTE\n",
		  "linux_dmar", "0000:00:02.0", "addr", 0x7f7f0000, 12, "non-zero reserved fields in PTE" },
		{ "dmesg: old two-line DMAR",
		  "[    2.000000] DMAR:[DMA Read] Request device [00:02.0] fault addr 7f7f0000 \n"
		  "[    2.000000] DMAR:[fault reason 12] non-zero reserved fields in PTE\n",
		  "linux_dmar", "0000:00:02.0", "addr", 0x7f7f0000, 12, "non-zero reserved fields in PTE" },
		/*
		 * Linux 3.x-4.x drivers/iommu/amd_iommu.c iommu_print_event():
		 * printk(KERN_ERR "AMD-Vi: Event logged [") then a second printk
		 * "IO_PAGE_FAULT device=%02x:%02x.%x domain=0x%04x address=0x%016llx
		 * flags=0x%04x]\n": a KERN_CONT fragment ('c' in /dev/kmsg), or, since
		 * 4.9 made a printk without KERN_CONT start a record, a record of its
		 * own after an opening record that leaves its '[' open.
		 */
		{ "kmsg: AMD-Vi event in a KERN_CONT fragment",
		  "3,200,1000,-;AMD-Vi: Event logged [\n"
		  "3,201,1000,c;IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n",
		  "linux_amdvi", "0000:00:14.0", "addr", 0xfdf80000, -1, NULL },
		{ "kmsg with caller id: AMD-Vi fragment",
		  "3,200,1000,-,caller=T1;AMD-Vi: Event logged [\n"
		  "4,201,1001,c,caller=T1;IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n",
		  "linux_amdvi", "0000:00:14.0", "addr", 0xfdf80000, -1, NULL },
		{ "dmesg -r: AMD-Vi event over two records",
		  "<3>[    1.500000] AMD-Vi: Event logged [\n"
		  "<4>[    1.500001] IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n",
		  "linux_amdvi", "0000:00:14.0", "addr", 0xfdf80000, -1, NULL },
		{ "dmesg: AMD-Vi event over two records",
		  "[    1.500000] AMD-Vi: Event logged [\n"
		  "[    1.500001] IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n",
		  "linux_amdvi", "0000:00:14.0", "addr", 0xfdf80000, -1, NULL },
		{ "journalctl -k: AMD-Vi event over two records",
		  "Dec 06 16:24:53 dom0 kernel: AMD-Vi: Event logged [\n"
		  "Dec 06 16:24:53 dom0 kernel: IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n",
		  "linux_amdvi", "0000:00:14.0", "addr", 0xfdf80000, -1, NULL },
		{ "journalctl -k -o short-monotonic: AMD-Vi event over two records",
		  "[    1.500000] dom0 kernel: AMD-Vi: Event logged [\n"
		  "[    1.500001] dom0 kernel: IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n",
		  "linux_amdvi", "0000:00:14.0", "addr", 0xfdf80000, -1, NULL },
		/*
		 * Xen xen/drivers/passthrough/vtd/iommu.c iommu_page_fault_do_one():
		 * VTDPREFIX "DMAR:[%s] Request device [%pp] fault addr %"PRIx64"\n", then
		 * VTDPREFIX "%s: reason %02x - %s\n" (VTDPREFIX is "[VT-D]").
		 */
		{ "xl dmesg: VT-d fault and its reason line",
		  "(XEN) [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 1234000\r\n"
		  "(XEN) [VT-D]DMAR: reason 06 - PTE Read access is not set\r\n",
		  "xen_vtd", "0000:00:03.0", "addr", 0x1234000, 6, "PTE Read access is not set" },
		{ "xl dmesg with timestamps: VT-d reason in hex",
		  "(XEN) [    9.333594] [VT-D]DMAR:[DMA Write] Request device [0000:00:03.0] fault addr 57f1000\n"
		  "(XEN) [    9.334048] [VT-D]DMAR: reason 0c - non-zero reserved fields in PTE\n",
		  "xen_vtd", "0000:00:03.0", "addr", 0x57f1000, 12, "non-zero reserved fields in PTE" },
	};

	size_t bad = 0;

	(void)state;
	/* Every shape is checked and reported before the test fails. */
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++) {
		const struct shape *sh = &shapes[i];
		json_t *out = classify_text(sh->text, strlen(sh->text));
		json_t *f = json_array_get(out, 0), *nums = json_object_get(f, "numbers");
		json_t *addr = json_object_get(nums, sh->addr_name);
		json_t *reason = json_object_get(nums, "reason");
		long long a = addr ? (long long)json_integer_value(addr) : -1;
		long long why = reason ? (long long)json_integer_value(reason) : -1;

		if (json_array_size(out) != 1) {
			print_message("%s: %zu findings\n", sh->name, json_array_size(out));
			bad++;
		} else if (strcmp(str(f, "subkind"), sh->subkind) ||
			   strcmp(str(f, "device"), sh->device) || a != sh->addr) {
			print_message("%s: %s %s %s=%llx, want %s %s %llx\n", sh->name,
				      str(f, "subkind"), str(f, "device"), sh->addr_name, a,
				      sh->subkind, sh->device, sh->addr);
			bad++;
		} else if (sh->reason >= 0 &&
			   (why != sh->reason || strcmp(str(f, "reason"), sh->reason_text))) {
			print_message("%s: reason %lld \"%s\", want %lld \"%s\"\n", sh->name, why,
				      str(f, "reason"), sh->reason, sh->reason_text);
			bad++;
		}
		json_decref(out);
	}
	assert_int_equal(bad, 0);
}

/*
 * The kernel appends a KERN_CONT fragment only to its own caller's record
 * (kernel/printk/printk.c vprintk_store(): prb_reserve_in_last() with the
 * caller_id); /dev/kmsg shows the caller as ",caller=T123" with
 * CONFIG_PRINTK_CALLER. A fragment from another caller is not joined.
 */
static void test_fragment_other_caller(void **state)
{
	static const char text[] = "0,10,5,-,caller=T1;Oops: 0002 [#1] PREEMPT SMP NOPTI\n"
				   "0,11,5,c,caller=C0;Kernel panic - not syncing: Fatal exception\n"
				   "4,12,6,c,caller=C0; in interrupt\n";
	json_t *out = classify_text(text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(json_array_size(out), 2);
	assert_string_equal(str(json_array_get(out, 0), "subkind"), "oops");
	assert_string_equal(str(json_array_get(out, 1), "subkind"), "panic");
	assert_string_equal(str(json_array_get(out, 1), "line"), "Kernel panic - not syncing: Fatal exception in interrupt");
	json_decref(out);
}

/* A KERN_CONT fragment with nothing before it, or after a flush, stands alone. */
static void test_orphan_fragment(void **state)
{
	static const char text[] = "4,10,5,c;Kernel panic - not syncing: Fatal exception\n";
	json_t *out = classify_text(text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(str(json_array_get(out, 0), "subkind"), "panic");
	json_decref(out);
}

/*
 * The kernel's own error reports, one header line each, in every prefix
 * form. Linux 6.1 formats unless a version is named:
 * - arch/x86/kernel/traps.c exc_general_protection(): GPFSTR "general
 *   protection fault", ", probably for non-canonical address 0x%lx" or
 *   ", maybe for address 0x%lx", or "segment-related " GPFSTR; then
 *   arch/x86/kernel/dumpstack.c __die_header(): "%s: %04lx [#%d]%s%s%s%s%s"
 *   (6.10 and later, so 6.12: "Oops: %s: %04lx [#%d]..."). x86 prints no
 *   "Oops: 0000" line for a GPF.
 * - kernel/sched/core.c __might_resched(): "BUG: sleeping function called
 *   from invalid context at %s:%d".
 * - mm/slub.c slab_bug(): "=====...", "BUG %s (%s): %pV" (the cache name,
 *   print_tainted(), the reason), "-----...".
 * - kernel/rcu/tree_stall.h (pr_fmt "rcu: "): print_other_cpu_stall()
 *   "INFO: %s detected stalls on CPUs/tasks:", print_cpu_stall() "INFO: %s
 *   self-detected stall on CPU"; kernel/rcu/tree_exp.h "INFO: %s detected
 *   expedited stalls on CPUs/tasks: {" then pr_cont()s.
 * - kernel/hung_task.c check_hung_task(): "INFO: task %s:%d blocked for
 *   more than %ld seconds."
 * - kernel/watchdog.c watchdog_timer_fn() (pr_fmt "watchdog: "): "BUG: soft
 *   lockup - CPU#%d stuck for %us! [%s:%d]"; kernel/watchdog_hld.c (pr_fmt
 *   "NMI watchdog: ") watchdog_overflow_callback(): "Watchdog detected hard
 *   LOCKUP on cpu %d".
 */
static void test_kernel_report_headers(void **state)
{
	char msg[256];
	struct expect gpf = { "oops", "gpf", NULL, "addr", 0x2d };
	struct expect gpf_nc = { "oops", "gpf", NULL, NULL, 0 };
	struct expect sleep = { "oops", "sleep_in_atomic", NULL, NULL, 0 };
	struct expect slab = { "oops", "slab_corruption", NULL, NULL, 0 };
	struct expect rcu = { "oops", "rcu_stall", NULL, NULL, 0 };
	struct expect hung = { "oops", "hung_task", NULL, "blocked_s", 120 };
	struct expect soft = { "oops", "soft_lockup", NULL, "stuck_s", 22 };
	struct expect hard = { "oops", "hard_lockup", NULL, "cpu", 1 };
	json_t *out;
	const char *one[1] = { msg };

	(void)state;
	snprintf(msg, sizeof(msg), "general protection fault, %s 0x%lx: %04lx [#%d]%s%s%s%s%s",
		 "probably for non-canonical address", 0xdead000000000122ul, 0ul, 1, " PREEMPT", " SMP", "", "", " NOPTI");
	one_in_all(msg, &gpf_nc, false);
	/* An address above INT64_MAX is not a number: kept as printed. */
	out = classify(one, 1);
	assert_string_equal(str(json_object_get(json_array_get(out, 0), "out_of_range"), "addr"), "dead000000000122");
	json_decref(out);
	snprintf(msg, sizeof(msg), "general protection fault, %s 0x%lx: %04lx [#%d]%s%s%s%s%s",
		 "maybe for address", 0x2dul, 0ul, 1, " PREEMPT", " SMP", "", "", " NOPTI");
	one_in_all(msg, &gpf, false);
	snprintf(msg, sizeof(msg), "Oops: general protection fault, %s 0x%lx: %04lx [#%d]%s%s%s%s%s",
		 "probably for non-canonical address", 0xdffffc0000000003ul, 0ul, 1, " PREEMPT", " SMP", "",
		 " KASAN", " NOPTI");
	one_in_all(msg, &gpf_nc, false);
	snprintf(msg, sizeof(msg), "segment-related general protection fault: %04lx [#%d]%s%s%s%s%s", 0x18ul, 2,
		 "", " SMP", "", "", " PTI");
	one_in_all(msg, &gpf_nc, false);
	snprintf(msg, sizeof(msg), "BUG: sleeping function called from invalid context at %s:%d",
		 "kernel/locking/mutex.c", 580);
	one_in_all(msg, &sleep, false);
	/* print_tainted(): "Not tainted", or "Tainted: " and one letter or space per flag (19 in 6.1). */
	snprintf(msg, sizeof(msg), "BUG %s (%s): %s", "kmalloc-128", "Not tainted", "Poison overwritten");
	one_in_all(msg, &slab, false);
	snprintf(msg, sizeof(msg), "BUG %s (%s): %s", "kmalloc-64", "Tainted: G    B      O      ",
		 "Right Redzone overwritten");
	one_in_all(msg, &slab, false);
	snprintf(msg, sizeof(msg), "BUG %s (%s): %s", "kmalloc-64", "Tainted: G    B             ",
		 "Object already free");
	one_in_all(msg, &slab, false);
	snprintf(msg, sizeof(msg), "BUG %s (%s): %s", "skbuff_head_cache", "Not tainted", "Freepointer corrupt");
	one_in_all(msg, &slab, false);
	out = classify(one, 1);
	assert_string_equal(str(json_array_get(out, 0), "cache"), "skbuff_head_cache");
	assert_string_equal(str(json_array_get(out, 0), "reason"), "Freepointer corrupt");
	json_decref(out);
	snprintf(msg, sizeof(msg), "rcu: INFO: %s detected stalls on CPUs/tasks:", "rcu_sched");
	one_in_all(msg, &rcu, false);
	snprintf(msg, sizeof(msg), "rcu: INFO: %s self-detected stall on CPU", "rcu_preempt");
	one_in_all(msg, &rcu, false);
	snprintf(msg, sizeof(msg), "rcu: INFO: %s detected expedited stalls on CPUs/tasks: { 1-.... } %lu jiffies s: %lu root: %#lx/%c",
		 "rcu_preempt", 21004ul, 373ul, 0x2ul, '.');
	one_in_all(msg, &rcu, false);
	snprintf(msg, sizeof(msg), "INFO: task %s:%d blocked for more than %ld seconds.", "kworker/0:1", 123, 120l);
	one_in_all(msg, &hung, false);
	out = classify(one, 1);
	assert_int_equal(num(json_array_get(out, 0), "pid"), 123);
	json_decref(out);
	snprintf(msg, sizeof(msg), "watchdog: BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]", 0, 22u, "swapper/0", 1);
	one_in_all(msg, &soft, false);
	out = classify(one, 1);
	assert_int_equal(num(json_array_get(out, 0), "cpu"), 0);
	assert_int_equal(num(json_array_get(out, 0), "pid"), 1);
	json_decref(out);
	snprintf(msg, sizeof(msg), "NMI watchdog: Watchdog detected hard LOCKUP on cpu %d", 1);
	one_in_all(msg, &hard, false);
}

/* What a saved log looks like: FORM applied to every line of a report. */
enum log_form { F_PLAIN, F_DMESG, F_DMESG_R, F_JOURNAL, F_MONO, F_KMSG, F_COUNT };

static const char *const form_names[F_COUNT] = {
	"plain", "dmesg", "dmesg -r", "journalctl -k", "journalctl -o short-monotonic", "/dev/kmsg",
};

/*
 * The report as FORM saves it. /dev/kmsg escapes bytes below ' ', above
 * '~' and '\' as "\xNN", and a printk's trailing blank line (slab_bug()'s
 * "-----\n\n") stays in its record as an escaped newline.
 */
static char *log_text(const char *const *lines, size_t n, enum log_form form)
{
	size_t cap = 64 * 1024, len = 0;
	char *buf = malloc(cap);

	assert_non_null(buf);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];

		switch (form) {
		case F_PLAIN:
			len += (size_t)snprintf(buf + len, cap - len, "%s\n", l);
			break;
		case F_DMESG:
			len += (size_t)snprintf(buf + len, cap - len, "[ %4zu.%06zu] %s\n", 100 + i, 1000 * i, l);
			break;
		case F_DMESG_R:
			len += (size_t)snprintf(buf + len, cap - len, "<%d>[ %4zu.%06zu] %s\n", i ? 4 : 3, 100 + i, 1000 * i, l);
			break;
		case F_JOURNAL:
			len += (size_t)snprintf(buf + len, cap - len, "Dec 06 16:24:53 dom0 kernel: %s\n", l);
			break;
		case F_MONO:
			len += (size_t)snprintf(buf + len, cap - len, "[ %4zu.%06zu] dom0 kernel: %s\n", 100 + i, 1000 * i, l);
			break;
		case F_KMSG:
			if (!l[0] && len) {
				len--;	/* into the record before, as an escaped newline */
				len += (size_t)snprintf(buf + len, cap - len, "\\x0a\n");
				break;
			}
			len += (size_t)snprintf(buf + len, cap - len, "3,%zu,%zu,-;", 500 + i, 100000000 + i);
			for (const unsigned char *p = (const unsigned char *)l; *p; p++) {
				if (*p < ' ' || *p > '~' || *p == '\\')
					len += (size_t)snprintf(buf + len, cap - len, "\\x%02x", *p);
				else
					buf[len++] = (char)*p;
			}
			len += (size_t)snprintf(buf + len, cap - len, "\n");
			/* A dictionary, as pci and other subsystems attach. */
			if (i == 1)
				len += (size_t)snprintf(buf + len, cap - len, " SUBSYSTEM=cpu\n");
			break;
		case F_COUNT:
			break;
		}
		assert_true(len < cap - 1);
	}
	return buf;
}

struct report {
	const char *name;
	const char *const *lines;
	size_t n;
	const char *subkind;
};

#define REPORT(name, lines, subkind) { name, lines, sizeof(lines) / sizeof(*lines), subkind }

/* Linux 6.1 on x86-64 as a Xen PV dom0, written from the format strings above. */
static const char *const gpf_report[] = {
	"general protection fault, probably for non-canonical address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI",
	"CPU: 1 PID: 2345 Comm: xenbounce Tainted: G           O       6.1.0-27-amd64 #1  Debian 6.1.115-1",
	"Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
	"RIP: e030:xb_release+0x4c/0x90 [xenbounce]",
	"Code: 48 8b 47 08 48 8b 17 48 89 42 08 48 89 10 <48> 89 07 48 89 47 08 c3 cc cc cc cc",
	"RSP: e02b:ffffc90040b3fd90 EFLAGS: 00010246",
	"RAX: dead000000000122 RBX: ffff888104a1c000 RCX: 0000000000000000",
	"Call Trace:",
	" <TASK>",
	" ? die_addr+0x32/0x80",
	" ? exc_general_protection+0x1b8/0x420",
	" ? asm_exc_general_protection+0x22/0x30",
	" </TASK>",
	"Modules linked in: xenbounce(O) edu",
	"---[ end trace 0000000000000000 ]---",
};

/* 6.12: the same with "Oops: " in front and KASAN's line after it. */
static const char *const gpf_report_612[] = {
	"Oops: general protection fault, probably for non-canonical address 0xdffffc0000000003: 0000 [#1] PREEMPT SMP KASAN NOPTI",
	"KASAN: null-ptr-deref in range [0x0000000000000018-0x000000000000001f]",
	"CPU: 0 UID: 0 PID: 2345 Comm: xenbounce Tainted: G           O       6.12.48+deb13-amd64 #1  Debian 6.12.48-1",
	"Tainted: [O]=OOT_MODULE",
	"RIP: e030:xb_release+0x4c/0x90 [xenbounce]",
	"---[ end trace 0000000000000000 ]---",
};

static const char *const sleep_report[] = {
	"BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580",
	"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 2345, name: xenbounce",
	"preempt_count: 1, expected: 0",
	"RCU nest depth: 0, expected: 0",
	"1 lock held by xenbounce/2345:",
	" #0: ffff888104a1c0a8 (&xb->lock){+.+.}-{2:2}, at: xb_ioctl+0x3e/0x200 [xenbounce]",
	"Preemption disabled at:",
	"[<ffffffffc0a1b03e>] xb_ioctl+0x3e/0x200 [xenbounce]",
	"CPU: 0 PID: 2345 Comm: xenbounce Tainted: G           O       6.1.0-27-amd64 #1  Debian 6.1.115-1",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x44/0x5c",
	" __might_resched.cold+0xbd/0xcf",
	" mutex_lock+0x1a/0x40",
	" </TASK>",
};

/*
 * mm/slub.c check_bytes_and_report(): slab_bug(), then "0x%p-0x%p
 * @offset=%tu. First byte 0x%x instead of 0x%x", print_trailer() (the
 * tracks "%s in %pS age=%lu cpu=%u pid=%d", "Slab 0x%p objects=%u used=%u
 * fp=0x%p flags=%pGp", "Object 0x%p @offset=%tu fp=0x%p", hex dumps), the
 * stack, then restore_bytes()'s slab_fix() "FIX %s: %pV".
 */
static const char *const slab_report[] = {
	"=============================================================================",
	"BUG kmalloc-128 (Tainted: G           O      ): Poison overwritten",
	"-----------------------------------------------------------------------------",
	"",
	"0xffff888003a1c0c0-0xffff888003a1c0c3 @offset=192. First byte 0x0 instead of 0x6b",
	"Allocated in xb_alloc+0x2c/0x80 [xenbounce] age=12 cpu=0 pid=2345",
	" __kmem_cache_alloc_node+0x1a2/0x2e0",
	" kmalloc_trace+0x26/0x90",
	"Freed in xb_free+0x19/0x30 [xenbounce] age=5 cpu=0 pid=2345",
	" kfree+0x8d/0x130",
	"Slab 0xffffea00000e8700 objects=21 used=21 fp=0x0000000000000000 flags=0x100000000000200(slab|node=0|zone=1)",
	"Object 0xffff888003a1c0c0 @offset=192 fp=0xffff888003a1c180",
	"",
	"Redzone  ffff888003a1c040: bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb  ................",
	"Object   ffff888003a1c0c0: 00 00 00 00 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  ....kkkkkkkkkkkk",
	"Object   ffff888003a1c0d0: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b a5  kkkkkkkkkkkkkkk.",
	"Redzone  ffff888003a1c140: bb bb bb bb bb bb bb bb                          ........",
	"Padding  ffff888003a1c170: 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ",
	"CPU: 0 PID: 2345 Comm: xenbounce Tainted: G    B      O       6.1.0-27-amd64 #1  Debian 6.1.115-1",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x44/0x5c",
	" check_bytes_and_report.cold+0x4b/0x83",
	" check_object+0x1e5/0x300",
	" </TASK>",
	"Disabling lock debugging due to kernel taint",
	"FIX kmalloc-128: Restoring Poison 0xffff888003a1c0c0-0xffff888003a1c0c3=0x6b",
	"FIX kmalloc-128: Marking all objects used",
};

/*
 * Linux 6.12.46 and later (and the stable kernels that took "mm: slub:
 * call WARN() when detecting a slab corruption"): object_err() and
 * slab_err() end their report in WARN_ON(1). The WARNING is that report's,
 * not a finding of its own.
 */
static const char *const slab_report_warn[] = {
	"=============================================================================",
	"BUG kmalloc-64 (Tainted: G    B      O      ): Object already free",
	"-----------------------------------------------------------------------------",
	"",
	"Allocated in xb_alloc+0x2c/0x80 [xenbounce] age=40 cpu=1 pid=2345",
	"Freed in xb_free+0x19/0x30 [xenbounce] age=3 cpu=1 pid=2345",
	"Slab 0xffffea0000139e00 objects=32 used=30 fp=0xffff888004e78100 flags=0x100000000000200(slab|node=0|zone=1)",
	"Object 0xffff888004e78080 @offset=128 fp=0xffff888004e78100",
	"",
	"Object   ffff888004e78080: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk",
	"------------[ cut here ]------------",
	"WARNING: CPU: 1 PID: 2345 at mm/slub.c:1107 object_err+0x3b/0x50",
	"Modules linked in: xenbounce(O) edu",
	"CPU: 1 UID: 0 PID: 2345 Comm: xenbounce Tainted: G    B      O       6.12.48+deb13-amd64 #1  Debian 6.12.48-1",
	"Tainted: [B]=BAD_PAGE, [O]=OOT_MODULE",
	"RIP: e030:object_err+0x3b/0x50",
	"---[ end trace 0000000000000000 ]---",
};

static const char *const rcu_report[] = {
	"rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
	"rcu: \t1-...!: (0 ticks this GP) idle=2c4c/1/0x4000000000000000 softirq=9845/9845 fqs=1",
	"\t(detected by 0, t=21002 jiffies, g=12345, q=1072 ncpus=2)",
	"Sending NMI from CPU 0 to CPUs 1:",
	"NMI backtrace for cpu 1",
	"rcu: rcu_preempt kthread timer wakeup didn't happen for 20998 jiffies! g12345 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x402",
	"rcu: \tPossible timer handling issue on cpu=1 timer-softirq=4321",
	"rcu: rcu_preempt kthread starved for 20999 jiffies! g12345 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x402 ->cpu=1",
	"rcu: \tUnless rcu_preempt kthread gets sufficient CPU time, OOM is now expected behavior.",
	"rcu: RCU grace-period kthread stack dump:",
	"task:rcu_preempt     state:I stack:0     pid:15    ppid:2      flags:0x00004000",
};

static const char *const rcu_self_report[] = {
	"rcu: INFO: rcu_sched self-detected stall on CPU",
	"rcu: \t0-....: (5249 ticks this GP) idle=9fc4/1/0x4000000000000000 softirq=3316/3316 fqs=2582",
	"\t(t=5250 jiffies g=2789 q=311 ncpus=2)",
	"NMI backtrace for cpu 0",
	"CPU: 0 PID: 2345 Comm: xenbounce Tainted: G           O       6.1.0-27-amd64 #1  Debian 6.1.115-1",
};

/* check_hung_task(): the header, "      %s %s %.*s" (taint, release, version), the hint, sched_show_task(). */
static const char *const hung_report[] = {
	"INFO: task kworker/0:1:123 blocked for more than 120 seconds.",
	"      Tainted: G           O       6.1.0-27-amd64 #1",
	"\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\" disables this message.",
	"task:kworker/0:1     state:D stack:0     pid:123   ppid:2      flags:0x00004000",
	"Workqueue: events xb_work [xenbounce]",
	"Call Trace:",
	" <TASK>",
	" __schedule+0x34d/0x9e0",
	" schedule+0x5a/0xd0",
	" </TASK>",
};

static const char *const soft_report[] = {
	"watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [xenbounce:2345]",
	"Modules linked in: xenbounce(O) edu",
	"CPU: 0 PID: 2345 Comm: xenbounce Tainted: G           O       6.1.0-27-amd64 #1  Debian 6.1.115-1",
	"RIP: e030:xen_hypercall_sched_op+0xa/0x20",
	"Call Trace:",
	" <IRQ>",
	" </IRQ>",
};

static const char *const hard_report[] = {
	"NMI watchdog: Watchdog detected hard LOCKUP on cpu 1",
	"Modules linked in: xenbounce(O) edu",
	"CPU: 1 PID: 0 Comm: swapper/1 Tainted: G           O       6.1.0-27-amd64 #1  Debian 6.1.115-1",
	"RIP: 0010:native_queued_spin_lock_slowpath+0x5e/0x2d0",
};

/* Every report, in every saved-log form: exactly one finding, no device. */
static void test_kernel_reports_whole(void **state)
{
	static const struct report reports[] = {
		REPORT("GPF", gpf_report, "gpf"),
		REPORT("GPF 6.12", gpf_report_612, "gpf"),
		REPORT("sleeping function", sleep_report, "sleep_in_atomic"),
		REPORT("SLUB poison", slab_report, "slab_corruption"),
		REPORT("SLUB with its WARNING", slab_report_warn, "slab_corruption"),
		REPORT("RCU stall", rcu_report, "rcu_stall"),
		REPORT("RCU self-detected stall", rcu_self_report, "rcu_stall"),
		REPORT("hung task", hung_report, "hung_task"),
		REPORT("soft lockup", soft_report, "soft_lockup"),
		REPORT("hard lockup", hard_report, "hard_lockup"),
	};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(reports) / sizeof(*reports); i++) {
		for (int form = 0; form < F_COUNT; form++) {
			const struct report *r = &reports[i];
			char *text = log_text(r->lines, r->n, (enum log_form)form);
			json_t *out = classify_text(text, strlen(text));
			json_t *f = json_array_get(out, 0);

			if (json_array_size(out) != 1 || strcmp(str(f, "kind"), "oops") ||
			    strcmp(str(f, "subkind"), r->subkind) || json_object_get(f, "device")) {
				print_message("%s, %s: %zu findings, first %s/%s device %s; want one oops/%s\n",
					      r->name, form_names[form], json_array_size(out), str(f, "kind"),
					      str(f, "subkind"), str(f, "device"), r->subkind);
				for (size_t k = 0; k < json_array_size(out); k++)
					print_message("  %s\n", str(json_array_get(out, k), "line"));
				bad++;
			}
			json_decref(out);
			free(text);
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * The WARNING a SLUB report ends in is kept on its finding; a WARNING
 * from slub.c with another finding, or none, before it is a warning.
 */
static void test_slab_warning(void **state)
{
	char *text = log_text(slab_report_warn, sizeof(slab_report_warn) / sizeof(*slab_report_warn), F_DMESG);
	const char *lines[] = {
		"BUG kmalloc-64 (Not tainted): Object already free",
		"INFO: task kworker/0:1:123 blocked for more than 120 seconds.",
		"WARNING: CPU: 1 PID: 2345 at mm/slub.c:1107 object_err+0x3b/0x50",
		"BUG kmalloc-64 (Not tainted): Object already free",
		"WARNING: CPU: 1 PID: 2345 at drivers/gpu/drm/ttm/ttm_bo.c:100 ttm_bo_release+0x1/0x2",
		"WARNING: CPU: 1 PID: 2345 at mm/slub.c:1107 object_err+0x3b/0x50",
	};
	json_t *out = classify_text(text, strlen(text));
	static const char *const want[] = { "slab_corruption", "hung_task", "warning", "slab_corruption",
					    "warning", "warning" };

	(void)state;
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(str(json_array_get(out, 0), "warning"),
			    "WARNING: CPU: 1 PID: 2345 at mm/slub.c:1107 object_err+0x3b/0x50");
	json_decref(out);
	free(text);
	out = classify(lines, sizeof(lines) / sizeof(*lines));
	assert_int_equal(json_array_size(out), 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(str(json_array_get(out, i), "subkind"), want[i]);
	json_decref(out);
}

/* The lines of these reports that look like one: not findings. */
static void test_kernel_report_lookalikes(void **state)
{
	const char *lines[] = {
		/* A user process's GPF: arch/x86/kernel/traps.c show_signal(), not the kernel's. */
		"traps: a.out[2345] general protection fault ip:401136 sp:7ffd2b8c1f20 error:0 in a.out[401000+1000]",
		"FIX kmalloc-128: Restoring Poison 0xffff888003a1c0c0-0xffff888003a1c0c3=0x6b",
		"INFO: Slab 0xffffea00000e8700 objects=21 used=21 fp=0x0000000000000000 flags=0x100000000000200",
		"Kernel panic - not syncing: softlockup: hung tasks",
		/* A message a user process wrote to /dev/kmsg: slab_bug() starts its line. */
		"Xorg[1234]: BUG kmalloc-64 (Not tainted): quoted, not reported",
		"(XEN) GENERAL PROTECTION FAULT",
	};
	json_t *out = classify(lines, sizeof(lines) / sizeof(*lines));

	(void)state;
	/* Only the panic, which is its own event. */
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(str(json_array_get(out, 0), "subkind"), "panic");
	json_decref(out);
}

/*
 * /dev/kmsg: an expedited RCU stall's pr_cont() fragments (flag 'c') are
 * joined to the record they continue; one finding.
 */
static void test_rcu_expedited_fragments(void **state)
{
	static const char text[] = "3,700,9000,-;rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: {\n"
				   "3,701,9000,c; 1-....\n"
				   "3,702,9000,c; } 21004 jiffies s: 373 root: 0x2/.\n"
				   "6,703,9001,-;rcu: blocking rcu_node structures (internal RCU debug):\n";
	json_t *out = classify_text(text, sizeof(text) - 1);

	(void)state;
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(str(json_array_get(out, 0), "subkind"), "rcu_stall");
	assert_string_equal(str(json_array_get(out, 0), "line"),
			    "rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-.... } 21004 jiffies s: 373 root: 0x2/.");
	json_decref(out);
}

/*
 * Log text that is not UTF-8 is still in the finding: the bytes that are
 * not UTF-8 become "\xNN" (xb_json_string_lossy()), valid UTF-8 is kept.
 */
static void test_not_utf8(void **state)
{
	const char *lines[] = {
		"Kernel panic - not syncing: caf\xe9 \xff",
		"DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x57f0000 [fault reason 0x06] PTE \xc0\xaf r\xc3\xa9" "ad",
		"BUG kmalloc-64 (Not tainted): Poison \xed\xa0\x80 overwritten",
	};
	json_t *out = classify(lines, sizeof(lines) / sizeof(*lines));

	(void)state;
	assert_int_equal(json_array_size(out), 3);
	assert_string_equal(str(json_array_get(out, 0), "line"), "Kernel panic - not syncing: caf\\xe9 \\xff");
	assert_string_equal(str(json_array_get(out, 1), "reason"), "PTE \\xc0\\xaf r\xc3\xa9" "ad");
	assert_string_equal(str(json_array_get(out, 2), "reason"), "Poison \\xed\\xa0\\x80 overwritten");
	assert_string_equal(str(json_array_get(out, 2), "line"),
			    "BUG kmalloc-64 (Not tainted): Poison \\xed\\xa0\\x80 overwritten");
	json_decref(out);
}

/* The source label is kept whole, however long (a saved log's path), and kept when not UTF-8. */
static void test_long_source(void **state)
{
	static const char src[] = "/var/lib/lava/dispatcher/tmp/12345/serial-console-of-the-dom0.log";
	struct xb_classifier *c = xb_classifier_new(src);
	json_t *out = json_array();

	(void)state;
	xb_classify_text(c, "Kernel panic - not syncing: Fatal exception\n", out);
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(str(json_array_get(out, 0), "source"), src);
	xb_classifier_free(c);
	json_decref(out);
	/* A file name that is not UTF-8 is escaped, and the finding kept. */
	c = xb_classifier_new("/tmp/caf\xe9.log");
	out = json_array();
	xb_classify_text(c, "Kernel panic - not syncing: Fatal exception\n", out);
	assert_int_equal(json_array_size(out), 1);
	assert_string_equal(str(json_array_get(out, 0), "source"), "/tmp/caf\\xe9.log");
	xb_classifier_free(c);
	json_decref(out);
}

/*
 * Issue 25: a serial console holds xenbounce's own KTAP between the
 * kernel's and Xen's lines, and its diagnostics repeat the lines behind
 * each finding (runner.c findings_diag(): "# kind/subkind device: line",
 * indented in a subtest). They are passed over; the kernel's lines,
 * "#PF:" of an oops included, are not. Lines as in a lab serial.log.
 */
static void test_harness_ktap_skipped(void **state)
{
	static const char text[] =
		"(XEN) [   15.040806] [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 711e000\n"
		"(XEN) [   15.041300] [VT-D]DMAR: reason 06 - PTE Read access is not set\n"
		"KTAP version 1\n"
		"1..2\n"
		"# 13-edu-raw-phys: page_to_phys() to the device\n"
		"  KTAP version 1\n"
		"  1..1\n"
		"  # iommu_fault/xen_vtd 0000:00:03.0: [VT-D]DMAR:[DMA Read] Request device [0000:00:03.0] fault addr 711e000\n"
		"  not ok 1 w # XFAIL swiotlb buffer is full (sz: 3072 bytes)\n"
		"ok 1 13-edu-raw-phys\n"
		"[   16.100000]   # pool_exhausted/pool_full 0000:00:03.0: xenbounce 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes), total 32768 (slots), used 32768 (slots)\n"
		"<4>[   16.2] \t# oops/panic: Kernel panic - not syncing: shown, not happening\n"
		"[   16.300000] xenbounce 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes), total 32768 (slots), used 32768 (slots)\n"
		"[   16.400000] BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		"[   16.400001] #PF: supervisor read access in kernel mode\n"
		"[   16.400002] #PF: error_code(0x0000) - not-present page\n"
		"not ok 2 30-swiotlb-exhausted\n"
		"# Totals: pass:1 fail:1 xfail:0 xpass:0 skip:0 error:0\n";
	struct xb_classifier *c = xb_classifier_new("serial.log");
	json_t *out = json_array();

	(void)state;
	xb_classify_text(c, text, out);
	assert_int_equal(json_array_size(out), 3);
	assert_string_equal(str(json_array_get(out, 0), "subkind"), "xen_vtd");
	assert_int_equal(num(json_array_get(out, 0), "reason"), 6);
	assert_string_equal(str(json_array_get(out, 1), "subkind"), "pool_full");
	assert_string_equal(str(json_array_get(out, 1), "line"),
			    "xenbounce 0000:00:03.0: swiotlb buffer is full (sz: 3072 bytes), total 32768 (slots), used 32768 (slots)");
	assert_string_equal(str(json_array_get(out, 2), "subkind"), "bug");
	/* Two version lines, five "# " lines, three results; not the plans (no rule takes them). */
	assert_int_equal(xb_classifier_ktap_skipped(c), 10);
	/* Without positions asked for, findings keep their shape. */
	assert_null(json_object_get(json_array_get(out, 0), "line_no"));
	assert_null(json_object_get(json_array_get(out, 0), "ts"));
	xb_classifier_free(c);
	json_decref(out);
}

/* The finding's input line number and timestamp, each prefix form. */
static void test_positions(void **state)
{
	static const char text[] =
		"Dec 06 16:24:53 dom0 kernel: radeon 0000:01:00.0: swiotlb buffer is full (sz: 65536 bytes)\r\n"
		"\n"
		"2024-12-06T16:24:53+0100 dom0 kernel: Kernel panic - not syncing: one\n"
		"Dec  6 16:24:53.123456 dom0 kernel: Kernel panic - not syncing: two\n"
		"<3>[   12.5] Kernel panic - not syncing: three\n"
		"[    1.234567] dom0 kernel: Kernel panic - not syncing: four\n"
		"noise\0\0(XEN) [000000000ebb0c70] Panic on CPU 0:\n"
		"(XEN) [2024-12-06 16:24:53.123] [VT-D]DMAR:[DMA Write] Request device [0000:00:03.0] fault addr 57f1000\n"
		"(XEN) [2024-12-06 16:24:53.124] [VT-D]DMAR: reason 05 - PTE Write access is not set\n"
		"3,200,1000,-;AMD-Vi: Event logged [\n"
		"3,201,1001,c;IO_PAGE_FAULT device=00:14.0 domain=0x0000 address=0x00000000fdf80000 flags=0x0010]\n"
		" SUBSYSTEM=pci\n"
		"4,202,98765432101,-;WARNING: CPU: 1 PID: 2 at mm/x.c:1 f+0x1/0x2\n"
		"Out of memory: Kernel panic - not syncing kernel: no time here\n";
	static const struct {
		const char *subkind;
		json_int_t line_no;
		const char *ts;		/* NULL: none */
	} want[] = {
		{ "pool_full", 1, "Dec 06 16:24:53" },
		{ "panic", 3, "2024-12-06T16:24:53+0100" },
		{ "panic", 4, "Dec  6 16:24:53.123456" },
		{ "panic", 5, "12.5" },
		{ "panic", 6, "1.234567" },
		/* After NULs: still line 7, as an editor counts. */
		{ "xen_panic", 7, "000000000ebb0c70" },
		{ "xen_vtd", 8, "2024-12-06 16:24:53.123" },
		/* A record joined from two: the first one's line and time. */
		{ "linux_amdvi", 10, "0.001000" },
		{ "warning", 13, "98765.432101" },
		{ "panic", 14, NULL },
	};
	struct xb_classifier *c = xb_classifier_new("saved.log");
	json_t *out = json_array();

	(void)state;
	xb_classifier_positions(c, true);
	xb_classify_buf(c, text, sizeof(text) - 1, out);
	assert_int_equal(json_array_size(out), (sizeof(want) / sizeof(*want)));
	for (size_t i = 0; i < (sizeof(want) / sizeof(*want)); i++) {
		const json_t *f = json_array_get(out, i);

		assert_string_equal(str(f, "subkind"), want[i].subkind);
		assert_int_equal(json_integer_value(json_object_get(f, "line_no")), want[i].line_no);
		if (want[i].ts)
			assert_string_equal(str(f, "ts"), want[i].ts);
		else
			assert_null(json_object_get(f, "ts"));
	}
	/* The Xen fault's reason line joined it; the finding stays on line 8. */
	assert_int_equal(num(json_array_get(out, 6), "reason"), 5);
	xb_classifier_free(c);
	json_decref(out);
	/* Line by line (a kmsg reader): line_no counts the lines given. */
	c = xb_classifier_new("kmsg");
	out = json_array();
	xb_classifier_positions(c, true);
	xb_classify_line(c, "6,1,5,-;quiet", out);
	xb_classify_line(c, "0,2,2000000,-;Kernel panic - not syncing: x", out);
	xb_classify_flush(c, out);
	assert_int_equal(json_array_size(out), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(out, 0), "line_no")), 2);
	assert_string_equal(str(json_array_get(out, 0), "ts"), "2.000000");
	xb_classifier_free(c);
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
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_number_overflow),
		cmocka_unit_test(test_split_records),
		cmocka_unit_test(test_orphan_fragment),
		cmocka_unit_test(test_fragment_other_caller),
		cmocka_unit_test(test_kernel_report_headers),
		cmocka_unit_test(test_kernel_reports_whole),
		cmocka_unit_test(test_slab_warning),
		cmocka_unit_test(test_kernel_report_lookalikes),
		cmocka_unit_test(test_rcu_expedited_fragments),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_long_source),
		cmocka_unit_test(test_harness_ktap_skipped),
		cmocka_unit_test(test_positions),
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
