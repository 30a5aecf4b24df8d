# The Network screen in a private network namespace: interfaces listed with
# MAC and state, a static address set through the screen and read back with
# ip(8), and a bad address reported with a way back.
. "$TESTLIB"
need tmux unshare ip
. "$(dirname "$0")/helpers/tmux.sh"

cat >"$SCRATCH/netns.sh" <<SCRIPT
ip link add lbtest0 address 52:54:00:12:34:56 type veth peer name lbtest1
'$LIFEBOAT' tui --logs '$SCRATCH/logs' /dev/null
rc=\$?
ip -4 -o addr show dev lbtest0 >'$SCRATCH/addr'
ip link show dev lbtest0 >'$SCRATCH/link'
exit \$rc
SCRIPT
tui_start 80 24 linux "unshare -n sh '$SCRATCH/netns.sh'"
screen_has "main menu" '> 1  Restore an image'
keys 6 Enter
screen_has "interface listed with MAC and state" 'lbtest0 +52:54:00:12:34:56 down no address'
screen_has "shares offered" 'Mount a Windows \(SMB\) share'
keys Enter
screen_has "interface menu" 'Interface lbtest0:'
keys Down Enter
screen_has "address asked" 'Address/prefix length:'
type_text "10.77.0.5/99"; keys Enter
screen_has "gateway asked" 'Gateway:'
keys Enter
screen_has "a bad address fails with ip's message" 'Static address: FAILED\.'
keys Enter
screen_has "back on the interface list" 'INTERFACE'
keys Enter Down Enter
screen_has "address asked again" 'Address/prefix length:'
type_text "10.77.0.5/24"; keys Enter Enter
screen_has "static address set" 'Static address: done\.'
keys Enter
screen_has "the list shows the address" 'lbtest0 +52:54:00:12:34:56 up +10\.77\.0\.5/24'
keys Escape q
screen_has "terminal given back" 'TTY-SAME'
check "ip(8) sees the address" grep -q 'inet 10.77.0.5/24' "$SCRATCH/addr"
check "ip(8) sees the link up" grep -Eq '<([A-Z_-]+,)*UP[,>]' "$SCRATCH/link"

finish
