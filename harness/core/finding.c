// SPDX-License-Identifier: GPL-2.0
#include "finding.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static const char *const xb_kind_names[] = {
	[XB_K_CORRUPTION] = "corruption",
	[XB_K_IOMMU_FAULT] = "iommu_fault",
	[XB_K_POOL_EXHAUSTED] = "pool_exhausted",
	[XB_K_HANG] = "hang",
	[XB_K_MAP_ERROR] = "map_error",
	[XB_K_GPU_FAULT] = "gpu_fault",
	[XB_K_OOPS] = "oops",
	[XB_K_WARNING] = "warning",
	[XB_K_TAINT] = "taint",
	[XB_K_DEVICE_DISABLED] = "device_disabled",
};

_Static_assert(XB_ARRAY_SIZE(xb_kind_names) == XB_K_COUNT,
	       "xb_kind_names[] out of sync with enum xb_kind");

const char *xb_kind_name(enum xb_kind k)
{
	return (unsigned int)k < XB_K_COUNT ? xb_kind_names[k] : "unknown";
}

int xb_kind_from_name(const char *name)
{
	for (int i = 0; i < XB_K_COUNT; i++)
		if (!strcmp(name, xb_kind_names[i]))
			return i;
	return -1;
}

json_t *xb_finding_new(enum xb_kind kind, const char *subkind, const char *source)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "kind", xb_kind_name(kind),
			 "subkind", subkind ? subkind : "", "source", source ? source : "",
			 "numbers", json_object());
}

int xb_finding_kind(const json_t *f)
{
	const char *k = json_string_value(json_object_get(f, "kind"));

	return k ? xb_kind_from_name(k) : -1;
}

static void kinds_str(unsigned int set, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int k = 0; k < XB_K_COUNT && off < len; k++) {
		if (!(set & XB_KIND_BIT(k)))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "", xb_kind_name(k));
	}
}

bool xb_verdict(unsigned int expect, unsigned int allow, const json_t *findings,
		char *why, size_t len)
{
	unsigned int seen = 0, missing, unexpected;
	size_t i;
	json_t *f;
	char a[256], b[256];

	json_array_foreach(findings, i, f) {
		int k = xb_finding_kind(f);

		if (k >= 0)
			seen |= XB_KIND_BIT(k);
	}
	expect &= ~XB_EXPECT_PASS;
	missing = expect & ~seen;
	unexpected = seen & ~expect & ~allow;
	if (!missing && !unexpected) {
		kinds_str(expect, a, sizeof(a));
		kinds_str(seen & ~expect, b, sizeof(b));
		if (expect && b[0])
			snprintf(why, len, "expected %s: found; allowed %s", a, b);
		else if (expect)
			snprintf(why, len, "expected %s: found", a);
		else if (b[0])
			snprintf(why, len, "only allowed findings: %s", b);
		else
			snprintf(why, len, "no findings");
		return true;
	}
	kinds_str(missing, a, sizeof(a));
	kinds_str(unexpected, b, sizeof(b));
	if (missing && unexpected)
		snprintf(why, len, "expected %s: not found; unexpected %s", a, b);
	else if (missing)
		snprintf(why, len, "expected %s: not found", a);
	else
		snprintf(why, len, "unexpected %s", b);
	return false;
}
