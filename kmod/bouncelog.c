// SPDX-License-Identifier: GPL-2.0
/*
 * Bounce log: a probe on the swiotlb:swiotlb_bounced tracepoint (fired by
 * xen-swiotlb and by swiotlb itself each time a mapping has to bounce,
 * just before the bounce buffer is allocated). Records go into a fixed
 * ring under a spinlock; the probe never allocates and never blocks, and
 * counts what it had to drop. Reading bounce_log drains the ring.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "xenbounce.h"

#define DEV_NAME_LEN	24
#define MAX_DEVS	16

struct bounce_rec {
	u64 time_ns;
	u64 dev_addr;
	u64 size;
	char dev[DEV_NAME_LEN];
};

struct dev_stat {
	const struct device *dev;
	char name[DEV_NAME_LEN];
	u64 events;
	u64 bytes;
};

static DEFINE_SPINLOCK(log_lock);
static struct bounce_rec *ring;
static unsigned int head, tail, count;
static struct dev_stat devs[MAX_DEVS];
static u64 events, bytes, dropped, max_size, other_events;
static bool enabled = true;
static struct tracepoint *tp;
static bool registered;

static void probe(void *data, struct device *dev, dma_addr_t dev_addr, size_t size)
{
	unsigned long flags;
	struct bounce_rec *r;
	unsigned int i;

	if (!READ_ONCE(enabled))
		return;
	spin_lock_irqsave(&log_lock, flags);
	events++;
	bytes += size;
	if (size > max_size)
		max_size = size;
	for (i = 0; i < MAX_DEVS; i++) {
		if (devs[i].dev == dev)
			break;
		if (!devs[i].dev) {
			devs[i].dev = dev;
			strscpy(devs[i].name, dev ? dev_name(dev) : "?", DEV_NAME_LEN);
			break;
		}
	}
	if (i < MAX_DEVS) {
		devs[i].events++;
		devs[i].bytes += size;
	} else {
		other_events++;
	}
	if (count == XB_BOUNCE_LOG_RECORDS) {
		dropped++;
	} else {
		r = &ring[head];
		r->time_ns = ktime_get_ns();
		r->dev_addr = dev_addr;
		r->size = size;
		strscpy(r->dev, dev ? dev_name(dev) : "?", DEV_NAME_LEN);
		head = (head + 1) % XB_BOUNCE_LOG_RECORDS;
		count++;
	}
	spin_unlock_irqrestore(&log_lock, flags);
}

/* For the benchmark: returns the previous setting. */
bool xb_bouncelog_set_enabled(bool on)
{
	return xchg(&enabled, on);
}

static void find_tp(struct tracepoint *t, void *priv)
{
	if (!strcmp(t->name, "swiotlb_bounced"))
		tp = t;
}

static ssize_t log_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	char line[96];
	size_t done = 0;

	for (;;) {
		struct bounce_rec r;
		unsigned long flags;
		int n;

		spin_lock_irqsave(&log_lock, flags);
		if (!count) {
			spin_unlock_irqrestore(&log_lock, flags);
			break;
		}
		r = ring[tail];
		n = snprintf(line, sizeof(line), XB_BOUNCE_LOG_FMT, r.time_ns, r.dev,
			     r.dev_addr, r.size);
		if (n >= sizeof(line) || done + n > len) {
			spin_unlock_irqrestore(&log_lock, flags);
			break;
		}
		tail = (tail + 1) % XB_BOUNCE_LOG_RECORDS;
		count--;
		spin_unlock_irqrestore(&log_lock, flags);
		/* Consumed before the copy: a faulting reader loses the line. */
		if (copy_to_user(ubuf + done, line, n))
			return done ? done : -EFAULT;
		done += n;
	}
	return done;
}

static ssize_t log_write(struct file *file, const char __user *ubuf, size_t len, loff_t *ppos)
{
	char buf[XB_CMD_MAX], *cmd;
	unsigned long flags;
	ssize_t err;

	cmd = xb_get_cmd(ubuf, len, ppos, buf, sizeof(buf), &err);
	if (!cmd)
		return err;
	if (!strcmp(cmd, "on")) {
		WRITE_ONCE(enabled, true);
	} else if (!strcmp(cmd, "off")) {
		WRITE_ONCE(enabled, false);
	} else if (!strcmp(cmd, "clear")) {
		spin_lock_irqsave(&log_lock, flags);
		head = 0;
		tail = 0;
		count = 0;
		events = 0;
		bytes = 0;
		dropped = 0;
		max_size = 0;
		other_events = 0;
		memset(devs, 0, sizeof(devs));
		spin_unlock_irqrestore(&log_lock, flags);
	} else {
		return -EINVAL;
	}
	return len;
}

static int log_open(struct inode *inode, struct file *file)
{
	/* Not stream_open(): that hands write() a NULL ppos. */
	return nonseekable_open(inode, file);
}

static const struct file_operations log_fops = {
	.owner = THIS_MODULE,
	.open = log_open,
	.read = log_read,
	.write = log_write,
	.llseek = no_llseek,
};

static int stats_show(struct seq_file *m, void *v)
{
	struct dev_stat snap[MAX_DEVS];
	u64 ev, by, dr, mx, oth;
	unsigned long flags;
	unsigned int i, queued;

	spin_lock_irqsave(&log_lock, flags);
	memcpy(snap, devs, sizeof(snap));
	ev = events;
	by = bytes;
	dr = dropped;
	mx = max_size;
	oth = other_events;
	queued = count;
	spin_unlock_irqrestore(&log_lock, flags);
	seq_printf(m, "attached: %d\n", registered);
	seq_printf(m, "enabled: %d\n", READ_ONCE(enabled));
	seq_printf(m, "events: %llu\n", ev);
	seq_printf(m, "bytes: %llu\n", by);
	seq_printf(m, "max_size: %llu\n", mx);
	seq_printf(m, "dropped: %llu\n", dr);
	seq_printf(m, "queued: %u\n", queued);
	for (i = 0; i < MAX_DEVS && snap[i].dev; i++)
		seq_printf(m, "device %s: events %llu bytes %llu\n", snap[i].name, snap[i].events,
			   snap[i].bytes);
	if (oth)
		seq_printf(m, "device other: events %llu\n", oth);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

void xb_bouncelog_status(struct seq_file *m)
{
	unsigned long flags;
	u64 ev, by;

	spin_lock_irqsave(&log_lock, flags);
	ev = events;
	by = bytes;
	spin_unlock_irqrestore(&log_lock, flags);
	seq_printf(m, "bounce_log: %s\n", registered ? "attached" : "unavailable");
	seq_printf(m, "bounce_events: %llu\n", ev);
	seq_printf(m, "bounce_bytes: %llu\n", by);
}

int xb_bouncelog_init(struct dentry *dir)
{
	ring = kcalloc(XB_BOUNCE_LOG_RECORDS, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	for_each_kernel_tracepoint(find_tp, NULL);
	if (tp && !tracepoint_probe_register(tp, probe, NULL))
		registered = true;
	else
		pr_info("bounce log: tracepoint swiotlb:swiotlb_bounced not found\n");
	debugfs_create_file(XB_FILE_BOUNCE_LOG, 0600, dir, NULL, &log_fops);
	debugfs_create_file(XB_FILE_BOUNCE_STATS, 0400, dir, NULL, &stats_fops);
	return 0;
}

void xb_bouncelog_exit(void)
{
	if (registered) {
		tracepoint_probe_unregister(tp, probe, NULL);
		/* No probe may still run when the module text goes away. */
		tracepoint_synchronize_unregister();
		registered = false;
	}
	kfree(ring);
	ring = NULL;
}
