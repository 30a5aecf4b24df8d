# A fake sysfs for the driver tests: set $sys to its root, then
# pcidev NAME MODALIAS CLASS [DRIVER] adds one PCI device.
pcidev() {
	local d=$sys/bus/pci/devices/$1
	mkdir -p "$d"
	echo "$2" >"$d/modalias"
	echo "$3" >"$d/class"
	echo "0x${2:9:4}" | tr 'A-F' 'a-f' >"$d/vendor"
	echo "0x${2:18:4}" | tr 'A-F' 'a-f' >"$d/device"
	[ -z "${4:-}" ] || ln -s "../../../../bus/pci/drivers/$4" "$d/driver"
}
