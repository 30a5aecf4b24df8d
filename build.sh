#!/usr/bin/env bash
# Lifeboat's one-command set-up on Debian 12, as root.
#   ./build.sh        install the Debian packages the build needs (only those
#                     missing), build everything in build/ including the
#                     default rescue ISO build/lifeboat.iso, print the outputs
#   ./build.sh test   the same, then an ASan+UBSan build in build-asan/ and
#                     every test through ctest (its summary is the last line)
# Each part lists its packages in a deps.debian file beside its sources.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

mode=${1:-build}
case "$mode" in
build | test) ;;
*) echo "usage: ./build.sh [test]" >&2; exit 2 ;;
esac

jobs=$(nproc)

wanted_packages() {
	find . -name deps.debian -not -path './build/*' -not -path './build-*/*' -print0 | xargs -0 cat |
		sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u
}

install_missing_packages() {
	local missing=() p
	for p in $(wanted_packages); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "Installing ${#missing[@]} Debian packages: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure DIR [CMAKE-ARGS...]: configures once; later runs let ninja re-run cmake.
configure() {
	local dir=$1; shift
	[ -f "$dir/build.ninja" ] && return 0
	cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
}

# run_ninja DIR [TARGET...]: builds DIR, silent when there is nothing to do. A failing
# build prints everything; a good one drops CMake's re-configure chatter and
# the linker's expected notes that libntfs-3g's user mapping (getpwnam...)
# needs NSS in a static binary (without NSS it finds no mapping, which is
# what a rescue system wants).
run_ninja() {
	local out
	if ! out=$(ninja --quiet -C "$@" 2>&1); then
		printf '%s\n' "$out" >&2
		return 1
	fi
	printf '%s\n' "$out" | grep -v -e '^ninja: no work to do\.$' -e '^-- ' \
		-e "^/usr/bin/ld: .*libntfs-3g\.a(.*): in function" \
		-e "in statically linked applications requires at runtime the shared libraries" || true
}

build_release() {
	configure build -DCMAKE_BUILD_TYPE=Release
	run_ninja build
	run_ninja build rescue-iso
}

build_sanitized() {
	configure build-asan -DCMAKE_BUILD_TYPE=Debug -DLIFEBOAT_SANITIZE=ON \
		-DLIFEBOAT_STATIC_APP="$PWD/build/rescue-app/lifeboat"
	run_ninja build-asan
}

print_outputs() {
	echo "Built:"
	echo "  rescue app (static): build/rescue-app/lifeboat"
	echo "  media builder:       build/builder/lifeboat-build"
	echo "  network boot server: build/pxe/lifeboat-pxe"
	echo "  rescue ISO:          build/lifeboat.iso"
}

install_missing_packages
build_release
if [ "$mode" = test ]; then
	build_sanitized
	cd build-asan
	exec ctest --output-on-failure -j"$jobs"
fi
print_outputs
