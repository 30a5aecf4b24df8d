#!/usr/bin/env bash
# Stand-in for efibootmgr on a machine without UEFI variables (tests only):
# keeps Boot#### entries and BootOrder/BootNext in $FAKE_EFI_STATE, logs
# every call to $FAKE_EFI_STATE.calls, and prints `efibootmgr -v` output.
# Created entries get the device path efibootmgr would write, with the
# partition GUID read by sfdisk.
set -euo pipefail
state=$FAKE_EFI_STATE
echo "$*" >>"$state.calls"
[ -f "$state" ] || printf 'BootOrder: 0000,0001\nBoot0000* Windows Boot Manager\tHD(1,GPT,x)/File(\\EFI\\Microsoft\\Boot\\bootmgfw.efi)\nBoot0001* UEFI PXE\tPciRoot(0x0)\n' >"$state"
disk="" part="" label="" loader="" num="" action=list
while [ $# -gt 0 ]; do
	case $1 in
	-C) action=create ;;
	-c) action=create-ordered ;;
	-B) action=delete ;;
	-n) action=next; num=$2; shift ;;
	-b) num=$2; shift ;;
	-d) disk=$2; shift ;;
	-p) part=$2; shift ;;
	-L) label=$2; shift ;;
	-l) loader=$2; shift ;;
	-o) action=order; num=$2; shift ;;
	esac
	shift
done
case $action in
create | create-ordered)
	guid=$(sfdisk --part-uuid "$disk" "$part" | tr 'A-Z' 'a-z')
	printf 'Boot0005* %s\tHD(%s,GPT,%s,0x0,0x0)/File(%s)\n' "$label" "$part" "$guid" "$loader" >>"$state" ;;
delete) grep -v "^Boot$num" "$state" >"$state.new"; mv "$state.new" "$state" ;;
next) grep -v '^BootNext' "$state" >"$state.new"; echo "BootNext: $num" >>"$state.new"; mv "$state.new" "$state" ;;
order) sed -i "s/^BootOrder: .*/BootOrder: $num/" "$state" ;;
list) cat "$state" ;;
esac
