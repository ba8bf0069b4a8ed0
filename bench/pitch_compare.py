#!/usr/bin/env python3
"""Compare voicemock's pitch track and voice measures with Praat's pitch tracker.

Usage: pitch_compare.py VOICEMOCK.jsonl
Each line is `voicemock analyze --json --pitch-track FILE`. Praat runs here, through
parselmouth: Sound.to_pitch (autocorrelation), time step 0.01 s, floor 75 Hz, ceiling 600 Hz,
its usual settings for speech. Frames are matched by time (voicemock's frame k is centred at
(k + 0.5) * step_s).

Per file and in all:
  * median F0 error: voicemock's `pitch_median_hz` against the median of Praat's voiced frames.
    Target within 2 %.
  * voiced agreement: frames both call voiced or both unvoiced, over the speech span (the
    first to the last frame either calls voiced). Target >= 90 %. Also shown: the share of
    Praat's voiced frames voicemock calls voiced (recall) and of voicemock's that Praat calls
    voiced (precision).
  * octave errors: of the frames both call voiced, those more than 6 semitones apart (closer
    to an octave than to agreement). Target < 1 %. Gross errors (more than 20 % apart) too.
  * pitch variation: voicemock's `pitch_sd_st` against the same statistic of Praat's voiced
    frames (the standard deviation in semitones estimated from the interquartile range); target
    within 0.5 st. The 5-95 % range likewise (no target).
"""
import json
import sys

import numpy as np
import parselmouth

OCTAVE_ST = 6.0
PRAAT_FLOOR_HZ = 60.0


def praat_track(path):
    p = parselmouth.Sound(path).to_pitch(time_step=0.01, pitch_floor=PRAAT_FLOOR_HZ, pitch_ceiling=600.0)
    return np.asarray(p.xs()), p.selected_array["frequency"]


def spread(hz):
    """voicemock's statistics: the standard deviation estimated from the interquartile range
    (IQR / 1.349), and the 5-95 % range, in semitones."""
    st = 12 * np.log2(hz / np.median(hz))
    q = np.percentile(st, [5, 25, 75, 95])
    return (q[2] - q[1]) / 1.349, q[3] - q[0]


def score(entry):
    vm = entry["analysis"]["voice"]
    track = entry["pitch_track"]
    ours = np.asarray(track["hz"])
    times, theirs = praat_track(entry["file"])
    k = np.clip(np.round(times / track["step_s"] - 0.5).astype(int), 0, len(ours) - 1)
    a, b = ours[k], theirs
    av, bv = a > 0, b > 0
    either = np.nonzero(av | bv)[0]
    span = slice(either[0], either[-1] + 1)
    both = av & bv
    diff = 12 * np.abs(np.log2(a[both] / b[both]))
    praat_sd, praat_range = spread(b[bv])
    return {
        "median_vm": vm["pitch_median_hz"],
        "median_praat": float(np.median(b[bv])),
        "agree": int((av[span] == bv[span]).sum()),
        "span": int(either[-1] + 1 - either[0]),
        "recall": (int(both.sum()), int(bv.sum())),
        "precision": (int(both.sum()), int(av.sum())),
        "octave": int((diff > OCTAVE_ST).sum()),
        "gross": int((np.abs(a[both] / b[both] - 1) > 0.2).sum()),
        "both": int(both.sum()),
        "sd_vm": vm["pitch_sd_st"],
        "sd_praat": float(praat_sd),
        "range_vm": vm["pitch_range_st"],
        "range_praat": float(praat_range),
        "monotone": vm["monotone"],
    }


def pct(n, d):
    return 100.0 * n / d if d else 0.0


def main(path):
    rows = []
    for line in open(path):
        if line.strip():
            e = json.loads(line)
            rows.append((e["file"].rsplit("/", 1)[-1], score(e)))
    print(f"{'file':<24} {'F0 vm':>6} {'praat':>6} {'err%':>6} | {'agree%':>6} {'recall':>6} {'prec':>6} | "
          f"{'oct%':>5} {'gross%':>6} | {'sd vm':>5} {'praat':>5} {'diff':>5} | {'range vm':>8} {'praat':>5} | mono")
    for name, s in rows:
        err = pct(s["median_vm"] - s["median_praat"], s["median_praat"])
        print(f"{name:<24} {s['median_vm']:>6.1f} {s['median_praat']:>6.1f} {err:>+6.1f} | "
              f"{pct(s['agree'], s['span']):>6.1f} {pct(*s['recall']):>6.1f} {pct(*s['precision']):>6.1f} | "
              f"{pct(s['octave'], s['both']):>5.2f} {pct(s['gross'], s['both']):>6.2f} | "
              f"{s['sd_vm']:>5.2f} {s['sd_praat']:>5.2f} {s['sd_vm'] - s['sd_praat']:>+5.2f} | "
              f"{s['range_vm']:>8.2f} {s['range_praat']:>5.2f} | {'yes' if s['monotone'] else 'no'}")
    errs = [abs(pct(s["median_vm"] - s["median_praat"], s["median_praat"])) for _, s in rows]
    sds = [abs(s["sd_vm"] - s["sd_praat"]) for _, s in rows]
    total = lambda key: sum(s[key] for _, s in rows)
    pair = lambda key: [sum(s[key][i] for _, s in rows) for i in (0, 1)]
    print("\nin all (%d files):" % len(rows))
    print(f"  median F0 within 2 %%            {sum(e <= 2 for e in errs)}/{len(rows)} "
          f"(worst {max(errs):.1f} %%, mean {np.mean(errs):.1f} %%)" % ())
    print(f"  voiced agreement                {pct(total('agree'), total('span')):.1f} % of {total('span')} frames "
          f"(worst file {min(pct(s['agree'], s['span']) for _, s in rows):.1f} %); recall "
          f"{pct(*pair('recall')):.1f} %, precision {pct(*pair('precision')):.1f} %")
    print(f"  octave errors                   {pct(total('octave'), total('both')):.2f} % of {total('both')} frames "
          f"both voiced (gross > 20 %: {pct(total('gross'), total('both')):.2f} %)")
    print(f"  pitch variation within 0.5 st   {sum(d <= 0.5 for d in sds)}/{len(rows)} "
          f"(worst {max(sds):.2f} st, mean {np.mean(sds):.2f} st)")
    print("(targets: median F0 within 2 %, voiced agreement >= 90 %, octave errors < 1 %, variation within 0.5 st)")


if __name__ == "__main__":
    main(sys.argv[1])
