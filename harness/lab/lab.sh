#!/bin/sh
# The QEMU reference lab: real Xen 4.17 with Debian's kernel as PV dom0
# (or, LAB_FLAVOUR=bare, the same kernel without Xen), an emulated Intel
# IOMMU and QEMU's edu DMA device. Builds an initramfs with xenbounce,
# boots it, streams KTAP from the console, brings the results back from a
# virtio disk and exits with the harness's exit code.
#
# Usage: harness/lab/lab.sh run       (see README.md, "The reference lab")
#        harness/lab/lab.sh images DIR  (the same images, not booted: LAVA)
# Exit: the harness's code (0, 1, 4, ...); 3 the lab itself failed (no
# boot, crash, silence, timeout); with LAB_BISECT=1: 125 when dom0 never
# reached the harness, 1 when it crashed during the tests.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
LAB_FLAVOUR=${LAB_FLAVOUR:-xen}
LAB_XEN=${LAB_XEN:-/boot/xen-4.17-amd64.gz}
LAB_KERNEL=${LAB_KERNEL:-}
LAB_KMOD=${LAB_KMOD:-$top/kmod/xenbounce.ko}
LAB_IOMMU=${LAB_IOMMU:-intel}
LAB_MEM=${LAB_MEM:-2048}
LAB_DOM0_MEM=${LAB_DOM0_MEM:-1024M}
LAB_SMP=${LAB_SMP:-2}
LAB_SWIOTLB=${LAB_SWIOTLB:-}
LAB_SWIOTLB_FORCE=${LAB_SWIOTLB_FORCE:-yes}
LAB_XEN_CMDLINE=${LAB_XEN_CMDLINE:-}
LAB_DOM0=${LAB_DOM0:-pv}
LAB_GUEST=${LAB_GUEST:-dom0}
LAB_GUEST_MEM=${LAB_GUEST_MEM:-256}
LAB_GUEST_CMDLINE=${LAB_GUEST_CMDLINE:-}
LAB_XL=${LAB_XL:-/usr/lib/xen-4.17/bin/xl}
LAB_KERNEL_CMDLINE=${LAB_KERNEL_CMDLINE:-}
LAB_SCENARIOS=${LAB_SCENARIOS:-$top/scenarios}
LAB_ARGS=${LAB_ARGS:-}
LAB_AFTER=${LAB_AFTER:-}
LAB_BEFORE=${LAB_BEFORE:-}
LAB_EXTRA_BINS=${LAB_EXTRA_BINS:-}
LAB_EXTRA_FILES=${LAB_EXTRA_FILES:-}
LAB_GPU=${LAB_GPU:-}
LAB_RESUMES=${LAB_RESUMES:-2}
LAB_XENSTORED=${LAB_XENSTORED:-/usr/lib/xen-4.17/bin/xenstored}
LAB_MODULE_PARAMS=${LAB_MODULE_PARAMS:-edu_dma_bits=64}
LAB_EDU_DMA_MASK=${LAB_EDU_DMA_MASK:-0xffffffffffffffff}
LAB_TIMEOUT=${LAB_TIMEOUT:-900}
LAB_SILENCE=${LAB_SILENCE:-120}
LAB_BOOT_SILENCE=${LAB_BOOT_SILENCE:-60}
LAB_BOOT_RETRIES=${LAB_BOOT_RETRIES:-2}
LAB_RESULTS=${LAB_RESULTS:-$top/results}
LAB_BISECT=${LAB_BISECT:-0}
LAB_VERBOSE=${LAB_VERBOSE:-0}
LAB_QEMU=${LAB_QEMU:-qemu-system-x86_64}
XENBOUNCE=${XENBOUNCE:-$top/build/xenbounce}
LAB_INIT=${LAB_INIT:-$top/harness/lab/init}

say() { echo "lab: $*" >&2; }
# Single-quote a value for a shell assignment.
shquote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
# Could not test at all: 125 under bisection, 3 otherwise.
die() {
	say "ERROR: $*"
	[ "$LAB_BISECT" = 1 ] && exit 125
	exit 3
}

lab_fail() {	# $1: reached the harness (1) or not (0); rest: message
	reached=$1
	shift
	say "ERROR: $*"
	if [ -f "${serial:-$out/serial.log}" ]; then
		say "console tail:"
		tail -n 25 "${serial:-$out/serial.log}" | tr -d '\r' | sed 's/^/lab:   /' >&2
	fi
	finish_logs
	if [ "$LAB_BISECT" = 1 ]; then
		[ "$reached" = 1 ] && exit 1
		exit 125
	fi
	exit 3
}

finish_logs() {
	[ -f "$out/serial.log" ] || return 0
	# Every boot's console, in order (serial.log, serial-2.log, ...).
	cat "$out/serial.log" $(ls "$out"/serial-*.log 2>/dev/null | sort -V) | tr -d '\r' > "$out/console.all"
	grep -a '^(XEN)' "$out/console.all" > "$out/xen-console.log"
	grep -av '^(XEN)' "$out/console.all" > "$out/dom0-console.log"
	rm -f "$out/console.all"
}

# A bzImage has "HdrS" at 0x202 and its version string at 0x200 + the
# 16-bit pointer at 0x20e.
# The release string a bzImage carries (kernel.sh reads its header).
kernel_release() { "$top/harness/lab/kernel.sh" release "$1" 2>/dev/null; }

# The initramfs: dom0's, or with LAB_GUEST=pv dom0's toolstack around a
# domU's (the harness, the module and the scenarios go to the domU).
build_initrd() {
	rel=$1
	if [ "$LAB_GUEST" = pv ]; then
		fill_root "$work/groot" guest
		(cd "$work/groot" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/guest-initrd.gz" ||
			die "could not build the domU's initramfs"
		fill_root "$work/root" host
		mkdir -p "$work/root/guest"
		mv "$work/guest-initrd.gz" "$work/root/guest/initrd.gz"
		cp "$LAB_KERNEL" "$work/root/guest/vmlinuz" || die "could not copy $LAB_KERNEL"
	else
		fill_root "$work/root" dom0
	fi
	(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.gz" ||
		die "could not build the initramfs"
}

# fill_root DIR ROLE: dom0 (the harness in dom0), host (dom0 running the
# toolstack for a domU) or guest (the harness in the domU).
fill_root() {
	root=$1
	role=$2
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/lib/lab-modules" "$root/proc" "$root/sys" "$root/dev" \
		"$root/tmp" "$root/scenarios" "$root/etc"
	cp /bin/busybox "$root/bin/busybox" || die "busybox-static missing"
	cp "$LAB_INIT" "$root/init" || die "LAB_INIT: no $LAB_INIT"
	chmod 755 "$root/init"
	cp "$XENBOUNCE" "$root/bin/xenbounce"
	# The harness's (and any extra tools') shared libraries and the loader.
	xs_bins=""
	if [ "$LAB_FLAVOUR" = xen ] && [ "$role" != guest ] && [ -x "$LAB_XENSTORED" ]; then
		xs_bins="$LAB_XENSTORED $(dirname "$LAB_XENSTORED")/xen-init-dom0 $(command -v xenstore || true)"
	fi
	if [ "$role" = host ]; then
		[ -x "$LAB_XL" ] || die "LAB_GUEST=pv needs xl ($LAB_XL; apt-get install xen-utils-4.17)"
		xs_bins="$xs_bins $LAB_XL $(dirname "$LAB_XENSTORED")/xenconsoled"
		mkdir -p "$root/etc/xen/scripts"
		cp "$top/harness/lab/guest-block" "$root/etc/xen/scripts/block"
		chmod 755 "$root/etc/xen/scripts/block"
		cp "$top/harness/lab/guest-host" "$root/bin/lab-guest-host"
		chmod 755 "$root/bin/lab-guest-host"
		for t in read write rm exists list; do ln -s xenstore "$root/bin/xenstore-$t"; done
		# glibc dlopens it for pthread_cancel, which xl uses.
		gcc_s=$(ldconfig -p | awk '$1 == "libgcc_s.so.1" && /x86-64/ {print $NF; exit}')
		[ -n "$gcc_s" ] || die "LAB_GUEST=pv: no libgcc_s.so.1"
		mkdir -p "$root$(dirname "$gcc_s")"
		cp -L "$gcc_s" "$root$gcc_s"
	fi
	for bin in "$XENBOUNCE" $LAB_EXTRA_BINS $xs_bins; do
		[ "$bin" = "$XENBOUNCE" ] || cp "$bin" "$root/bin/" || die "LAB_EXTRA_BINS: no $bin"
		for lib in $(ldd "$bin" | awk '/=>/ {print $3} /^\t\/lib/ {print $1}'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
	cp "$LAB_KMOD" "$root/lib/xenbounce.ko" || die "no $LAB_KMOD (make kmod)"
	mkdir -p "$root/extra"
	[ -f "$work/console-tail.txt" ] && cp "$work/console-tail.txt" "$root/extra/"
	for f in $LAB_EXTRA_FILES; do
		cp "$f" "$root/extra/" || die "LAB_EXTRA_FILES: no $f"
	done
	# Kernel modules the lab needs, in dependency order.
	: > "$root/lib/lab-modules.list"
	if [ -d "/lib/modules/$rel" ]; then
		gpu_mods=""
		[ -n "$LAB_GPU" ] && gpu_mods="virtio-gpu virtio_console"
		[ -n "$xs_bins" ] && gpu_mods="$gpu_mods xenfs xen-evtchn xen-gntdev"
		mods="xen-privcmd virtio_blk virtio_pci ext4 $gpu_mods"
		case "$role" in
		host) mods="$mods xen-gntalloc xen-pciback xen-blkback" ;;
		guest) mods="xen-privcmd xenfs xen-blkfront xen-pcifront ext4" ;;
		esac
		for m in $mods; do
			modprobe -S "$rel" --show-depends "$m" 2>/dev/null | awk '$1 == "insmod" {print $2}'
		done | awk '!seen[$0]++' | while read -r ko; do
			base=$(basename "$ko")
			case "$ko" in
			*.xz) xz -dc "$ko" > "$root/lib/lab-modules/${base%.xz}"; base=${base%.xz} ;;
			*.zst) zstd -dcq "$ko" > "$root/lib/lab-modules/${base%.zst}"; base=${base%.zst} ;;
			*) cp "$ko" "$root/lib/lab-modules/$base" ;;
			esac
			echo "$base" >> "$root/lib/lab-modules.list"
		done
	else
		say "no /lib/modules/$rel: relying on built-in virtio and privcmd"
	fi
	# Scenarios: each host path becomes /scenarios/N/NAME (names unchanged).
	guest=""
	n=0
	for s in $LAB_SCENARIOS; do
		[ -e "$s" ] || die "LAB_SCENARIOS: $s does not exist"
		n=$((n + 1))
		mkdir -p "$root/scenarios/$n"
		cp -r "$s" "$root/scenarios/$n/"
		guest="$guest /scenarios/$n/$(basename "$s")"
	done
	{
		printf 'LAB_ARGS=%s\n' "$(shquote "$LAB_ARGS")"
		printf 'LAB_REQUIRE=%s\n' "$(shquote "$LAB_REQUIRE")"
		printf 'LAB_SCENARIOS=%s\n' "$(shquote "$guest")"
		printf 'LAB_AFTER=%s\n' "$(shquote "$LAB_AFTER")"
		printf 'LAB_BEFORE=%s\n' "$(shquote "$LAB_BEFORE")"
		printf 'LAB_MODULE_PARAMS=%s\n' "$(shquote "$LAB_MODULE_PARAMS")"
		printf 'LAB_RESUME=%s\n' "${resume_now:-0}"
		printf 'LAB_ROLE=%s\n' "$role"
		printf 'LAB_GUEST_MEM=%s\n' "$(shquote "$LAB_GUEST_MEM")"
		printf 'LAB_GUEST_CMDLINE=%s\n' "$(shquote "$LAB_GUEST_CMDLINE")"
	} > "$root/lab.conf"
}

# Everything run_lab and lab_images share: the dom0 kernel and its module
# checked, Xen's and dom0's command lines, the CPU and the devices.
# Sets rel, cpu, vblk, xen_cmdline, dom0_cmdline, iommu_dev and
# qemu_machine (the machine, its CPU and memory, the IOMMU and edu, in the
# order that puts edu at 0000:00:03.0).
lab_config() {
	# A release name, a series or a path; never whatever is newest in /boot.
	LAB_KERNEL=$("$top/harness/lab/kernel.sh" path) || die "no usable dom0 kernel (LAB_KERNEL, above)"
	rel=$(kernel_release "$LAB_KERNEL") || die "LAB_KERNEL=$LAB_KERNEL is not a bzImage"
	say "$("$top/harness/lab/kernel.sh" describe "$LAB_KERNEL")"
	if [ -f "$LAB_KMOD" ] && command -v modinfo >/dev/null; then
		kver=$(modinfo -F vermagic "$LAB_KMOD" 2>/dev/null | cut -d' ' -f1)
		[ -z "$kver" ] || [ "$kver" = "$rel" ] ||
			die "$LAB_KMOD was built for $kver, the lab boots $rel: make kmod LAB_KERNEL=$rel (or LAB_KMOD=)"
	fi
	case "$LAB_FLAVOUR" in
	xen) [ -f "$LAB_XEN" ] || die "no Xen image $LAB_XEN (apt-get install xen-hypervisor-4.17-amd64)" ;;
	bare) ;;
	*) die "LAB_FLAVOUR=$LAB_FLAVOUR: use xen or bare" ;;
	esac
	case "$LAB_IOMMU" in intel|none) ;; *) die "LAB_IOMMU=$LAB_IOMMU: use intel or none" ;; esac
	case "$LAB_SWIOTLB_FORCE" in yes|no) ;; *) die "LAB_SWIOTLB_FORCE=$LAB_SWIOTLB_FORCE: use yes or no" ;; esac
	[ "$LAB_SWIOTLB_FORCE" = yes ] || [ "$LAB_FLAVOUR" = bare ] ||
		die "LAB_SWIOTLB_FORCE=no is for LAB_FLAVOUR=bare (the Xen lab never forces swiotlb)"
	echo "$LAB_EDU_DMA_MASK" | grep -qxE '0x[0-9a-fA-F]{1,16}' ||
		die "LAB_EDU_DMA_MASK=$LAB_EDU_DMA_MASK: a hex mask such as 0xfffffff (QEMU's default, 28 bits)"
	# PVH dom0 (measured, Xen 4.17.7 and 6.1 under TCG): SVM with nested
	# paging; VT-d must not share the NPT tables (TCG reads 0 from the EPT
	# capability MSR, Xen shares them and every device's IOMMU setup fails
	# with -ENOMEM, so dom0 gets no vPCI); the lab's own virtio devices go
	# through the IOMMU, since a PVH dom0 hands devices guest addresses.
	cpu=qemu64
	vblk=""
	xen_dom0=""
	case "$LAB_DOM0" in
	pv) ;;
	pvh)
		[ "$LAB_FLAVOUR" = xen ] || die "LAB_DOM0=pvh needs LAB_FLAVOUR=xen"
		cpu="qemu64,+svm,+npt"
		vblk=",disable-legacy=on,iommu_platform=on"
		xen_dom0="dom0=pvh iommu=no-sharept" ;;
	*) die "LAB_DOM0=$LAB_DOM0: use pv or pvh" ;;
	esac
	case "$LAB_GUEST" in
	dom0) ;;
	pv)
		[ "$LAB_FLAVOUR/$LAB_DOM0" = xen/pv ] || die "LAB_GUEST=pv needs LAB_FLAVOUR=xen and LAB_DOM0=pv"
		[ -z "$LAB_GPU" ] || die "LAB_GUEST=pv: LAB_GPU is for dom0 (the domU gets edu only)"
		echo "$LAB_GUEST_MEM" | grep -qxE '[1-9][0-9]{1,4}' || die "LAB_GUEST_MEM=$LAB_GUEST_MEM: MiB, e.g. 256" ;;
	*) die "LAB_GUEST=$LAB_GUEST: use dom0 (the harness in dom0) or pv (in a PV domU, edu passed through)" ;;
	esac
	# What the whole run needs (run --require): a lab whose dom0 came up
	# without Xen or without the module fails instead of skipping.
	if [ -z "${LAB_REQUIRE+set}" ]; then
		case "$LAB_FLAVOUR/$LAB_DOM0" in
		xen/pv) LAB_REQUIRE=root,xen_pv,kmod ;;
		xen/pvh) LAB_REQUIRE=root,xen,kmod ;;
		*) LAB_REQUIRE=root,bare,kmod ;;
		esac
	fi
	iommu_dev=""
	[ "$LAB_IOMMU" = intel ] && iommu_dev="-device intel-iommu,intremap=on,caching-mode=on"
	qemu_machine="-machine q35,kernel-irqchip=split -cpu $cpu -m $LAB_MEM -smp $LAB_SMP $iommu_dev -device edu,dma_mask=$LAB_EDU_DMA_MASK"
	swiotlb=""
	[ -n "$LAB_SWIOTLB" ] && swiotlb="swiotlb=$LAB_SWIOTLB"
	if [ "$LAB_FLAVOUR" = xen ]; then
		xen_iommu="iommu=1,verbose dom0-iommu=strict"
		[ "$LAB_IOMMU" = none ] && xen_iommu="iommu=0"
		xen_cmdline="console=com1 com1=115200 console_timestamps=boot dom0_mem=$LAB_DOM0_MEM,max:$LAB_DOM0_MEM loglvl=all guest_loglvl=all noreboot $xen_iommu $xen_dom0 $LAB_XEN_CMDLINE"
		dom0_cmdline="console=hvc0 earlyprintk=xen loglevel=4 $swiotlb $LAB_KERNEL_CMDLINE"
	else
		kiommu="intel_iommu=on iommu=force"
		[ "$LAB_IOMMU" = none ] && kiommu="intel_iommu=off"
		# Without force (LAB_SWIOTLB_FORCE=no) dma-direct bounces only
		# what the device cannot reach: the path of its mask check.
		if [ "$LAB_SWIOTLB_FORCE" = yes ]; then
			[ -z "$swiotlb" ] && swiotlb="swiotlb=force" || swiotlb="$swiotlb,force"
		fi
		xen_cmdline=""
		dom0_cmdline="console=ttyS0 loglevel=4 panic=-1 $swiotlb $kiommu $LAB_KERNEL_CMDLINE"
	fi
}

run_lab() {
	[ "$(uname -m)" = x86_64 ] || die "the lab needs an x86_64 host (this is $(uname -m))"
	command -v "$LAB_QEMU" >/dev/null || die "no $LAB_QEMU (apt-get install qemu-system-x86)"
	[ -x "$XENBOUNCE" ] || die "no $XENBOUNCE (make)"
	lab_config

	stamp=$(date -u +%Y%m%dT%H%M%SZ)
	out=$LAB_RESULTS/lab-$LAB_FLAVOUR-$stamp
	i=0
	while [ -e "$out" ]; do i=$((i + 1)); out=$LAB_RESULTS/lab-$LAB_FLAVOUR-$stamp-$i; done
	mkdir -p "$out" || die "could not create $out"
	work=$top/build/lab/$(basename "$out")
	mkdir -p "$work"
	build_initrd "$rel"
	truncate -s 0 "$work/results.img"
	truncate -s 256M "$work/results.img"
	mke2fs -q -t ext4 -F "$work/results.img" || die "could not make the results disk (mke2fs)"

	gpu=""
	monitor="-monitor none"
	case "$LAB_GPU" in
	"") ;;
	virtio-gpu|virtio-gpu,*)
		opts=${LAB_GPU#virtio-gpu}
		monitor="-monitor unix:$work/mon.sock,server=on,wait=off"
		gpu="-vga none -device virtio-gpu-pci$opts -device virtio-serial-pci$vblk
			-chardev socket,id=xbv,path=$work/verify.sock,server=on,wait=off
			-device virtserialport,chardev=xbv,name=xenbounce.verify"
		;;
	*) die "LAB_GPU=$LAB_GPU: use virtio-gpu[,DEVICE-OPTIONS]" ;;
	esac
	if [ "$LAB_FLAVOUR" = xen ]; then
		zcat -f "$LAB_XEN" > "$work/xen" || die "could not unpack $LAB_XEN"
		set -- -kernel "$work/xen" -append "$xen_cmdline" \
			-initrd "$LAB_KERNEL $dom0_cmdline,$work/initrd.gz"
	else
		set -- -kernel "$LAB_KERNEL" -initrd "$work/initrd.gz" -append "$dom0_cmdline"
	fi
	{
		echo "flavour=$LAB_FLAVOUR"; echo "dom0=$LAB_DOM0"; echo "kernel=$LAB_KERNEL"; echo "release=$rel"
		echo "xen=$LAB_XEN"; echo "iommu=$LAB_IOMMU"; echo "mem=$LAB_MEM"; echo "swiotlb=$LAB_SWIOTLB"; echo "swiotlb_force=$LAB_SWIOTLB_FORCE"
		echo "scenarios=$LAB_SCENARIOS"; echo "args=$LAB_ARGS"; echo "gpu=$LAB_GPU"
		echo "guest=$LAB_GUEST"
	} > "$out/lab.env"

	say "booting $LAB_FLAVOUR lab ($rel), results in $out"
	start=$(date +%s)
	boot=1
	resume_now=0
	hangs=0
	while :; do
		serial=$out/serial.log
		[ "$boot" -gt 1 ] && serial=$out/serial-$boot.log
		# shellcheck disable=SC2086
		"$LAB_QEMU" $qemu_machine \
			-display none $monitor -no-reboot -serial "file:$serial" $gpu \
			-drive "file=$work/results.img,if=none,format=raw,id=results" \
			-device "virtio-blk-pci,drive=results$vblk" "$@" >> "$out/qemu.log" 2>&1 &
		qpid=$!
		vpid=""
		if [ -n "$LAB_GPU" ]; then
			"$XENBOUNCE" lab-verify --port "$work/verify.sock" --monitor "$work/mon.sock" \
				--dir "$out/verify" 2>> "$out/verify.log" &
			vpid=$!
		fi
		watch_console
		wait "$qpid" 2>/dev/null
		qrc=$?
		[ -n "$vpid" ] && { kill "$vpid" 2>/dev/null; wait "$vpid" 2>/dev/null; }
		# A boot that hung, or crashed in the kernel, before dom0's init
		# ran (seen on 6.1 and 6.12 under TCG with 2 vCPUs: a hang after
		# "bootconsole [xenboot0] enabled" when the host is loaded, and on
		# 6.12 an int3 oops in sched_clock_cpu while CPU 1 came up):
		# nothing ran, boot again; the logs of each attempt are kept. An
		# init that died is no such accident: it is reported.
		if [ -n "$verdict" ] && [ "$booted" = 0 ] && [ "$hangs" -lt "$LAB_BOOT_RETRIES" ] &&
		   case "$verdict" in "dom0 hung while booting"*) true ;; *"Attempted to kill init"*) false ;;
		   "crash: "*) true ;; *) false ;; esac; then
			hangs=$((hangs + 1))
			say "$verdict: booting again ($hangs of $LAB_BOOT_RETRIES)"
			mv "$serial" "$out/serial-hung-$hangs.log"
			continue
		fi
		# A crash during the tests: boot again and resume the run.
		if [ -n "$verdict" ] && [ "$reached" = 1 ] && [ "$boot" -le "$LAB_RESUMES" ]; then
			say "$verdict: booting again to resume the run ($boot of $LAB_RESUMES)"
			tr -d '\r' < "$serial" | grep -av '^(XEN)' | tail -n 40 > "$work/console-tail.txt"
			# The crash left the journal unreplayed: repair before the next boot.
			e2fsck -fy "$work/results.img" > "$out/fsck-$boot.log" 2>&1
			resume_now=1
			build_initrd "$rel"
			boot=$((boot + 1))
			continue
		fi
		break
	done
	finish_logs
	elapsed=$(($(date +%s) - start))
	echo "wall_seconds=$elapsed" >> "$out/lab.env"
	echo "boots=$boot" >> "$out/lab.env"
	echo "boot_hangs=$hangs" >> "$out/lab.env"

	if [ -n "$verdict" ]; then
		lab_fail "$reached" "$verdict"
	fi
	grep -aq 'xenbounce-lab: start' "$serial" || lab_fail 0 "dom0 never reached the harness (QEMU exit $qrc)"
	code=$(tr -d '\r' < "$serial" | sed -n 's/^xenbounce-lab: exit=\([0-9]*\)$/\1/p' | tail -n 1)
	[ -n "$code" ] || lab_fail 1 "the harness did not finish"
	extract_results || lab_fail 1 "no results on the virtio disk"
	# Write the report again on the host, where the lab's logs (serial.log,
	# the consoles, dom0-dmesg.txt) now sit beside run/ and can be linked,
	# with the device's view beside the expected image when there is one.
	if [ -d "$out/verify" ]; then
		"$XENBOUNCE" report --images "$out/verify" "$out/run" > /dev/null || say "could not write report.html"
	else
		"$XENBOUNCE" report "$out/run" > /dev/null || say "could not write report.html"
	fi
	rm -rf "$work"
	if [ -f "$out/guest.env" ]; then
		sed 's/^/guest_/' "$out/guest.env" >> "$out/lab.env"
		say "domU d$(sed -n 's/^domid=//p' "$out/guest.env"): $(sed -n 's/^boot_seconds=//p' "$out/guest.env")s from xl create to the harness, $(sed -n 's/^domU_seconds=//p' "$out/guest.env")s in all"
	fi
	summary=$("$XENBOUNCE" ktap "$out/run/ktap.txt" 2>&1)
	say "$summary"
	say "wall time ${elapsed}s, exit $code, results in $out"
	ln -sfn "$(basename "$out")" "$LAB_RESULTS/latest"
	exit "$code"
}

# Copy the guest's results off the ext2 results disk.
extract_results() {
	e2fsck -fy "$work/results.img" > "$out/fsck.log" 2>&1
	debugfs -R "rdump /run $out" "$work/results.img" >/dev/null 2>&1 || return 1
	for f in dom0-dmesg.txt guest-dmesg.txt guest.env swiotlb-used-after-unload.txt; do
		debugfs -R "dump /$f $out/$f" "$work/results.img" >/dev/null 2>&1
	done
	# The kernel log is evidence: without it "no oops" could not be said.
	[ -s "$out/dom0-dmesg.txt" ] || { say "ERROR: dom0 left no kernel log (dom0-dmesg.txt)"; return 1; }
	[ -f "$out/run/results.json" ]
}

# Stream the console, stop QEMU on a crash, silence or the wall-clock limit.
watch_console() {
	verdict=""
	reached=0
	booted=0
	shown=0
	last_change=$(date +%s)
	while kill -0 "$qpid" 2>/dev/null; do
		sleep 1
		now=$(date +%s)
		size=$(stat -c %s "$serial" 2>/dev/null || echo 0)
		if [ "$size" -gt "$shown" ]; then
			last_change=$now
			tail -c +"$((shown + 1))" "$serial" | head -c "$((size - shown))" | tr -d '\r' |
				if [ "$LAB_VERBOSE" = 1 ]; then cat; else grep -av '^(XEN)' | grep -av '^\['; fi
			shown=$size
		fi
		grep -aq 'xenbounce-lab: start' "$serial" 2>/dev/null && reached=1
		grep -aq 'xenbounce-lab: booted' "$serial" 2>/dev/null && booted=1
		if grep -aqE 'Hardware Dom0 crashed|Kernel panic - not syncing|Panic on CPU|Triple fault' "$serial" 2>/dev/null; then
			verdict="crash: $(grep -aoE 'Hardware Dom0 crashed|Kernel panic - not syncing.*|Panic on CPU.*|Triple fault.*' "$serial" | head -n 1 | tr -d '\r')"
		elif [ "$reached" = 0 ] && grep -aq 'watchdog: BUG: soft lockup' "$serial" 2>/dev/null; then
			# Before the harness runs nobody else will: a device that
			# never answers dom0's driver (PVH and virtio without
			# ACCESS_PLATFORM), say. After, the harness judges it.
			verdict="crash: dom0 locked up before the harness: $(grep -aoE 'watchdog: BUG: soft lockup.*' "$serial" | head -n 1 | tr -d '\r')"
		elif [ "$booted" = 0 ] && [ $((now - last_change)) -ge "$LAB_BOOT_SILENCE" ]; then
			verdict="dom0 hung while booting: no console output for ${LAB_BOOT_SILENCE}s before its init ran"
		elif [ $((now - last_change)) -ge "$LAB_SILENCE" ]; then
			verdict="no console output for ${LAB_SILENCE}s"
		elif [ $((now - start)) -ge "$LAB_TIMEOUT" ]; then
			verdict="wall-clock limit of ${LAB_TIMEOUT}s reached"
		fi
		if [ -n "$verdict" ]; then
			sleep 1	# let the crash dump reach the log
			kill "$qpid" 2>/dev/null
			break
		fi
	done
	# QEMU may have exited between two looks: with LAB_GUEST=pv a domU
	# that crashed is destroyed and dom0 powers off on its own.
	if [ -z "$verdict" ] && grep -aqE 'Kernel panic - not syncing' "$serial" 2>/dev/null; then
		grep -aq 'xenbounce-lab: start' "$serial" && reached=1
		verdict="crash: $(grep -aoE 'Kernel panic - not syncing.*' "$serial" | head -n 1 | tr -d '\r')"
	fi
}

# The Xen lab's images without booting them (harness/lava/run.sh and
# nightly.sh boot them under LAVA): DIR/xen, DIR/kernel, DIR/initrd.gz and
# DIR/images.env, the command lines run_lab would give Xen and dom0, QEMU's
# machine options and the options a virtio disk needs (a PVH dom0's go
# through the IOMMU), from the same lab_config as run_lab. With LAB_GPU,
# the GPU's modules are in the initramfs and qemu_gpu has its devices; the
# verification port, the monitor and lab-verify are the booter's to add
# (nightly.sh does, per job).
lab_images() {
	dir=$1
	[ "$LAB_FLAVOUR" = xen ] || die "images: only the Xen lab (LAB_FLAVOUR=xen)"
	case "$LAB_GPU" in
	"") qemu_gpu="" ;;
	virtio-gpu|virtio-gpu,*) qemu_gpu="-vga none -device virtio-gpu-pci${LAB_GPU#virtio-gpu}" ;;
	*) die "LAB_GPU=$LAB_GPU: use virtio-gpu[,DEVICE-OPTIONS]" ;;
	esac
	[ -x "$XENBOUNCE" ] || die "no $XENBOUNCE (make)"
	lab_config
	[ "$LAB_GUEST" = dom0 ] || die "images: LAB_GUEST=$LAB_GUEST: only the dom0 lab (LAVA's init runs in dom0)"
	mkdir -p "$dir" || die "could not create $dir"
	dir=$(cd "$dir" && pwd)
	work=$dir/work
	mkdir -p "$work"
	build_initrd "$rel"
	mv "$work/initrd.gz" "$dir/initrd.gz"
	rm -rf "$work"
	zcat -f "$LAB_XEN" > "$dir/xen" || die "could not unpack $LAB_XEN"
	cp "$LAB_KERNEL" "$dir/kernel" || die "could not copy $LAB_KERNEL"
	{
		printf 'release=%s\n' "$(shquote "$rel")"
		printf 'kernel_path=%s\n' "$(shquote "$LAB_KERNEL")"
		printf 'xen_path=%s\n' "$(shquote "$LAB_XEN")"
		printf 'xen_cmdline=%s\n' "$(shquote "$xen_cmdline")"
		printf 'dom0_cmdline=%s\n' "$(shquote "$dom0_cmdline")"
		printf 'qemu_machine=%s\n' "$(shquote "$qemu_machine")"
		printf 'qemu_vblk=%s\n' "$(shquote "$vblk")"
		printf 'qemu_gpu=%s\n' "$(shquote "$qemu_gpu${qemu_gpu:+ -device virtio-serial-pci$vblk}")"
	} > "$dir/images.env"
	say "images for $rel in $dir"
}

case "${1:-}" in
run) run_lab ;;
images) lab_images "${2:?usage: harness/lab/lab.sh images DIR}" ;;
*)
	echo "usage: harness/lab/lab.sh run|images DIR   (knobs: LAB_* variables, see README.md)" >&2
	exit 2
	;;
esac
