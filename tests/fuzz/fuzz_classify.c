// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the log classifiers on arbitrary logs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/classify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xb_classifier *c;
	char *text = malloc(size + 1);
	json_t *out = json_array();

	if (!c)
		c = xb_classifier_new("fuzz");
	if (!text || !out) {
		free(text);
		json_decref(out);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	xb_classify_text(c, text, out);
	json_decref(out);
	free(text);
	return 0;
}
