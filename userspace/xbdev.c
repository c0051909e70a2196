// SPDX-License-Identifier: GPL-2.0
#include "xbdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmod/include/uapi/xenbounce.h"

const char *xb_debugfs_dir(void)
{
	const char *d = getenv("XENBOUNCE_DEBUGFS");

	return d && *d ? d : "/sys/kernel/debug/" XB_DEBUGFS_DIR;
}

static int dev_path(char *buf, size_t len, const char *file)
{
	return xb_path(buf, len, "%s/%s", xb_debugfs_dir(), file);
}

int xb_dev_cmd(const char *file, const char *fmt, ...)
{
	char path[512], cmd[XB_CMD_MAX];
	va_list ap;
	int fd, n, ret = 0;
	ssize_t w;

	if (dev_path(path, sizeof(path), file))
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -E2BIG;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, cmd, (size_t)n);
	if (w < 0)
		ret = -errno;
	else if (w != n)
		ret = -EIO;
	close(fd);
	return ret;
}

char *xb_dev_read(const char *file)
{
	char path[512];

	if (dev_path(path, sizeof(path), file)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return xb_read_file(path, NULL);
}

int xb_kv_get(const char *text, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');

		if (!strncmp(p, key, klen) && p[klen] == ':') {
			const char *v = p + klen + 1;
			size_t n;

			while (*v == ' ')
				v++;
			n = nl ? (size_t)(nl - v) : strlen(v);
			if (n >= len)
				n = len - 1;
			memcpy(buf, v, n);
			buf[n] = '\0';
			return 0;
		}
		p = nl ? nl + 1 : NULL;
	}
	return -ENOENT;
}

int xb_dev_get_str(const char *file, const char *key, char *buf, size_t len)
{
	char *text = xb_dev_read(file);
	int ret;

	if (!text)
		return -errno;
	ret = xb_kv_get(text, key, buf, len);
	free(text);
	return ret;
}

int xb_dev_get_u64(const char *file, const char *key, uint64_t *out)
{
	char buf[64];
	int ret = xb_dev_get_str(file, key, buf, sizeof(buf));

	if (ret)
		return ret;
	return xb_parse_u64(buf, 0, UINT64_MAX, out);
}

int xb_dev_pool_io(bool write, uint64_t off, void *buf, size_t len)
{
	char path[512];
	int fd;
	ssize_t n;

	if (dev_path(path, sizeof(path), XB_FILE_POOL_DATA))
		return -ENAMETOOLONG;
	fd = open(path, (write ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write ? pwrite(fd, buf, len, (off_t)off) : pread(fd, buf, len, (off_t)off);
	close(fd);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}
