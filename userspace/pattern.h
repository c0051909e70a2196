/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Position-tagged test patterns, shared by every workload. Each 64-byte
 * line of a buffer starts with a tag (magic, buffer id, page index, offset
 * in page, seed, check word) and is filled with seeded pseudo-random bytes,
 * so a misplaced page is identified ("this came from buffer 1, page 3"),
 * not just detected.
 */
#ifndef XB_PATTERN_H
#define XB_PATTERN_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XB_PAT_LINE 64u
#define XB_PAT_PAGE 4096u
#define XB_PAT_MAGIC 0x434e4258u	/* "XBNC" little-endian */
#define XB_VERIFY_MAX_RUNS 16

struct xb_pat_tag {
	uint32_t buf_id;
	uint32_t page;
	uint32_t offset;	/* of the line start in its page */
	uint64_t seed;
};

/* Bytes [pos, pos + len) of buffer buf_id's pattern into dst. */
void xb_pat_fill(uint8_t *dst, size_t len, uint32_t buf_id, uint64_t pos, uint64_t seed);
/* Decode a tag at p (64 bytes readable); false when no valid tag is there. */
bool xb_pat_decode(const uint8_t *p, struct xb_pat_tag *tag);

struct xb_corrupt_run {
	uint64_t off;		/* from the start of the verified region */
	uint64_t len;
	bool src_known;		/* a tag identified where the bytes came from */
	struct xb_pat_tag src;	/* the line the first wrong byte came from */
	uint64_t src_pos;	/* byte position in buffer src.buf_id */
};

struct xb_verify {
	uint64_t len;
	uint64_t bytes_wrong;
	uint64_t first_wrong;
	uint64_t pages_wrong;	/* 4 KiB pages of the region with a wrong byte */
	uint64_t nruns_total;
	size_t nruns;		/* runs kept (at most XB_VERIFY_MAX_RUNS) */
	struct xb_corrupt_run runs[XB_VERIFY_MAX_RUNS];
};

/*
 * Compare actual with expected over len bytes. base is the byte position of
 * actual[0] in its buffer (for page accounting). Fills v; returns
 * v->bytes_wrong.
 */
uint64_t xb_verify(const uint8_t *actual, const uint8_t *expected, size_t len,
		   uint64_t base, struct xb_verify *v);
/* The corruption map as JSON: counts plus the runs with their sources. */
json_t *xb_verify_json(const struct xb_verify *v);

/*
 * One row of an XRGB8888 test image: pixel (x, y) is bytes (y * w + x) * 4
 * of buffer buf_id's pattern with the X byte cleared, so a screendump
 * (RGB only) can be compared pixel for pixel. row holds w * 4 bytes.
 */
void xb_pat_xrgb_row(uint8_t *row, uint32_t w, uint32_t y, uint32_t buf_id, uint64_t seed);

/* splitmix64: small, seedable, good enough for test data. */
uint64_t xb_rand_next(uint64_t *state);

#endif
