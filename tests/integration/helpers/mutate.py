#!/usr/bin/env python3
"""Feeds `lifeboat disks --json` damaged copies of real disk images: random
bytes overwritten in the tables and file system headers, files cut short.
Every run must end with exit status 0 or 1, at most one error line, and
valid JSON on stdout (the ASan build turns memory errors into failures).
Usage: mutate.py LIFEBOAT WORKDIR ROUNDS SEED IMAGE..."""
import json
import os
import random
import subprocess
import sys

lifeboat, workdir, rounds, seed, images = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
rng = random.Random(seed)
bad = 0
for n in range(rounds):
    source = images[n % len(images)]
    data = bytearray(open(source, "rb").read())
    for _ in range(rng.randint(1, 24)):
        # Mostly the first 64 KiB (tables, boot sectors, superblocks) and
        # the last 16 KiB (backup GPT); sometimes anywhere.
        area = rng.choice([65536, 65536, 1 << 20, len(data)])
        pos = rng.randrange(min(area, len(data)))
        if rng.random() < 0.7:
            pos = len(data) - 1 - rng.randrange(min(16384, len(data))) if rng.random() < 0.3 else pos
        data[pos] = rng.randrange(256)
    if rng.random() < 0.1:
        data = data[:rng.randrange(1, len(data))]
    case = os.path.join(workdir, "case.img")
    with open(case, "wb") as f:
        f.write(data)
    run = subprocess.run([lifeboat, "disks", "--json", case], capture_output=True, text=True, timeout=60)
    errors = [line for line in run.stderr.splitlines() if not line.startswith("lifeboat: warning:")]
    try:
        json.loads(run.stdout)
        parsed = True
    except ValueError:
        parsed = False
    if run.returncode not in (0, 1) or len(errors) > 1 or not parsed:
        bad += 1
        kept = os.path.join(workdir, f"failing-{n}.img")
        os.rename(case, kept)
        print(f"FAIL - round {n} ({source}): exit {run.returncode}, kept {kept}:\n{run.stderr[:3000]}")
print(f"{rounds - bad} of {rounds} damaged images handled")
sys.exit(1 if bad else 0)
