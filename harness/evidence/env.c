// SPDX-License-Identifier: GPL-2.0
#include "env.h"

#include <dirent.h>
#include <fcntl.h>
#include <libdrm/amdgpu.h>
#include <libdrm/amdgpu_drm.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "core/util.h"
#include "xen.h"
#include "kmod/include/uapi/xenbounce.h"
#include "userspace/xbdev.h"

static const struct {
	unsigned int bit;
	const char *name;
} require_names[] = {
	{ XB_REQ_ROOT, "root" },
	{ XB_REQ_XEN_PV, "xen_pv" },
	{ XB_REQ_BARE, "bare" },
	{ XB_REQ_KMOD, "kmod" },
	{ XB_REQ_EDU, "edu" },
	{ XB_REQ_IOMMU, "iommu" },
	{ XB_REQ_IOMMU_STRICT, "iommu_strict" },
	{ XB_REQ_AMDGPU, "amdgpu" },
	{ XB_REQ_XEN, "xen" },
	{ XB_REQ_DOM0, "dom0" },
};

static const char *const dom0_mode_names[XB_DOM0_NMODES] = {
	[XB_DOM0_NONE] = "none", [XB_DOM0_PV] = "pv", [XB_DOM0_PVH] = "pvh", [XB_DOM0_HVM] = "hvm",
	[XB_DOM0_DOMU_PV] = "domu-pv",
};

const char *xb_dom0_mode_name(enum xb_dom0_mode m)
{
	return (unsigned int)m < XB_DOM0_NMODES ? dom0_mode_names[m] : "?";
}

enum xb_dom0_mode xb_dom0_mode_from_name(const char *name)
{
	for (unsigned int i = 0; i < XB_DOM0_NMODES; i++)
		if (!strcmp(dom0_mode_names[i], name))
			return (enum xb_dom0_mode)i;
	return XB_DOM0_NMODES;
}

unsigned int xb_require_from_name(const char *name)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(require_names); i++)
		if (!strcmp(require_names[i].name, name))
			return require_names[i].bit;
	return 0;
}

const char *xb_require_name(unsigned int bit)
{
	for (size_t i = 0; i < XB_ARRAY_SIZE(require_names); i++)
		if (require_names[i].bit == bit)
			return require_names[i].name;
	return "?";
}

const char *xb_swiotlb_dir(void)
{
	const char *d = getenv("XENBOUNCE_SWIOTLB_DEBUGFS");

	return d && *d ? d : "/sys/kernel/debug/swiotlb";
}

long long xb_swiotlb_value(const char *name)
{
	char path[512], buf[64];
	uint64_t v;

	if (xb_path(path, sizeof(path), "%s/%s", xb_swiotlb_dir(), name) ||
	    xb_read_line(path, buf, sizeof(buf)) || xb_parse_u64(buf, 0, INT64_MAX, &v))
		return -1;
	return (long long)v;
}

/*
 * Xen's control domain? xenfs says so ("control_d"); without xenfs
 * mounted, the kernel creates /dev/xen/xenbus_backend in dom0 only.
 */
bool xb_env_is_dom0(void)
{
	char caps[128];

	if (!xb_read_line("/proc/xen/capabilities", caps, sizeof(caps)))
		return strstr(caps, "control_d") != NULL;
	return access("/dev/xen/xenbus_backend", F_OK) == 0;
}

enum xb_dom0_mode xb_env_dom0_mode(void)
{
	char type[32], guest[32];

	if (xb_read_line("/sys/hypervisor/type", type, sizeof(type)) || strcmp(type, "xen"))
		return XB_DOM0_NONE;
	if (xb_read_line("/sys/hypervisor/guest_type", guest, sizeof(guest)))
		return XB_DOM0_HVM;	/* kernels before 4.14 had no guest_type */
	if (!strcmp(guest, "PV"))
		return xb_env_is_dom0() ? XB_DOM0_PV : XB_DOM0_DOMU_PV;
	return !strcmp(guest, "PVH") ? XB_DOM0_PVH : XB_DOM0_HVM;
}

/* A PV domain, dom0 or domU: its P2M is its own to shuffle. */
bool xb_env_xen_pv(void)
{
	enum xb_dom0_mode m = xb_env_dom0_mode();

	return m == XB_DOM0_PV || m == XB_DOM0_DOMU_PV;
}

static bool amdgpu_present(void)
{
	DIR *d = opendir("/sys/class/drm");
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		char link[512], target[512];
		ssize_t n;

		if (strncmp(e->d_name, "renderD", 7))
			continue;
		if (xb_path(link, sizeof(link), "/sys/class/drm/%s/device/driver", e->d_name))
			continue;
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		found = strstr(target, "/amdgpu") != NULL;
	}
	closedir(d);
	return found;
}

static bool module_loaded(void)
{
	char path[512];

	return !xb_path(path, sizeof(path), "%s/%s", xb_debugfs_dir(), XB_FILE_STATUS) &&
	       access(path, R_OK) == 0;
}

unsigned int xb_env_check(unsigned int req, char *why, size_t len)
{
	char buf[64];

	if ((req & XB_REQ_ROOT) && geteuid() != 0) {
		snprintf(why, len, "needs root");
		return XB_REQ_ROOT;
	}
	if ((req & XB_REQ_XEN_PV) && !xb_env_xen_pv()) {
		snprintf(why, len, "not a Xen PV domain (/sys/hypervisor/guest_type is not PV)");
		return XB_REQ_XEN_PV;
	}
	if ((req & XB_REQ_XEN) && xb_env_dom0_mode() == XB_DOM0_NONE) {
		snprintf(why, len, "not under Xen (/sys/hypervisor/type is not xen)");
		return XB_REQ_XEN;
	}
	if ((req & XB_REQ_DOM0) && !xb_env_is_dom0()) {
		snprintf(why, len, "needs Xen's control domain (dom0): this is %s",
			 xb_env_dom0_mode() == XB_DOM0_NONE ? "not under Xen" : "a domU");
		return XB_REQ_DOM0;
	}
	if ((req & XB_REQ_BARE) && xb_env_dom0_mode() != XB_DOM0_NONE) {
		snprintf(why, len, "bare-metal scenario: running under Xen");
		return XB_REQ_BARE;
	}
	if ((req & (XB_REQ_KMOD | XB_REQ_EDU | XB_REQ_IOMMU | XB_REQ_IOMMU_STRICT)) && !module_loaded()) {
		snprintf(why, len, "xenbounce.ko not loaded (%s/%s missing)", xb_debugfs_dir(), XB_FILE_STATUS);
		return XB_REQ_KMOD;
	}
	if ((req & XB_REQ_EDU) &&
	    (xb_dev_get_str(XB_FILE_STATUS, "edu", buf, sizeof(buf)) || strncmp(buf, "bound", 5))) {
		snprintf(why, len, "no QEMU edu device (1234:11e8) bound to xenbounce.ko");
		return XB_REQ_EDU;
	}
	if ((req & XB_REQ_IOMMU) &&
	    (xb_dev_get_str(XB_FILE_STATUS, "iommu", buf, sizeof(buf)) || strncmp(buf, "on", 2))) {
		snprintf(why, len, "IOMMU not on for this domain");
		return XB_REQ_IOMMU;
	}
	if ((req & XB_REQ_IOMMU_STRICT) &&
	    (xb_dev_get_str(XB_FILE_STATUS, "iommu_strict", buf, sizeof(buf)) || strcmp(buf, "1"))) {
		snprintf(why, len, "IOMMU not in strict mode for dom0 (Xen: dom0-iommu=strict)");
		return XB_REQ_IOMMU_STRICT;
	}
	if ((req & XB_REQ_AMDGPU) && !amdgpu_present()) {
		snprintf(why, len, "no amdgpu render node");
		return XB_REQ_AMDGPU;
	}
	return 0;
}

static void add_file_line(json_t *o, const char *key, const char *path)
{
	char buf[512];

	if (!xb_read_line(path, buf, sizeof(buf)))
		json_object_set_new(o, key, json_string(buf));
}

/* Firmware versions of an amdgpu device, through libdrm_amdgpu. */
static json_t *amdgpu_firmware(const char *bdf)
{
	static const struct {
		unsigned int type;
		const char *name;
	} fw[] = {
		{ AMDGPU_INFO_FW_VCE, "vce" }, { AMDGPU_INFO_FW_UVD, "uvd" }, { AMDGPU_INFO_FW_GMC, "gmc" },
		{ AMDGPU_INFO_FW_GFX_ME, "me" }, { AMDGPU_INFO_FW_GFX_PFP, "pfp" },
		{ AMDGPU_INFO_FW_GFX_CE, "ce" }, { AMDGPU_INFO_FW_GFX_RLC, "rlc" },
		{ AMDGPU_INFO_FW_GFX_MEC, "mec" }, { AMDGPU_INFO_FW_SMC, "smc" },
		{ AMDGPU_INFO_FW_SDMA, "sdma" }, { AMDGPU_INFO_FW_SOS, "sos" },
		{ AMDGPU_INFO_FW_ASD, "asd" }, { AMDGPU_INFO_FW_VCN, "vcn" },
		{ AMDGPU_INFO_FW_DMCU, "dmcu" }, { AMDGPU_INFO_FW_DMCUB, "dmcub" },
	};
	char path[512], node[64];
	json_t *o = json_object();
	DIR *d;
	struct dirent *e;
	int fd = -1;

	/* The render node of this PCI device. */
	if (xb_path(path, sizeof(path), "/sys/bus/pci/devices/%s/drm", bdf) || !(d = opendir(path)))
		return o;
	while ((e = readdir(d)) && fd < 0) {
		if (strncmp(e->d_name, "renderD", 7))
			continue;
		snprintf(node, sizeof(node), "/dev/dri/%s", e->d_name);
		fd = open(node, O_RDWR | O_CLOEXEC);
	}
	closedir(d);
	if (fd >= 0) {
		amdgpu_device_handle dev;
		uint32_t maj, min;

		if (!amdgpu_device_initialize(fd, &maj, &min, &dev)) {
			for (size_t i = 0; i < XB_ARRAY_SIZE(fw); i++) {
				uint32_t ver = 0, feat = 0;

				if (!amdgpu_query_firmware_version(dev, fw[i].type, 0, 0, &ver, &feat) && ver)
					json_object_set_new(o, fw[i].name, json_sprintf("0x%08x (feature %u)", ver, feat));
			}
			amdgpu_device_deinitialize(dev);
		}
		close(fd);
	}
	if (!xb_path(path, sizeof(path), "/sys/bus/pci/devices/%s/vbios_version", bdf))
		add_file_line(o, "vbios", path);
	return o;
}

static json_t *pci_devices(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	json_t *a = json_array();
	struct dirent *e;

	if (!d)
		return a;
	while ((e = readdir(d))) {
		char path[512], vendor[16], device[16], cls[16], drv[512];
		json_t *o;
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		if (xb_path(path, sizeof(path), "/sys/bus/pci/devices/%s/class", e->d_name) ||
		    xb_read_line(path, cls, sizeof(cls)))
			continue;
		/* Display controllers and anything with a known DMA test driver. */
		xb_path(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		if (xb_read_line(path, vendor, sizeof(vendor)))
			continue;
		xb_path(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
		if (xb_read_line(path, device, sizeof(device)))
			continue;
		if (strncmp(cls, "0x03", 4) && !(strcmp(vendor, "0x1234") == 0 && strcmp(device, "0x11e8") == 0))
			continue;
		o = json_pack("{s:s, s:s, s:s, s:s}", "bdf", e->d_name, "vendor", vendor,
			      "device", device, "class", cls);
		xb_path(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", e->d_name);
		n = readlink(path, drv, sizeof(drv) - 1);
		if (n > 0) {
			drv[n] = '\0';
			json_object_set_new(o, "driver", json_string(strrchr(drv, '/') + 1));
			if (!strcmp(strrchr(drv, '/') + 1, "amdgpu"))
				json_object_set_new(o, "firmware", amdgpu_firmware(e->d_name));
		}
		json_array_append_new(a, o);
	}
	closedir(d);
	return a;
}

static json_t *kernel_config(const char *release)
{
	static const char *const keys[] = {
		"CONFIG_SWIOTLB", "CONFIG_SWIOTLB_XEN", "CONFIG_XEN_PV", "CONFIG_XEN_DOM0",
		"CONFIG_INTEL_IOMMU", "CONFIG_AMD_IOMMU", "CONFIG_DRM_AMDGPU", "CONFIG_DRM_TTM",
	};
	json_t *o = json_object();
	char path[512], line[256];
	FILE *f;

	if (xb_path(path, sizeof(path), "/boot/config-%s", release))
		return o;
	f = fopen(path, "re");
	if (!f) {
		json_object_set_new(o, "why", json_string("no /boot/config for this kernel"));
		return o;
	}
	while (fgets(line, sizeof(line), f)) {
		for (size_t i = 0; i < XB_ARRAY_SIZE(keys); i++) {
			size_t k = strlen(keys[i]);

			if (!strncmp(line, keys[i], k) && line[k] == '=')
				json_object_set_new(o, keys[i], json_string(xb_trim(line + k + 1)));
		}
	}
	fclose(f);
	return o;
}

json_t *xb_env_fingerprint(void)
{
	struct utsname u;
	json_t *fp = json_object(), *k = json_object(), *sw = json_object();
	char path[512];
	char *cmdline;

	uname(&u);
	json_object_set_new(k, "release", json_string(u.release));
	json_object_set_new(k, "version", json_string(u.version));
	json_object_set_new(k, "machine", json_string(u.machine));
	cmdline = xb_read_file("/proc/cmdline", NULL);
	if (cmdline)
		json_object_set_new(k, "cmdline", json_string(xb_trim(cmdline)));
	free(cmdline);
	json_object_set_new(k, "config", kernel_config(u.release));
	add_file_line(k, "tainted", "/proc/sys/kernel/tainted");
	json_object_set_new(fp, "kernel", k);
	json_object_set_new(fp, "xen_pv", json_boolean(xb_env_xen_pv()));
	add_file_line(fp, "hypervisor", "/sys/hypervisor/type");
	json_object_set_new(fp, "xen", xb_xen_fingerprint());
	/* What expectations files match on (core/expect.c): dom0 and firmware. */
	{
		json_object_set_new(fp, "dom0_mode", json_string(xb_dom0_mode_name(xb_env_dom0_mode())));
		/* Where the harness, and the devices it drives, live. */
		json_object_set_new(fp, "domain", json_string(xb_env_dom0_mode() == XB_DOM0_NONE ? "none" :
			xb_env_is_dom0() ? "dom0" : "domU"));
		json_object_set_new(fp, "firmware", json_object());
		add_file_line(json_object_get(fp, "firmware"), "bios_version", "/sys/class/dmi/id/bios_version");
	}
	/* Dom0's balloon: current size and target as the kernel sees them. */
	add_file_line(k, "balloon_current_kib", "/sys/devices/system/xen_memory/xen_memory0/info/current_kb");
	add_file_line(k, "balloon_target_kib", "/sys/devices/system/xen_memory/xen_memory0/target_kb");
	xb_path(path, sizeof(path), "%s/io_tlb_nslabs", xb_swiotlb_dir());
	add_file_line(sw, "io_tlb_nslabs", path);
	xb_path(path, sizeof(path), "%s/io_tlb_used", xb_swiotlb_dir());
	add_file_line(sw, "io_tlb_used", path);
	json_object_set_new(fp, "swiotlb", sw);
	json_object_set_new(fp, "pci", pci_devices());
	{
		char *st = xb_dev_read(XB_FILE_STATUS);

		json_object_set_new(fp, "module_status", st ? json_string(st) : json_null());
		free(st);
	}
	return fp;
}
