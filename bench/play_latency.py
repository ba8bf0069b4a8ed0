#!/usr/bin/env python3
"""Time from starting a player to its first sound on the virtual speaker's monitor.

Usage: play_latency.py RUNS FILE.wav NAME=COMMAND...   (the file goes at {}, or at the end)

A low-latency parecord on speaker.monitor runs for the whole benchmark; each sample's time
is taken from when its chunk arrived. For each run: note the time, start the command, and
find the first sample above -30 dBFS. The monitor's own latency is in every number, for
every player alike, so compare players within one run of this script.
"""
import statistics
import subprocess
import sys
import threading
import time

RATE = 48000
THRESHOLD = int(32768 * 10 ** (-30 / 20))


class Tap:
    def __init__(self):
        self.proc = subprocess.Popen(
            ["parecord", "-d", "speaker.monitor", "--raw", "--format=s16le",
             f"--rate={RATE}", "--channels=1", "--latency-msec=5"],
            stdout=subprocess.PIPE, bufsize=0)
        self.lock = threading.Lock()
        self.loud_after = None  # (since, found time)
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        while True:
            chunk = self.proc.stdout.read(960)
            now = time.monotonic()
            if not chunk:
                return
            n = len(chunk) // 2
            for i in range(n):
                v = int.from_bytes(chunk[2 * i:2 * i + 2], "little", signed=True)
                if abs(v) >= THRESHOLD:
                    with self.lock:
                        if self.loud_after is not None and self.loud_after[1] is None:
                            # The chunk arrived now; the loud sample was (n - i) samples earlier.
                            self.loud_after = (self.loud_after[0], now - (n - i) / RATE)
                    break

    def arm(self, since):
        with self.lock:
            self.loud_after = (since, None)

    def found(self):
        with self.lock:
            return self.loud_after[1]

    def stop(self):
        self.proc.terminate()


def main():
    runs = int(sys.argv[1])
    wav = sys.argv[2]
    players = [a.split("=", 1) for a in sys.argv[3:]]
    tap = Tap()
    time.sleep(1.0)  # let the monitor stream settle
    results = {name: [] for name, _ in players}
    for _ in range(runs):
        for name, command in players:
            start = time.monotonic()
            tap.arm(start)
            words = command.split()
            # The file goes where {} is, else at the end.
            argv = [wav if w == "{}" else w for w in words] if "{}" in words else words + [wav]
            proc = subprocess.Popen(argv,
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
            deadline = start + 5
            while tap.found() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            proc.wait()
            found = tap.found()
            results[name].append((found - start) * 1000 if found else float("nan"))
            time.sleep(0.5)
    tap.stop()
    print(f"{'player':<24} {'median ms':>10} {'min ms':>8} {'max ms':>8}  (start to first sound, {runs} runs)")
    for name, ms in results.items():
        print(f"{name:<24} {statistics.median(ms):>10.0f} {min(ms):>8.0f} {max(ms):>8.0f}")


if __name__ == "__main__":
    main()
