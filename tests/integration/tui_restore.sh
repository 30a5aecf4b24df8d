# The TUI's restore wizard driven through tmux against disk image files:
# the disk holding the image folder and the rescue medium are not offered,
# a too-small target is refused with a message, a wrong confirmation is
# refused; a full restore judged by sfdisk, e2fsck and debugfs; a cancel in
# the middle of a slow (bzip2) restore that frees the target and says how to
# resume, then the resumed restore, judged the same way; one partition of
# the image onto a wiped partition on a vt100 80x24 terminal; SIGINT during a
# restore cancels it, a crash during one gives the terminal back; reports saved.
. "$TESTLIB"
need tmux sfdisk mkfs.ext4 mkfs.vfat e2fsck debugfs dumpe2fs losetup xxh128sum
. "$(dirname "$0")/helpers/tmux.sh"
. "$(dirname "$0")/helpers/tui_disks.sh"
cd "$SCRATCH"

mkdir -p tree/sub slowtree mnt
seq 1 200000 >tree/sub/numbers.txt
echo hello >tree/hello.txt
head -c 8M /dev/urandom | base64 >tree/random.txt
make_disk source.img 200M tree
head -c 80M /dev/urandom | base64 >slowtree/big.txt
make_disk slow.img 200M slowtree

# The image folders live on a mounted loop device, which is also listed.
truncate -s 150M holder.img
mkfs.ext4 -q -F holder.img
loop=$(losetup -f --show holder.img)
on_exit "losetup -d $loop"
mount "$loop" mnt
on_exit "umount $SCRATCH/mnt"
mkdir -p mnt/images mnt/slow
"$LIFEBOAT" capture --progress none --comment "office PC" source.img mnt/images/office.lbi
"$LIFEBOAT" capture --progress none --compress bzip2 slow.img mnt/slow/slow.lbi
truncate -s 200M target.img
truncate -s 64M small.img stick.img

app() { # IMAGE-FOLDER
	echo "LIFEBOAT_MEDIA='$SCRATCH/stick.img' '$LIFEBOAT' tui --images '$SCRATCH/mnt/$1' --logs '$SCRATCH/logs'" \
		"'$loop' '$SCRATCH/stick.img' '$SCRATCH/small.img' '$SCRATCH/target.img'"
}

# --- refusals, then a full restore -----------------------------------------
tui_start 100 30 xterm "$(app images)"
screen_has "main menu" '> 1  Restore an image'
keys 1 Enter
screen_has "image list shows the header" 'office\.lbi .*whole disk 209\.7 MB \(gpt, 2 partitions\)'
screen_has "the image's comment" 'Comment: office PC'
keys Enter
screen_has "what: whole disk or a partition" 'Partition 2: ext4 .data.'
keys Enter
screen_has "target list" 'Choose the disk to overwrite'
screen_has "the disk holding the image folder is not offered" "${loop#/dev/} .*NOT OFFERED: holds the image folder"
screen_has "the rescue medium is not offered" 'stick\.img .*NOT OFFERED: the rescue system runs from it'
screen_has "the first offered target is highlighted" '> small\.img'
keys Enter
screen_has "a too-small target: the engine's message" 'small\.img is .* MiB too small for this image'
keys Enter
screen_has "back at the target list" '> small\.img'
keys Up
screen_has "the loop and stick rows above cannot be chosen" '> small\.img'
keys Down
screen_has "target.img can" '> target\.img'
keys Enter
screen_has "options" '\[x\] Verify the image before writing'
screen_has "no Windows options without NTFS" 'Windows: M\.I\.R\.'
keys Enter
screen_has "summary names the target" 'EVERYTHING on this target will be overwritten'
screen_has "summary names the image" 'restoring: office\.lbi, [0-9.]+ MB of data'
type_text nope
keys Enter
screen_has "a wrong name is refused" 'That was not target\.img or yes'
type_text target.img
keys Enter
screen_has "restore done" 'Restore an image: done' 60
screen_has "result says what next" 'What next: the disk is ready'
screen_has "report saved" 'Report: .*/logs/lifeboat-.*-restore-.*\.json'
keys Enter
screen_has "back on the main menu" '> 1  Restore an image'
keys q
screen_has "quit, terminal as before" 'TTY-SAME'
judge_restore "wizard restore" source.img target.img tree
check "the report says success" grep -q '"result": "success"' logs/lifeboat-*-restore-*.json
# the trailer (64 bytes) ends the image; the digest covers every byte before it
size=$(stat -c %s mnt/images/office.lbi)
want=$(head -c $((size - 64)) mnt/images/office.lbi | xxh128sum | cut -d' ' -f1)
check_eq "the report's digest is the image's XXH128 (xxh128sum)" "xxh128:$want" \
	"$(grep -o '"digest": "[^"]*"' logs/lifeboat-*-restore-*.json | cut -d'"' -f4)"

# --- one partition of the image onto a partition ------------------------------
read -r start sectors < <(part_range target.img 2)
dd if=/dev/zero of=target.img bs=512 seek="$start" count="$sectors" conv=notrunc status=none
rm -f logs/*
tui_start 80 24 vt100 "$(app images)"
screen_has "vt100 80x24: menu" '> 1  Restore an image'
keys 1 Enter
screen_has "image" '> office\.lbi'
keys Enter
screen_has "what" 'Partition 2: ext4'
keys 3 Enter
screen_has "partitions are offered as targets" 'Choose the partition to overwrite'
screen_has "the rescue medium's partitions are not offered either" 'stick\.img|small\.img|target\.img:1'
screen_has "the wiped partition" 'target\.img:2 .*unknown content'
screen_has "the first offered partition is highlighted" '> +target\.img:1'
keys Enter
screen_has "too small partition: the message" 'target\.img:1 is .* MiB too small'
screen_has "the message is wrapped, not cut" '^  this image \(needs'
keys Enter Down Enter
screen_has "options for a partition: no new disk identity" 'Only for a whole-disk restore|Verify the image'
keys Enter
screen_has "summary names the partition" 'restoring: partition 2 of office\.lbi'
type_text target.img:2
keys Enter
screen_has "partition restore done" 'Restore an image: done' 60
keys Enter q
screen_has "quit after the partition restore" 'EXIT=0'
judge_restore "partition restore" source.img target.img tree
check "its report names the partition" grep -q '"target": ".*target.img:2"' logs/lifeboat-*-restore-*.json

# --- cancel in the middle, then resume ---------------------------------------
# slow_restore_started WHAT: from the main menu, the slow image onto target.img
# without verification first, up to the progress screen writing partitions.
slow_restore_started() {
	keys 1 Enter
	screen_has "$1: slow image listed" '> slow\.lbi'
	keys Enter
	screen_has "$1: what" 'Whole disk'
	keys Enter
	screen_has "$1: targets" '> small\.img'
	keys Down Enter
	screen_has "$1: options" '\[x\] Verify the image before writing'
	keys 1 Enter
	screen_has "$1: verify first switched off" '\[ \] Verify the image before writing'
	keys 9 Enter
	screen_has "$1: summary" 'EVERYTHING on this target'
	type_text yes
	keys Enter
	screen_has "$1: progress names the partition being written" 'Now: +writing partition [0-9] of 2' 60
}
rm -f logs/*
tui_start 100 30 xterm "$(app slow)"
screen_has "menu" '> 1  Restore an image'
slow_restore_started "cancel"
screen_has "progress: speed" 'Speed: +[0-9.]+ MB/s'
screen_has "progress: elapsed and remaining" 'Elapsed: +[0-9:]+ +Remaining:'
keys c
screen_has "cancel asks first" 'Cancel\? The target will be left incomplete'
keys y
screen_has "cancelled" 'Restore an image: cancelled' 60
screen_has "says how to resume" 'Resume is then switched on'
pid=$(pane_child)
check "the target is not held any more" bash -c "! ls -l /proc/$pid/fd | grep -q target\.img"
check "the cancel report says cancelled" grep -q '"result": "cancelled"' logs/lifeboat-*-restore-*.json
# the big file alone is over 100 MB, so fewer than 80 MB written is a stop in the middle
written=$(grep -o '"bytes": [0-9]*' logs/lifeboat-*-restore-*.json | grep -o '[0-9]*$')
check "the cancel came in the middle (report: $written bytes written)" test "$written" -gt 0 -a "$written" -lt 80000000
keys Enter
screen_has "menu again" '> 1  Restore an image'
keys 1 Enter
screen_has "slow image again" 'slow\.lbi'
keys Enter
screen_has "what again" 'Whole disk'
keys Enter
screen_has "targets again" '> small\.img'
keys Down Enter
screen_has "same image and target: Resume is on" '\[x\] Resume: write only what differs'
keys Enter
screen_has "summary again" 'options: .*resume'
type_text target.img
keys Enter
screen_has "resumed restore done" 'Restore an image: done' 120
keys Enter q
screen_has "quit after the resume" 'EXIT=0'
judge_restore "cancelled then resumed restore" slow.img target.img slowtree

# --- SIGINT and a crash during a restore ------------------------------------
tui_start 100 30 xterm "$(app slow)"
screen_has "menu for SIGINT" '> 1  Restore an image'
slow_restore_started "SIGINT"
keys C-c
screen_has "SIGINT during a restore cancels it cleanly" 'Restore an image: cancelled' 60
keys Enter
screen_has "and the app carries on" '> 1  Restore an image'
# the target was complete before; wiped, the resumed restore has all to write again
truncate -s 0 target.img
truncate -s 200M target.img
slow_restore_started "crash"
kill -SEGV "$(pane_child)"
screen_has "a crash during a restore gives the terminal back" 'TTY-SAME'
screen_has "and the app dies of the signal" 'EXIT=139'

# --- a whole disk onto a larger one, its last partition grown ----------------
truncate -s 300M big.img
tui_start 100 30 xterm "LIFEBOAT_MEDIA='$SCRATCH/stick.img' '$LIFEBOAT' tui --images '$SCRATCH/mnt/images' \
	--logs '$SCRATCH/logs' '$SCRATCH/big.img'"
screen_has "menu for the larger disk" '> 1  Restore an image'
keys 1 Enter
screen_has "image for the larger disk" '> office\.lbi'
keys Enter
screen_has "what: the whole disk" 'Whole disk'
keys Enter
screen_has "the larger disk is offered" '> big\.img'
keys Enter
screen_has "grow is offered for a whole disk" '\[ \] Grow the last partition to the end of the disk'
keys Up Enter
screen_has "grow switched on" '\[x\] Grow the last partition to the end of the disk'
keys Down Enter
screen_has "the summary names it" 'options: .*grow the last partition'
type_text big.img
keys Enter
screen_has "restore onto the larger disk done" 'Restore an image: done' 120
keys Enter q
read -r start sectors < <(part_range big.img 2)
check "the last partition reaches the end of the larger disk" test $((start + sectors)) -ge $((300 * 2048 - 40))
dd if=big.img of=big.p2 bs=512 skip="$start" count="$sectors" status=none
check "its ext4 passes e2fsck -fn" quiet e2fsck -fn big.p2
blocks=$(dumpe2fs -h big.p2 2>/dev/null | sed -n 's/^Block count: *//p')
bsize=$(dumpe2fs -h big.p2 2>/dev/null | sed -n 's/^Block size: *//p')
check "and fills it (dumpe2fs)" test $((blocks * bsize)) -gt $(((sectors - 2048) * 512))

finish
