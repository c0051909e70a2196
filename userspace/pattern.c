// SPDX-License-Identifier: GPL-2.0
#include "pattern.h"

#include <string.h>

uint64_t xb_rand_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t tag_check(uint32_t buf_id, uint32_t page, uint32_t off, uint64_t seed)
{
	uint64_t s = seed ^ ((uint64_t)buf_id << 32) ^ ((uint64_t)page << 12) ^ off;

	return (uint32_t)xb_rand_next(&s) | 1u;
}

static void make_line(uint8_t line[XB_PAT_LINE], uint32_t buf_id, uint64_t index, uint64_t seed)
{
	uint64_t pos = index * XB_PAT_LINE;
	uint32_t page = (uint32_t)(pos / XB_PAT_PAGE), off = (uint32_t)(pos % XB_PAT_PAGE);
	uint64_t s = seed * 31 + ((uint64_t)buf_id << 40) + index;

	put32(line, XB_PAT_MAGIC);
	put32(line + 4, buf_id);
	put32(line + 8, page);
	put32(line + 12, off);
	put32(line + 16, (uint32_t)seed);
	put32(line + 20, (uint32_t)(seed >> 32));
	put32(line + 24, tag_check(buf_id, page, off, seed));
	for (unsigned int i = 28; i < XB_PAT_LINE; i += 4)
		put32(line + i, (uint32_t)xb_rand_next(&s));
}

void xb_pat_fill(uint8_t *dst, size_t len, uint32_t buf_id, uint64_t pos, uint64_t seed)
{
	uint8_t line[XB_PAT_LINE];
	uint64_t cur = UINT64_MAX;

	for (size_t i = 0; i < len; i++) {
		uint64_t p = pos + i, index = p / XB_PAT_LINE;

		if (index != cur) {
			make_line(line, buf_id, index, seed);
			cur = index;
		}
		dst[i] = line[p % XB_PAT_LINE];
	}
}

bool xb_pat_decode(const uint8_t *p, struct xb_pat_tag *tag)
{
	uint32_t page, off, buf;
	uint64_t seed;

	if (get32(p) != XB_PAT_MAGIC)
		return false;
	buf = get32(p + 4);
	page = get32(p + 8);
	off = get32(p + 12);
	seed = get32(p + 16) | (uint64_t)get32(p + 20) << 32;
	if (off >= XB_PAT_PAGE || off % XB_PAT_LINE || get32(p + 24) != tag_check(buf, page, off, seed))
		return false;
	tag->buf_id = buf;
	tag->page = page;
	tag->offset = off;
	tag->seed = seed;
	return true;
}

/* Look for a tag at or before the first wrong byte of a run. */
static void find_source(const uint8_t *actual, size_t len, struct xb_corrupt_run *r)
{
	uint64_t lo = r->off >= XB_PAT_LINE - 1 ? r->off - (XB_PAT_LINE - 1) : 0;
	uint64_t hi = r->off + r->len;

	for (uint64_t j = lo; j <= hi && j + XB_PAT_LINE <= len; j++) {
		struct xb_pat_tag t;

		if (!xb_pat_decode(actual + j, &t))
			continue;
		r->src_known = true;
		r->src = t;
		/* Where byte r->off came from, in the source buffer. */
		r->src_pos = (uint64_t)t.page * XB_PAT_PAGE + t.offset;
		if (r->off >= j)
			r->src_pos += r->off - j;
		else
			r->src_pos -= j - r->off;
		return;
	}
}

uint64_t xb_verify(const uint8_t *actual, const uint8_t *expected, size_t len,
		   uint64_t base, struct xb_verify *v)
{
	uint64_t last_page = UINT64_MAX;
	size_t i = 0;
	struct xb_corrupt_run *cur = NULL;
	size_t cur_end = 0;

	memset(v, 0, sizeof(*v));
	v->len = len;
	while (i < len) {
		size_t start;

		if (actual[i] == expected[i]) {
			i++;
			continue;
		}
		start = i;
		while (i < len && actual[i] != expected[i]) {
			uint64_t page = (base + i) / XB_PAT_PAGE;

			if (page != last_page) {
				v->pages_wrong++;
				last_page = page;
			}
			i++;
		}
		if (!v->bytes_wrong)
			v->first_wrong = start;
		v->bytes_wrong += i - start;
		/*
		 * Wrong data matches the expected bytes here and there by
		 * chance: bytes closer than one line belong to the same run.
		 */
		if (cur && start - cur_end < XB_PAT_LINE) {
			cur->len = i - cur->off;
			cur_end = i;
			continue;
		}
		v->nruns_total++;
		cur = NULL;
		if (v->nruns < XB_VERIFY_MAX_RUNS) {
			cur = &v->runs[v->nruns++];
			cur->off = start;
			cur->len = i - start;
			cur_end = i;
		}
	}
	for (size_t k = 0; k < v->nruns; k++)
		find_source(actual, len, &v->runs[k]);
	return v->bytes_wrong;
}

void xb_pat_xrgb_row(uint8_t *row, uint32_t w, uint32_t y, uint32_t buf_id, uint64_t seed)
{
	xb_pat_fill(row, (size_t)w * 4, buf_id, (uint64_t)y * w * 4, seed);
	for (uint32_t x = 0; x < w; x++)
		row[x * 4 + 3] = 0;
}

json_t *xb_verify_json(const struct xb_verify *v)
{
	json_t *runs = json_array();

	for (size_t i = 0; i < v->nruns; i++) {
		const struct xb_corrupt_run *r = &v->runs[i];
		json_t *o = json_pack("{s:I, s:I}", "offset", (json_int_t)r->off, "length", (json_int_t)r->len);

		if (r->src_known)
			json_object_set_new(o, "came_from", json_pack("{s:i, s:i, s:i, s:I}",
				"buffer", (int)r->src.buf_id, "page", (int)r->src.page,
				"page_offset", (int)(r->src_pos % XB_PAT_PAGE), "position", (json_int_t)r->src_pos));
		json_array_append_new(runs, o);
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:o}", "length", (json_int_t)v->len,
			 "bytes_wrong", (json_int_t)v->bytes_wrong, "first_wrong", (json_int_t)v->first_wrong,
			 "pages_wrong", (json_int_t)v->pages_wrong, "runs_total", (json_int_t)v->nruns_total,
			 "runs", runs);
}
