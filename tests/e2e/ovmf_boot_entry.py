#!/usr/bin/env python3
"""Adds a UEFI boot entry to a copy of OVMF's variable store, as a test's
stand-in for efibootmgr on the machine: BootXXXX = HD(N,GPT,guid,start,
size)/File(LOADER), BootOrder = XXXX and BootNext = XXXX. The partition
is read from the disk image with sfdisk -J. Variables are appended after
the last one in the authenticated variable store (state VAR_ADDED);
an older BootOrder/BootNext is marked deleted.

usage: ovmf_boot_entry.py VARS.fd DISK.img PARTITION LOADER DESCRIPTION"""
import json
import struct
import subprocess
import sys
import uuid

GLOBAL = uuid.UUID("8be4df61-93ca-11d2-aa0d-00e098032b8c")
NV_BS_RT = 7
VAR_ADDED, VAR_DELETED = 0x3F, 0xFD
BOOTNUM = 0x0010


def device_path(part, loader):
    hd = struct.pack("<BBHIQQ16sBB", 4, 1, 42, part["number"], part["start"], part["size"],
                     uuid.UUID(part["uuid"]).bytes_le, 2, 2)
    name = (loader + "\0").encode("utf-16le")
    path = struct.pack("<BBH", 4, 4, 4 + len(name)) + name
    return hd + path + struct.pack("<BBH", 0x7F, 0xFF, 4)


def variable(name, data):
    n = (name + "\0").encode("utf-16le")
    # StartId, State, Reserved, Attributes, MonotonicCount, TimeStamp,
    # PubKeyIndex, NameSize, DataSize, VendorGuid (60 bytes).
    head = struct.pack("<HBBIQ16sIII16s", 0x55AA, VAR_ADDED, 0, NV_BS_RT, 0, bytes(16), 0,
                       len(n), len(data), GLOBAL.bytes_le)
    rec = head + n + data
    return rec + bytes(-len(rec) % 4)


def main():
    vars_file, disk, number, loader, desc = sys.argv[1:6]
    table = json.loads(subprocess.run(["sfdisk", "-J", disk], check=True, capture_output=True).stdout)
    entry = table["partitiontable"]["partitions"][int(number) - 1]
    part = {"number": int(number), "start": entry["start"], "size": entry["size"], "uuid": entry["uuid"]}
    dp = device_path(part, loader)
    option = struct.pack("<IH", 1, len(dp)) + (desc + "\0").encode("utf-16le") + dp
    d = bytearray(open(vars_file, "rb").read())
    if d[40:44] != b"_FVH":
        sys.exit("not an OVMF variable store")
    store = struct.unpack_from("<H", d, 48)[0]
    store_end = store + struct.unpack_from("<I", d, store + 16)[0]
    off = store + 28
    while struct.unpack_from("<H", d, off)[0] == 0x55AA:
        state = d[off + 2]
        name_size, data_size = struct.unpack_from("<II", d, off + 36)
        name = d[off + 60:off + 60 + name_size].decode("utf-16le").rstrip("\0")
        if state == VAR_ADDED and name in ("BootOrder", "BootNext", "Boot%04X" % BOOTNUM):
            d[off + 2] = VAR_ADDED & VAR_DELETED
        off += 60 + name_size + data_size
        off += -off % 4
    new = (variable("Boot%04X" % BOOTNUM, option) + variable("BootOrder", struct.pack("<H", BOOTNUM))
           + variable("BootNext", struct.pack("<H", BOOTNUM)))
    if off + len(new) > store_end:
        sys.exit("variable store is full")
    d[off:off + len(new)] = new
    open(vars_file, "wb").write(d)


main()
