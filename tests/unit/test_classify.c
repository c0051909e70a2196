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
	};

	return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
