// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the log classifiers on arbitrary logs. */
#include <stdint.h>

#include "core/classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xb_classifier *c;
	json_t *out = json_array();

	if (!c) {
		c = xb_classifier_new("fuzz");
		/* As `xenbounce classify` runs it: line numbers and timestamps too. */
		if (c)
			xb_classifier_positions(c, true);
	}
	if (!c || !out) {
		json_decref(out);
		return 0;
	}
	/* Every byte, NULs included: the input need not be a C string. */
	xb_classify_buf(c, (const char *)data, size, out);
	json_decref(out);
	return 0;
}
