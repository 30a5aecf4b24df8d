# Encrypted images (capture --encrypt): round trips judged by cmp and
# e2fsck, from a file and from a pipe, of a file system and of a whole
# disk; a wrong or missing password is refused before anything is written;
# a changed ciphertext byte stops the restore before that chunk; the text of
# a known file is nowhere in the image, whose bytes do not compress.
. "$TESTLIB"
. "$SOURCE_DIR/tests/image_lib.sh"
need mkfs.ext4 e2fsck sfdisk gzip od setsid script strings

cd "$SCRATCH"
make_tree tree
mkfs.ext4 -q -F -d tree fs.img 48M
printf 'correct horse battery staple\n' >pw
printf 'not the password\n' >badpw

# le64 FILE OFFSET: the little-endian 64-bit number at OFFSET
le64() { od -An -t u8 -j "$2" -N 8 "$1" | tr -d ' '; }
le32() { od -An -t u4 -j "$2" -N 4 "$1" | tr -d ' '; }

check "capture --encrypt" "$LIFEBOAT" capture --encrypt --password-file pw --chunk-size 256K fs.img enc.lbi
check_eq "the header says AES-256-GCM (encryption field 1)" 1 "$(le32 enc.lbi 84)"
info=$("$LIFEBOAT" info --json --password-file pw enc.lbi)
check "info names the encryption and checks the password" \
	grep -q '"encryption": "aes-256-gcm"' <<<"$info"
check "info says the password was checked" grep -q '"password_checked": true' <<<"$info"
check "verify with the password" "$LIFEBOAT" verify --password-file pw enc.lbi
check "verify with LIFEBOAT_PASSWORD" env LIFEBOAT_PASSWORD='correct horse battery staple' "$LIFEBOAT" verify enc.lbi

check "restore an encrypted image" "$LIFEBOAT" restore --yes --password-file pw enc.lbi target.img
check "the restored file system equals the source" cmp fs.img target.img
check "e2fsck -fn passes on the restored file system" e2fsck -fn target.img
check "restore an encrypted image from a pipe" \
	sh -c "cat enc.lbi | LIFEBOAT_PASSWORD='correct horse battery staple' '$LIFEBOAT' restore --yes - piped.img"
check "the piped restore equals the source" cmp fs.img piped.img
check "--resume on an encrypted image" "$LIFEBOAT" restore --yes --resume --password-file pw enc.lbi target.img
check "the resumed target still equals the source" cmp fs.img target.img

# typed on a terminal: twice at capture, once to verify
printf 'typed secret\ntyped secret\n' >answers
script -qec "env -u LIFEBOAT_PASSWORD '$LIFEBOAT' capture --encrypt fs.img typed.lbi" /dev/null <answers >dialogue 2>&1 || true
check "capture asked for the password" grep -q "Password for typed.lbi" dialogue
check "and for it again" grep -q "The same password again" dialogue
check "the typed password opens the image" env LIFEBOAT_PASSWORD='typed secret' "$LIFEBOAT" verify typed.lbi
printf 'typed secret\n' >answer
script -qec "env -u LIFEBOAT_PASSWORD '$LIFEBOAT' verify typed.lbi" /dev/null <answer >dialogue 2>&1 || true
check "verify asks on the terminal and accepts it" grep -q "typed.lbi: OK" dialogue
printf 'one\nother\n' >answers
script -qec "env -u LIFEBOAT_PASSWORD '$LIFEBOAT' capture --encrypt fs.img differ.lbi" /dev/null <answers >dialogue 2>&1 || true
check "two different passwords are refused" grep -q "the two passwords differ" dialogue
check "and no image is written" test ! -e differ.lbi

# a wrong or missing password: nothing written
fill_junk victim.img 48M
before=$(sha victim.img)
expect_fail "a wrong password is refused" 1 "^lifeboat: enc.lbi: wrong password$" \
	"$LIFEBOAT" restore --yes --password-file badpw enc.lbi victim.img
expect_fail "a wrong password is refused on a pipe" 1 "^lifeboat: standard input: wrong password$" \
	sh -c "cat enc.lbi | LIFEBOAT_PASSWORD=nope '$LIFEBOAT' restore --yes - victim.img"
expect_fail "no password and no terminal is refused" 1 "enc.lbi: a password is needed" \
	setsid -w env -u LIFEBOAT_PASSWORD "$LIFEBOAT" restore --yes enc.lbi victim.img
check_eq "refused restores left the target untouched" "$before" "$(sha victim.img)"
expect_fail "verify with a wrong password fails" 1 "wrong password" "$LIFEBOAT" verify --password-file badpw enc.lbi
expect_fail "info with a wrong password fails" 1 "wrong password" "$LIFEBOAT" info --password-file badpw enc.lbi
expect_fail "--password-file without --encrypt is a usage error" 2 "needs --encrypt" \
	"$LIFEBOAT" capture --password-file pw fs.img x.lbi
expect_fail "--kdf-memory without --encrypt is a usage error" 2 "needs --encrypt" \
	"$LIFEBOAT" capture --kdf-memory 1M fs.img x.lbi
expect_fail "--kdf-memory that is no power of two is a usage error" 2 "power of two" \
	"$LIFEBOAT" capture --encrypt --password-file pw --kdf-memory 3M fs.img x.lbi
check "capture with --kdf-memory 1M" "$LIFEBOAT" capture --progress=none --encrypt --password-file pw --kdf-memory 1M fs.img light.lbi
check_eq "header byte 89 (log2 of scrypt's N) is 10 for 1 MiB" 10 "$(od -An -tu1 -j89 -N1 light.lbi | tr -d ' ')"
check "the light image verifies with the password" "$LIFEBOAT" verify --progress=none --password-file pw light.lbi
expect_fail "and not with a wrong one" 1 "wrong password" "$LIFEBOAT" verify --password-file badpw light.lbi

# one changed byte in the ciphertext of chunk 3: the tag no longer matches
size=$(stat -c %s enc.lbi)
index=$(le64 enc.lbi $((size - 64 + 8)))
entry=$((index + 16 + 3 * 48))
record=$(le64 enc.lbi "$entry")
span_start=$(le64 enc.lbi $((entry + 8)))
span_end=$(le64 enc.lbi $((entry + 16)))
stored=$(le32 enc.lbi $((entry + 28)))
runs=$(le32 enc.lbi $((entry + 32)))
cp enc.lbi tampered.lbi
printf '\x01' | dd of=tampered.lbi bs=1 seek=$((record + 48 + 16 * runs + stored / 2)) conv=notrunc status=none
expect_fail "verify reports the altered chunk" 1 "chunk 3 .*authentication failed" \
	"$LIFEBOAT" verify --password-file pw tampered.lbi
fill_junk junk.img 48M
cp junk.img clean.img
"$LIFEBOAT" restore --yes --password-file pw enc.lbi clean.img
cp junk.img t1.img
expect_fail "restore stops at the altered chunk" 1 "chunk 3 .*authentication failed.*not restored" \
	"$LIFEBOAT" restore --yes --password-file pw tampered.lbi t1.img
check "the chunks before it were restored" cmp -n "$span_start" clean.img t1.img
check "nothing from the altered chunk on was written" \
	cmp <(tail -c +$((span_start + 1)) t1.img) <(tail -c +$((span_start + 1)) junk.img)

# the plaintext is not in the image, and its bytes look random
check "capture --encrypt --compress none" \
	env LIFEBOAT_PASSWORD=secret "$LIFEBOAT" capture --encrypt --compress none fs.img raw-enc.lbi
"$LIFEBOAT" capture --compress none fs.img raw-plain.lbi
marker='lifeboat restores what was captured'
check "the known text is in a plain image (the check can see it)" grep -q "$marker" raw-plain.lbi
check "the known text is nowhere in the encrypted image" bash -c "! strings -n 16 raw-enc.lbi | grep -q '$marker'"
check "the licence texts are nowhere in the encrypted image" \
	bash -c "! strings -n 24 raw-enc.lbi | grep -qiF 'GNU GENERAL PUBLIC LICENSE'"
enc_size=$(stat -c %s raw-enc.lbi)
gz_size=$(gzip -c raw-enc.lbi | wc -c)
check "the encrypted image does not compress ($gz_size of $enc_size bytes)" test $((gz_size * 100)) -ge $((enc_size * 99))

# a whole disk (GPT), its table judged by sfdisk
truncate -s 80M disk.img
printf 'label: gpt\nstart=2048, size=40960, name=data\nstart=43008, size=40960\n' | sfdisk -q disk.img
mkfs.ext4 -q -F -E offset=$((2048 * 512)) -d tree/licenses disk.img 20M
check "capture an encrypted whole disk" \
	env LIFEBOAT_PASSWORD=disk-secret "$LIFEBOAT" capture --encrypt disk.img disk.lbi
check "restore it" env LIFEBOAT_PASSWORD=disk-secret "$LIFEBOAT" restore --yes disk.lbi disk-r.img
check_eq "the partition table is the same" "$(sfdisk --json disk.img)" \
	"$(sfdisk --json disk-r.img | sed 's/disk-r.img/disk.img/g')"
check "partition 1 is byte-identical" cmp <(head -c $((43008 * 512)) disk.img) <(head -c $((43008 * 512)) disk-r.img)

finish
