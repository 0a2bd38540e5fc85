#!/usr/bin/env bash
# Agent memory after many collection cycles: starts a release collector on loopback, enrolls a release
# agent on this host, lets it run CYCLES cycles at the shortest interval the agent accepts (10 s), and
# samples the agent's memory from /proc twice a second, printing it after chosen cycles.
#
#   tests/bench/agent_memory.sh BUILD_DIR [CYCLES]     (CYCLES default 60: an hour of 1-minute cycles,
#                                                      compressed to 10 minutes)
#
# Reported: VmRSS (resident, shared library pages included) and RssAnon (private anonymous memory: heap,
# stacks, what the agent itself allocates). Targets (issue 4): RssAnon < 8 MB, VmRSS < 25 MB.
set -euo pipefail
build_dir=$1
cycles=${2:-60}
collector="$build_dir/collector/mamori-collector"
agent="$build_dir/agent/mamori-agent"
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
fingerprint=$("$collector" ca show --data-dir "$work/collector")
token=$("$collector" token create --uses 1 --ttl 1h --label bench --data-dir "$work/collector")

"$agent" --collector "$address" --data-dir "$work/agent" --enroll-token "$token" \
  --ca-fingerprint "$fingerprint" --interval 10s >"$work/agent.out" 2>"$work/agent.log" &
agent_pid=$!

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$agent_pid/status"; }
printf '%6s %10s %12s\n' cycle "VmRSS kB" "RssAnon kB"
peak_rss=0
peak_anon=0
seen=0
while [ "$seen" -lt "$cycles" ]; do
  if ! kill -0 "$agent_pid" 2>/dev/null; then
    echo "the agent stopped:" >&2; cat "$work/agent.log" >&2; exit 1
  fi
  # Sampled twice a second, so the peak includes the moments of collection, not only the idle waits.
  rss=$(kb VmRSS); anon=$(kb RssAnon)
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
  delivered=$(grep -c '^delivered snapshot' "$work/agent.out" || true)
  if [ "$delivered" -gt "$seen" ]; then
    seen=$delivered
    case "$seen" in 1|2|5|10|20|30|40|50|60|"$cycles") printf '%6s %10s %12s\n' "$seen" "$rss" "$anon" ;; esac
  fi
  sleep 0.5
done
printf 'after %s cycles: peak VmRSS %s kB (target < 25600), peak RssAnon %s kB (target < 8192)\n' \
  "$cycles" "$peak_rss" "$peak_anon"
