#!/usr/bin/env bash
# End-to-end figures of `disclose publish` for `make bench`, over the
# generated tree of PUBLISH_REPORTS reports (10,000 by default, shared with
# bench-build.sh): a first publish, then a second after one report's budget
# changed (a figure the site-wide lists and downloads show), each to a
# directory on this machine (dir:) and to a real OpenSSH server on
# 127.0.0.1 (sftp:, started here with its own host key and an authorised
# key, stopped after). For each: files and bytes sent, files reused, and
# the wall time of the whole command (it builds first, reusing the
# previous site where nothing changed).
set -euo pipefail

BIN=${BIN:-bin/disclose}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/disclose-bench}
N=${PUBLISH_REPORTS:-10000}
BIN=$(realpath "$BIN")
mkdir -p "$BENCH_DIR"
work="$BENCH_DIR/publish-$N"
rm -rf "$work"
mkdir -p "$work"

content="$work/content"
"$BIN" gen --departments $((N / 4)) --years 4 --seed 1 --out "$content" >/dev/null
report=$(find "$content" -name '20*.yaml' | sort | sed -n 1p)

# A throwaway sshd: only this user, only the key made here.
sshd_pid=""
cleanup() { [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true; }
trap cleanup EXIT
sftp_target=""
if [ -x /usr/sbin/sshd ]; then
	s="$work/sshd"
	mkdir -p "$s" "$work/sftp-root"
	ssh-keygen -q -t ed25519 -N '' -f "$s/host" >/dev/null
	ssh-keygen -q -t ed25519 -N '' -f "$s/client" >/dev/null
	cp "$s/client.pub" "$s/authorized_keys"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	cat >"$s/config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $s/host
AuthorizedKeysFile $s/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $s/pid
Subsystem sftp internal-sftp
EOF
	echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$s/host.pub")" >"$s/known_hosts"
	[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
	/usr/sbin/sshd -D -e -f "$s/config" 2>"$s/log" &
	sshd_pid=$!
	for _ in $(seq 200); do
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
		sleep 0.05
	done
	sftp_target="sftp://$(id -un)@127.0.0.1:$port$work/sftp-root"
fi

# publish TARGET [FLAGS]: one publish of $content; prints "seconds" and
# leaves the command's report in $work/last.
publish() {
	local start end
	start=$(date +%s.%N)
	# --force: generated content holds only self-evaluations, and the
	# national profile wants each department's 预算 and 决算 too.
	SSH_AUTH_SOCK='' "$BIN" publish --quiet --force --content "$content" --out "$work/site" --to "$@" >"$work/last" 2>"$work/last.err" ||
		{ cat "$work/last.err" >&2; return 1; }
	end=$(date +%s.%N)
	echo "$end - $start" | bc -l
}

# counts: "files sent bytes reused" from the report in $work/last.
counts() {
	sed -n 's/.*共 \([0-9]*\) 个文件；上传 \([0-9]*\) 个，\([0-9.]*\) \([KMG]*B\)；沿用 \([0-9]*\) 个.*/\1 \2 \3\4 \5/p' "$work/last" | head -1
}

printf '%-44s %8s %8s %10s %8s %9s\n' "publish $N reports" "files" "sent" "bytes" "reused" "seconds"
line() {
	read -r files sent bytes reused < <(counts)
	printf '%-44s %8s %8s %10s %8s %9.2f\n' "$1" "$files" "$sent" "$bytes" "$reused" "$2"
}
targets=("dir:$work/dir-root")
[ -n "$sftp_target" ] && targets+=("$sftp_target")
for to in "${targets[@]}"; do
	kind=${to%%:*}
	flags=()
	[ "$kind" = sftp ] && flags=(--identity "$work/sshd/client" --known-hosts "$work/sshd/known_hosts")
	t=$(publish "$to" "${flags[@]}")
	line "$kind: first publish" "$t"
	# One report's budget changes (a different value for each target, so
	# that each second publish has the same kind of change to send).
	sed -i -E "0,/^ +budget: /s/^( +)budget: .*/\1budget: 1$RANDOM.00/" "$report"
	t=$(publish "$to" "${flags[@]}")
	line "$kind: after one report's budget changed" "$t"
	grep -m1 -E '：[0-9.]+ → [0-9.]+$' "$work/last" | sed 's/^ */    /'
done
