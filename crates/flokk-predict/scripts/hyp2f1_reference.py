#!/usr/bin/env python3
"""Generates tests/fixtures/hyp2f1_reference.csv: ln|2F1(a,b;c;z)| and its sign
at 50 significant digits with mpmath, over the parameter ranges the BTYD models
produce (Pareto/NBD: (r+s+x, s+1 | r+x; r+s+x+1; z); BG/NBD and MBG/NBD
expectations: (r+x, b+x[+1]; a+b+x[-1]; z)) plus negative arguments.

Run once:  python3 -m venv /tmp/mp && /tmp/mp/bin/pip install mpmath==1.4.1
           /tmp/mp/bin/python scripts/hyp2f1_reference.py > tests/fixtures/hyp2f1_reference.csv
"""
import itertools
import mpmath

mpmath.mp.dps = 50
ZS = [0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1 - 1e-6, 1 - 1e-9]
NEGATIVE_ZS = [-0.3, -0.9, -5.0, -100.0]
cases = []
# Pareto/NBD likelihood and P(alive).
for r, s, x in itertools.product([0.05, 0.553, 3.0], [0.1, 0.606, 5.0], [0, 1, 10, 100]):
    a = r + s + x
    for b in (s + 1.0, r + x):
        for z in ZS:
            cases.append((a, b, a + 1.0, z))
# BG/NBD (c = a+b+x-1) and MBG/NBD (b+x+1, c = a+b+x) conditional expectations.
for r, a_, b_, x in itertools.product([0.05, 0.243, 2.0], [0.2, 0.793, 3.0], [0.5, 2.426, 20.0], [0, 1, 10, 60]):
    for z in ZS:
        cases.append((r + x, b_ + x, a_ + b_ + x - 1.0, z))
        cases.append((r + x, b_ + x + 1.0, a_ + b_ + x, z))
# Negative arguments and mixed signs.
for a, b, c in [(1.5, 2.5, 3.5), (0.3, -0.7, 2.2), (40.0, 3.0, 41.0), (0.5, 0.5, 1.5), (-0.2, 1.3, 0.9)]:
    for z in NEGATIVE_ZS + [0.3, 0.95]:
        cases.append((a, b, c, z))

print("a,b,c,z,ln_abs,sign")
for a, b, c, z in cases:
    value = mpmath.hyp2f1(a, b, c, z)
    sign = 0 if value == 0 else (1 if value > 0 else -1)
    ln_abs = mpmath.log(abs(value)) if value != 0 else mpmath.mpf("-inf")
    print(f"{a!r},{b!r},{c!r},{z!r},{mpmath.nstr(ln_abs, 25)},{sign}")
