// SPDX-License-Identifier: GPL-2.0
/*
 * Every ownership transfer of a streaming mapping, checked from both sides.
 *
 *   transfer single|page DIR OFF LEN
 *   transfer sg DIR OFF LEN NSEG
 *
 * One mapping of the pool range (dma_map_single, dma_map_page or
 * dma_map_sgtable over NSEG pieces, NSEG >= 3) is handed to the device
 * and back twice. Three targets are probed: the start, a window across a
 * page boundary in the middle and the end of a single or page mapping;
 * the first, a middle and the last DMA segment of a table.
 *
 *   round 1, whole syncs: the CPU writes each target (to_device), hands
 *     the whole mapping over (dma_sync_single_for_device or
 *     dma_sync_sgtable_for_device), the device reads each target
 *     (to_device) or writes its own pattern into it (from_device); the CPU
 *     takes the whole mapping back (..._for_cpu) and reads every target.
 *   round 2, ranges (single and page): the same with
 *     dma_sync_single_range_for_{device,cpu}() per target, the last target
 *     first. For from_device the CPU writes its own bytes into each target
 *     it took back: taking back an earlier range must not overwrite a
 *     later range the CPU already owns.
 *   round 2 of a table repeats round 1 with new patterns.
 *
 * Bidirectional does both halves. Bytes no one wrote must keep the CPU's
 * pattern after every round and after the unmap, and the guards around the
 * range theirs. The result is read back from the dmaapi file like any
 * other check ("op: transfer").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include "xenbounce.h"
#include "contract.h"

#define TARGETS		3
#define ROUNDS		2
#define OWN_SEED(seed)	((seed) ^ 0x3c6ef372)

struct target {
	unsigned long off, len;	/* within the range */
	dma_addr_t bus;
};

struct mapping {
	bool sg;
	dma_addr_t bus;		/* single, page */
	struct sg_table sgt;
	enum dma_data_direction dir;
	unsigned long len;
	struct target t[TARGETS];
};

static u32 target_seed(u32 seed, int round, int i)
{
	return seed ^ (u32)(round * TARGETS + i + 1) * 0x01000193u;
}

/* Hand the whole mapping to the device, or take it back. */
static void sync_whole(struct ct_ctx *c, struct mapping *m, bool for_device)
{
	if (m->sg && for_device)
		dma_sync_sgtable_for_device(c->dev, &m->sgt, m->dir);
	else if (m->sg)
		dma_sync_sgtable_for_cpu(c->dev, &m->sgt, m->dir);
	else if (for_device)
		dma_sync_single_for_device(c->dev, m->bus, m->len, m->dir);
	else
		dma_sync_single_for_cpu(c->dev, m->bus, m->len, m->dir);
}

static void sync_target(struct ct_ctx *c, struct mapping *m, int i, bool for_device)
{
	if (for_device)
		dma_sync_single_range_for_device(c->dev, m->bus, m->t[i].off, m->t[i].len, m->dir);
	else
		dma_sync_single_range_for_cpu(c->dev, m->bus, m->t[i].off, m->t[i].len, m->dir);
}

/* Bytes outside the targets keep the CPU's first pattern. */
static void check_gaps(struct ct_ctx *c, const u8 *cpu, struct mapping *m, const char *when)
{
	unsigned long at = 0;
	int i;

	for (i = 0; i <= TARGETS; i++) {
		unsigned long end = i < TARGETS ? m->t[i].off : m->len;

		ct_check(cpu + at, end - at, c->seed, at, at);
		if (i < TARGETS)
			at = m->t[i].off + m->t[i].len;
	}
	ct_corrupt(when);
}

/* One round: 0 on success, or the engine's error (already recorded). */
static int round_trip(struct ct_ctx *c, u8 *cpu, struct mapping *m, int round)
{
	bool ranges = round > 0 && !m->sg;
	int i, ret = 0;

	/* The CPU owns the mapping here: it writes what the device will read. */
	if (ct_dir_to(m->dir))
		for (i = 0; i < TARGETS; i++)
			ct_fill(cpu + m->t[i].off, m->t[i].len, target_seed(c->seed, round, i),
				m->t[i].off);
	if (!ranges)
		sync_whole(c, m, true);
	for (i = TARGETS - 1; ranges && i >= 0; i--)
		sync_target(c, m, i, true);
	for (i = 0; i < TARGETS && !ret && ct_dir_to(m->dir); i++)
		ret = ct_device_reads(c, m->t[i].bus, m->t[i].len,
				      target_seed(c->seed, round, i), m->t[i].off);
	for (i = 0; i < TARGETS && !ret && ct_dir_from(m->dir); i++) {
		ret = ct_engine_load(c, DEV_SEED(target_seed(c->seed, round, i)), m->t[i].len);
		if (!ret)
			ret = ct_device_writes(c, m->t[i].bus, m->t[i].len);
	}
	if (ret)
		return ret;
	if (!ranges)
		sync_whole(c, m, false);
	/* Take back each target, the last first; what was read must be there. */
	for (i = TARGETS - 1; i >= 0; i--) {
		u32 s = target_seed(c->seed, round, i);
		u8 *p = cpu + m->t[i].off;

		if (ranges)
			sync_target(c, m, i, false);
		if (ct_dir_from(m->dir))
			ct_check(p, m->t[i].len, DEV_SEED(s), 0, m->t[i].off);
		else
			ct_check(p, m->t[i].len, s, m->t[i].off, m->t[i].off);
		if (ranges && ct_dir_from(m->dir))
			ct_fill(p, m->t[i].len, OWN_SEED(s), m->t[i].off);
	}
	ct_corrupt(ranges ? " after a range sync for the CPU" : " after a whole sync for the CPU");
	/* The ranges the CPU took back first are still what it wrote there. */
	for (i = 0; ranges && ct_dir_from(m->dir) && i < TARGETS; i++)
		ct_check(cpu + m->t[i].off, m->t[i].len, OWN_SEED(target_seed(c->seed, round, i)),
			 m->t[i].off, m->t[i].off);
	ct_corrupt(" in a range the CPU owned when another was synced");
	check_gaps(c, cpu, m, " outside the targets");
	return 0;
}

/* Targets of a single or page mapping: start, middle, end windows. */
static int targets_linear(struct mapping *m)
{
	struct ct_window w[MAX_WINDOWS];
	int i;

	if (ct_windows(m->len, w) != TARGETS)
		return -ERANGE;
	for (i = 0; i < TARGETS; i++) {
		m->t[i].off = w[i].start;
		m->t[i].len = w[i].len;
		m->t[i].bus = m->bus + w[i].start;
	}
	return 0;
}

/* Targets of a table: the start of its first, a middle and its last DMA segment. */
static void targets_sg(struct ct_ctx *c, struct mapping *m, u8 *cpu)
{
	int pick[TARGETS] = { 0, m->sgt.nents / 2, m->sgt.nents - 1 };
	struct scatterlist *sg;
	unsigned long at = 0;
	int i, k = 0;

	for_each_sgtable_dma_sg(&m->sgt, sg, i) {
		unsigned long l = sg_dma_len(sg);

		ct_constraints(c->dev, sg_dma_address(sg), l, cpu + at, "segment");
		if (sg_dma_address(sg) != xb_direct_bus(c->dev, cpu + at))
			ct_last.bounced = true;
		if (k < TARGETS && i == pick[k]) {
			m->t[k].off = at;
			m->t[k].len = ct_win_len(l);
			m->t[k].bus = sg_dma_address(sg);
			k++;
		}
		at += l;
	}
	if (at != m->len)
		ct_fail(CT_CONSTRAINT, "the DMA segments cover %lu bytes of %lu", at, m->len);
}

static int map_sg(struct ct_ctx *c, struct mapping *m, unsigned long off, unsigned long nseg)
{
	int ret = ct_pool_sgtable(&m->sgt, off, m->len, nseg);

	if (ret)
		return ret;
	ret = dma_map_sgtable(c->dev, &m->sgt, m->dir, 0);
	if (ret)
		sg_free_table(&m->sgt);
	return ret;
}

static int cmd(const char *kind, char *args)
{
	struct ct_window probe[MAX_WINDOWS];
	unsigned long off, len, nseg = 0;
	struct ct_guard g = { };
	struct mapping m = { };
	struct ct_ctx c = { };
	bool page = !strcmp(kind, XB_DMAAPI_PAGE);
	char *w[4];
	int n = xb_args_split(args, w, 4), ret, r;
	u8 *cpu;

	m.sg = !strcmp(kind, XB_DMAAPI_SG);
	if (n != (m.sg ? 4 : 3))
		return -EINVAL;
	ret = ct_parse_dir(w[0], &m.dir);
	if (!ret)
		ret = ct_parse_range(w[1], w[2], MAX_OBJECT, &off, &len);
	if (!ret && m.sg)
		ret = xb_arg_ul(w[3], TARGETS, XB_DMAAPI_MAX_SEGMENTS, &nseg);
	if (!ret && nseg > len)
		ret = -ERANGE;
	/* A single or page mapping needs room for three separate windows. */
	if (!ret && !m.sg && ct_windows(len, probe) != TARGETS)
		ret = -ERANGE;
	if (ret)
		return ret;
	m.len = len;
	ret = ct_start_pool(&c, &g, XB_DMAAPI_TRANSFER, w[0], off, len, &cpu);
	if (ret)
		goto out;
	if (m.sg) {
		ret = map_sg(&c, &m, off, nseg);
		if (ret) {
			ct_refused(CT_MAP_FAILED, "dma_map_sgtable", ret,
				   "dma_map_sgtable of %lu pieces, %lu bytes (%s) returned %d",
				   nseg, len, w[0], ret);
			ret = 0;
			goto out;
		}
		ct_last.nents = m.sgt.nents;
		ct_last.addr = sg_dma_address(m.sgt.sgl);
		if (m.sgt.nents < TARGETS) {
			ct_fail(CT_CONSTRAINT, "%lu pieces were merged into %u DMA segments", nseg,
				m.sgt.nents);
			goto unmap;
		}
		targets_sg(&c, &m, cpu);
	} else {
		m.bus = page ? dma_map_page(c.dev, xb_pool_page(off), offset_in_page(cpu), len,
					    m.dir) :
			       dma_map_single(c.dev, cpu, len, m.dir);
		if (dma_mapping_error(c.dev, m.bus)) {
			ct_refused(CT_MAP_FAILED, page ? "dma_map_page" : "dma_map_single", 0,
				   "%s of %lu bytes (%s) returned DMA_MAPPING_ERROR",
				   page ? "dma_map_page" : "dma_map_single", len, w[0]);
			goto out;
		}
		ct_last.addr = m.bus;
		ct_last.bounced = m.bus != xb_direct_bus(c.dev, cpu);
		ct_constraints(c.dev, m.bus, len, cpu, kind);
		targets_linear(&m);
	}
	ct_last.windows = TARGETS;
	for (r = 0, ret = 0; r < ROUNDS && !ret && ct_last.result < CT_CORRUPT; r++)
		ret = round_trip(&c, cpu, &m, r);
unmap:
	if (m.sg) {
		dma_unmap_sgtable(c.dev, &m.sgt, m.dir, 0);
		sg_free_table(&m.sgt);
	} else if (page) {
		dma_unmap_page(c.dev, m.bus, len, m.dir);
	} else {
		dma_unmap_single(c.dev, m.bus, len, m.dir);
	}
	if (!ret && ct_last.result < CT_CORRUPT)
		check_gaps(&c, cpu, &m, " after unmap");
	if (!ret)
		ct_guard_check(&g);
	ret = 0;
out:
	ct_put(&c);
	return ct_ret(ret);
}

/* "transfer KIND ...": the verb's handler in dmaapi.c's table. */
int xb_dmaapi_transfer(char *args)
{
	char *kind = strsep(&args, " ");

	if (!kind || !args)
		return -EINVAL;
	if (strcmp(kind, XB_DMAAPI_SINGLE) && strcmp(kind, XB_DMAAPI_PAGE) &&
	    strcmp(kind, XB_DMAAPI_SG))
		return -EINVAL;
	return cmd(kind, args);
}
