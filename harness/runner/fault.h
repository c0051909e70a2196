/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault backends: turn a scenario's [fault] section into module commands
 * before the workloads run, and undo them afterwards, also when the test
 * failed. setup() returns an xb_status: PASS when everything is in place,
 * SKIP when this machine cannot inject it, ERROR when injecting failed.
 */
#ifndef XB_FAULT_H
#define XB_FAULT_H

#include <jansson.h>

#include "scenario.h"
#include "core/status.h"

enum xb_status xb_fault_setup(const struct xb_scenario *sc, uint64_t seed, json_t *record,
			      char *why, size_t len);
/* Undo setup; ERROR (with why) when something could not be undone. */
enum xb_status xb_fault_teardown(const struct xb_scenario *sc, json_t *record, char *why,
				  size_t len);
/* True when the scenario injects anything. */
bool xb_fault_any(const struct xb_fault *f);

#endif
