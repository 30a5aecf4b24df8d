# The TUI on a terminal, driven through tmux: the main screen on vt100, linux
# and xterm, a terminal too small and resized, a menu entry and back, and the
# terminal given back intact on q, SIGINT and a crash.
. "$TESTLIB"
need tmux
. "$(dirname "$0")/helpers/tmux.sh"

mkdir -p "$SCRATCH/images"
truncate -s 64M "$SCRATCH/disk1.img"
truncate -s 1M "$SCRATCH/images/office.lbi"
app="'$LIFEBOAT' tui --images '$SCRATCH/images' --logs '$SCRATCH/logs' '$SCRATCH/disk1.img'"

for term in vt100 linux xterm; do
	tui_start 80 24 "$term" "$app"
	screen_has "$term: main menu" '> 1  Restore an image'
	screen_has "$term: disk listed with size" 'disk1\.img \(67\.1 MB\)'
	screen_has "$term: image found" 'office\.lbi +1\.0 MB'
	keys q
	screen_has "$term: q quits with the terminal as before" 'TTY-SAME'
	screen_has "$term: exit 0" 'EXIT=0'
done

tui_start 60 20 xterm "$app"
screen_has "too small: a message" 'Terminal is 60x20;'
screen_has "too small: what is needed" 'Lifeboat needs 80x24\.'
tmx resize-window -t t -x 100 -y 30
screen_has "resized: the menu comes back" '> 1  Restore an image'
keys 8 Enter
screen_has "a menu entry opens" '> Reboot'
keys Escape
screen_has "Esc goes back to the menu" '> 8  Reboot / Power off'
tmx resize-window -t t -x 80 -y 24
screen_has "resize keeps the highlight" '> 8  Reboot / Power off'
keys C-c
screen_has "SIGINT: the terminal is given back" 'TTY-SAME'
screen_has "SIGINT: exit 130" 'EXIT=130'

tui_start 80 24 xterm "$app"
screen_has "crash test: menu up" '> 1  Restore an image'
kill -SEGV "$(pane_child)"
screen_has "crash: the terminal is given back" 'TTY-SAME'
screen_has "crash: the app dies of the signal" 'EXIT=139'

expect_fail "tui needs a terminal" 1 "tui: needs a terminal" "$LIFEBOAT" tui </dev/null

finish
