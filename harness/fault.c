// SPDX-License-Identifier: GPL-2.0
#include "fault.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "util.h"
#include "../kmod/include/uapi/xenbounce.h"
#include "../userspace/xbdev.h"

bool xb_fault_any(const struct xb_fault *f)
{
	return f->pool_pages || f->scramble_mib || f->scramble_blocks || f->reserve_mode != XB_RESERVE_NONE ||
	       f->balloon_mib;
}

static enum xb_status cmd_status(int ret, const char *what, char *why, size_t len)
{
	if (!ret)
		return XB_PASS;
	snprintf(why, len, "%s: %s", what, strerror(-ret));
	/* The module says EOPNOTSUPP where the fault cannot exist (not Xen PV). */
	return ret == -EOPNOTSUPP ? XB_SKIP : XB_ERROR;
}

/* Copy a module file's "key: value" lines into the record. */
static void record_file(json_t *record, const char *name, const char *file)
{
	char *text = xb_dev_read(file);

	if (text) {
		/* Keep only the header, not per-page dumps. */
		char *dump = strstr(text, "\npfn ");

		if (dump)
			dump[1] = '\0';
		json_object_set_new(record, name, json_string(text));
	}
	free(text);
}

static json_t *swiotlb_file(const char *name)
{
	char path[512], buf[64];
	uint64_t v;

	if (xb_path(path, sizeof(path), "%s/%s", xb_swiotlb_dir(), name) ||
	    xb_read_line(path, buf, sizeof(buf)) || xb_parse_u64(buf, 0, UINT64_MAX, &v))
		return json_null();
	return json_integer((json_int_t)v);
}

static json_t *swiotlb_used(void)
{
	return swiotlb_file("io_tlb_used");
}

enum xb_status xb_fault_setup(const struct xb_scenario *sc, uint64_t seed, json_t *record,
			      char *why, size_t len)
{
	const struct xb_fault *f = &sc->fault;
	enum xb_status st;
	char w[256];

	if (!xb_fault_any(f))
		return XB_PASS;
	if (xb_env_check(XB_REQ_ROOT | XB_REQ_KMOD, w, sizeof(w))) {
		snprintf(why, len, "fault injection: %s", w);
		return XB_SKIP;
	}
	if (f->balloon_mib) {
		snprintf(why, len, "balloon fault: not implemented yet (needs xenstored in the lab)");
		return XB_SKIP;
	}
	if (f->pool_pages) {
		st = cmd_status(xb_dev_cmd(XB_FILE_POOL, "alloc %llu", (unsigned long long)f->pool_pages),
				"pool alloc", why, len);
		if (st != XB_PASS)
			return st;
		if (f->pool_shuffle) {
			st = cmd_status(xb_dev_cmd(XB_FILE_POOL, "shuffle %llu", (unsigned long long)seed),
					"pool shuffle", why, len);
			if (st != XB_PASS)
				return st;
		}
		record_file(record, "pool", XB_FILE_POOL);
	}
	if (f->scramble_mib) {
		st = cmd_status(xb_dev_cmd(XB_FILE_SCRAMBLE, "%llu %llu", (unsigned long long)f->scramble_mib,
					   (unsigned long long)seed), "scramble", why, len);
		if (st != XB_PASS)
			return st;
		record_file(record, "scramble", XB_FILE_SCRAMBLE);
	}
	if (f->scramble_blocks) {
		st = cmd_status(xb_dev_cmd(XB_FILE_SCRAMBLE, "blocks %llu", (unsigned long long)seed),
				"scramble blocks", why, len);
		if (st != XB_PASS)
			return st;
		record_file(record, "scramble_blocks", XB_FILE_SCRAMBLE);
	}
	if (f->reserve_mode != XB_RESERVE_NONE) {
		static const char *const words[] = {
			[XB_RESERVE_FREE] = "free", [XB_RESERVE_SLOTS] = "slots",
			[XB_RESERVE_FRAGMENT] = "fragment",
		};

		json_object_set_new(record, "swiotlb_used_before_reserve", swiotlb_used());
		st = cmd_status(xb_dev_cmd(XB_FILE_RESERVE, "%s=%llu", words[f->reserve_mode],
					   (unsigned long long)f->reserve_value), "swiotlb reserve", why, len);
		if (st != XB_PASS)
			return st;
		json_object_set_new(record, "swiotlb_used_after_reserve", swiotlb_used());
		json_object_set_new(record, "swiotlb_nslabs", swiotlb_file("io_tlb_nslabs"));
		record_file(record, "reserve", XB_FILE_RESERVE);
	}
	return XB_PASS;
}

void xb_fault_teardown(const struct xb_scenario *sc, json_t *record)
{
	const struct xb_fault *f = &sc->fault;
	json_t *errs = json_array();
	int ret;

	if (!xb_fault_any(f)) {
		json_decref(errs);
		return;
	}
	/* Reverse order of setup; the module tolerates "nothing to release". */
	if (f->reserve_mode != XB_RESERVE_NONE && (ret = xb_dev_cmd(XB_FILE_RESERVE, "release")))
		json_array_append_new(errs, json_sprintf("reserve release: %s", strerror(-ret)));
	if (f->pool_pages && (ret = xb_dev_cmd(XB_FILE_POOL, "free")))
		json_array_append_new(errs, json_sprintf("pool free: %s", strerror(-ret)));
	json_object_set_new(record, "teardown_errors", errs);
}
