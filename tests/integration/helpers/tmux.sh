# Driving the TUI in a private tmux server: start a command in a pane of a
# given size, send keys, wait for text on the screen, read the screen.
# Sourced by the tui_*.sh tests after $TESTLIB.

TMUX_SESSIONS=0
TMUX_SOCKET=$SCRATCH/tmux.0
tmx() { tmux -S "$TMUX_SOCKET" "$@"; }
on_exit 'tmx kill-server 2>/dev/null'

# tui_start COLS LINES TERM COMMAND: runs COMMAND in a fresh pane (a new
# tmux server each time, the previous one stopped). When the
# command ends the pane shows "TTY-SAME" if the terminal settings are as
# before, and "EXIT=N".
tui_start() {
	local cols=$1 lines=$2 term=$3 cmd=$4
	tmx kill-server 2>/dev/null || true
	TMUX_SESSIONS=$((TMUX_SESSIONS + 1))
	TMUX_SOCKET=$SCRATCH/tmux.$TMUX_SESSIONS
	tmx -f /dev/null new-session -d -s t -x "$cols" -y "$lines" \
		"export TERM=$term; s=\$(stty -g); $cmd; rc=\$?; [ \"\$s\" = \"\$(stty -g)\" ] && echo TTY-SAME; echo EXIT=\$rc; sleep 600"
	tmx set-option -t t remain-on-exit on >/dev/null
}

screen() { tmx capture-pane -p -t t; }
keys() { tmx send-keys -t t "$@"; }
# type_text TEXT: sends TEXT literally
type_text() { tmx send-keys -t t -l "$1"; }

# wait_for REGEX [SECONDS]: true once the screen matches (default 20 s).
wait_for() {
	local i limit=$((${2:-20} * 20))
	for ((i = 0; i < limit; i++)); do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.05
	done
	echo "--- screen while waiting for [$1]:" >&2
	screen >&2
	return 1
}

# screen_has DESCRIPTION REGEX [SECONDS]: a check that waits for REGEX.
screen_has() { check "$1" wait_for "$2" "${3:-20}"; }

# The pid of the program running in the pane's shell.
pane_child() { pgrep -P "$(tmx display -p -t t '#{pane_pid}')" | head -n1; }
