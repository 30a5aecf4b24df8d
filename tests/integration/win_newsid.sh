# win newsid on an NTFS image holding the real SAM and SECURITY, a SOFTWARE
# with ProfileList, a user hive, files whose ACLs carry the local SID and
# SID-named folders. Judges: chntpw's samusrgrp/sampasswd, reglookup,
# hivexregedit, an independent regf cell scanner (python), ntfssecaudit,
# ntfsls, the ntfs-3g ACL xattr, ntfsfix.
. "$TESTLIB"
need hivexsh hivexregedit reglookup samusrgrp sampasswd mkntfs ntfs-3g ntfscat ntfsls ntfssecaudit ntfsfix \
	getfattr setfattr
. "$SOURCE_DIR/tests/win-fixtures.sh"

cfg=Windows/System32/config
t="$SCRATCH/tree"
hive SYSTEM_2 "$SCRATCH/SYSTEM_2"
windows_tree "$t" "$SCRATCH/SYSTEM_2"
old=$(samusrgrp -s "$t/$cfg/SAM" 2>/dev/null | tail -1)
IFS=- read -r _ _ _ _ A B C <<<"$old"
make_software "$t/$cfg/SOFTWARE" "$A" "$B" "$C" SENSEI
mkdir -p "$t/Users/alice/AppData/Local/Microsoft/Windows" \
	"$t/Users/alice/AppData/Roaming/Microsoft/Protect/$old-1001" "$t/\$Recycle.Bin/$old-1001"
make_user_hive "$t/Users/alice/NTUSER.DAT" "$A" "$B" "$C"
make_user_hive "$t/Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat" "$A" "$B" "$C"
echo secret >"$t/Users/alice/secret.txt"
img="$SCRATCH/win.img"
ntfs_image "$img" 96M
ntfs_fill "$img" "$t"
mnt="$SCRATCH/mnt"; mkdir -p "$mnt"
ntfs-3g "$img" "$mnt"
for f in Users/alice Users/alice/secret.txt "\$Recycle.Bin/$old-1001"; do
	setfattr -n system.ntfs_acl -v "$(sd_hex "$A" "$B" "$C" 1001)" "$mnt/$f"
done
umount "$mnt"

# SAM and SECURITY come from different machines: refused unless --force
sum0=$(sha256sum <"$img")
expect_fail "SAM/SECURITY mismatch is refused" 1 "SAM \(S-1-5-21-[0-9-]+\) and SECURITY .* disagree" \
	"$LIFEBOAT" win newsid "$img"
check_eq "mismatch: volume unchanged" "$sum0" "$(sha256sum <"$img")"
for bad in S-1-5-21-1-2 S-1-5-32-1-2-3 S-1-5-21-1-2-99999999999 S-1-5-21-a-b-c; do
	expect_fail "invalid SID $bad is refused" 1 "not a machine SID" "$LIFEBOAT" win newsid "$img" --sid "$bad"
done
check_eq "invalid SIDs: volume unchanged" "$sum0" "$(sha256sum <"$img")"

hives=("$cfg/SAM" "$cfg/SOFTWARE" "$cfg/SYSTEM" Users/alice/NTUSER.DAT
	Users/alice/AppData/Local/Microsoft/Windows/UsrClass.dat)
mkdir -p "$SCRATCH/before" "$SCRATCH/after"
for h in "${hives[@]}"; do ntfs_get "$img" "/$h" "$SCRATCH/before/$(basename "$h")"; done
ntfs_get "$img" /$cfg/SECURITY "$SCRATCH/before/SECURITY"
sec_sid=$(hivexsh "$SCRATCH/before/SECURITY" <<<$'cd Policy\\PolAcDmS\nlsval' | python3 -c \
	"import sys,struct; h=sys.stdin.read().split(':')[-1].strip().replace(',',''); b=bytes.fromhex(h); print('S-1-5-21-%d-%d-%d' % struct.unpack_from('<3I', b, 12))")
users0=$(sampasswd -l "$SCRATCH/before/SAM")

new=S-1-5-21-3141592653-1234567890-2718281828
out=$("$LIFEBOAT" win newsid "$img" --sid "$new" --force 2>"$SCRATCH/warn")
check_eq "newsid reports the new SID" "machine SID set to $new" "$out"
check "DPAPI/EFS warning" grep -q 'DPAPI and EFS secrets' "$SCRATCH/warn"
IFS=- read -r _ _ _ _ NA NB NC <<<"$new"
for h in "${hives[@]}" "$cfg/SECURITY"; do ntfs_get "$img" "/$h" "$SCRATCH/after/$(basename "$h")"; done

check_eq "samusrgrp -s reads the new machine SID" "$new" "$(samusrgrp -s "$SCRATCH/after/SAM" 2>/dev/null | tail -1)"
check "alias members carry the new SID" grep -q "<$new-500>" <(samusrgrp -L -H "$SCRATCH/after/SAM" 2>/dev/null)
check "no alias member keeps the old SID" sh -c "! samusrgrp -L -H '$SCRATCH/after/SAM' 2>/dev/null | grep -q '$old'"
check_eq "sampasswd lists the same users and RIDs" "$users0" "$(sampasswd -l "$SCRATCH/after/SAM")"
IFS=- read -r _ _ _ _ SA SB SC <<<"$sec_sid"
check_eq "SECURITY: its own SID (replaced too with --force) is gone" 0 "$(sid_count "$SCRATCH/after/SECURITY" "$SA" "$SB" "$SC")"
check_eq "SECURITY: new-SID count after = its SID count before (PolAcDmS, Accounts keys)" \
	"$(sid_count "$SCRATCH/before/SECURITY" "$SA" "$SB" "$SC" cells)" "$(sid_count "$SCRATCH/after/SECURITY" "$NA" "$NB" "$NC" cells)"
check "ProfileList key renamed" sh -c \
	"reglookup -H -p '/Microsoft/Windows NT/CurrentVersion/ProfileList/$new-1001' '$SCRATCH/after/SOFTWARE' | grep -q ProfileImagePath"
check "user hive: key named by the SID renamed, subtree kept" sh -c \
	"reglookup -H -p '/Software/Lifeboat Test/$new-1001/Inner/Note' '$SCRATCH/after/NTUSER.DAT' | grep -q 'key named'"
check_eq "user hive: SDDL string rewritten" "O:$new-1001 G:$new-1001 D:(A;;GA;;;$new-1001)" \
	"$(reglookup -H -p '/Software/Lifeboat Test/Rule' "$SCRATCH/after/NTUSER.DAT" | cut -d, -f3)"

for h in "${hives[@]}"; do
	b=$(basename "$h")
	check_eq "$b: no occurrence of the old SID left (whole file)" 0 "$(sid_count "$SCRATCH/after/$b" "$A" "$B" "$C")"
	check_eq "$b: new-SID count after = old-SID count before" \
		"$(sid_count "$SCRATCH/before/$b" "$A" "$B" "$C" cells)" "$(sid_count "$SCRATCH/after/$b" "$NA" "$NB" "$NC" cells)"
done
masked() {  # masked HIVE SID: reglookup listing without times, SID masked, binary SIDs left out
	reglookup -H "$1" 2>/dev/null | cut -d, -f1-3 | sed "s/$2/SID/g" | grep -v '/OwnerSid,\|/Sid,' | sort
}
for b in SOFTWARE NTUSER.DAT UsrClass.dat; do
	check "$b: listing equal once both SIDs are masked (only SIDs changed)" \
		cmp -s <(masked "$SCRATCH/before/$b" "$old") <(masked "$SCRATCH/after/$b" "$new")
done

# NTFS: descriptors re-set, folders renamed, volume consistent
ntfs-3g -o ro "$img" "$mnt"
acl=$(getfattr --absolute-names -e hex -n system.ntfs_acl "$mnt/Users/alice/secret.txt" | sed -n 's/.*=0x//p')
olds=0 news=0
old_bin=$(sid_hex "$A" "$B" "$C" | tr -d , | cut -c5-)  # authority + sub-authorities, any count
new_bin=$(sid_hex "$NA" "$NB" "$NC" | tr -d , | cut -c5-)
while IFS= read -r -d '' f; do
	h=$(getfattr --absolute-names -e hex -n system.ntfs_acl "$f" 2>/dev/null | sed -n 's/.*=0x//p')
	grep -qi "$old_bin" <<<"$h" && olds=$((olds + 1))
	grep -qi "$new_bin" <<<"$h" && news=$((news + 1))
done < <(find "$mnt" -print0)
umount "$mnt"
check_eq "no file's security descriptor holds the old SID" 0 "$olds"
check_eq "the 3 descriptors that held it now hold the new SID" 3 "$news"
check "secret.txt's owner is the new user SID" grep -qi "$(sid_hex "$NA" "$NB" "$NC" 1001 | tr -d ,)" <<<"$acl"
check "\$Recycle.Bin folder renamed" grep -q "^$new-1001\$" <(ntfsls -p "/\$Recycle.Bin" "$img")
check "Protect folder renamed" grep -q "^$new-1001\$" <(ntfsls -p /Users/alice/AppData/Roaming/Microsoft/Protect "$img")
check "ntfssecaudit finds no error in \$Secure" sh -c "ntfssecaudit -a '$img' 2>&1 | grep -q '^No errors were found'"
check "NTFS is consistent" ntfsfix -n "$img"

# undo: hives byte-identical, descriptors and folder names back to the old SID
check "undo newsid" "$LIFEBOAT" win undo "$img"
for h in "${hives[@]}" "$cfg/SECURITY"; do
	b=$(basename "$h")
	ntfs_get "$img" "/$h" "$SCRATCH/undone.$b"
	check "undo: $b byte-identical to before" cmp -s "$SCRATCH/before/$b" "$SCRATCH/undone.$b"
done
check "undo: \$Recycle.Bin folder has the old name again" grep -q "^$old-1001\$" <(ntfsls -p "/\$Recycle.Bin" "$img")
ntfs-3g -o ro "$img" "$mnt"
check_eq "undo: secret.txt's descriptor is the original one" "$(sd_hex "$A" "$B" "$C" 1001 | cut -c3-)" \
	"$(getfattr --absolute-names -e hex -n system.ntfs_acl "$mnt/Users/alice/secret.txt" | sed -n 's/.*=0x//p')"
umount "$mnt"
check "NTFS is consistent after undo" ntfsfix -n "$img"
finish
