# Helpers shared by the disks_*.sh tests (sourced after $TESTLIB; this file
# is not a test itself).

# put_fs IMAGE START-SECTOR SECTOR-SIZE FS-FILE: copies a file system made
# in its own file into the image at that sector, keeping the image sparse.
put_fs() {
	dd if="$4" of="$1" bs="$3" seek="$2" conv=sparse,notrunc status=none
}

# judge NAME IMAGE [DEVICE]: lifeboat disks --json IMAGE against sfdisk
# (reading DEVICE, e.g. a loop device with 4096-byte sectors, if given) and
# blkid -p.
judge() {
	local name=$1 image=$2 device=${3:-$2}
	"$LIFEBOAT" disks --json "$image" >"$SCRATCH/$name.lifeboat.json" 2>"$SCRATCH/$name.err"
	sfdisk --json "$device" >"$SCRATCH/$name.sfdisk.json" 2>/dev/null
	if python3 "$SOURCE_DIR/tests/integration/helpers/disks_judge.py" \
		"$SCRATCH/$name.lifeboat.json" "$SCRATCH/$name.sfdisk.json" "$image" >"$SCRATCH/$name.judge"; then
		pass "$name: lifeboat agrees with sfdisk and blkid ($(grep -c '^ok' "$SCRATCH/$name.judge") fields)"
	else
		fail "$name: $(grep '^FAIL' "$SCRATCH/$name.judge" | tr '\n' ';')"
	fi
}

# json_field NAME PYTHON-EXPRESSION: evaluates d (the lifeboat JSON of NAME).
json_field() {
	python3 -c "import json,sys; d=json.load(open(sys.argv[1]))['disks'][0]; print($2)" "$SCRATCH/$1.lifeboat.json"
}
