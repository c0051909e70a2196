// SPDX-License-Identifier: GPL-2.0
/*
 * What the capabilities share: the lock, command files, the environment
 * checks and the DMA devices. Nothing here calls a capability.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <xen/xen.h>
#include <xen/interface/version.h>
#include <asm/xen/hypercall.h>

#include "helpers.h"

/* Serialises every command and every read of module state. */
DEFINE_MUTEX(xb_lock);
struct device *xb_dma_dev;

static struct platform_device *xb_pdev;
static struct device *pci_dma_dev;	/* edu when bound; under xb_lock */
static bool xb_strict, xb_iommu, xb_confirmed;

/* Command files */

int xb_cmd_synopsis(const struct xb_verb *verbs, char *buf, size_t len)
{
	const struct xb_verb *v;
	int n = scnprintf(buf, len, "commands:");

	for (v = verbs; v->handler; v++) {
		const char *name = v->name ? v->name : "";
		bool eq = v->name && v->name[0] && v->name[strlen(v->name) - 1] == '=';

		n += scnprintf(buf + n, len - n, "%s %s%s%s", v == verbs ? "" : " |", name,
			       v->synopsis && *v->synopsis && *name && !eq ? " " : "",
			       v->synopsis ? v->synopsis : "");
	}
	n += scnprintf(buf + n, len - n, "\n");
	return n;
}

/* The verb for cmd, and where its arguments start. */
static const struct xb_verb *find_verb(const struct xb_verb *verbs, char *cmd, char **args)
{
	const struct xb_verb *v;

	for (v = verbs; v->handler; v++) {
		size_t n;

		if (!v->name) {
			*args = cmd;
			return v;
		}
		n = strlen(v->name);
		if (strncmp(cmd, v->name, n))
			continue;
		if (v->name[n - 1] == '=' || cmd[n] == '\0' || cmd[n] == ' ') {
			*args = skip_spaces(cmd + n);
			return v;
		}
	}
	return NULL;
}

/*
 * One whole command per write(2), at offset 0, shorter than XB_CMD_MAX, no
 * NUL bytes; leading and trailing white space is ignored.
 */
ssize_t xb_cmd_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	const struct xb_file *f = file_inode(file)->i_private;
	const struct xb_verb *v;
	char buf[XB_CMD_MAX], *cmd, *args;
	int ret;

	if (!f || !f->verbs)
		return -EINVAL;
	if (*ppos != 0 || count == 0 || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strlen(buf) != count)
		return -EINVAL;
	cmd = strim(buf);
	v = find_verb(f->verbs, cmd, &args);
	if (!v)
		return -EINVAL;
	if (v->unlocked) {
		ret = v->handler(args);
	} else {
		mutex_lock(&xb_lock);
		ret = v->handler(args);
		mutex_unlock(&xb_lock);
	}
	if (ret)
		return ret;
	*ppos += count;
	return count;
}

static int xb_file_show(struct seq_file *m, void *unused)
{
	const struct xb_file *f = m->private;
	char line[256];
	int ret = 0;

	if (f->verbs) {
		xb_cmd_synopsis(f->verbs, line, sizeof(line));
		seq_puts(m, line);
	}
	if (f->show) {
		mutex_lock(&xb_lock);
		ret = f->show(m);
		mutex_unlock(&xb_lock);
	}
	return ret;
}

static int xb_file_open(struct inode *inode, struct file *file)
{
	return single_open(file, xb_file_show, inode->i_private);
}

static const struct file_operations xb_file_fops = {
	.owner = THIS_MODULE,
	.open = xb_file_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = xb_cmd_write,
};

int xb_files_create(struct dentry *dir, const struct xb_file *files)
{
	const struct xb_file *f;

	for (f = files; f && f->name; f++) {
		struct dentry *d = debugfs_create_file(f->name, f->mode, dir, (void *)f,
						       f->fops ? f->fops : &xb_file_fops);

		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	return 0;
}

/* Arguments */

int xb_args_split(char *args, char **words, int max)
{
	int n = 0;
	char *w;

	while ((w = strsep(&args, " ")) != NULL) {
		if (!*w)
			continue;
		if (n == max)
			return -EINVAL;	/* extra fields */
		words[n++] = w;
	}
	return n;
}

int xb_arg_u64(const char *s, u64 *out)
{
	int ret = kstrtou64(s, 0, out);

	return ret == -ERANGE ? -ERANGE : ret ? -EINVAL : 0;
}

int xb_arg_ul(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	int ret = kstrtoul(s, 0, &v);

	if (ret)
		return ret == -ERANGE ? -ERANGE : -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Environment */

bool xb_is_pv(void)
{
	return IS_ENABLED(CONFIG_XEN_PV) && xen_pv_domain();
}

bool xb_iommu_on(void)
{
	return xb_iommu;
}

bool xb_iommu_strict(void)
{
	return xb_strict;
}

bool xb_iommu_confirmed(void)
{
	return READ_ONCE(xb_confirmed);
}

void xb_set_iommu_confirmed(bool on)
{
	WRITE_ONCE(xb_confirmed, on);
}

bool xb_stray_dma_allowed(void)
{
	return xb_strict && xb_iommu_confirmed();
}

/*
 * Is dom0's IOMMU context meant to be strict (only dom0's own pages
 * mapped)? Read from Xen's command line, in order, later options winning
 * as in Xen: "dom0-iommu=...,strict|relaxed|none", the older
 * "iommu=...,dom0-strict", and "iommu=<boolean>". Only what Xen was asked
 * for: whether it has an IOMMU at all, userspace confirms.
 */
static void xb_parse_xen_cmdline(void)
{
	static const char * const off[] = { "0", "off", "no", "false", "disable" };
	static const char * const on[] = {
		"1", "on", "yes", "true", "enable", "force", "required",
	};
	struct xen_commandline *cl;
	char *p, *tok;

	xb_strict = false;
	xb_iommu = false;
	/*
	 * A domU: Xen has no relaxed IOMMU mode for domUs (dom0-iommu= is
	 * dom0's alone), so its context, when it has one, maps only its own
	 * memory and what others granted it. Whether it has one a domU cannot
	 * ask (physinfo and Xen's command line are dom0's): whoever assigned
	 * the device confirms it.
	 */
	if (!xen_initial_domain()) {
		xb_strict = xen_domain();
		return;
	}
	cl = kzalloc(sizeof(*cl), GFP_KERNEL);
	if (!cl)
		return;
	if (HYPERVISOR_xen_version(XENVER_commandline, cl) < 0)
		goto out;
	cl->buf[sizeof(cl->buf) - 1] = '\0';
	/* Xen turns its IOMMU on by default on x86. */
	xb_iommu = true;
	p = cl->buf;
	while ((tok = strsep(&p, " ")) != NULL) {
		char *opts, *o;
		bool dom0_opt;

		if (str_has_prefix(tok, "dom0-iommu="))
			dom0_opt = true;
		else if (str_has_prefix(tok, "iommu="))
			dom0_opt = false;
		else
			continue;
		opts = strchr(tok, '=') + 1;
		while ((o = strsep(&opts, ",")) != NULL) {
			if (dom0_opt) {
				if (!strcmp(o, "strict"))
					xb_strict = true;
				else if (!strcmp(o, "relaxed") || !strcmp(o, "none"))
					xb_strict = false;
				continue;
			}
			if (!strcmp(o, "dom0-strict"))
				xb_strict = true;
			else if (!strcmp(o, "dom0-relaxed"))
				xb_strict = false;
			else if (match_string(off, ARRAY_SIZE(off), o) >= 0)
				xb_iommu = false;
			else if (match_string(on, ARRAY_SIZE(on), o) >= 0)
				xb_iommu = true;
		}
	}
	if (!xb_iommu)
		xb_strict = false;
out:
	kfree(cl);
}

void xb_env_init(void)
{
	xb_parse_xen_cmdline();
	xb_confirmed = false;
}

/* DMA devices */

int xb_dma_dev_init(void)
{
	int ret;

	xb_pdev = platform_device_register_simple(KBUILD_MODNAME, PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(xb_pdev))
		return PTR_ERR(xb_pdev);
	xb_dma_dev = &xb_pdev->dev;
	ret = dma_set_mask_and_coherent(xb_dma_dev, DMA_BIT_MASK(64));
	if (ret)
		xb_dma_dev_exit();
	return ret;
}

void xb_dma_dev_exit(void)
{
	if (xb_pdev)
		platform_device_unregister(xb_pdev);
	xb_pdev = NULL;
	xb_dma_dev = NULL;
}

/* Called under xb_lock by the edu driver's probe and remove. */
void xb_set_pci_dma_dev(struct device *dev)
{
	lockdep_assert_held(&xb_lock);
	pci_dma_dev = dev;
}

static const struct xb_engine *engine;

void xb_set_engine(const struct xb_engine *e)
{
	lockdep_assert_held(&xb_lock);
	engine = e;
}

const struct xb_engine *xb_get_engine(void)
{
	lockdep_assert_held(&xb_lock);
	return engine;
}

/* Under xb_lock; the caller drops the reference with put_device(). */
struct device *xb_get_map_dev(void)
{
	lockdep_assert_held(&xb_lock);
	return get_device(pci_dma_dev ? pci_dma_dev : xb_dma_dev);
}
