#!/usr/bin/env bash
# The agent's memory and CPU while it drains a week of spooled backlog, then over many cycles:
# starts a release collector on loopback, enrolls a release agent on this host (one --once run), fills
# its spool with what a week without the collector leaves (mamori-spool-fill: a heartbeat every 5
# minutes, a changed snapshot a day: about 2,000 records), starts the agent at the shortest interval
# it accepts (10 s), samples its memory from /proc twice a second while it drains and for CYCLES
# cycles after, and prints the peaks and the CPU per cycle.
#
#   tests/bench/agent_memory.sh BUILD_DIR [CYCLES]     (CYCLES default 60: 10 minutes)
#
# Reported: VmRSS (resident, shared library pages included) and RssAnon (private anonymous memory: heap,
# stacks, what the agent itself allocates). Targets (issues 4 and 8): RssAnon <= 8 MB, VmRSS <= 25 MB.
set -euo pipefail
build_dir=$1
cycles=${2:-60}
collector="$build_dir/collector/mamori-collector"
agent="$build_dir/agent/mamori-agent"
fill="$build_dir/tests/load/mamori-spool-fill"
work=$(mktemp -d /tmp/mamori-agent-memory-XXXXXX)
collector_pid=""
agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  [ -n "$collector_pid" ] && kill -TERM "$collector_pid" 2>/dev/null && wait "$collector_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$collector" serve --listen 127.0.0.1:0 --data-dir "$work/collector" >"$work/collector.out" 2>"$work/collector.log" &
collector_pid=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$work/collector.out" && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$work/collector.out" | head -n 1)
[ -n "$address" ] || { echo "the collector did not start" >&2; cat "$work/collector.log" >&2; exit 1; }
fingerprint=$("$collector" ca show --data-dir "$work/collector")
token=$("$collector" token create --uses 1 --ttl 1h --label bench --data-dir "$work/collector")
"$agent" --collector "$address" --data-dir "$work/agent" --enroll-token "$token" \
  --ca-fingerprint "$fingerprint" --once >/dev/null 2>"$work/agent-enroll.log"

filled=$("$fill" --data-dir "$work/agent")
echo "$filled"
backlog_end=$(sed -n 's/.*ids up to \([0-9]*\).*/\1/p' <<<"$filled")
[ -n "$backlog_end" ] || { echo "mamori-spool-fill said nothing of its ids" >&2; exit 1; }
last_seq() {
  sqlite3 -readonly "$work/collector/mamori.db" "SELECT max(last_committed_seq) FROM agents" 2>/dev/null || echo 0
}
"$agent" --collector "$address" --data-dir "$work/agent" --interval 10s >"$work/agent.out" 2>"$work/agent.log" &
agent_pid=$!
started=$(date +%s.%N)

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$agent_pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$agent_pid/stat"; }
ticks_per_s=$(getconf CLK_TCK)
peak_rss=0
peak_anon=0
sample() {
  if ! kill -0 "$agent_pid" 2>/dev/null; then
    echo "the agent stopped:" >&2; cat "$work/agent.log" >&2; exit 1
  fi
  rss=$(kb VmRSS); anon=$(kb RssAnon)
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
  return 0
}

# Drain: until the collector has committed the whole backlog.
while [ "$(last_seq)" -lt "$backlog_end" ]; do
  sample
  sleep 0.5
done
drained=$(date +%s.%N)
drain_rss=$peak_rss
drain_anon=$peak_anon
drain_cpu=$(cpu_ticks)
printf 'drained %s records in %.1f s: peak VmRSS %s kB, peak RssAnon %s kB, CPU %.2f s\n' \
  "$(last_seq)" "$(awk -v a="$drained" -v b="$started" 'BEGIN { print a - b }')" "$drain_rss" "$drain_anon" \
  "$(awk -v t="$drain_cpu" -v h="$ticks_per_s" 'BEGIN { print t / h }')"

# Then ordinary cycles (a heartbeat, or a snapshot when facts changed, every 10 s).
peak_rss=0
peak_anon=0
end=$(( $(date +%s) + cycles * 10 ))
while [ "$(date +%s)" -lt "$end" ]; do
  sample
  sleep 0.5
done
cycle_cpu=$(( $(cpu_ticks) - drain_cpu ))
printf 'then %s cycles: peak VmRSS %s kB, peak RssAnon %s kB, CPU per cycle %.1f ms\n' \
  "$cycles" "$peak_rss" "$peak_anon" "$(awk -v t="$cycle_cpu" -v h="$ticks_per_s" -v c="$cycles" 'BEGIN { print t * 1000 / h / c }')"
overall_rss=$(( drain_rss > peak_rss ? drain_rss : peak_rss ))
overall_anon=$(( drain_anon > peak_anon ? drain_anon : peak_anon ))
printf 'overall: peak VmRSS %s kB (target <= 25600), peak RssAnon %s kB (target <= 8192)\n' \
  "$overall_rss" "$overall_anon"
