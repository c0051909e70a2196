// SPDX-License-Identifier: GPL-2.0
/*
 * SDMA packets against the public dword layouts: libdrm tests/amdgpu/basic_tests.c
 * (the SDMA_PACKET and SDMA_PACKET_SI macros,
 * amdgpu_command_submission_write_linear_helper() and
 * amdgpu_command_submission_copy_linear_helper()), and Linux
 * drivers/gpu/drm/amd/amdgpu: sdma_v4_0.c sdma_v4_0_emit_copy_buffer() writes
 * "byte_count - 1" (GFX9 and later), cik_sdma.c cik_sdma_emit_copy_buffer()
 * "byte_count" (CIK/VI).
 */
#include <libdrm/amdgpu_drm.h>

#include "unit.h"

#include "userspace/sdma.h"

static void test_families(void **state)
{
	(void)state;
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_SI), XB_SDMA_SI);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_CI), XB_SDMA_CIK);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_KV), XB_SDMA_CIK);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_VI), XB_SDMA_CIK);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_CZ), XB_SDMA_CIK);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_AI), XB_SDMA_GFX9);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_RV), XB_SDMA_GFX9);
	assert_int_equal(xb_sdma_gen_for_family(AMDGPU_FAMILY_NV), XB_SDMA_GFX9);
	assert_int_equal(xb_sdma_gen_for_family(0), -1);
}

static void test_header_macro(void **state)
{
	(void)state;
	/* SDMA_PACKET(op, sub_op, e) = e<<16 | sub_op<<8 | op */
	assert_int_equal(XB_SDMA_PACKET(2, 0, 0), 0x00000002);
	assert_int_equal(XB_SDMA_PACKET(1, 0, 0), 0x00000001);
	assert_int_equal(XB_SDMA_PACKET(2, 1, 4), 0x00040102);
	/* SDMA_PACKET_SI(op, b, t, s, cnt) = op<<28 | b<<26 | t<<23 | s<<22 | cnt */
	assert_int_equal(XB_SDMA_PACKET_SI(3, 0, 0, 0, 1024), 0x30000400);
	assert_int_equal(XB_SDMA_PACKET_SI(2, 1, 1, 1, 5), 0x24c00005);
}

static void test_write_linear(void **state)
{
	uint32_t ib[32], data[3] = { 0xdeadbeaf, 0x11111111, 0x22222222 };
	size_t n = 0;

	(void)state;
	/* GFX9+: count is n - 1. */
	assert_int_equal(xb_sdma_write_linear(ib, 32, &n, XB_SDMA_GFX9, 0x123456789abcull, data, 3), 0);
	assert_int_equal(n, 7);
	assert_int_equal(ib[0], 0x00000002);
	assert_int_equal(ib[1], 0x56789abc);
	assert_int_equal(ib[2], 0x1234);
	assert_int_equal(ib[3], 2);
	assert_int_equal(ib[4], 0xdeadbeaf);
	assert_int_equal(ib[6], 0x22222222);
	/* CIK/VI: count is n. */
	n = 0;
	assert_int_equal(xb_sdma_write_linear(ib, 32, &n, XB_SDMA_CIK, 0x1000, data, 3), 0);
	assert_int_equal(ib[3], 3);
	/* SI: count in the header, 3 header dwords. */
	n = 0;
	assert_int_equal(xb_sdma_write_linear(ib, 32, &n, XB_SDMA_SI, 0x12345678000ull, data, 3), 0);
	assert_int_equal(n, 6);
	assert_int_equal(ib[0], XB_SDMA_PACKET_SI(2, 0, 0, 0, 3));
	assert_int_equal(ib[2], 0x23);
	assert_int_equal(ib[3], 0xdeadbeaf);
	/* Destination must be dword aligned; zero count and overflow refused. */
	n = 0;
	assert_int_equal(xb_sdma_write_linear(ib, 32, &n, XB_SDMA_GFX9, 0x1002, data, 3), -1);
	assert_int_equal(xb_sdma_write_linear(ib, 32, &n, XB_SDMA_GFX9, 0x1000, data, 0), -1);
	assert_int_equal(xb_sdma_write_linear(ib, 6, &n, XB_SDMA_GFX9, 0x1000, data, 3), -1);
	assert_int_equal(n, 0);
}

static void test_copy_linear(void **state)
{
	uint32_t ib[64];
	size_t n = 0;

	(void)state;
	/* GFX9+: 7 dwords, count = bytes - 1. */
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, XB_SDMA_GFX9, 0x100000000ull, 0x200001000ull, 1024), 0);
	assert_int_equal(n, 7);
	assert_int_equal(ib[0], 0x00000001);
	assert_int_equal(ib[1], 1023);
	assert_int_equal(ib[2], 0);
	assert_int_equal(ib[3], 0x00000000);
	assert_int_equal(ib[4], 0x1);
	assert_int_equal(ib[5], 0x00001000);
	assert_int_equal(ib[6], 0x2);
	/* CIK/VI: count = bytes. */
	n = 0;
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, XB_SDMA_CIK, 0x1000, 0x2000, 1024), 0);
	assert_int_equal(ib[1], 1024);
	/* SI: header with count, dst lo, src lo, dst hi, src hi. */
	n = 0;
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, XB_SDMA_SI, 0x1100000000ull, 0x2200000040ull, 4096), 0);
	assert_int_equal(n, 5);
	assert_int_equal(ib[0], XB_SDMA_PACKET_SI(3, 0, 0, 0, 4096));
	assert_int_equal(ib[1], 0x40);
	assert_int_equal(ib[2], 0);
	assert_int_equal(ib[3], 0x22);
	assert_int_equal(ib[4], 0x11);
	/* Odd sizes are fine for copies; zero and oversize are not. */
	n = 0;
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, XB_SDMA_GFX9, 1, 3, 4097), 0);
	assert_int_equal(ib[1], 4096);
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, XB_SDMA_GFX9, 0, 0, 0), -1);
	assert_int_equal(xb_sdma_copy_linear(ib, 64, &n, XB_SDMA_GFX9, 0, 0, XB_SDMA_COPY_MAX_BYTES + 1), -1);
}

static void test_copy_split(void **state)
{
	uint32_t ib[64];
	size_t n = 0;

	(void)state;
	/* 2.5 MiB: three packets, addresses advance, counts add up. */
	assert_int_equal(xb_sdma_copy(ib, 64, &n, XB_SDMA_GFX9, 0x10000000, 0x40000000, 5u << 19), 0);
	assert_int_equal(n, 21);
	assert_int_equal(ib[1] + 1 + ib[8] + 1 + ib[15] + 1, 5u << 19);
	assert_int_equal(ib[3 + 7], 0x10000000 + XB_SDMA_COPY_MAX_BYTES);
	assert_int_equal(ib[5 + 14], 0x40000000 + 2 * XB_SDMA_COPY_MAX_BYTES);
	/* No room for all packets: nothing is left half-written. */
	n = 0;
	assert_int_equal(xb_sdma_copy(ib, 10, &n, XB_SDMA_GFX9, 0, 0, 3u << 20), -1);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_header_macro),
		cmocka_unit_test(test_write_linear),
		cmocka_unit_test(test_copy_linear),
		cmocka_unit_test(test_copy_split),
	};

	return cmocka_run_group_tests_name("sdma", tests, NULL, NULL);
}
