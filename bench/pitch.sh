#!/usr/bin/env bash
# Accuracy of voicemock's pitch track and voice measures against Praat's pitch tracker (via
# praat-parselmouth), and the speed of `voicemock analyze` with pitch. Not part of CI.
# Usage: bench/pitch.sh         (from anywhere; writes only under bench/out/)
#        BEFORE=path/to/voicemock bench/pitch.sh   also times another build on the hour files
# Needs: espeak-ng, sox, python3 with venv, cargo, Debian's pocketsphinx-testdata; GNU time;
# PyPI access the first time (praat-parselmouth, numpy into bench/out/venv).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$here/out"
mkdir -p "$out"
cd "$out"

step() { printf '\n== %s\n' "$*"; }
need() { command -v "$1" >/dev/null || { echo "missing: $1 ($2)" >&2; exit 1; }; }
need espeak-ng "apt-get install espeak-ng"
need sox "apt-get install sox"
need python3 "apt-get install python3 python3-venv"
[[ -e /usr/share/pocketsphinx/test/data/cards/001.wav ]] ||
    { echo "missing pocketsphinx-testdata (apt-get install pocketsphinx-testdata)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "missing GNU time (apt-get install time)" >&2; exit 1; }

step "Python venv with praat-parselmouth"
if ! venv/bin/python -c 'import parselmouth, numpy' 2>/dev/null; then
    python3 -m venv venv
    venv/bin/pip install -q praat-parselmouth numpy
fi
venv/bin/python -c 'import parselmouth; print("parselmouth", parselmouth.VERSION, "with Praat", parselmouth.PRAAT_VERSION)'

step "building the pitch set"
rm -rf pitchset
(cd "$here" && "$out/venv/bin/python" pitch_set.py "$out/pitchset")

step "building voicemock (release, analysis only)"
(cd "$root" && cargo build --release --no-default-features --quiet)
vm="$root/target/release/voicemock"

step "voicemock analyze --json --pitch-track on every file, then Praat on the same"
for f in pitchset/*.wav; do
    "$vm" analyze --json --pitch-track "$f" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))'
done > pitch.jsonl
venv/bin/python "$here/pitch_compare.py" pitch.jsonl

step "speed: an hour of audio, pitch included"
# The same hour-long files as analysis.sh (built here from the pitch set if absent).
if [[ ! -s hour48.wav ]]; then
    if [[ -s set/e1-clean.wav ]]; then
        sox -R set/e1-clean.wav set/r2-noisy.wav set/e2-clean.wav set/r1-clean.wav set/e3-noisy.wav \
            -r 16000 base16.wav
    else
        sox -R pitchset/e-low-male-clean.wav pitchset/r-libri-noisy.wav pitchset/e-high-female-clean.wav \
            pitchset/r-cards-clean.wav -r 16000 base16.wav
    fi
    sox base16.wav hour16.wav repeat 80 trim 0 3600
    sox hour16.wav -r 48000 hour48.wav
fi
for f in hour16 hour48; do
    cat "$f.wav" > /dev/null
    for build in "$vm" ${BEFORE:+"$BEFORE"}; do
        best=
        for _ in 1 2 3; do
            /usr/bin/time -f '%e %M' "$build" analyze --json "$f.wav" > "$f.json" 2> "$f.time"
            read -r wall rss < <(tail -1 "$f.time")
            if [[ -z $best ]] || (( $(echo "$wall < $best" | bc) )); then best=$wall; brss=$rss; fi
        done
        printf '%-7s %-40s best of 3: %5.2f s wall, peak RSS %5.1f MB\n' "$f" "$build" "$best" \
            "$(echo "$brss / 1024" | bc -l)"
    done
done
echo "(target: an hour analysed in under 1.5 s with pitch)"
