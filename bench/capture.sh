#!/usr/bin/env bash
# Capture cost of `voicemock` against `arecord` recording the same virtual microphone in the same
# run: CPU-seconds (user + system) and peak memory for an answer of SECS seconds, best and median
# of RUNS; then peak memory for a short and a long recording (memory must stay flat). Speech is
# played into the microphone throughout, so the live voice activity has work to do.
# Usage: bench/capture.sh [SECS] [RUNS]       (defaults 30 and 3; about RUNS x 2 x SECS)
#   VM_BASELINE=/path/to/other/voicemock adds that build to the table (e.g. main's).
# Needs: the virtual audio stack's packages (scripts/install-deps), alsa-utils, espeak-ng, sox,
# GNU time. Starts its own stack in a private directory; writes only under bench/out/capture/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
secs="${1:-30}"
runs="${2:-3}"
out="$here/out/capture"
rm -rf "$out"
mkdir -p "$out"
[[ -x /usr/bin/time ]] || { echo "missing GNU time (apt-get install time)" >&2; exit 1; }
command -v arecord >/dev/null || { echo "missing arecord (apt-get install alsa-utils)" >&2; exit 1; }

export VOICEMOCK_AUDIO_DIR="${VOICEMOCK_AUDIO_DIR:-/tmp/va-bench-capture}"
"$root/scripts/virtual-audio" start >/dev/null
trap '"$root/scripts/virtual-audio" stop >/dev/null 2>&1 || true' EXIT
eval "$("$root/scripts/virtual-audio" env)"

(cd "$root" && cargo build --release --quiet)
vm="$root/target/release/voicemock"

# Speech into the microphone for as long as the benchmark runs.
espeak-ng -v en-us -w "$out/phrase22k.wav" \
    "I led the launch of our new recommendations page, and retention went up by two points."
sox "$out/phrase22k.wav" -r 48000 -c 1 "$out/phrase.wav" pad 0 1.5
( while true; do paplay --device=micfeed "$out/phrase.wav" || break; done ) &
feeder=$!
trap 'kill $feeder 2>/dev/null || true; "$root/scripts/virtual-audio" stop >/dev/null 2>&1 || true' EXIT

measure() { # name, command...: prints "cpu rss_kb"
    local name="$1"; shift
    /usr/bin/time -f '%U %S %M' -o "$out/$name.time" "$@" >/dev/null 2>"$out/$name.err" || {
        echo "$name failed:" >&2; cat "$out/$name.err" >&2; exit 1; }
    awk '{ printf "%.3f %d\n", $1 + $2, $3 }' "$out/$name.time"
}

declare -A cpu rss
tools=(arecord voicemock)
[[ -n "${VM_BASELINE:-}" ]] && tools+=(baseline)
for i in $(seq 1 "$runs"); do
    for tool in "${tools[@]}"; do
        case $tool in
            arecord) r=$(measure "arecord-$i" arecord -q -D pulse -f S16_LE -r 48000 -c 1 \
                        -d "$secs" "$out/arecord-$i.wav") ;;
            voicemock) r=$(measure "vm-$i" "$vm" check --seconds "$secs" --no-speak \
                        --no-playback --out "$out/vm-$i.wav") ;;
            baseline) r=$(measure "base-$i" "$VM_BASELINE" check --seconds "$secs" --no-speak \
                        --no-playback --out "$out/base-$i.wav") ;;
        esac
        cpu[$tool]+="${r% *} "
        rss[$tool]+="${r#* } "
    done
done

stats() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { printf "%s %s\n", v[1], v[int((NR + 1) / 2)] }'; }
printf '\n%s s recordings on the virtual microphone, %s runs each, interleaved\n\n' "$secs" "$runs"
printf '| %-26s | %-12s | %-14s | %-13s |\n' "recorder" "CPU-s best" "CPU-s median" "peak RSS MB"
printf '|%s|%s|%s|%s|\n' "----------------------------" "--------------" "----------------" "---------------"
for tool in "${tools[@]}"; do
    read -r best median < <(echo "${cpu[$tool]}" | stats)
    read -r _ rss_median < <(echo "${rss[$tool]}" | stats)
    label=$tool
    [[ $tool == voicemock ]] && label="voicemock check (this tree)"
    [[ $tool == baseline ]] && label="voicemock check (baseline)"
    printf '| %-26s | %12.2f | %14.2f | %13.1f |\n' "$label" "$best" "$median" "$(echo "$rss_median / 1024" | bc -l)"
done

# Memory stays flat: a 5 s and a 60 s recording.
short=$(measure vm-short "$vm" check --seconds 5 --no-speak --no-playback --out "$out/short.wav")
long=$(measure vm-long "$vm" check --seconds 60 --no-speak --no-playback --out "$out/long.wav")
printf '\npeak RSS: 5 s recording %.1f MB, 60 s recording %.1f MB\n' \
    "$(echo "${short#* } / 1024" | bc -l)" "$(echo "${long#* } / 1024" | bc -l)"

# And a whole `run` session: the microphone listens through 10 s of think time (the live voice
# activity and the pre-roll ring), then records a 5 s or a 60 s answer to its limit.
run_session() { # name, answer seconds
    measure "$1" "$vm" run --no-speak --no-transcribe --think 10 --answer "$2" --count 1 \
        --question why-netflix --recordings "$out/$1" </dev/null
}
short=$(run_session run-short 5)
long=$(run_session run-long 60)
printf 'peak RSS: run with a 5 s answer %.1f MB, with a 60 s answer %.1f MB\n' \
    "$(echo "${short#* } / 1024" | bc -l)" "$(echo "${long#* } / 1024" | bc -l)"
