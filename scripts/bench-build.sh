#!/usr/bin/env bash
# End-to-end timings for `make bench`: disclose build over 1,000 and 10,000
# generated reports (median of RUNS runs, with reports per second and peak
# RSS from /usr/bin/time -v) three ways: clean (no previous site), again
# with nothing changed, and again after one report's text was edited (both
# reuse the previous site by its manifest), and how soon disclose serve has
# built over the previous site; then disclose charts over 1,000
# reports (images per second). The generated trees are kept in BENCH_DIR, so that
# later runs skip generating them.
set -euo pipefail

BIN=${BIN:-bin/disclose}
GO=${GO:-go}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/disclose-bench}
SIZES=${SIZES:-"1000 10000"}
CHART_REPORTS=${CHART_REPORTS:-1000}
mkdir -p "$BENCH_DIR"

# tree N: a generated content tree of N reports (N/4 departments, 4 years).
tree() {
	local dir="$BENCH_DIR/content-$1"
	if [ ! -f "$dir/.disclose-gen" ]; then
		"$BIN" gen --departments $(($1 / 4)) --years 4 --seed 1 --out "$dir" >&2
	fi
	echo "$dir"
}

# timed CMD...: runs CMD under /usr/bin/time -v; prints "seconds kilobytes".
timed() {
	local log
	log=$(mktemp)
	/usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
	awk -F': ' '
		/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i] }
		/Maximum resident set size/ { kb = $2 }
		END { printf "%.2f %d\n", s, kb }' "$log"
	rm -f "$log"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-34s %10s %12s %12s\n' "benchmark" "median s" "per second" "peak RSS MB"
# run LABEL N SETUP: times RUNS builds of the N-report tree, each after
# running SETUP, and prints the median.
run() {
	local label=$1 n=$2 setup=$3 content secs=() rss=()
	content=$(tree "$n")
	for _ in $(seq "$RUNS"); do
		$setup "$n"
		read -r s kb < <(timed "$BIN" build --quiet --content "$content" --out "$BENCH_DIR/site-$n")
		secs+=("$s") rss+=("$kb")
	done
	m=$(printf '%s\n' "${secs[@]}" | median)
	r=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
	printf '%-34s %10.2f %12.0f %12.0f\n' "$label" "$m" "$(echo "$n / $m" | bc -l)" "$(echo "$r / 1024" | bc -l)"
}
clean() { rm -rf "$BENCH_DIR/site-$1" "$BENCH_DIR/.site-$1.disclose-manifest"; }
unchanged() { [ -d "$BENCH_DIR/site-$1" ] || "$BIN" build --quiet --content "$(tree "$1")" --out "$BENCH_DIR/site-$1" >/dev/null; }
# edit_one: the first report's summary gains a sentence, a different one
# each run, so that every run has one report to render again.
edit_one() {
	unchanged "$1"
	local f
	f=$(find "$(tree "$1")/" -path '*/20*/summary.md' | sort | sed -n 1p)
	echo "基准测试修改于 $(date +%s%N)。" >>"$f"
}
# serve_start N: seconds from starting disclose serve on the N-report tree,
# with the previous site in place, to the end of its first build.
serve_start() {
	local n=$1 log start end pid
	unchanged "$n"
	log=$(mktemp)
	start=$(date +%s.%N)
	"$BIN" serve --content "$(tree "$n")" --out "$BENCH_DIR/site-$n" --port 0 >"$log" 2>/dev/null &
	pid=$!
	until grep -q '已更新' "$log"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "disclose serve stopped before its first build was done" >&2
			rm -f "$log"
			return 1
		fi
		sleep 0.05
	done
	end=$(date +%s.%N)
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	rm -f "$log"
	echo "$end - $start" | bc -l
}
for n in $SIZES; do
	run "build $n reports, clean" "$n" clean
	run "  again, nothing changed" "$n" unchanged
	run "  again, one report edited" "$n" edit_one
	secs=()
	for _ in $(seq "$RUNS"); do
		secs+=("$(serve_start "$n")")
	done
	m=$(printf '%s\n' "${secs[@]}" | median)
	printf '%-34s %10.2f %12.0f %12s\n' "  serve: first build done" "$m" "$(echo "$n / $m" | bc -l)" "-"
	# The preview: SAVES atomic saves of a report's budget total (shown
	# by the report's page and the lists); save → page, save → lists.
	"$BIN" build --quiet --content "$(tree "$n")" --out "$BENCH_DIR/site-$n" >/dev/null 2>&1
	"$GO" run ./scripts/previewbench --bin "$BIN" --content "$(tree "$n")" --out "$BENCH_DIR/site-$n" --saves "${SAVES:-15}" |
		awk -v n="$n" '/^first page/ { print "  serve " n ": " $0 } /^median/ { print "  serve " n ", a save of a listed figure: " $0 }'
done

content=$(tree "$CHART_REPORTS")
rm -rf "$BENCH_DIR/charts"
read -r s kb < <(timed "$BIN" charts --quiet --content "$content" --out "$BENCH_DIR/charts")
pngs=$(find "$BENCH_DIR/charts" -name '*.png' | wc -l)
printf '%-34s %10.2f %12.1f %12.0f\n' "charts $CHART_REPORTS reports ($pngs PNG+SVG)" "$s" "$(echo "$pngs / $s" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
