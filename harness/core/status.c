// SPDX-License-Identifier: GPL-2.0
#include "status.h"

#include <string.h>

#include "util.h"

static const char *const xb_status_names[] = {
	[XB_PASS] = "pass",
	[XB_SKIP] = "skip",
	[XB_XFAIL] = "xfail",
	[XB_XPASS] = "xpass",
	[XB_FLAKY] = "flaky",
	[XB_ERROR] = "error",
	[XB_FAIL] = "fail",
	[XB_TIMEOUT] = "timeout",
	[XB_CRASH] = "crash",
	[XB_INCOMPLETE] = "incomplete",
};

_Static_assert(XB_ARRAY_SIZE(xb_status_names) == XB_STATUS_COUNT,
	       "xb_status_names[] out of sync with enum xb_status");

const char *xb_status_name(enum xb_status s)
{
	if ((unsigned int)s >= XB_STATUS_COUNT)
		return "incomplete";
	return xb_status_names[s];
}

int xb_status_from_name(const char *name)
{
	for (int i = 0; i < XB_STATUS_COUNT; i++)
		if (!strcmp(name, xb_status_names[i]))
			return i;
	return -1;
}

bool xb_status_ok(enum xb_status s)
{
	return s == XB_PASS || s == XB_SKIP || s == XB_XFAIL || s == XB_XPASS || s == XB_FLAKY;
}

bool xb_status_passing(const char *name)
{
	int s = name ? xb_status_from_name(name) : -1;

	return s >= 0 && xb_status_ok((enum xb_status)s) && s != XB_SKIP;
}

enum xb_status xb_status_worst(enum xb_status a, enum xb_status b)
{
	return a > b ? a : b;
}
