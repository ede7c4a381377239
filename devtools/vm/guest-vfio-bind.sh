#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# In the test guest (installed as /bin/ep-vfio-bind in the initramfs): bind
# PCI functions to vfio-pci and print, for each, "<bdf> /dev/vfio/<group>".
# Fails if a function is missing, does not bind, or has no group node.
#
# Usage: ep-vfio-bind <bdf>...    e.g. ep-vfio-bind 0000:00:03.1
rc=0
for bdf in "$@"; do
	case $bdf in *:*:*.*) ;; *) bdf=0000:$bdf ;; esac
	d=/sys/bus/pci/devices/$bdf
	if [ ! -d "$d" ]; then
		echo "ep-vfio-bind: no PCI function $bdf" >&2
		rc=1
		continue
	fi
	if [ -e "$d/driver" ]; then
		drv=$(basename "$(readlink "$d/driver")")
		[ "$drv" = vfio-pci ] || echo "$bdf" >"$d/driver/unbind"
	fi
	echo vfio-pci >"$d/driver_override"
	[ -e "$d/driver" ] || echo "$bdf" >/sys/bus/pci/drivers_probe
	drv=$(basename "$(readlink "$d/driver" 2>/dev/null)" 2>/dev/null)
	if [ "$drv" != vfio-pci ]; then
		echo "ep-vfio-bind: $bdf did not bind to vfio-pci (driver: ${drv:-none})" >&2
		rc=1
		continue
	fi
	grp=$(basename "$(readlink "$d/iommu_group")")
	if [ -c "/dev/vfio/$grp" ]; then
		echo "$bdf /dev/vfio/$grp"
	elif [ -c "/dev/vfio/noiommu-$grp" ]; then
		echo "$bdf /dev/vfio/noiommu-$grp"
	else
		echo "ep-vfio-bind: $bdf bound, but no /dev/vfio node for group $grp" >&2
		rc=1
	fi
done
exit $rc
