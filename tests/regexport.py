"""Reads a `hivexregedit --export` file (used by the driver tests, not a test
itself): values(path) gives {(key without the leading backslash, value name
as written, quotes included): data}, hex(N) data as bytes, other data as text."""


def values(path):
    out, key = {}, None
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.rstrip("\n")
        if line.startswith("["):
            key = line[2:-1]
        elif "=" in line and key is not None:
            name, _, v = line.partition("=")
            out[(key, name)] = bytes.fromhex(v.split(":", 1)[1].replace(",", "")) if v.startswith("hex") else v
    return out
