// SPDX-License-Identifier: GPL-2.0
#include "sdma.h"

#include <libdrm/amdgpu_drm.h>

int xb_sdma_gen_for_family(uint32_t f)
{
	if (f == AMDGPU_FAMILY_SI)
		return XB_SDMA_SI;
	if (f == AMDGPU_FAMILY_CI || f == AMDGPU_FAMILY_KV || f == AMDGPU_FAMILY_VI ||
	    f == AMDGPU_FAMILY_CZ)
		return XB_SDMA_CIK;
	if (f >= AMDGPU_FAMILY_AI)
		return XB_SDMA_GFX9;
	return -1;
}

const char *xb_sdma_gen_name(enum xb_sdma_gen g)
{
	switch (g) {
	case XB_SDMA_SI:
		return "SI (DMA v1)";
	case XB_SDMA_CIK:
		return "GFX7/8 (CIK/VI SDMA)";
	case XB_SDMA_GFX9:
		return "GFX9+ (SDMA v4 and later)";
	}
	return "?";
}

int xb_sdma_write_linear(uint32_t *ib, size_t max, size_t *n, enum xb_sdma_gen g,
			 uint64_t dst, const uint32_t *data, uint32_t ndw)
{
	size_t need = (g == XB_SDMA_SI ? 3 : 4) + (size_t)ndw;
	size_t i = *n;

	if (ndw == 0 || ndw > XB_SDMA_WRITE_MAX_DW || (dst & 3) || i + need > max)
		return -1;
	if (g == XB_SDMA_SI) {
		ib[i++] = XB_SDMA_PACKET_SI(XB_SDMA_OP_WRITE, 0, 0, 0, ndw);
		ib[i++] = (uint32_t)dst & 0xfffffffc;
		ib[i++] = (uint32_t)(dst >> 32) & 0xff;
	} else {
		ib[i++] = XB_SDMA_PACKET(XB_SDMA_OP_WRITE, XB_SDMA_SUBOP_LINEAR, 0);
		ib[i++] = (uint32_t)dst & 0xfffffffc;
		ib[i++] = (uint32_t)(dst >> 32);
		ib[i++] = g == XB_SDMA_GFX9 ? ndw - 1 : ndw;
	}
	for (uint32_t k = 0; k < ndw; k++)
		ib[i++] = data[k];
	*n = i;
	return 0;
}

int xb_sdma_copy_linear(uint32_t *ib, size_t max, size_t *n, enum xb_sdma_gen g,
			uint64_t src, uint64_t dst, uint32_t bytes)
{
	size_t i = *n;

	if (bytes == 0 || bytes > XB_SDMA_COPY_MAX_BYTES)
		return -1;
	if (g == XB_SDMA_SI) {
		if (i + 5 > max)
			return -1;
		ib[i++] = XB_SDMA_PACKET_SI(XB_SDMA_OP_COPY_SI, 0, 0, 0, bytes);
		ib[i++] = (uint32_t)dst;
		ib[i++] = (uint32_t)src;
		ib[i++] = (uint32_t)(dst >> 32) & 0xff;
		ib[i++] = (uint32_t)(src >> 32) & 0xff;
	} else {
		if (i + 7 > max)
			return -1;
		ib[i++] = XB_SDMA_PACKET(XB_SDMA_OP_COPY, XB_SDMA_SUBOP_LINEAR, 0);
		ib[i++] = g == XB_SDMA_GFX9 ? bytes - 1 : bytes;
		ib[i++] = 0;	/* src/dst endian swap */
		ib[i++] = (uint32_t)src;
		ib[i++] = (uint32_t)(src >> 32);
		ib[i++] = (uint32_t)dst;
		ib[i++] = (uint32_t)(dst >> 32);
	}
	*n = i;
	return 0;
}

int xb_sdma_copy(uint32_t *ib, size_t max, size_t *n, enum xb_sdma_gen g,
		 uint64_t src, uint64_t dst, uint64_t bytes)
{
	size_t start = *n;

	if (bytes == 0)
		return -1;
	while (bytes) {
		uint32_t chunk = bytes > XB_SDMA_COPY_MAX_BYTES ? XB_SDMA_COPY_MAX_BYTES : (uint32_t)bytes;

		if (xb_sdma_copy_linear(ib, max, n, g, src, dst, chunk)) {
			*n = start;
			return -1;
		}
		src += chunk;
		dst += chunk;
		bytes -= chunk;
	}
	return 0;
}
