/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to xenbounce.ko through its debugfs files. */
#ifndef XB_XBDEV_H
#define XB_XBDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/util.h"

/* Base of the module's debugfs files (XENBOUNCE_DEBUGFS overrides). */
const char *xb_debugfs_dir(void);
/* Write one command; 0 or -errno (the module's answer). */
int xb_dev_cmd(const char *file, const char *fmt, ...) XB_PRINTF(2, 3);
/* Read a whole file; malloc'd, NULL with errno. */
char *xb_dev_read(const char *file);
/* Value of "key: value" in a module file; 0 or -ENOENT / -errno. */
int xb_dev_get_u64(const char *file, const char *key, uint64_t *out);
int xb_dev_get_str(const char *file, const char *key, char *buf, size_t len);
/* pread/pwrite of the pool's bytes. */
int xb_dev_pool_io(bool write, uint64_t off, void *buf, size_t len);
/* Same lookup over a text already read. */
int xb_kv_get(const char *text, const char *key, char *buf, size_t len);

#endif
