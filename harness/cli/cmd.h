/* SPDX-License-Identifier: GPL-2.0 */
/* Subcommands of the xenbounce binary, one file each (cmd-NAME.c). */
#ifndef XB_CMD_H
#define XB_CMD_H

struct xb_cmd {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *help;
};

extern const struct xb_cmd xb_cmd_run;
extern const struct xb_cmd xb_cmd_classify;
extern const struct xb_cmd xb_cmd_module;
extern const struct xb_cmd xb_cmd_ktap;
extern const struct xb_cmd xb_cmd_labverify;
extern const struct xb_cmd xb_cmd_compare;
extern const struct xb_cmd xb_cmd_merge;
extern const struct xb_cmd xb_cmd_report;
extern const struct xb_cmd xb_cmd_amdgpu_plan;

#endif
