#!/usr/bin/env python3
"""Writes rating_vectors.json: expected CSAT/CES statistics computed in
arbitrary precision with mpmath, independently of the core's algorithms.

Run from this folder: python3 rating_vectors.py > rating_vectors.json

Method (each line is the textbook definition, not the core's algorithm):
- CSAT share = answers 4..5 / n, CES "easy" share = answers 5..7 / n, in %.
- Wilson score interval (Wilson 1927): (p + z^2/2n +- z sqrt(p(1-p)/n +
  z^2/4n^2)) / (1 + z^2/n), z the normal quantile from mpmath's erfinv.
- Mean with Student's t interval: mean +- t_(n-1) s / sqrt(n), s with n - 1,
  t from the regularized incomplete beta (mpmath.betainc) solved with
  mpmath.findroot, clipped to the scale.
- Two-proportion z test with the pooled proportion; p = erfc(|z| / sqrt 2).
- Welch's t test with Welch-Satterthwaite df; p = I_(df/(df+t^2))(df/2, 1/2).
- Sample sizes: ceil(z^2 p(1-p)/m^2); the smallest n >= 2 with
  t_(n-1) s/sqrt(n) <= m (s = (high-low)/2 unless given); difference plans
  ceil((z_(1-a/2)+z_power)^2 (V_a+V_b)/d^2).
"""
import json

import mpmath as mp

mp.mp.dps = 40

SCALES = {"csat": (1, 5, 4), "ces": (1, 7, 5)}


def z_for(confidence):
    return mp.sqrt(2) * mp.erfinv(mp.mpf(confidence))


def normal_quantile(p):
    return mp.sqrt(2) * mp.erfinv(2 * mp.mpf(p) - 1)


def t_two_sided_p(t, df):
    t = mp.mpf(t)
    df = mp.mpf(df)
    return mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True)


def t_for(confidence, df):
    # Bisection in 40-digit arithmetic: the two-sided p falls as t grows.
    alpha = 1 - mp.mpf(confidence)
    low, high = mp.mpf(0), mp.mpf(1)
    while t_two_sided_p(high, df) > alpha:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_two_sided_p(middle, df) > alpha:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def stats(metric, histogram, confidence):
    low, high, top_from = SCALES[metric]
    n = sum(histogram)
    out = {"n": n}
    if n == 0:
        return out
    top = sum(histogram[v - 1] for v in range(top_from, high + 1))
    p = mp.mpf(top) / n
    z = z_for(confidence)
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * mp.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    out["share"] = float(100 * p)
    out["share_low"] = float(100 * max(0, center - half)) if top else 0.0
    out["share_high"] = float(100 * min(1, center + half)) if top != n else 100.0
    mean = mp.fsum(v * histogram[v - 1] for v in range(1, high + 1)) / n
    out["mean"] = float(mean)
    if n < 2:
        return out
    variance = mp.fsum(histogram[v - 1] * (v - mean) ** 2 for v in range(1, high + 1)) / (n - 1)
    sd = mp.sqrt(variance)
    t = t_for(confidence, n - 1)
    out["sd"] = float(sd)
    out["t"] = float(t)
    out["mean_low"] = float(max(low, mean - t * sd / mp.sqrt(n)))
    out["mean_high"] = float(min(high, mean + t * sd / mp.sqrt(n)))
    return out


def tops(metric, histogram):
    return sum(histogram[v - 1] for v in range(SCALES[metric][2], SCALES[metric][1] + 1))


def compare(metric, a, b):
    n_a, n_b = sum(a), sum(b)
    x_a, x_b = tops(metric, a), tops(metric, b)
    pooled = mp.mpf(x_a + x_b) / (n_a + n_b)
    diff = mp.mpf(x_a) / n_a - mp.mpf(x_b) / n_b
    se = mp.sqrt(pooled * (1 - pooled) * (mp.mpf(1) / n_a + mp.mpf(1) / n_b))
    z = diff / se
    share = {"diff": float(100 * diff), "se": float(100 * se), "z": float(z),
             "p_value": float(mp.erfc(abs(z) / mp.sqrt(2)))}
    high = SCALES[metric][1]

    def moments(h):
        n = sum(h)
        m = mp.fsum(v * h[v - 1] for v in range(1, high + 1)) / n
        var = mp.fsum(h[v - 1] * (v - m) ** 2 for v in range(1, high + 1)) / (n - 1)
        return n, m, var

    n_a, m_a, v_a = moments(a)
    n_b, m_b, v_b = moments(b)
    part_a, part_b = v_a / n_a, v_b / n_b
    se = mp.sqrt(part_a + part_b)
    t = (m_a - m_b) / se
    df = (part_a + part_b) ** 2 / (part_a ** 2 / (n_a - 1) + part_b ** 2 / (n_b - 1))
    mean = {"diff": float(m_a - m_b), "se": float(se), "t": float(t), "df": float(df),
            "p_value": float(t_two_sided_p(t, df))}
    return share, mean


def mean_plan(metric, margin, confidence, sd):
    low, high, _ = SCALES[metric]
    s = mp.mpf(sd) if sd is not None else mp.mpf(high - low) / 2
    n = 2
    while t_for(confidence, n - 1) * s / mp.sqrt(n) > margin:
        n += 1 if n < 50 else max(1, n // 50)
    # Step back to the smallest n that is narrow enough.
    while n > 2 and t_for(confidence, n - 2) * s / mp.sqrt(n - 1) <= margin:
        n -= 1
    return n


def main():
    tallies = [
        ("csat", [0, 0, 0, 0, 0]),
        ("csat", [0, 0, 0, 1, 0]),
        ("csat", [0, 0, 0, 0, 3]),
        ("csat", [1, 0, 0, 0, 0]),
        ("csat", [2, 3, 5, 20, 30]),
        ("csat", [10, 7, 12, 40, 31]),
        ("ces", [0, 0, 0, 0, 0, 0, 1]),
        ("ces", [1, 2, 3, 4, 10, 15, 5]),
        ("ces", [30, 12, 9, 8, 6, 4, 2]),
    ]
    summaries = []
    for metric, histogram in tallies:
        for confidence in (0.95, 0.9):
            summaries.append({"metric": metric, "histogram": histogram,
                              "confidence": confidence,
                              "expected": stats(metric, histogram, confidence)})
    tests = []
    for metric, a, b in [
        ("csat", [2, 3, 5, 20, 30], [10, 7, 12, 40, 31]),
        ("csat", [0, 1, 1, 2, 1], [1, 1, 0, 1, 0]),
        ("ces", [1, 2, 3, 4, 10, 15, 5], [30, 12, 9, 8, 6, 4, 2]),
    ]:
        share, mean = compare(metric, a, b)
        tests.append({"metric": metric, "a": a, "b": b, "share": share, "mean": mean})
    t_quantiles = [{"confidence": c, "df": df, "t": float(t_for(c, df))}
                   for c, df in [(0.95, 1), (0.95, 9), (0.95, 2.5), (0.99, 30), (0.8, 120)]]
    plans = []
    for margin, confidence, share in [(5, 0.95, None), (3, 0.9, 80), (10, 0.99, 90)]:
        z = z_for(confidence)
        p = mp.mpf(share if share is not None else 50) / 100
        plans.append({"kind": "share", "margin": margin, "confidence": confidence,
                      "expected_share": share,
                      "n": int(mp.ceil(z * z * p * (1 - p) / (mp.mpf(margin) / 100) ** 2))})
    for metric, margin, confidence, sd in [("csat", 0.1, 0.95, None), ("csat", 0.2, 0.95, 1.1),
                                           ("ces", 0.25, 0.9, 1.5), ("csat", 1.5, 0.95, None)]:
        plans.append({"kind": "mean", "metric": metric, "margin": margin,
                      "confidence": confidence, "expected_sd": sd,
                      "n": mean_plan(metric, margin, confidence, sd)})
    for diff, confidence, power, pa, pb in [(10, 0.95, 0.8, None, None), (5, 0.95, 0.9, 80, 85)]:
        z = z_for(confidence) + normal_quantile(power)
        a = mp.mpf(pa if pa is not None else 50) / 100
        b = mp.mpf(pb if pb is not None else 50) / 100
        v = a * (1 - a) + b * (1 - b)
        plans.append({"kind": "share_difference", "difference": diff, "confidence": confidence,
                      "power": power, "expected_share_a": pa, "expected_share_b": pb,
                      "n": int(mp.ceil(z * z * v / (mp.mpf(diff) / 100) ** 2))})
    for metric, diff, confidence, power, sd in [("csat", 0.3, 0.95, 0.8, 1.0),
                                                ("ces", 0.5, 0.95, 0.8, None)]:
        low, high, _ = SCALES[metric]
        s = mp.mpf(sd) if sd is not None else mp.mpf(high - low) / 2
        z = z_for(confidence) + normal_quantile(power)
        plans.append({"kind": "mean_difference", "metric": metric, "difference": diff,
                      "confidence": confidence, "power": power, "expected_sd": sd,
                      "n": int(mp.ceil(z * z * 2 * s * s / mp.mpf(diff) ** 2))})
    print(json.dumps({"generator": "tests/data/rating_vectors.py (mpmath, 40 digits)",
                      "summaries": summaries, "tests": tests, "t_quantiles": t_quantiles,
                      "plans": plans}, indent=1))


main()
