// SPDX-License-Identifier: GPL-2.0
/* libFuzzer target: the scenario parser must reject or accept, never crash. */
#include <stdint.h>
#include <stdio.h>

#include "runner/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xb_scenario sc;
	char err[1024];
	FILE *f = fmemopen((void *)data, size, "r");

	if (!f)
		return 0;
	xb_scenario_parse_file(f, "fuzz.ini", &sc, err, sizeof(err));
	fclose(f);
	return 0;
}
