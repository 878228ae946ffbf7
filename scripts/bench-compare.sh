#!/usr/bin/env bash
# Side-by-side timings for `make bench`: a clean disclose build
# (build --fresh) against Hugo building the same reports with the site in
# scripts/hugo, and against the floor (scripts/floor: decode the same YAML
# with yaml.v3, execute one html/template per page, write as many files and
# bytes as disclose did), over the generated trees of SIZES reports. The
# three run interleaved (disclose, Hugo, floor, disclose, …), RUNS times
# each, so that a machine busy for a while slows all three alike; the table
# shows the median wall time, CPU time (user + system) and peak RSS of each
# (from /usr/bin/time), the files and bytes each wrote, and disclose's
# ratios to the other two. Then the curve: one clean disclose build for each
# size in CURVE, with CPU-ms per report and how peak RSS grows from one size
# to the next.
#
# SIZES= (empty) skips the table and CURVE= the curve.
#
# Not timed: generating the trees (kept in BENCH_DIR, shared with
# bench-build.sh, so later runs skip it), converting them into Hugo content
# (scripts/hugocontent, kept beside them) and removing the previous output.
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
BIN=${BIN:-bin/disclose}
HUGO=${HUGO:-$(command -v hugo || echo "$($GO env GOPATH)/bin/hugo")}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/disclose-bench}
SIZES=${SIZES-"1000 10000"}
CURVE=${CURVE-"1000 3000 10000 30000"}
# KEEP_SITES=1 keeps the sites written (several GB at 10,000 reports and
# more); by default each is removed once it has been measured.
KEEP_SITES=${KEEP_SITES:-0}
mkdir -p "$BENCH_DIR/bin"
BENCH_DIR=$(realpath "$BENCH_DIR")

[ -x "$BIN" ] || { echo "bench-compare: $BIN missing (make build)" >&2; exit 1; }
[ -x "$HUGO" ] || { echo "bench-compare: hugo missing (go install github.com/gohugoio/hugo@v0.160.0)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-compare: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
"$GO" build -o "$BENCH_DIR/bin/hugocontent" ./scripts/hugocontent
"$GO" build -o "$BENCH_DIR/bin/floor" ./scripts/floor

# tree N: the generated content tree of N reports (N/4 departments, 4 years).
tree() {
	local dir="$BENCH_DIR/content-$1"
	if [ ! -f "$dir/.disclose-gen" ]; then
		"$BIN" gen --departments $(($1 / 4)) --years 4 --seed 1 --out "$dir" >&2
	fi
	echo "$dir"
}

# hugo_content N: tree N as Hugo content, converted again when the tree is
# newer.
hugo_content() {
	local src dir="$BENCH_DIR/hugo-content-$1"
	src=$(tree "$1")
	if [ ! -f "$dir/.converted" ] || [ "$src/.disclose-gen" -nt "$dir/.converted" ]; then
		"$BENCH_DIR/bin/hugocontent" --content "$src" --out "$dir"
		touch "$dir/.converted"
	fi
	echo "$dir"
}

# timed CMD...: runs CMD under /usr/bin/time; prints "wall-s cpu-s rss-kB".
timed() {
	local t err
	t=$(mktemp) err=$(mktemp)
	if ! /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>"$err"; then
		echo "bench-compare: failed: $*" >&2
		tail -n 30 "$err" >&2
		rm -f "$t" "$err"
		return 1
	fi
	awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' "$t"
	rm -f "$t" "$err"
}

# timed_or_why CMD...: as timed, but a command that fails still gives its
# figures, followed by the last line it wrote to stderr (why it failed).
timed_or_why() {
	local t err
	t=$(mktemp) err=$(mktemp)
	if /usr/bin/time -f '%e %U %S %M' -o "$t" "$@" >/dev/null 2>"$err"; then
		tail -n 1 "$t" | awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }'
	else
		tail -n 1 "$t" | awk -v why="$(tail -n 1 "$err")" '{ printf "%s %.2f %d failed: %s\n", $1, $2 + $3, $4, why }'
	fi
	rm -f "$t" "$err"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
files_in() { find "$1" -type f | wc -l; }
bytes_in() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "-" }'; }
group() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

# Each run starts from no output at all, and disclose from no manifest.
run_disclose() {
	rm -rf "$BENCH_DIR/cmp-disclose-$1" "$BENCH_DIR/.cmp-disclose-$1".*
	timed "$BIN" build --fresh --quiet --content "$(tree "$1")" --out "$BENCH_DIR/cmp-disclose-$1"
}
run_hugo() {
	rm -rf "$BENCH_DIR/cmp-hugo-$1"
	timed "$HUGO" --quiet --source scripts/hugo --contentDir "$(hugo_content "$1")" -d "$BENCH_DIR/cmp-hugo-$1"
}
run_floor() { # N FILES BYTES
	rm -rf "$BENCH_DIR/cmp-floor-$1"
	timed "$BENCH_DIR/bin/floor" --content "$(tree "$1")" --out "$BENCH_DIR/cmp-floor-$1" --files "$2" --bytes "$3"
}

row() { # LABEL WALL CPU RSS-kB FILES BYTES
	printf '%-32s %9.2f %9.2f %12.0f %9s %10.1f\n' "$1" "$2" "$3" "$(awk -v k="$4" 'BEGIN { print k / 1024 }')" "$(group "$5")" "$(awk -v b="$6" 'BEGIN { print b / 1e6 }')"
}
ratio_row() { # LABEL W1 C1 R1 W2 C2 R2
	printf '%-32s %9s %9s %12s %9s %10s\n' "$1" "$(ratio "$2" "$5")" "$(ratio "$3" "$6")" "$(ratio "$4" "$7")" "" ""
}

hugo_version=$("$HUGO" version | awk '{ print $2 }')
for n in $SIZES; do
	tree "$n" >/dev/null
	hugo_content "$n" >/dev/null
	declare -A wall=() cpu=() rss=()
	files=0 bytes=0
	for i in $(seq "$RUNS"); do
		read -r w c r < <(run_disclose "$n")
		wall[disclose]+="$w " cpu[disclose]+="$c " rss[disclose]+="$r "
		if [ "$i" = 1 ]; then
			files=$(files_in "$BENCH_DIR/cmp-disclose-$n") bytes=$(bytes_in "$BENCH_DIR/cmp-disclose-$n")
		fi
		read -r w c r < <(run_hugo "$n")
		wall[hugo]+="$w " cpu[hugo]+="$c " rss[hugo]+="$r "
		read -r w c r < <(run_floor "$n" "$files" "$bytes")
		wall[floor]+="$w " cpu[floor]+="$c " rss[floor]+="$r "
		ff=$(files_in "$BENCH_DIR/cmp-floor-$n") fb=$(bytes_in "$BENCH_DIR/cmp-floor-$n")
		if [ "$ff" != "$files" ] || [ "$fb" != "$bytes" ]; then
			echo "bench-compare: the floor wrote $ff files, $fb bytes; disclose wrote $files, $bytes" >&2
			exit 1
		fi
	done
	hfiles=$(files_in "$BENCH_DIR/cmp-hugo-$n") hbytes=$(bytes_in "$BENCH_DIR/cmp-hugo-$n")
	declare -A mw=() mc=() mr=()
	for t in disclose hugo floor; do
		mw[$t]=$(printf '%s\n' ${wall[$t]} | median)
		mc[$t]=$(printf '%s\n' ${cpu[$t]} | median)
		mr[$t]=$(printf '%s\n' ${rss[$t]} | median)
	done
	echo
	printf '%-32s %9s %9s %12s %9s %10s\n' "$(group "$n") reports, median of $RUNS" "wall s" "CPU s" "peak RSS MB" "files" "output MB"
	row "disclose build --fresh" "${mw[disclose]}" "${mc[disclose]}" "${mr[disclose]}" "$files" "$bytes"
	row "Hugo $hugo_version" "${mw[hugo]}" "${mc[hugo]}" "${mr[hugo]}" "$hfiles" "$hbytes"
	row "floor (yaml.v3, html/template)" "${mw[floor]}" "${mc[floor]}" "${mr[floor]}" "$files" "$bytes"
	ratio_row "disclose ÷ Hugo" "${mw[disclose]}" "${mc[disclose]}" "${mr[disclose]}" "${mw[hugo]}" "${mc[hugo]}" "${mr[hugo]}"
	ratio_row "disclose ÷ floor" "${mw[disclose]}" "${mc[disclose]}" "${mr[disclose]}" "${mw[floor]}" "${mc[floor]}" "${mr[floor]}"
	if [ "$KEEP_SITES" != 1 ]; then
		rm -rf "$BENCH_DIR/cmp-disclose-$n" "$BENCH_DIR/.cmp-disclose-$n".* "$BENCH_DIR/cmp-hugo-$n" "$BENCH_DIR/cmp-floor-$n"
	fi
	unset wall cpu rss mw mc mr
done

[ -n "${CURVE// /}" ] || exit 0
echo
printf '%-32s %9s %9s %12s %12s %10s\n' "disclose clean build, one run" "wall s" "CPU s" "peak RSS MB" "CPU ms/rep." "RSS growth"
prev_n="" prev_r=""
for n in $CURVE; do
	tree "$n" >/dev/null
	rm -rf "$BENCH_DIR/cmp-disclose-$n" "$BENCH_DIR/.cmp-disclose-$n".*
	read -r w c r why < <(timed_or_why "$BIN" build --fresh --quiet --content "$(tree "$n")" --out "$BENCH_DIR/cmp-disclose-$n")
	growth="-"
	[ -n "$prev_r" ] && [ -z "$why" ] && growth="$(ratio "$r" "$prev_r") (reports $(ratio "$n" "$prev_n"))"
	printf '%-32s %9.2f %9.2f %12.0f %12.2f %10s\n' "$(group "$n") reports" "$w" "$c" "$(awk -v k="$r" 'BEGIN { print k / 1024 }')" "$(awk -v c="$c" -v n="$n" 'BEGIN { print c * 1000 / n }')" "${why:-$growth}"
	[ "$KEEP_SITES" = 1 ] || rm -rf "$BENCH_DIR/cmp-disclose-$n" "$BENCH_DIR/.cmp-disclose-$n".*
	if [ -z "$why" ]; then prev_n=$n prev_r=$r; else prev_n="" prev_r=""; fi
done
