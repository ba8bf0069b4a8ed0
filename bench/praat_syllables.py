#!/usr/bin/env python3
"""Reference measures from Praat (via praat-parselmouth), following the published procedure of
de Jong & Wempe (2009) as refined in their version 3; written for this benchmark from the
description of the steps, not from their script.

  1. Intensity contour, minimum pitch 50 Hz, mean subtracted.
  2. Threshold = 99th-percentile intensity - 25 dB, but not below the minimum intensity.
  3. Silent/sounding intervals at that threshold (Praat's "To TextGrid (silences)"), minimum
     silent interval PAUSE_MIN (0.25 s here, the same as voicemock's default, rather than v3's
     0.3 s, so pauses are compared like with like), minimum sounding interval 0.1 s.
  4. Candidate nuclei: local maxima of the intensity above the threshold.
  5. Dip test (v3): consecutive candidates belong to the same nucleus unless the intensity dips
     by more than 2 dB below *both* of them in between; of each nucleus the highest peak is kept.
  6. Voicing: keep a nucleus only where Praat's autocorrelation pitch (time step 0.02 s,
     floor 30 Hz, ceiling 450 Hz, voicing threshold 0.25) is defined, and only inside a
     sounding interval.

Usage: praat_syllables.py FILE.wav...   prints one JSON object per line.
"""
import json
import math
import sys

import numpy as np
import parselmouth
from parselmouth.praat import call

PAUSE_MIN = 0.25
MIN_SOUNDING = 0.1
BELOW_Q99_DB = 25.0
DIP_DB = 2.0


def analyse(path):
    sound = parselmouth.Sound(path)
    if sound.n_channels > 1:
        sound = sound.convert_to_mono()
    intensity = call(sound, "To Intensity", 50, 0, "yes")
    q99 = call(intensity, "Get quantile", 0, 0, 0.99)
    imin = call(intensity, "Get minimum", 0, 0, "Parabolic")
    imax = call(intensity, "Get maximum", 0, 0, "Parabolic")
    threshold = max(q99 - BELOW_Q99_DB, imin)

    grid = call(intensity, "To TextGrid (silences)", threshold - imax, PAUSE_MIN, MIN_SOUNDING,
                "silent", "sounding")
    sounding = []
    for i in range(1, call(grid, "Get number of intervals", 1) + 1):
        if call(grid, "Get label of interval", 1, i) == "sounding":
            sounding.append((call(grid, "Get start time of interval", 1, i),
                             call(grid, "Get end time of interval", 1, i)))

    values = intensity.values[0]
    times = intensity.xs()
    candidates = [k for k in range(1, len(values) - 1)
                  if values[k] > values[k - 1] and values[k] >= values[k + 1] and values[k] > threshold]
    nuclei = []
    for k in candidates:
        if nuclei:
            last = nuclei[-1]
            dip = values[last:k + 1].min()
            if values[last] - dip <= DIP_DB or values[k] - dip <= DIP_DB:
                if values[k] > values[last]:
                    nuclei[-1] = k
                continue
        nuclei.append(k)

    pitch = sound.to_pitch_ac(time_step=0.02, pitch_floor=30.0, max_number_of_candidates=4,
                              very_accurate=False, silence_threshold=0.03, voicing_threshold=0.25,
                              octave_cost=0.01, octave_jump_cost=0.35, voiced_unvoiced_cost=0.25,
                              pitch_ceiling=450.0)
    kept = []
    for k in nuclei:
        t = times[k]
        f0 = pitch.get_value_at_time(t)
        if f0 is not None and not math.isnan(f0) and any(a <= t <= b for a, b in sounding):
            kept.append(round(t, 3))
    syllables = len(kept)

    first = sounding[0][0] if sounding else None
    last = sounding[-1][1] if sounding else None
    pauses = [{"start_s": a[1], "end_s": b[0]} for a, b in zip(sounding, sounding[1:])]
    speech = sum(b - a for a, b in sounding)
    return {
        "duration_s": sound.duration,
        "first_speech_s": first,
        "last_speech_s": last,
        "pauses": pauses,
        "syllables": syllables,
        "nuclei_s": kept,
        "speech_s": speech,
        "threshold_db": threshold,
    }


def main(paths):
    for path in paths:
        print(json.dumps({"file": path, "analysis": analyse(path)}), flush=True)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main(sys.argv[1:])
