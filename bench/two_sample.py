#!/usr/bin/env python3
"""Mann-Whitney U test for every pair of sample files (one number per line).

    bench/two_sample.py A.us B.us ...

Prints each file's median and, per pair, U, z and the two-sided p-value of
the normal approximation with the tie correction (fine for samples of
hundreds or more). A p-value below 0.01 means the two could be told apart.
"""
import itertools
import math
import statistics
import sys


def read(path):
    with open(path) as f:
        return [float(line) for line in f if line.strip()]


def mann_whitney(a, b):
    pooled = sorted([(x, 0) for x in a] + [(x, 1) for x in b])
    ranks = [0.0] * len(pooled)
    ties = 0.0
    i = 0
    while i < len(pooled):
        j = i
        while j + 1 < len(pooled) and pooled[j + 1][0] == pooled[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        t = j - i + 1
        ties += t ** 3 - t
        i = j + 1
    n1, n2 = len(a), len(b)
    r1 = sum(r for r, (_, group) in zip(ranks, pooled) if group == 0)
    u = r1 - n1 * (n1 + 1) / 2
    n = n1 + n2
    sigma = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    z = (u - n1 * n2 / 2) / sigma if sigma > 0 else 0.0
    return u, z, math.erfc(abs(z) / math.sqrt(2))


def main(paths):
    samples = {p.rsplit("/", 1)[-1].removesuffix(".us"): read(p) for p in paths}
    for name, values in samples.items():
        print(f"{name}: n={len(values)} median_us={statistics.median(values):.1f}")
    for (na, a), (nb, b) in itertools.combinations(samples.items(), 2):
        u, z, p = mann_whitney(a, b)
        verdict = "distinguishable" if p < 0.01 else "not distinguishable"
        print(f"{na} vs {nb}: U={u:.0f} z={z:.2f} p={p:.3f} ({verdict} at p < 0.01)")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
