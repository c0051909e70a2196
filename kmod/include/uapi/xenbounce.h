/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xenbounce.ko <-> userspace contract: debugfs file names, command words,
 * limits and record formats. Included unmodified by kmod/ and userspace/,
 * the way kernel/dma/map_benchmark.c shares its header with its selftest.
 *
 * All files live in /sys/kernel/debug/xenbounce/ (mode 0600; status and
 * bounce_stats 0400). Writes are one command per write(2), at offset 0,
 * shorter than XB_CMD_MAX, without NUL bytes; a bad command fails with
 * -EINVAL/-ERANGE/-EBUSY/-ENOENT and changes nothing. Reads return
 * "key: value" lines; a file that takes commands lists them first, in the
 * line "commands: VERB ARGS | VERB ARGS | ..." (bounce_log: at the start
 * of the first read of an open file).
 */
#ifndef _UAPI_XENBOUNCE_H
#define _UAPI_XENBOUNCE_H

#define XB_DEBUGFS_DIR		"xenbounce"

/* Read: the module's state, "key: value" per line. */
#define XB_FILE_STATUS		"status"

/*
 * Settings. Write "iommu_confirmed 1" once userspace has seen, from Xen
 * itself (physinfo: XEN_SYSCTL_PHYSCAP_directio), that an IOMMU is active;
 * "iommu_confirmed 0" withdraws it. Without it, under Xen PV, the edu
 * paths first_page and raw_phys are refused with -EPERM (they rely on the
 * IOMMU to stop DMA that leaves the buffer); they also need Xen's command
 * line to ask for a strict dom0 IOMMU. Read: "iommu_confirmed: 0|1".
 * `xenbounce module load` sends it.
 */
#define XB_FILE_CONFIG		"config"
#define XB_CONFIG_IOMMU_CONFIRMED	"iommu_confirmed"

/*
 * The DMA pool: PFN-contiguous pages the module owns.
 * Write: "alloc PAGES", "alloc_contig PAGES" (a block whose machine frames
 * are contiguous; -EAGAIN when none of XB_CONTIG_TRIES blocks is),
 * "shuffle SEED", "unshuffle", "free".
 * Read: pages, discontiguous pairs, then one "pfn mfn" line per page.
 */
#define XB_FILE_POOL		"pool"
/*
 * pread/pwrite of the pool's bytes (file offset = pool offset). Reads at or
 * past the end return 0; writes there fail with -ENOSPC.
 */
#define XB_FILE_POOL_DATA	"pool_data"

/*
 * Write "MIB SEED": take MIB of free memory, permute its machine frames,
 * give it back. Write "blocks SEED [hold]": make every free 2 MiB block
 * machine-discontiguous (with "hold", keep them until "release_blocks",
 * which frees them newest-last, then takes and holds any clean 2 MiB block
 * the allocator still offers first, until "release", so the next 2 MiB
 * allocation gets a broken one;
 * one frame swap each), leaving at least
 * XB_SCRAMBLE_FLOOR_MIB (or 1/8 of RAM, whichever is more) available while
 * it holds them. Write "misalign SEED": down to the same floor, rearrange
 * the machine frames of every free 4 MiB block (swaps among its own) so
 * that its lower 2 MiB, what an allocation of order 9 or less splitting it
 * gets, is machine-contiguous from an odd frame: aligned to no order (on
 * an aligned P2M, a rotation of pages 0..512 by one). Then probe: allocate
 * blocks of XB_MISALIGN_PROBE_ORDER pages until one is machine-contiguous,
 * misaligned and in a rearranged block ("probe_misaligned: 1": the fault's
 * precondition holds; that block is freed), holding the ones that came
 * first (smaller free blocks the allocator serves before a 4 MiB one; at
 * most XB_MISALIGN_MAX_HELD_MIB) until "release" or unload. The
 * arrangement is the same for every SEED (recorded). Write "split SEED":
 * down to the same floor, every free 4 MiB block gets a machine-contiguous
 * lower 2 MiB (kept if it is one, else a run of 512 consecutive frames
 * among the block's own; a block without one is left alone) and the
 * machine frames of its upper half permuted (batched): a 4 MiB buffer's
 * first discontiguity lies past 2 MiB. Then the same probe with blocks of XB_SPLIT_ORDER
 * pages, until one is so ("probe_split: 1"). Write "release": free the
 * held blocks. Read: the last run ("mode: mib|blocks|misalign|split",
 * blocks, contiguous_before, aligned_before, misaligned, split, probe_*,
 * held_blocks, pages, time_ns).
 */
#define XB_FILE_SCRAMBLE	"scramble"
#define XB_SCRAMBLE_MISALIGN	"misalign"
#define XB_SCRAMBLE_SPLIT	"split"

/*
 * Exhaust Xen's free memory below 2^BITS (Xen PV): write "take BITS
 * [MIN_ORDER]" to exchange blocks of dom0's free memory with Xen
 * (XENMEM_exchange, as xen_create_contiguous_region() does) for
 * machine-contiguous extents below 2^BITS, of order XB_EXHAUST_MAX_ORDER
 * until Xen refuses, then of each smaller order down to MIN_ORDER (default
 * 0), and hold them; it stops early at the scramble's floor or at
 * XB_EXHAUST_MAX_MIB ("stopped: xen_refused|floor|max|dom0_memory|lost|error";
 * dom0_memory: no free block of the smallest order; error: the write fails).
 * -EBUSY while extents are held. "release" (and unload) exchanges every
 * extent back for frames from anywhere and frees the pages. Read: bits,
 * held_kib, extents per order ("extents: o9=N ... o0=N"), stopped,
 * time_ns, release_result, kept_kib (extents Xen did not take back, freed
 * as they were), lost_kib (pages that could not be mapped again, leaked).
 */
#define XB_FILE_EXHAUST		"exhaust"

/*
 * Hold swiotlb slots with real, bouncing dma_map_single() mappings.
 * Write: "free=N", "slots=N", "fragment=K" (1 <= K <= 127: no free run
 * is longer than a 128-slot segment anyway), "hole=K" (1 <= K <= 127:
 * the pool full but for one run of K slots at the end of a segment),
 * "release". Read: state.
 * "check": prove the pool whole (-EBUSY while a reserve is held): map the
 * longest run it can (up to check_max_run_slots: one segment, or less
 * when dma_max_mapping_size is), fill every free slot, count, give all
 * back; read check_result (0 or -errno), check_slots_free,
 * check_longest_run_slots, check_full_runs (free 128-slot runs the fill
 * mapped whole; 0 when check_max_run_slots is less), check_mappings,
 * check_time_ns. "leak=N"
 * (N <= XB_RESERVE_MAX_LEAK): hold N slots that "check" runs beside, the
 * check's known-bad control; status reserve_leaked_slots; "release" ends it.
 */
#define XB_FILE_RESERVE		"reserve"

/*
 * A TTM-like mapping: one dma_map_single() over PFN-contiguous pages.
 * Write: "map BYTES", "map_contig BYTES" (on a machine-contiguous block;
 * -EAGAIN when none is found), "release". Read: last result.
 */
#define XB_FILE_TTM		"ttm"

/*
 * Bounce log (tracepoint swiotlb:swiotlb_bounced). Read drains records,
 * one XB_BOUNCE_LOG_FMT line each. Write: "on", "off", "clear".
 */
#define XB_FILE_BOUNCE_LOG	"bounce_log"
#define XB_FILE_BOUNCE_STATS	"bounce_stats"
/* time_ns device dev_addr size */
#define XB_BOUNCE_LOG_FMT	"%llu %s 0x%llx %llu\n"

/*
 * One edu DMA. Write: "PATH DIR POOL_OFFSET LEN" with PATH one of the
 * XB_EDU_PATH_* words and DIR "to_device" (RAM -> edu buffer) or
 * "from_device" (edu buffer -> RAM). Read: the last transfer.
 */
#define XB_FILE_EDU		"edu"
#define XB_EDU_PATH_DMA_API	"dma_api"
#define XB_EDU_PATH_FIRST_PAGE	"first_page"
#define XB_EDU_PATH_RAW_PHYS	"raw_phys"
#define XB_EDU_PATH_STALE	"stale"
#define XB_EDU_DIR_TO_DEVICE	"to_device"
#define XB_EDU_DIR_FROM_DEVICE	"from_device"

/*
 * In-kernel bounce-penalty benchmark. Write "SIZE ITERATIONS" (SIZE up to
 * XB_BENCH_MAX_SIZE, SIZE * ITERATIONS up to XB_BENCH_MAX_BYTES, ITERATIONS
 * up to XB_BENCH_MAX_ITER; -EBUSY while one runs); read ns per map + sync +
 * unmap, bounced and not, and memcpy. It runs without the module's lock.
 */
#define XB_FILE_BENCH		"bench"

/*
 * The DMA API contract on edu's device, checked from the device's side
 * (edu reads and writes every object; the module compares every byte the
 * CPU then sees). Write one of:
 *   single DIR OFF LEN [skip_sync] [partial=K] [alloc]  dma_map_single_attrs
 *   page DIR OFF LEN [skip_sync] [partial=K] [alloc]    dma_map_page_attrs
 *        (alloc: OFF LEN in a block fresh from the page allocator, not
 *        the pool; OFF + LEN + 4096 at most 4 MiB)
 *   sg DIR OFF LEN NSEG                          dma_map_sgtable, NSEG pieces
 *   sync DIR OFF LEN SYNC_OFF SYNC_LEN ROUNDS    partial syncs, handed back
 *                                                and forth ROUNDS times
 *   maxmap DIR OFF [skip_sync] [partial=K]       dma_max_mapping_size() bytes
 *   transfer single|page DIR OFF LEN | transfer sg DIR OFF LEN NSEG
 *        every ownership transfer: whole and range syncs both ways on
 *        three targets (start, middle, end; first, middle, last segment)
 *   live COUNT   COUNT mappings of mixed sizes and directions alive at
 *                once, each used by the device and the CPU (nents: how
 *                many were mapped, bounced_mappings: how many bounced)
 *   coherent LEN | noncoherent DIR LEN | pages DIR LEN
 *   config default | config [mask=BITS] [coherent_mask=BITS] [min_align=MASK]
 *          [max_seg=BYTES] [seg_boundary=MASK]   (mask= sets both masks;
 *          coherent_mask= only the coherent one)
 *   device DDDD:BB:DD.F   what another PCI device's driver declared for DMA
 *                         (read back as probed_*: mask, max_segment_size,
 *                         max_mapping_size, segment_boundary)
 * DIR is to_device, from_device or bidirectional; OFF and LEN are within
 * the pool. A write fails only on bad input (-EINVAL, -ERANGE, -ENOENT
 * without a pool, -ENODEV without edu); what the check found is read back:
 * "result: ok|corrupt|outside|not_zeroed|constraint|map_failed|refused|
 * timeout" with its numbers, "call:" and "errno:" (the DMA API call that
 * failed: map_failed for a map or an allocation, refused for
 * dma_set_mask/dma_set_coherent_mask in config) and a "why:" line.
 */
#define XB_FILE_DMAAPI		"dmaapi"
#define XB_DMAAPI_SINGLE	"single"
#define XB_DMAAPI_PAGE		"page"
#define XB_DMAAPI_SG		"sg"
#define XB_DMAAPI_SYNC		"sync"
#define XB_DMAAPI_MAXMAP	"maxmap"
#define XB_DMAAPI_TRANSFER	"transfer"
#define XB_DMAAPI_LIVE		"live"
#define XB_DMAAPI_COHERENT	"coherent"
#define XB_DMAAPI_NONCOHERENT	"noncoherent"
#define XB_DMAAPI_PAGES		"pages"
#define XB_DMAAPI_CONFIG	"config"
#define XB_DMAAPI_DEVICE	"device"
#define XB_DMAAPI_TO_DEVICE	"to_device"
#define XB_DMAAPI_FROM_DEVICE	"from_device"
#define XB_DMAAPI_BIDIRECTIONAL	"bidirectional"
#define XB_DMAAPI_SKIP_SYNC	"skip_sync"
#define XB_DMAAPI_ALLOC		"alloc"
#define XB_DMAAPI_MAX_SEGMENTS	256
#define XB_DMAAPI_MAX_ROUNDS	64
#define XB_DMAAPI_MAX_LIVE	64
#define XB_DMAAPI_MAX_ALLOC	(8u << 20)

/* Limits, checked by the module and by userspace. */
#define XB_POOL_MAX_PAGES	1024
/* Blocks alloc_contig and map_contig try before -EAGAIN. */
#define XB_CONTIG_TRIES		32
#define XB_SCRAMBLE_MAX_MIB	4096
#define XB_SCRAMBLE_FLOOR_MIB	128
#define XB_MISALIGN_PROBE_ORDER	4	/* 64 KiB */
#define XB_MISALIGN_MAX_HELD_MIB	128	/* any probe's held blocks */
#define XB_SPLIT_ORDER		10	/* 4 MiB: lower half kept, upper permuted */
#define XB_EXHAUST_MIN_BITS	20
#define XB_EXHAUST_MAX_BITS	44
#define XB_EXHAUST_MAX_ORDER	9	/* 2 MiB extents first */
#define XB_EXHAUST_MAX_MIB	1024
#define XB_TTM_MAX_BYTES	(4u << 20)	/* one MAX_ORDER - 1 block */
#define XB_RESERVE_MAX_SLOTS	(1u << 24)
#define XB_RESERVE_MAX_FRAGMENT	127
#define XB_RESERVE_MAX_LEAK	128
#define XB_RESERVE_CHECK	"check"
#define XB_BENCH_MAX_SIZE	(256u << 10)	/* the largest bounce swiotlb makes */
#define XB_BENCH_MAX_BYTES	(1u << 30)
#define XB_BENCH_MAX_ITER	100000u
/* QEMU 7.2's edu aborts the VM on a transfer of exactly 4096 bytes. */
#define XB_EDU_MAX_LEN		4095
#define XB_EDU_BUF_SIZE		4096
#define XB_BOUNCE_LOG_RECORDS	4096
#define XB_CMD_MAX		128

#endif /* _UAPI_XENBOUNCE_H */
