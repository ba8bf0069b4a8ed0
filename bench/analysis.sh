#!/usr/bin/env bash
# Accuracy and speed benchmark of `voicemock analyze` against a labelled test set and a Praat
# reference (de Jong & Wempe procedure, via praat-parselmouth). Not part of CI.
# Usage: bench/analysis.sh        (from anywhere; writes only under bench/out/)
# Needs: espeak-ng, sox, python3 with venv, cargo; Debian's pocketsphinx-testdata and
# pocketsphinx-en-us; network access to PyPI the first time (praat-parselmouth, numpy).
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
for f in /usr/share/pocketsphinx/test/data/cards/001.wav /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict; do
    [[ -e $f ]] || { echo "missing $f (apt-get install pocketsphinx-testdata pocketsphinx-en-us)" >&2; exit 1; }
done
if [[ ! -x /usr/bin/time ]]; then
    step "installing GNU time (for peak memory)"
    apt-get install -y -qq time >/dev/null
fi

step "Python venv with praat-parselmouth"
if ! venv/bin/python -c 'import parselmouth, numpy' 2>/dev/null; then
    python3 -m venv venv
    venv/bin/pip install -q praat-parselmouth numpy
fi
venv/bin/python -c 'import parselmouth; print("parselmouth", parselmouth.VERSION, "with Praat", parselmouth.PRAAT_VERSION)'

step "building the labelled set"
rm -rf set vm
venv/bin/python "$here/make_set.py" set

step "building voicemock (release)"
(cd "$root" && cargo build --release --quiet)
vm="$root/target/release/voicemock"

step "voicemock analyze --json on every file"
mkdir -p vm
start=$(date +%s.%N)
for f in set/*.wav; do
    "$vm" analyze --json "$f" > "vm/$(basename "$f" .wav).json"
done
vm_set_s=$(echo "$(date +%s.%N) - $start" | bc)
for f in vm/*.json; do python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$f"; done > vm.jsonl

step "Praat reference on every file"
start=$(date +%s.%N)
venv/bin/python "$here/praat_syllables.py" set/*.wav > praat.jsonl
praat_set_s=$(echo "$(date +%s.%N) - $start" | bc)

step "accuracy"
python3 "$here/compare.py" set/truth.json vm.jsonl praat.jsonl

step "speed"
# Hour-long files by repeating takes of the set (clean and noisy, espeak and real speech).
if [[ ! -s hour48.wav ]]; then
    sox -R set/e1-clean.wav set/r2-noisy.wav set/e2-clean.wav set/r1-clean.wav set/e3-noisy.wav \
        -r 16000 base16.wav
    sox base16.wav hour16.wav repeat 50 trim 0 3600
    sox hour16.wav -r 48000 hour48.wav
fi
[[ -s five16.wav ]] || sox hour16.wav five16.wav trim 0 300
audio_set_s=$(for f in set/*.wav; do soxi -D "$f"; done | paste -sd+ | bc)
for f in hour16 hour48; do
    # Warm the page cache so that the disk is not what is measured.
    cat "$f.wav" > /dev/null
    /usr/bin/time -v "$vm" analyze --json "$f.wav" > "$f.json" 2> "$f.time"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$f.time" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$f.time")
    dur=$(soxi -D "$f.wav")
    printf '%-7s %6.0f s of audio in %5.2f s wall: %6.0f x real time, peak RSS %5.1f MB\n' \
        "$f" "$dur" "$wall" "$(echo "$dur / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done
/usr/bin/time -f '%e %M' "$vm" analyze --json five16.wav > /dev/null 2> five16.vm.time
/usr/bin/time -f '%e %M' venv/bin/python "$here/praat_syllables.py" five16.wav > five16.praat.json 2> five16.praat.time
read -r vm5 vm5rss < <(tail -1 five16.vm.time)
read -r pr5 pr5rss < <(tail -1 five16.praat.time)
printf 'labelled set (%d files, %.0f s of audio), whole processes: voicemock %.2f s, Praat %.2f s: voicemock %.0f x faster\n' \
    "$(ls set/*.wav | wc -l)" "$audio_set_s" "$vm_set_s" "$praat_set_s" "$(echo "$praat_set_s / $vm_set_s" | bc -l)"
printf '5-minute 16 kHz file: voicemock %.2f s (%.1f MB), Praat %.2f s (%.0f MB): voicemock %.0f x faster\n' \
    "$vm5" "$(echo "$vm5rss / 1024" | bc -l)" "$pr5" "$(echo "$pr5rss / 1024" | bc -l)" "$(echo "$pr5 / $vm5" | bc -l)"
echo "(targets: >= 1000 x real time at 16 and 48 kHz; an hour at 48 kHz in < 3.6 s; peak RSS < 50 MB)"
