#!/usr/bin/env python3
"""Compares `lifeboat disks --json IMAGE` with the independent judges:
sfdisk --json for the table, blkid -p (at each partition's offset) for the
content. Prints one "ok - " or "FAIL - " line per field; exits 1 on any
FAIL.  Usage: disks_judge.py LIFEBOAT_JSON SFDISK_JSON IMAGE"""
import json
import re
import subprocess
import sys

failures = 0


def check(what, want, got):
    global failures
    if want == got:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"FAIL - {what}: sfdisk/blkid say {want!r}, lifeboat says {got!r}")


def blkid(image, offset, size):
    out = subprocess.run(["blkid", "-p", "-o", "export", "-O", str(offset), "-S", str(size), image],
                         capture_output=True, text=True).stdout
    # -o export escapes shell-special characters with a backslash.
    return {k: re.sub(r"\\(.)", r"\1", v) for k, v in (line.split("=", 1) for line in out.splitlines() if "=" in line)}


def main():
    ours = json.load(open(sys.argv[1]))["disks"][0]
    table = json.load(open(sys.argv[2]))["partitiontable"]
    image = sys.argv[3]
    check("table type", table["label"], ours["table"])
    check("disk identifier", table["id"], ours["id"])
    check("sector size", table["sectorsize"], ours["sector_size"])
    if table["label"] == "gpt":
        check("first usable LBA", table["firstlba"], ours["first_lba"])
        check("last usable LBA", table["lastlba"], ours["last_lba"])
    by_number = {p["number"]: p for p in ours["partitions"]}
    check("partition numbers", sorted(int(re.search(r"(\d+)$", p["node"]).group(1)) for p in table["partitions"]),
          sorted(by_number))
    ss = table["sectorsize"]
    for theirs in table["partitions"]:
        n = int(re.search(r"(\d+)$", theirs["node"]).group(1))
        p = by_number.get(n)
        if p is None:
            continue
        check(f"partition {n} start", theirs["start"], p["start"])
        check(f"partition {n} size", theirs["size"], p["sectors"])
        check(f"partition {n} end", theirs["start"] + theirs["size"] - 1, p["end"])
        check(f"partition {n} type", theirs["type"], p["type"])
        if table["label"] == "gpt":
            check(f"partition {n} uuid", theirs["uuid"], p["partuuid"])
            check(f"partition {n} name", theirs.get("name"), p["name"])
            check(f"partition {n} attrs", theirs.get("attrs", ""), p["flags"])
        else:
            check(f"partition {n} bootable", theirs.get("bootable", False), p["bootable"])
        if p["extended"]:
            continue
        tags = blkid(image, theirs["start"] * ss, theirs["size"] * ss)
        fs = p["fs"] or {}
        check(f"partition {n} TYPE", tags.get("TYPE"), fs.get("type"))
        check(f"partition {n} LABEL", tags.get("LABEL"), fs.get("label"))
        check(f"partition {n} UUID", tags.get("UUID"), fs.get("uuid"))
        if "VERSION" in tags and tags.get("TYPE") == "vfat":
            check(f"partition {n} FAT VERSION", tags["VERSION"], fs.get("version"))
    sys.exit(1 if failures else 0)


main()
