// SPDX-License-Identifier: GPL-2.0
#include "xen.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenstore.h>

#define XEN_RING_MAX (1u << 20)

struct xb_xen {
	xc_interface *xch;
	xentoollog_logger *lg;
	unsigned int index;
	char *buf;
};

bool xb_xen_privcmd_present(void)
{
	return access("/dev/xen/privcmd", R_OK | W_OK) == 0 ||
	       access("/proc/xen/privcmd", R_OK | W_OK) == 0;
}

struct xb_xen *xb_xen_open(void)
{
	struct xb_xen *x;

	if (!xb_xen_privcmd_present())
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	/* libxenctrl logs to stderr by default: keep it to critical errors. */
	x->lg = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr, XTL_CRITICAL, 0);
	x->xch = xc_interface_open(x->lg, x->lg, 0);
	if (!x->xch) {
		xb_xen_close(x);
		return NULL;
	}
	return x;
}

void xb_xen_close(struct xb_xen *x)
{
	if (!x)
		return;
	if (x->xch)
		xc_interface_close(x->xch);
	if (x->lg)
		xtl_logger_destroy(x->lg);
	free(x->buf);
	free(x);
}

const char *xb_xen_console_read(struct xb_xen *x, size_t *len)
{
	unsigned int n = XEN_RING_MAX - 1;

	*len = 0;
	if (!x->buf && !(x->buf = malloc(XEN_RING_MAX)))
		return "";
	if (xc_readconsolering(x->xch, x->buf, &n, 0, 1, &x->index))
		return NULL;
	x->buf[n] = '\0';	/* the ring is not NUL-terminated */
	*len = n;
	return x->buf;
}

/*
 * One xenstore read or write, in a child with a time limit: libxenstore
 * falls back to /dev/xen/xenbus when xenstored's socket is absent, and a
 * request there blocks until some xenstored answers, maybe never.
 * value NULL reads into out. 0, -ETIMEDOUT or -EIO.
 */
int xb_xs_op(const char *path, const char *value, char *out, size_t outlen, int timeout_ms)
{
	char buf[256] = "";
	int fds[2], status, ret = -EIO;
	pid_t pid;
	ssize_t n;
	struct pollfd pfd;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (pid == 0) {
		struct xs_handle *xs = xs_open(0);
		unsigned int len;
		char *t = NULL;
		bool ok = false;

		if (xs && value) {
			ok = xs_write(xs, XBT_NULL, path, value, strlen(value));
			t = strdup("ok");
		} else if (xs) {
			t = xs_read(xs, XBT_NULL, path, &len);
			ok = t != NULL;
		}
		if (ok && t && write(fds[1], t, strnlen(t, sizeof(buf) - 1)) < 0)
			_exit(1);
		_exit(ok ? 0 : 1);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout_ms) != 1) {
		ret = -ETIMEDOUT;
	} else if ((n = read(fds[0], buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		if (out)
			snprintf(out, outlen, "%s", buf);
		ret = 0;
	}
	close(fds[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return ret;
}

static void xb_xs_read_timeout(const char *path, json_t *o, const char *key)
{
	char buf[256];
	int ret = xb_xs_op(path, NULL, buf, sizeof(buf), 2000);

	if (!ret)
		json_object_set_new(o, key, json_string(buf));
	else if (ret == -ETIMEDOUT)
		json_object_set_new(o, "xenstore", json_string("no answer within 2 s (no xenstored?)"));
	else
		json_object_set_new(o, key, json_null());
}

int xb_xen_iommu_active(void)
{
	struct xb_xen *x = xb_xen_open();
	xc_physinfo_t pi = { 0 };
	int ret;

	if (!x)
		return -ENODEV;
	ret = xc_physinfo(x->xch, &pi) ? -errno : !!(pi.capabilities & XEN_SYSCTL_PHYSCAP_directio);
	xb_xen_close(x);
	return ret;
}

json_t *xb_xen_fingerprint(void)
{
	struct xb_xen *x = xb_xen_open();
	json_t *o = json_object();
	xen_extraversion_t extra;
	xen_changeset_info_t cs;
	xen_commandline_t cmdline;
	xc_physinfo_t pi = { 0 };
	int v;

	if (!x) {
		json_object_set_new(o, "available", json_false());
		json_object_set_new(o, "why", json_string(xb_xen_privcmd_present() ?
			"xc_interface_open failed" : "no /dev/xen/privcmd (not dom0, or xen-privcmd not loaded)"));
		return o;
	}
	json_object_set_new(o, "available", json_true());
	v = xc_version(x->xch, XENVER_version, NULL);
	memset(extra, 0, sizeof(extra));
	xc_version(x->xch, XENVER_extraversion, &extra);
	if (v >= 0)
		json_object_set_new(o, "version", json_sprintf("%d.%d%.*s", v >> 16, v & 0xffff,
							       (int)sizeof(extra), extra));
	memset(cs, 0, sizeof(cs));
	if (!xc_version(x->xch, XENVER_changeset, &cs))
		json_object_set_new(o, "changeset", json_stringn(cs, strnlen(cs, sizeof(cs))));
	memset(cmdline, 0, sizeof(cmdline));
	if (!xc_version(x->xch, XENVER_commandline, &cmdline))
		json_object_set_new(o, "cmdline", json_stringn(cmdline, strnlen(cmdline, sizeof(cmdline))));
	if (!xc_physinfo(x->xch, &pi)) {
		json_object_set_new(o, "iommu_directio", json_boolean(pi.capabilities & XEN_SYSCTL_PHYSCAP_directio));
		json_object_set_new(o, "total_pages", json_integer((json_int_t)pi.total_pages));
		json_object_set_new(o, "free_pages", json_integer((json_int_t)pi.free_pages));
		json_object_set_new(o, "nr_cpus", json_integer(pi.nr_cpus));
	}
	xb_xen_close(x);
	xb_xs_read_timeout("/local/domain/0/memory/target", o, "dom0_memory_target_kib");
	return o;
}

int xb_xen_free_below(struct xb_xen *x, unsigned int bits, unsigned long long *bytes)
{
	uint64_t b = 0;

	/* min_width 0: from address 0; node -1: every NUMA node. */
	if (xc_availheap(x->xch, 0, (int)bits, -1, &b))
		return errno ? -errno : -EIO;
	*bytes = b;
	return 0;
}

long long xb_xen_free_below_kib(unsigned int bits)
{
	struct xb_xen *x = xb_xen_open();
	unsigned long long bytes = 0;
	int r;

	if (!x)
		return -ENODEV;
	r = xb_xen_free_below(x, bits, &bytes);
	xb_xen_close(x);
	return r ? r : (long long)(bytes >> 10);
}
