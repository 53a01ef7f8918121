#!/usr/bin/env python3
"""Times lifetimes' fits on a summary CSV written by benches/fit_scale.rs
(columns frequency, recency, T, monetary_value; days). Called by the bench when
FLOKK_BENCH_PYTHON is set; prints `<name>_seconds <s>` lines and the parameters.

lifetimes is given every customer row (its usual use); its fitters have no row
weights in 0.11.3's public fit() for MBG/NBD, so this is the like-for-like
"same summary data" comparison.
"""
import sys
import time
import warnings

import pandas as pd
import lifetimes
from lifetimes import ModifiedBetaGeoFitter, GammaGammaFitter

warnings.filterwarnings("ignore")
summary = pd.read_csv(sys.argv[1])
print(f"version lifetimes {lifetimes.__version__}, pandas {pd.__version__}, rows {len(summary)}")

start = time.perf_counter()
mbg = ModifiedBetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
print(f"mbgnbd_seconds {time.perf_counter() - start:.3f} params { {k: float(v) for k, v in mbg.params_.round(4).items()} }")

repeat = summary[summary["frequency"] > 0]
start = time.perf_counter()
gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
print(f"gamma_gamma_seconds {time.perf_counter() - start:.3f} params { {k: float(v) for k, v in gg.params_.round(4).items()} }")
