# The TUI's Capture and Verify screens driven through tmux: a GPT disk image
# captured, its ESP left out, into a chosen folder, file name, compression
# and comment; info says which partitions were captured; the
# image, restored by the CLI, judged by sfdisk, e2fsck and debugfs; verified
# as good; a damaged copy verified as DAMAGED; a file that is no image shows
# why when chosen and offers the list again; reports saved.
. "$TESTLIB"
need tmux sfdisk mkfs.ext4 mkfs.vfat e2fsck debugfs python3
. "$(dirname "$0")/helpers/tmux.sh"
. "$(dirname "$0")/helpers/tui_disks.sh"
cd "$SCRATCH"

mkdir -p tree images
seq 1 100000 >tree/numbers.txt
head -c 3M /dev/urandom >tree/random.bin
make_disk source.img 100M tree

tui_start 100 30 xterm "'$LIFEBOAT' tui --images '$SCRATCH/images' --logs '$SCRATCH/logs' '$SCRATCH/source.img'"
screen_has "main menu" '> 1  Restore an image'
keys 2 Enter
screen_has "sources: the disk" '> source\.img .*gpt: 1 vfat .ESP.'
screen_has "sources: its partitions" 'source\.img:2 .*ext4 .data.'
keys Enter
screen_has "the disk's partitions, all kept" '\[x\] partition 1 +vfat .ESP.'
screen_has "the data partition" '\[x\] partition 2 +ext4 .data.'
keys 1 Enter 2 Enter 3 Enter
screen_has "both left out: refused, nothing would be restored" 'Keep at least one partition'
keys 2 Enter
screen_has "the ESP left out" '\[ \] partition 1 +vfat'
keys 3 Enter
screen_has "folders: the image folder" "> $SCRATCH/images"
keys Enter
screen_has "a file name is proposed" "> source\.img-[0-9]{8}\.lbi"
for _ in $(seq 30); do keys BSpace; done
type_text office
keys Enter
screen_has "compression choices" 'bzip2 \(small, slow'
keys 2 Enter
screen_has "comment" 'A comment stored in the image'
type_text "office PC, 2nd floor"
keys Enter
screen_has "start screen names source and file" "into: $SCRATCH/images/office\.lbi"
screen_has "and the compression" 'compression zstd, comment: office PC, 2nd floor'
screen_has "and the partitions kept" 'only partitions 2'
keys Enter
screen_has "capture done" 'Capture an image: done' 120
screen_has "report saved" 'Report: .*-capture-.*\.json'
keys Enter
screen_has "the new image is on the main screen" 'office\.lbi'

keys 3 Enter
screen_has "verify: the image is listed with its header" 'office\.lbi .*whole disk 104\.9 MB \(gpt, 2 partitions\)'
screen_has "verify: the comment" 'Comment: office PC, 2nd floor'
keys Enter
screen_has "verify: good" 'Verify an image: good' 60
keys Enter
keys q
screen_has "quit" 'EXIT=0'
check "capture and verify reports say success" test "$(grep -l '"result": "success"' logs/*.json | wc -l)" -eq 2

head -c 100M /dev/urandom >copy.img
read -r esp_start esp_sectors < <(part_range source.img 1)
esp_before=$(dd if=copy.img bs=512 skip="$esp_start" count="$esp_sectors" status=none | sha256sum)
"$LIFEBOAT" restore --yes --progress none images/office.lbi copy.img
judge_restore "captured through the TUI, restored" source.img copy.img tree
check_eq "the left-out ESP's range on the target kept its bytes" "$esp_before" \
	"$(dd if=copy.img bs=512 skip="$esp_start" count="$esp_sectors" status=none | sha256sum)"
check_eq "info: the ESP was left out, the data partition captured" "1 False 2 True" "$("$LIFEBOAT" info --json \
	images/office.lbi | python3 -c 'import json, sys
print(" ".join("%d %s" % (p["number"], p["captured"]) for p in json.load(sys.stdin)["partitions"]))')"

# a damaged copy (one byte in the middle flipped) and a file that is no image
size=$(stat -c %s images/office.lbi)
cp images/office.lbi images/damaged.lbi
printf '\xff' | dd of=images/damaged.lbi bs=1 seek=$((size / 2)) conv=notrunc status=none
rm images/office.lbi
echo "not an image" >images/junk.lbi
tui_start 100 30 xterm "'$LIFEBOAT' tui --images '$SCRATCH/images' --logs '$SCRATCH/logs' '$SCRATCH/source.img'"
screen_has "menu" '> 1  Restore an image'
keys 3 Enter
screen_has "the junk file is listed as unreadable" 'junk\.lbi +unreadable'
screen_has "images in name order" '> damaged\.lbi'
keys Down Enter
screen_has "choosing the junk file shows why" 'This image cannot be used'
keys Enter
screen_has "and the list again" '> junk\.lbi'
keys Up Enter
screen_has "the damaged image: DAMAGED" 'Verify an image: DAMAGED' 60
screen_has "with the engine's reason" 'chunk|checksum|digest'
keys Enter q
screen_has "quit again" 'EXIT=0'
check "the damaged image's report says failed" grep -q '"result": "failed"' logs/*-verify-*.json

finish
