// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the KTAP reader on arbitrary text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/ktap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct ktap_doc doc;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (ktap_parse(text, &doc, err, sizeof(err)) == 0)
		ktap_doc_free(&doc);
	free(text);
	return 0;
}
