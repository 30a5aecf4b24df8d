"""Judge of hive edits (used by the driver tests, not a test itself): reads two
`hivexregedit --export` files (before, after) and an expected-change table, and
reports any difference between the actual and the expected change set.

Table lines (tab-separated):
  +key  KEY                      a key that must appear
  -key  KEY                      a key that must disappear
  +val  KEY NAME TYPE VALUE      a value that must appear (or change to VALUE)
  -val  KEY NAME TYPE VALUE      a value that must disappear (or change from VALUE)
TYPE: dword (decimal), sz, expand, multi (values joined by '|'), binary (hex).
NAME @ is the default value. Exit status 0 when the change set is exactly that."""
import sys


def utf16(s):
    return (s.encode("utf-16-le") + b"\0\0").hex(",")


def encode(kind, value):
    if kind == "dword":
        return "dword:%08x" % int(value)
    if kind == "sz":
        return "hex(1):" + utf16(value)
    if kind == "expand":
        return "hex(2):" + utf16(value)
    if kind == "multi":
        data = b"".join(p.encode("utf-16-le") + b"\0\0" for p in value.split("|")) + b"\0\0"
        return "hex(7):" + data.hex(",")
    if kind == "binary":
        return "hex(3):" + bytes.fromhex(value).hex(",")
    raise SystemExit("unknown type " + kind)


def flatten(path):
    items, key = set(), None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("[") and line.endswith("]"):
            key = line[2:-1].lower()
            items.add(("key", key))
        elif "=" in line and key is not None:
            name, _, value = line.partition("=")
            items.add(("val", key, name.strip('"').lower() if name != "@" else "@", value))
    return items


def main():
    before, after, table = flatten(sys.argv[1]), flatten(sys.argv[2]), sys.argv[3]
    added, removed = set(), set()
    for line in open(table):
        f = line.rstrip("\n").split("\t")
        if not f or not f[0] or f[0].startswith("#"):
            continue
        if f[0] in ("+key", "-key"):
            (added if f[0] == "+key" else removed).add(("key", f[1].lower()))
        else:
            item = ("val", f[1].lower(), f[2].lower() if f[2] != "@" else "@", encode(f[3], f[4]))
            (added if f[0] == "+val" else removed).add(item)
    bad = 0
    for item in sorted(after - before - added):
        print("unexpected addition:", item); bad = 1
    for item in sorted(added - (after - before)):
        print("missing addition:", item); bad = 1
    for item in sorted(before - after - removed):
        print("unexpected removal:", item); bad = 1
    for item in sorted(removed - (before - after)):
        print("missing removal:", item); bad = 1
    sys.exit(bad)


main()
