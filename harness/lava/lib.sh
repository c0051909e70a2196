# shellcheck shell=sh disable=SC2034,SC2154
# Shared by harness/lava/run.sh (lava-run) and nightly.sh (a LAVA instance):
# the lab's images for LAVA and the job template's rendering. Sourced; the
# caller sets top (the tree) and die().

# lava_images DIR: the lab's images (harness/lab/lab.sh images) with LAVA's
# init in dom0 (a shell on the console, the module not loaded) and jq for
# report.sh, for the LAB_* settings in the environment (LAB_DOM0,
# LAB_KERNEL, LAB_MODULE_PARAMS...). Sets xen_cmdline (without "noreboot":
# under LAVA, Xen's reboot after a dom0 crash ends QEMU (-no-reboot) and so
# the job at once, where LAVA would otherwise wait out its boot timeout),
# dom0_cmdline, qemu_machine, qemu_vblk and qemu_gpu (with LAB_GPU) from
# DIR/images.env.
lava_images() {
	LAB_INIT=$top/harness/lava/init LAB_EXTRA_BINS="$(command -v jq) ${LAB_EXTRA_BINS:-}" \
		"$top/harness/lab/lab.sh" images "$1" || die "could not build the images in $1"
	xen_cmdline="" dom0_cmdline="" qemu_machine="" qemu_vblk="" qemu_gpu=""
	# shellcheck disable=SC1091
	. "$1/images.env"
	xen_cmdline=$(printf '%s\n' "$xen_cmdline" | sed 's/\(^\| \)noreboot\( \|$\)/ /')
}

# render TEMPLATE OUT: fill in each @NAME@ with the environment's T_NAME,
# literally (values hold '/', '&', ','); a placeholder without a value is
# an error.
render() {
	awk '
	{
		out = ""
		line = $0
		while (match(line, /@[A-Z0-9_]+@/)) {
			name = substr(line, RSTART + 1, RLENGTH - 2)
			if (!(("T_" name) in ENVIRON)) { print "render: " FILENAME ":" FNR ": no value for @" name "@" > "/dev/stderr"; exit 1 }
			out = out substr(line, 1, RSTART - 1) ENVIRON["T_" name]
			line = substr(line, RSTART + RLENGTH)
		}
		print out line
	}' "$1" > "$2"
}
