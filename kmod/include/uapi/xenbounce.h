/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xenbounce.ko <-> userspace contract: debugfs file names, command words,
 * limits and record formats. Included unmodified by kmod/ and userspace/,
 * the way kernel/dma/map_benchmark.c shares its header with its selftest.
 *
 * All files live in /sys/kernel/debug/xenbounce/ (mode 0600). Writes are
 * one command per write(2); a bad command fails with -EINVAL/-ERANGE/-EBUSY
 * and changes nothing. Reads return "key: value" lines.
 */
#ifndef _UAPI_XENBOUNCE_H
#define _UAPI_XENBOUNCE_H

#define XB_DEBUGFS_DIR		"xenbounce"

/* Read: the module's state, "key: value" per line. */
#define XB_FILE_STATUS		"status"

/*
 * The DMA pool: PFN-contiguous pages the module owns.
 * Write: "alloc PAGES", "shuffle SEED", "unshuffle", "free".
 * Read: pages, discontiguous pairs, then one "pfn mfn" line per page.
 */
#define XB_FILE_POOL		"pool"
/* pread/pwrite of the pool's bytes (file offset = pool offset). */
#define XB_FILE_POOL_DATA	"pool_data"

/*
 * Write "MIB SEED": take MIB of free memory, permute its machine frames,
 * give it back. Write "blocks SEED": make every free 2 MiB block machine-
 * discontiguous (one frame swap each). Read: the last run.
 */
#define XB_FILE_SCRAMBLE	"scramble"

/*
 * Hold swiotlb slots with real, bouncing dma_map_single() mappings.
 * Write: "free=N", "slots=N", "fragment=K", "release". Read: state.
 */
#define XB_FILE_RESERVE		"reserve"

/*
 * A TTM-like mapping: one dma_map_single() over PFN-contiguous pages.
 * Write: "map BYTES", "release". Read: last result.
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
#define XB_EDU_DIR_TO_DEVICE	"to_device"
#define XB_EDU_DIR_FROM_DEVICE	"from_device"

/*
 * In-kernel bounce-penalty benchmark. Write "SIZE ITERATIONS" (SIZE up to
 * 256 KiB); read ns per map + sync + unmap, bounced and not, and memcpy.
 */
#define XB_FILE_BENCH		"bench"

/* Limits, checked by the module and by userspace. */
#define XB_POOL_MAX_PAGES	1024
#define XB_SCRAMBLE_MAX_MIB	4096
#define XB_TTM_MAX_BYTES	(4u << 20)	/* one MAX_ORDER - 1 block */
#define XB_RESERVE_MAX_SLOTS	(1u << 24)
/* QEMU 7.2's edu aborts the VM on a transfer of exactly 4096 bytes. */
#define XB_EDU_MAX_LEN		4095
#define XB_EDU_BUF_SIZE		4096
#define XB_BOUNCE_LOG_RECORDS	4096
#define XB_CMD_MAX		128

#endif /* _UAPI_XENBOUNCE_H */
