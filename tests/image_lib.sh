# Helpers of the image engine tests (capture/restore/verify): a tree of
# real files to put in file systems, and small comparisons.

# make_tree DIR: text, compressible and random files of awkward sizes, nested.
make_tree() {
	local d=$1
	mkdir -p "$d/licenses" "$d/deep/a/b/c" "$d/media"
	cp /usr/share/common-licenses/* "$d/licenses/"
	head -c 1 /dev/urandom >"$d/deep/one-byte"
	head -c 4095 /dev/urandom >"$d/deep/a/almost-a-block"
	head -c 65537 /dev/urandom >"$d/deep/a/b/over-64k"
	head -c 3M /dev/urandom >"$d/media/random-3m.bin"
	head -c 6M /dev/urandom >"$d/media/random-6m.bin"
	head -c 5M < <(yes 'lifeboat restores what was captured') >"$d/deep/a/b/c/text-5m.txt"
	: >"$d/empty"
}

# fill_junk FILE SIZE: a file of SIZE full of random bytes (dirty free space).
fill_junk() {
	head -c "$2" /dev/urandom >"$1"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }
