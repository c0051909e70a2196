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
	[XB_K_CONTRACT] = "contract",
	[XB_K_POOL_LEAK] = "pool_leak",
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

void xb_kinds_format(unsigned int set, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int k = 0; k < XB_K_COUNT && off < len; k++) {
		if (!(set & XB_KIND_BIT(k)))
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "", xb_kind_name(k));
	}
	if ((set & XB_FAILED_CRASH) && off < len)
		snprintf(buf + off, len - off, "%scrash", off ? ", " : "");
}

int xb_kinds_parse(const char *list, bool crash_ok, unsigned int *set, char *err, size_t errlen)
{
	char buf[512], *save = NULL, valid[256];
	unsigned int s = 0;

	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errlen, "list too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int k;

		tok = xb_trim(tok);
		if (crash_ok && !strcmp(tok, "crash")) {
			s |= XB_FAILED_CRASH;
			continue;
		}
		k = xb_kind_from_name(tok);
		if (k < 0) {
			xb_kinds_format(XB_KIND_BIT(XB_K_COUNT) - 1 + (crash_ok ? XB_FAILED_CRASH : 0), valid,
					sizeof(valid));
			snprintf(err, errlen, "unknown kind \"%s\" (%s)", tok, valid);
			return -1;
		}
		s |= XB_KIND_BIT(k);
	}
	if (!s) {
		snprintf(err, errlen, "no kind given");
		return -1;
	}
	*set = s;
	return 0;
}

/* The source may be a file name, which need not be UTF-8: escaped, not refused. */
json_t *xb_finding_new(enum xb_kind kind, const char *subkind, const char *source)
{
	return json_pack("{s:s, s:s, s:o, s:o}", "kind", xb_kind_name(kind),
			 "subkind", subkind ? subkind : "", "source",
			 xb_json_string_lossy(source ? source : ""), "numbers", json_object());
}

int xb_finding_kind(const json_t *f)
{
	const char *k = json_string_value(json_object_get(f, "kind"));

	return k ? xb_kind_from_name(k) : -1;
}

unsigned int xb_findings_kinds(const json_t *findings, bool with_injected)
{
	unsigned int set = 0;
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		int k = xb_finding_kind(f);

		if (k >= 0 && (with_injected || !json_is_true(json_object_get(f, "injected"))))
			set |= XB_KIND_BIT(k);
	}
	return set;
}
