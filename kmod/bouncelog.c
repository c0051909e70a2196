// SPDX-License-Identifier: GPL-2.0
/*
 * Bounce log: a probe on the swiotlb:swiotlb_bounced tracepoint (fired by
 * xen-swiotlb and by swiotlb itself each time a mapping has to bounce,
 * just before the bounce buffer is allocated). Records go into a fixed
 * ring under a spinlock; the probe never allocates and never blocks, and
 * counts what it had to drop. Reading bounce_log drains the ring.
 *
 * The benchmark can mute one mapping of its own (a device and an original
 * address, under the ring's lock): only those bounces go unrecorded.
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
static const struct device *mute_dev;	/* under log_lock */
static dma_addr_t mute_addr;
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
	if (dev && dev == mute_dev && dev_addr == mute_addr) {
		spin_unlock_irqrestore(&log_lock, flags);
		return;
	}
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

/* For the benchmark: its own mapping's bounces only (dev NULL: none). */
void xb_bouncelog_mute(const struct device *dev, dma_addr_t dev_addr)
{
	unsigned long flags;

	spin_lock_irqsave(&log_lock, flags);
	mute_dev = dev;
	mute_addr = dev_addr;
	spin_unlock_irqrestore(&log_lock, flags);
}

bool xb_bouncelog_enabled(void)
{
	return READ_ONCE(enabled);
}

static void find_tp(struct tracepoint *t, void *priv)
{
	if (!strcmp(t->name, "swiotlb_bounced"))
		tp = t;
}

static const struct xb_verb log_verbs[];

/*
 * Drains the ring. The first read of an open file starts with the
 * "commands:" line, like every command file.
 */
static ssize_t log_read(struct file *file, char __user *ubuf, size_t len, loff_t *ppos)
{
	char line[96];
	size_t done = 0;

	if (*ppos == 0) {
		size_t n = min_t(size_t, len, xb_cmd_synopsis(log_verbs, line, sizeof(line)));

		if (copy_to_user(ubuf, line, n))
			return -EFAULT;
		done = n;
	}
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
		if (copy_to_user(ubuf + done, line, n)) {
			if (!done)
				return -EFAULT;
			break;
		}
		done += n;
	}
	*ppos += done;
	return done;
}

static int log_cmd_on(char *args)
{
	if (*args)
		return -EINVAL;
	WRITE_ONCE(enabled, true);
	return 0;
}

static int log_cmd_off(char *args)
{
	if (*args)
		return -EINVAL;
	WRITE_ONCE(enabled, false);
	return 0;
}

static int log_cmd_clear(char *args)
{
	unsigned long flags;

	if (*args)
		return -EINVAL;
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
	return 0;
}

static const struct xb_verb log_verbs[] = {
	{ "on", "", log_cmd_on },
	{ "off", "", log_cmd_off },
	{ "clear", "", log_cmd_clear },
	{ }
};

static int log_open(struct inode *inode, struct file *file)
{
	/* Not stream_open(): that hands write() a NULL ppos. */
	return nonseekable_open(inode, file);
}

/* No .llseek: nonseekable_open() makes lseek fail with -ESPIPE. */
static const struct file_operations log_fops = {
	.owner = THIS_MODULE,
	.open = log_open,
	.read = log_read,
	.write = xb_cmd_write,
};

static int stats_show(struct seq_file *m)
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

static void bouncelog_status(struct seq_file *m)
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

static int bouncelog_init(void)
{
	ring = kcalloc(XB_BOUNCE_LOG_RECORDS, sizeof(*ring), GFP_KERNEL);
	if (!ring)
		return -ENOMEM;
	for_each_kernel_tracepoint(find_tp, NULL);
	if (tp && !tracepoint_probe_register(tp, probe, NULL))
		registered = true;
	else
		pr_info("bounce log: tracepoint swiotlb:swiotlb_bounced not found\n");
	return 0;
}

static void bouncelog_exit(void)
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

static const struct xb_file bouncelog_files[] = {
	{ XB_FILE_BOUNCE_LOG, 0600, log_verbs, .fops = &log_fops },
	{ XB_FILE_BOUNCE_STATS, 0400, NULL, stats_show },
	{ }
};

const struct xb_capability xb_cap_bouncelog = {
	.name = "bouncelog",
	.init = bouncelog_init,
	.exit = bouncelog_exit,
	.status = bouncelog_status,
	.files = bouncelog_files,
};
