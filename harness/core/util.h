/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the harness and the workloads: strict number
 * parsing, atomic file writes, reading whole files.
 */
#ifndef XB_UTIL_H
#define XB_UTIL_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define XB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define XB_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Whole decimal or 0x-hex number in [min, max]; 0 or -EINVAL / -ERANGE. */
int xb_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Byte size with an optional K, M or G suffix (powers of 1024). */
int xb_parse_size(const char *s, uint64_t *out);
/* yes/no, true/false, on/off, 1/0. */
int xb_parse_bool(const char *s, bool *out);

/* Write a whole file: tmp file, fsync, rename, fsync of the directory. */
int xb_write_file_atomic(const char *path, const void *buf, size_t len);
/* Write a short string to an existing file (/proc, /sys); 0 or -errno. */
int xb_write_string(const char *path, const char *s);
/* Append and fsync: the journal. */
int xb_append_sync(const char *path, const char *line);
int xb_mkdir_p(const char *path, mode_t mode);
/* Whole file, NUL-terminated; NULL with errno set. */
char *xb_read_file(const char *path, size_t *len);
/* The rest of a stream, likewise (the stream stays open). */
char *xb_read_stream(FILE *f, size_t *len);
/* First line of a small file, trailing white space removed. */
int xb_read_line(const char *path, char *buf, size_t len);

double xb_now(void);
/* snprintf that reports truncation as -ENAMETOOLONG. */
int xb_path(char *buf, size_t len, const char *fmt, ...) XB_PRINTF(3, 4);
char *xb_strdup_printf(const char *fmt, ...) XB_PRINTF(1, 2);
/*
 * One line for inih's stream reader (ini_parse_stream): counts it in
 * *line, copies it trimmed into trimmed; XB_INI_TOO_LONG for a line that
 * does not fit, XB_INI_CONTINUATION for an indented line that would extend
 * the previous value (inih's multi-line values, which scenario and
 * expectation files refuse).
 */
enum xb_ini_line { XB_INI_OK, XB_INI_EOF, XB_INI_TOO_LONG, XB_INI_CONTINUATION };
enum xb_ini_line xb_ini_line(char *str, int num, FILE *f, int *line, char *trimmed, size_t tlen);

/* Trim white space in place; returns the start. */
char *xb_trim(char *s);

/*
 * Text that is valid UTF-8 whatever it came from (a scenario file): valid
 * sequences are copied, every other byte becomes the four characters \xNN,
 * as xb_json_string_lossy does. Cut to fit len at a character boundary.
 * Returns dst.
 */
char *xb_utf8_escape(char *dst, size_t len, const char *src);

/*
 * s as a new JSON string even when it is not UTF-8 (json_string() returns
 * NULL then): each byte that does not begin a well-formed UTF-8 sequence
 * becomes the four characters "\xNN", as /dev/kmsg writes them. NULL only
 * for a NULL s or when out of memory.
 */
json_t *xb_json_string_lossy(const char *s);

#endif
