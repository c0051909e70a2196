/* SPDX-License-Identifier: GPL-2.0 */
/* Shared helpers for the cmocka unit tests. */
#ifndef XB_UNIT_H
#define XB_UNIT_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>

/* A fresh directory under $TMPDIR; malloc'd path. */
static inline char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char *p = malloc(4096);

	assert_non_null(p);
	snprintf(p, 4096, "%s/xb-unit-XXXXXX", base);
	assert_non_null(mkdtemp(p));
	return p;
}

static inline void unit_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static inline void unit_rmrf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

#endif
