/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DMA API contract's instruments (contract.c): patterns, the edu
 * engine as the device's hands, windows, guards and the result of the last
 * check. The commands that use them are in dmaapi.c, live.c and transfer.c.
 */
#ifndef _XB_CONTRACT_H
#define _XB_CONTRACT_H

#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>

#define WIN		((unsigned long)XB_EDU_MAX_LEN)
#define MAX_WINDOWS	8
#define MAX_OBJECT	(4UL << 20)

/* In rising order of severity: a check reports the worst it saw. */
enum ct_result {
	CT_OK, CT_CORRUPT, CT_OUTSIDE, CT_NOT_ZEROED, CT_CONSTRAINT, CT_MAP_FAILED, CT_REFUSED,
	CT_TIMEOUT
};

/* Bytes on each side of a pool mapping that must not change (guards). */
#define GUARD		PAGE_SIZE
#define GUARD_SEED(seed)	((seed) ^ 0x6a09e667)

/* The last check's result, read back from the dmaapi file. */
struct ct_last {
	bool valid;
	char op[16];
	char dir[16];
	unsigned long off, len;
	enum ct_result result;
	int err;
	dma_addr_t addr;
	bool bounced;
	int nents, windows;
	unsigned long checked, wrong, first_wrong;
	u8 want, got;
	size_t max_mapping;
	char call[32];		/* the DMA API call that failed, if one did */
	unsigned long guard;	/* guard bytes checked around the mapping */
	int realloc_same;	/* allocators: 1 the check's buffer is the dirtied one */
	unsigned long p2m_pages;	/* pages whose machine frame was checked */
	int bounced_n;		/* live: how many of the mappings bounced */
	char why[128];
};

extern struct ct_last ct_last;

/* What the device writes: a second pattern, tagged by window offset. */
#define DEV_SEED(seed)	((seed) ^ 0xb0b0b0b0)

struct ct_window {
	unsigned long start, len;
};

struct ct_ctx {
	const struct xb_engine *eng;
	struct device *dev;
	u8 *witness;		/* one coherent page */
	dma_addr_t witness_dma;
	u32 seed;
};

/*
 * The whole exchange on one object the device reaches at bus..: CPU puts
 * pattern A (seed) everywhere; the device reads the windows (to_device);
 * the device writes pattern B into the first 'partial' bytes of each window
 * (from_device). before_dev/after_dev are the syncs a driver owes.
 */
struct ct_exchange {
	u8 *cpu;
	dma_addr_t bus;
	unsigned long len, partial;
	enum dma_data_direction dir;
	void (*to_dev_sync)(struct ct_ctx *c, struct ct_exchange *x);
	void (*to_cpu_sync)(struct ct_ctx *c, struct ct_exchange *x);
	/*
	 * Memory mapped before the CPU wrote it (dma_alloc_pages and
	 * dma_alloc_noncoherent map at allocation): handed to the device for
	 * DMA_FROM_DEVICE, the CPU's bytes need not reach it (a bounce buffer
	 * is not filled for that direction), so after sync_for_cpu only the
	 * bytes the device wrote are promised.
	 */
	bool gaps_undefined;
	void *priv;
};

/*
 * Guards: up to GUARD bytes on each side of the mapped [cpu, cpu + len)
 * (as far as the buffer it lies in reaches: before, after) get their own
 * pattern before the mapping and must keep it after the unmap (a bounce
 * that copies back more than was mapped overwrites them).
 */
struct ct_guard {
	u8 *cpu;
	unsigned long len, lo, hi;
	u32 seed;		/* the check's seed when filled (sg changes it) */
};

/* How much of len bytes one engine transfer covers. */
static inline unsigned long ct_win_len(unsigned long len)
{
	return len < WIN ? len : WIN;
}

static inline bool ct_dir_to(enum dma_data_direction d)
{
	return d == DMA_TO_DEVICE || d == DMA_BIDIRECTIONAL;
}

static inline bool ct_dir_from(enum dma_data_direction d)
{
	return d == DMA_FROM_DEVICE || d == DMA_BIDIRECTIONAL;
}

extern const char * const ct_result_words[];

u8 ct_pat(u32 seed, unsigned long i);
void ct_fill(u8 *p, unsigned long len, u32 seed, unsigned long base);
void ct_check(const u8 *p, unsigned long len, u32 seed, unsigned long base, unsigned long where);
__printf(2, 3) void ct_fail(enum ct_result r, const char *fmt, ...);
__printf(4, 5) void ct_refused(enum ct_result r, const char *call, int err, const char *fmt, ...);
void ct_corrupt(const char *what);
int ct_windows(unsigned long len, struct ct_window *w);
int ct_engine_dma(struct ct_ctx *c, dma_addr_t bus, unsigned long len, bool to_device);
int ct_device_reads(struct ct_ctx *c, dma_addr_t bus, unsigned long len, u32 seed,
		    unsigned long base);
int ct_engine_load(struct ct_ctx *c, u32 seed, unsigned long len);
int ct_device_writes(struct ct_ctx *c, dma_addr_t bus, unsigned long len);
int ct_device_side(struct ct_ctx *c, struct ct_exchange *x);
void ct_cpu_view(struct ct_ctx *c, const u8 *cpu, unsigned long len, const struct ct_window *w,
		 int n, unsigned long written, bool gaps_undefined);
void ct_cpu_side(struct ct_ctx *c, struct ct_exchange *x);
void ct_mask_check(dma_addr_t addr, unsigned long len, u64 mask, const char *mname,
		   const char *what);
void ct_constraints(struct device *dev, dma_addr_t addr, unsigned long len, const void *cpu,
		    const char *what);
int ct_get(struct ct_ctx *c);
int ct_ret(int ret);
void ct_guard_fill(struct ct_ctx *c, struct ct_guard *g, u8 *cpu, unsigned long len,
		   unsigned long before, unsigned long after);
void ct_guard_pool(struct ct_ctx *c, struct ct_guard *g, unsigned long off, unsigned long len);
void ct_guard_check(const struct ct_guard *g);
/*
 * The start of a check on the pool's bytes [off, off + len): ct_begin(),
 * the context, the bytes filled with the check's pattern, guard bytes
 * around them. 0 with *cpu at the bytes, or ct_get()'s error (the caller
 * still calls ct_put()).
 */
int ct_start_pool(struct ct_ctx *c, struct ct_guard *g, const char *op, const char *dir,
		  unsigned long off, unsigned long len, u8 **cpu);
int ct_pool_sgtable(struct sg_table *sgt, unsigned long off, unsigned long len,
		    unsigned long nseg);
void ct_put(struct ct_ctx *c);
void ct_begin(const char *op, const char *dir, unsigned long off, unsigned long len);
int ct_parse_dir(const char *s, enum dma_data_direction *d);
int ct_parse_range(char *o, char *l, unsigned long maxlen, unsigned long *off, unsigned long *len);

/* Verbs of dmaapi.c's table that have their own file. */
int xb_dmaapi_live(char *args);		/* live.c */
int xb_dmaapi_transfer(char *args);	/* transfer.c */

#endif /* _XB_CONTRACT_H */
