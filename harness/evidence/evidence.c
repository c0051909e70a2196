// SPDX-License-Identifier: GPL-2.0
#include "evidence.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/classify.h"
#include "env.h"
#include "core/finding.h"
#include "core/util.h"
#include "xen.h"
#include "kmod/include/uapi/xenbounce.h"
#include "userspace/xbdev.h"

static FILE *open_out(const char *dir, const char *prefix, const char *name)
{
	char path[4096];

	if (xb_path(path, sizeof(path), "%s/%s%s", dir, prefix, name))
		return NULL;
	return fopen(path, "we");
}

/* The Linux log, from /dev/kmsg, by sequence number. */

struct kmsg_state {
	int fd;
	unsigned long long last_seq;
	bool have_seq;
};

static bool kmsg_open(void **st, char *why, size_t len)
{
	struct kmsg_state *s = calloc(1, sizeof(*s));

	if (!s)
		return false;
	s->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (s->fd < 0) {
		snprintf(why, len, "/dev/kmsg: %s", strerror(errno));
		free(s);
		return false;
	}
	*st = s;
	return true;
}


/* Read records until EAGAIN; each one to f (if any) and the classifier. */
static void kmsg_drain(struct kmsg_state *s, FILE *f, struct xb_classifier *c, json_t *findings,
		       unsigned long *nrec, unsigned long *lost)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(s->fd, rec, sizeof(rec) - 1);
		unsigned long long seq;
		unsigned int pri;
		char *msg, *nl;

		if (n < 0 && errno == EPIPE) {
			/* Overwritten before we read it: say so, carry on. */
			(*lost)++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		if (sscanf(rec, "%u,%llu,", &pri, &seq) != 2)
			continue;
		if (s->have_seq && seq > s->last_seq + 1)
			*lost += seq - s->last_seq - 1;
		s->last_seq = seq;
		s->have_seq = true;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		(*nrec)++;
		if (f)
			fprintf(f, "<%u>[%llu] %s\n", pri & 7, seq, msg);
		/* The whole record: its flags say whether it continues the last one. */
		if (c)
			xb_classify_line(c, rec, findings);
	}
	if (c)
		xb_classify_flush(c, findings);
}

/*
 * Log collectors (kernel log, Xen console, taint) read from where the last
 * window ended, not from where this one begins: what was logged between
 * two windows (a WARN or an IOMMU fault from deferred work after a test)
 * lands in the next window, never nowhere. Only what came before the run
 * is skipped, once, when it starts.
 */
static void kmsg_start(void *st)
{
	struct kmsg_state *s = st;
	unsigned long n = 0, lost = 0;

	kmsg_drain(s, NULL, NULL, NULL, &n, &lost);
}

static void no_begin(void *st)
{
	(void)st;
}

static void kmsg_end(void *st, const char *dir, const char *prefix, json_t *findings, json_t *ev)
{
	struct kmsg_state *s = st;
	FILE *f = open_out(dir, prefix, "dmesg.txt");
	struct xb_classifier *c = xb_classifier_new("kmsg");
	unsigned long n = 0, lost = 0;
	unsigned long long first = s->last_seq + 1;

	kmsg_drain(s, f, c, findings, &n, &lost);
	if (f)
		fclose(f);
	json_object_set_new(ev, "kmsg", json_pack("{s:I, s:I, s:I, s:I, s:I}",
		"records", (json_int_t)n, "first_seq", (json_int_t)(n ? first : 0),
		"last_seq", (json_int_t)s->last_seq, "lost", (json_int_t)lost,
		"suppressed", (json_int_t)(c ? xb_classifier_suppressed(c) : 0)));
	xb_classifier_free(c);
}

static void kmsg_close(void *st)
{
	struct kmsg_state *s = st;

	close(s->fd);
	free(s);
}

static const struct xb_collector kmsg_collector = {
	"kmsg", kmsg_open, kmsg_start, no_begin, kmsg_end, kmsg_close,
};

/* Xen's console ring, incrementally, through libxenctrl. */

static bool xen_open(void **st, char *why, size_t len)
{
	struct xb_xen *x;
	size_t n;

	if (!xb_xen_privcmd_present()) {
		snprintf(why, len, "no /dev/xen/privcmd (not dom0, or xen-privcmd not loaded)");
		return false;
	}
	x = xb_xen_open();
	if (!x) {
		snprintf(why, len, "xc_interface_open failed");
		return false;
	}
	if (!xb_xen_console_read(x, &n)) {
		/* A domU: Xen's console is dom0's (the lab keeps it in serial.log). */
		snprintf(why, len, "Xen's console ring is not readable here (%s): not dom0", strerror(errno));
		xb_xen_close(x);
		return false;
	}
	*st = x;
	return true;
}

static void xen_start(void *st)
{
	size_t n;

	xb_xen_console_read(st, &n);
}

static void xen_end(void *st, const char *dir, const char *prefix, json_t *findings, json_t *ev)
{
	size_t n;
	const char *text = xb_xen_console_read(st, &n);
	FILE *f = open_out(dir, prefix, "xen-console.txt");
	struct xb_classifier *c = xb_classifier_new("xen");

	if (f) {
		if (text)
			fwrite(text, 1, n, f);
		fclose(f);
	}
	if (c && text)
		xb_classify_buf(c, text, n, findings);
	json_object_set_new(ev, "xen_console", json_pack("{s:I, s:I}", "bytes", (json_int_t)n,
		"suppressed", (json_int_t)(c ? xb_classifier_suppressed(c) : 0)));
	xb_classifier_free(c);
}

static void xen_close(void *st)
{
	xb_xen_close(st);
}

static const struct xb_collector xen_collector = {
	"xen_console", xen_open, xen_start, no_begin, xen_end, xen_close,
};

/* swiotlb occupancy from its debugfs files. */

struct swiotlb_state {
	long long used_before;
};

static bool swiotlb_open(void **st, char *why, size_t len)
{
	struct swiotlb_state *s;

	if (xb_swiotlb_value("io_tlb_nslabs") < 0) {
		snprintf(why, len, "no %s/io_tlb_nslabs (debugfs not mounted, not root, or no swiotlb)",
			 xb_swiotlb_dir());
		return false;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return false;
	*st = s;
	return true;
}

static void swiotlb_begin(void *st)
{
	((struct swiotlb_state *)st)->used_before = xb_swiotlb_value("io_tlb_used");
}

static void swiotlb_end(void *st, const char *dir, const char *prefix, json_t *findings, json_t *ev)
{
	struct swiotlb_state *s = st;
	json_t *o = json_pack("{s:I, s:I, s:I}", "nslabs", (json_int_t)xb_swiotlb_value("io_tlb_nslabs"),
			      "used_before", (json_int_t)s->used_before,
			      "used_after", (json_int_t)xb_swiotlb_value("io_tlb_used"));
	long long hw = xb_swiotlb_value("io_tlb_used_hiwater");

	(void)dir;
	(void)prefix;
	(void)findings;
	if (hw >= 0)
		json_object_set_new(o, "hiwater", json_integer(hw));
	json_object_set_new(ev, "swiotlb", o);
}

/* For collectors whose state is one malloc'd block (or NULL). */
static void free_state(void *st)
{
	free(st);
}

static const struct xb_collector swiotlb_collector = {
	"swiotlb", swiotlb_open, NULL, swiotlb_begin, swiotlb_end, free_state,
};

/* Kernel taint: a new flag is a finding. */

/* Flags that loading xenbounce.ko itself sets: O (12) and E (13). */
#define TAINT_IGNORED ((1ull << 12) | (1ull << 13))
#define TAINT_WARN_BIT 9

static unsigned long long taint_value(void)
{
	char buf[64];
	uint64_t v = 0;

	if (!xb_read_line("/proc/sys/kernel/tainted", buf, sizeof(buf)))
		xb_parse_u64(buf, 0, UINT64_MAX, &v);
	return v;
}

static bool taint_open(void **st, char *why, size_t len)
{
	unsigned long long *s;

	if (access("/proc/sys/kernel/tainted", R_OK)) {
		snprintf(why, len, "no /proc/sys/kernel/tainted");
		return false;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return false;
	*st = s;
	return true;
}

static void taint_start(void *st)
{
	*(unsigned long long *)st = taint_value();
}

/* From the last window's end, like the logs: a flag set between windows is not missed. */
static void taint_end(void *st, const char *dir, const char *prefix, json_t *findings, json_t *ev)
{
	unsigned long long before = *(unsigned long long *)st, after = taint_value();
	unsigned long long added = after & ~before & ~TAINT_IGNORED;

	(void)dir;
	(void)prefix;
	json_object_set_new(ev, "taint", json_pack("{s:I, s:I}", "before", (json_int_t)before,
						   "after", (json_int_t)after));
	if (added) {
		json_t *f = xb_finding_new(XB_K_TAINT, (added >> TAINT_WARN_BIT) & 1 ? "warn" : "other", "taint");

		json_object_set_new(json_object_get(f, "numbers"), "added", json_integer((json_int_t)added));
		json_object_set_new(f, "summary", json_sprintf("kernel taint 0x%llx -> 0x%llx", before, after));
		json_array_append_new(findings, f);
	}
	*(unsigned long long *)st = after;
}

static const struct xb_collector taint_collector = {
	"taint", taint_open, taint_start, no_begin, taint_end, free_state,
};

/* The module's bounce log and counters. */

static bool bounce_open(void **st, char *why, size_t len)
{
	char *s = xb_dev_read(XB_FILE_BOUNCE_STATS);

	if (!s) {
		snprintf(why, len, "xenbounce.ko bounce log unavailable (%s)", strerror(errno));
		return false;
	}
	free(s);
	*st = NULL;
	return true;
}

static void bounce_begin(void *st)
{
	char *s;

	(void)st;
	xb_dev_cmd(XB_FILE_BOUNCE_LOG, "clear");
	s = xb_dev_read(XB_FILE_BOUNCE_LOG);	/* drain */
	free(s);
}

static void bounce_end(void *st, const char *dir, const char *prefix, json_t *findings, json_t *ev)
{
	char *log = xb_dev_read(XB_FILE_BOUNCE_LOG), *stats = xb_dev_read(XB_FILE_BOUNCE_STATS);
	FILE *f = open_out(dir, prefix, "bounce-log.txt");
	json_t *o = json_object();
	uint64_t v;
	char buf[64];

	(void)st;
	(void)findings;
	if (f) {
		if (log)
			fputs(log, f);
		fclose(f);
	}
	if (stats) {
		static const char *const keys[] = { "events", "bytes", "dropped", "max_size" };

		for (size_t i = 0; i < XB_ARRAY_SIZE(keys); i++)
			if (!xb_kv_get(stats, keys[i], buf, sizeof(buf)) && !xb_parse_u64(buf, 0, UINT64_MAX, &v))
				json_object_set_new(o, keys[i], json_integer((json_int_t)v));
	}
	json_object_set_new(ev, "bounce", o);
	free(log);
	free(stats);
}

static const struct xb_collector bounce_collector = {
	"bounce_log", bounce_open, NULL, bounce_begin, bounce_end, free_state,
};

/*
 * CONFIG_DMA_API_DEBUG reports only the first error of a boot unless told
 * otherwise: while a run lasts, all_errors = 1, so each test sees (and is
 * failed by the WARNING of) its own DMA-API errors; the count per window
 * is recorded, and the old setting comes back at the end.
 */
#define DMA_DEBUG_DIR "/sys/kernel/debug/dma-api"

struct dma_debug_state {
	char all_errors[16];	/* as it was, restored on close */
	long long before;
};

static long long dma_debug_count(void)
{
	char buf[32];
	uint64_t v;

	if (xb_read_line(DMA_DEBUG_DIR "/error_count", buf, sizeof(buf)) || xb_parse_u64(buf, 0, UINT64_MAX, &v))
		return -1;
	return (long long)v;
}

static bool dma_debug_open(void **st, char *why, size_t len)
{
	struct dma_debug_state *s;

	if (access(DMA_DEBUG_DIR "/all_errors", F_OK)) {
		snprintf(why, len, "no %s (CONFIG_DMA_API_DEBUG off, or debugfs not mounted)", DMA_DEBUG_DIR);
		return false;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return false;
	if (xb_read_line(DMA_DEBUG_DIR "/all_errors", s->all_errors, sizeof(s->all_errors)) ||
	    xb_write_string(DMA_DEBUG_DIR "/all_errors", "1")) {
		snprintf(why, len, "%s/all_errors: cannot set it to 1 (not root?): only the first DMA-API error of the boot would be reported",
			 DMA_DEBUG_DIR);
		free(s);
		return false;
	}
	*st = s;
	return true;
}

static void dma_debug_begin(void *st)
{
	((struct dma_debug_state *)st)->before = dma_debug_count();
}

static void dma_debug_end(void *st, const char *dir, const char *prefix, json_t *findings, json_t *ev)
{
	struct dma_debug_state *s = st;
	long long after = dma_debug_count();

	(void)dir;
	(void)prefix;
	(void)findings;	/* each error is a WARNING in the kernel log, classified there */
	json_object_set_new(ev, "dma_debug", json_pack("{s:I, s:I}", "errors_before", (json_int_t)s->before,
						       "errors_after", (json_int_t)after));
}

static void dma_debug_close(void *st)
{
	struct dma_debug_state *s = st;

	xb_write_string(DMA_DEBUG_DIR "/all_errors", s->all_errors);
	free(s);
}

static const struct xb_collector dma_debug_collector = {
	"dma_debug", dma_debug_open, NULL, dma_debug_begin, dma_debug_end, dma_debug_close,
};

const struct xb_collector *const xb_collectors[] = {
	&kmsg_collector, &xen_collector, &swiotlb_collector, &taint_collector, &bounce_collector,
	&dma_debug_collector,
};
const size_t xb_ncollectors = XB_ARRAY_SIZE(xb_collectors);

_Static_assert(XB_ARRAY_SIZE(xb_collectors) <= 8, "struct xb_evidence holds 8");

/* XENBOUNCE_COLLECTORS: comma-separated names to use, or "none"; default all. */
static bool wanted(const char *name)
{
	const char *list = getenv("XENBOUNCE_COLLECTORS");
	size_t n = strlen(name);

	if (!list || !*list)
		return true;
	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

int xb_evidence_check_names(const char *list, char *err, size_t len)
{
	char buf[512], *save = NULL;

	if (!list || !*list || !strcmp(list, "none"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i, off;

		for (i = 0; i < xb_ncollectors; i++)
			if (!strcmp(tok, xb_collectors[i]->name))
				break;
		if (i < xb_ncollectors)
			continue;
		off = (size_t)snprintf(err, len, "unknown collector \"%s\" (valid: none", tok);
		for (i = 0; i < xb_ncollectors && off < len; i++)
			off += (size_t)snprintf(err + off, len - off, ", %s", xb_collectors[i]->name);
		if (off < len)
			snprintf(err + off, len - off, ")");
		return -1;
	}
	return 0;
}

void xb_evidence_open(struct xb_evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	for (size_t i = 0; i < xb_ncollectors; i++) {
		if (!wanted(xb_collectors[i]->name)) {
			snprintf(ev->why[i], sizeof(ev->why[i]), "disabled by XENBOUNCE_COLLECTORS");
			continue;
		}
		ev->on[i] = xb_collectors[i]->open(&ev->state[i], ev->why[i], sizeof(ev->why[i]));
		if (ev->on[i] && xb_collectors[i]->start)
			xb_collectors[i]->start(ev->state[i]);
	}
}

void xb_evidence_begin(struct xb_evidence *ev)
{
	for (size_t i = 0; i < xb_ncollectors; i++)
		if (ev->on[i])
			xb_collectors[i]->begin(ev->state[i]);
}

void xb_evidence_end(struct xb_evidence *ev, const char *dir, const char *prefix,
		     json_t *findings, json_t *evidence)
{
	for (size_t i = 0; i < xb_ncollectors; i++)
		if (ev->on[i])
			xb_collectors[i]->end(ev->state[i], dir, prefix, findings, evidence);
}

void xb_evidence_close(struct xb_evidence *ev)
{
	for (size_t i = 0; i < xb_ncollectors; i++)
		if (ev->on[i] && xb_collectors[i]->close)
			xb_collectors[i]->close(ev->state[i]);
	memset(ev, 0, sizeof(*ev));
}

json_t *xb_evidence_describe(const struct xb_evidence *ev)
{
	json_t *o = json_object();

	for (size_t i = 0; i < xb_ncollectors; i++)
		json_object_set_new(o, xb_collectors[i]->name,
				    ev->on[i] ? json_string("on") : json_sprintf("off: %s", ev->why[i]));
	return o;
}
