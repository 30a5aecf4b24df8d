# Hive sessions: replay of the real dirty SYSTEM_B with its LOG1/LOG2, undo
# to the original bytes, refusals that leave the volume byte-for-byte
# unchanged, and crash safety of commits killed at random points.
# Judges: hivexsh, hivexregedit, regfexport, reglookup, sha256sum.
. "$TESTLIB"
need hivexsh hivexregedit reglookup regfexport mkntfs ntfs-3g sha256sum
. "$SOURCE_DIR/tests/win-fixtures.sh"

cfg=Windows/System32/config
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }

# --- SYSTEM_B: dirty (1622/1621) with 24 log entries -----------------------
hive SYSTEM_B "$SCRATCH/SYSTEM_B"
windows_tree "$SCRATCH/b" "$SCRATCH/SYSTEM_B"
hive SYSTEM_B.LOG1 "$SCRATCH/b/$cfg/SYSTEM.LOG1"
hive SYSTEM_B.LOG2 "$SCRATCH/b/$cfg/SYSTEM.LOG2"
cp -a "$SCRATCH/b" "$SCRATCH/b0"
check "rename on the dirty SYSTEM_B (logs replayed first)" "$LIFEBOAT" win rename "$SCRATCH/b" pc-b
out="$SCRATCH/b/$cfg/SYSTEM"
check_eq "replayed to 2130, committed as 2131 (clean)" "2131 2131" "$(hive_seq "$out")"
check "hivexsh opens the result" sh -c "printf 'ls\n' | hivexsh '$out' | grep -q ControlSet001"
check "regfexport reads the result" regf_reads "$out"
check "reglookup reads the result" sh -c "reglookup -H '$out' >/dev/null 2>&1"
check_eq "LOG1 emptied, file kept" 0 "$(stat -c %s "$SCRATCH/b/$cfg/SYSTEM.LOG1")"
check_eq "LOG2 emptied, file kept" 0 "$(stat -c %s "$SCRATCH/b/$cfg/SYSTEM.LOG2")"
keys() { export_hive "$1" | grep -c '^\['; }
k0=$(keys "$SCRATCH/SYSTEM_B"); k1=$(keys "$out")
check "the logged device installs are in the result ($k0 -> $k1 keys)" test "$k1" -gt "$k0"
check "a key only the logs hold is present" sh -c "reglookup -H -p /ControlSet001/Enum/HDAUDIO '$out' | grep -q HDAUDIO"
check "undo" "$LIFEBOAT" win undo "$SCRATCH/b"
for f in SYSTEM SYSTEM.LOG1 SYSTEM.LOG2; do
	check "undo restores $f byte for byte" cmp -s "$SCRATCH/b0/$cfg/$f" "$SCRATCH/b/$cfg/$f"
done

# --- refusals: one line, exit 1, volume unchanged ---------------------------
refused() {  # refused WHAT REGEX TARGET CMD...
	local what=$1 regex=$2 target=$3; shift 3
	local before; before=$([ -d "$target" ] && tree_sum "$target" || sha256sum <"$target")
	expect_fail "$what" 1 "$regex" "$@"
	check_eq "$what: volume unchanged" "$before" "$([ -d "$target" ] && tree_sum "$target" || sha256sum <"$target")"
}

cp -a "$SCRATCH/b0" "$SCRATCH/broken"
python3 - "$SCRATCH/broken/$cfg/SYSTEM.LOG1" <<'PY'
import sys
p = sys.argv[1]; d = bytearray(open(p, 'rb').read()); d[512 + 4096] ^= 1; open(p, 'wb').write(d)
PY
refused "dirty hive with broken logs" "logs cannot be replayed" "$SCRATCH/broken" "$LIFEBOAT" win rename "$SCRATCH/broken" pc-x

hive SYSTEM_2 "$SCRATCH/SYSTEM_2"
windows_tree "$SCRATCH/c" "$SCRATCH/SYSTEM_2"
hive corrupted_system_hive "$SCRATCH/c/$cfg/SYSTEM"
refused "corrupt hive" "damaged hive" "$SCRATCH/c" "$LIFEBOAT" win rename "$SCRATCH/c" pc-x

windows_tree "$SCRATCH/h" "$SCRATCH/SYSTEM_2"
printf 'HIBR' >"$SCRATCH/h/hiberfil.sys"; truncate -s 64K "$SCRATCH/h/hiberfil.sys"
refused "hibernated volume" "hibernated or was shut down with Fast Startup" "$SCRATCH/h" \
	"$LIFEBOAT" win rename "$SCRATCH/h" pc-x
check "info still describes a hibernated volume" sh -c "'$LIFEBOAT' win info '$SCRATCH/h' | grep -q '^hibernated: true'"

ntfs_image "$SCRATCH/empty.img" 16M
refused "no Windows on the volume" "no Windows installation found" "$SCRATCH/empty.img" \
	"$LIFEBOAT" win rename "$SCRATCH/empty.img" pc-x
cp "$SCRATCH/empty.img" "$SCRATCH/bitlocker.img"
printf -- '-FVE-FS-' | dd of="$SCRATCH/bitlocker.img" bs=1 seek=3 conv=notrunc status=none
refused "BitLocker volume" "BitLocker" "$SCRATCH/bitlocker.img" "$LIFEBOAT" win info "$SCRATCH/bitlocker.img"

for name in TOO-LONG-NAME-123 'a*b' 12345 'two words' 'a,b'; do
	refused "invalid name '$name'" "invalid computer name" "$SCRATCH/h" "$LIFEBOAT" win rename "$SCRATCH/h" "$name"
done

# --- crash safety: kill -9 at random points of a commit ---------------------
make_small_system "$SCRATCH/small"
windows_tree "$SCRATCH/k" "$SCRATCH/small"
sys="$SCRATCH/k/$cfg/SYSTEM"
old=$(sha256sum <"$sys")
"$LIFEBOAT_STATIC" win rename "$SCRATCH/k" pc-k >/dev/null 2>&1
new=$(sha256sum <"$sys")
cp "$sys" "$SCRATCH/new.hive"
reset_k() { cp "$SCRATCH/small" "$sys"; rm -rf "$SCRATCH/k/Windows/Lifeboat" "$sys".lifeboat-*; }
start=$(date +%s%N); reset_k; "$LIFEBOAT_STATIC" win rename "$SCRATCH/k" pc-k >/dev/null 2>&1
span=$((($(date +%s%N) - start) / 1000))  # microseconds one full run takes
n_old=0 n_new=0 n_torn=0 bad=0
mkdir -p "$SCRATCH/tmp"
for i in $(seq 200); do
	reset_k
	TMPDIR=$SCRATCH/tmp "$LIFEBOAT_STATIC" win rename "$SCRATCH/k" pc-k >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '0.%06d' $((RANDOM * 32768 % span + RANDOM % 1000)))"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	now=$(sha256sum <"$sys")
	if [ "$now" = "$old" ]; then n_old=$((n_old + 1))
	elif [ "$now" = "$new" ]; then n_new=$((n_new + 1))
	else n_torn=$((n_torn + 1)); fi
	"$LIFEBOAT_STATIC" win recover "$SCRATCH/k" >/dev/null 2>&1 || bad=$((bad + 1))
	now=$(sha256sum <"$sys")
	[ "$now" = "$old" ] || [ "$now" = "$new" ] || bad=$((bad + 1))
done
echo "crash loop: killed after ~0-${span}us: $n_old old, $n_new new, $n_torn torn before recovery"
check_eq "after 200 kills + recover the hive is always the old or the new one" 0 "$bad"
TMPDIR=$SCRATCH/tmp "$LIFEBOAT_STATIC" win info "$SCRATCH/k" >/dev/null 2>&1
check_eq "the next session removed the working copies the kills left in TMPDIR" "" "$(ls "$SCRATCH/tmp")"
check "the kills landed both before and after the commit" test "$n_old" -gt 0 -a "$n_new" -gt 0
for h in "$SCRATCH/small" "$SCRATCH/new.hive"; do
	check "$(basename "$h") (old or new) opens cleanly in hivexsh" sh -c "printf 'ls\n' | hivexsh '$h' | grep -q ControlSet001"
done

# a commit torn half-way (power loss): the journal says "commit" without
# "written"; the next opening for writing rolls the hive back to its backup
reset_k
"$LIFEBOAT" win rename "$SCRATCH/k" pc-t >/dev/null 2>&1
head -c 8192 "$SCRATCH/new.hive" >"$sys"
sed -i '/^written\t/d; /^end\t/d' "$SCRATCH/k/Windows/Lifeboat/journal"
check "recover after a torn commit" "$LIFEBOAT" win recover "$SCRATCH/k"
check_eq "torn hive rolled back to the old one" "$old" "$(sha256sum <"$sys")"
check "journal records the roll-back" grep -q "^rolledback	$cfg/SYSTEM\$" "$SCRATCH/k/Windows/Lifeboat/journal"

finish
