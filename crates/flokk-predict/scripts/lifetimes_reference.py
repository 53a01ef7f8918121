#!/usr/bin/env python3
"""Independent per-customer reference values from the `lifetimes` package for
tests/lifetimes_reference.rs (issue 7, part 3).

Environment used (recorded in the fixture header too):
    python3 -m venv /tmp/lt && /tmp/lt/bin/pip install lifetimes==0.11.3
    # resolved: numpy 2.4.6, scipy 1.17.1, pandas 3.1.1, autograd 1.9.1, Python 3.11.7
    /tmp/lt/bin/python scripts/lifetimes_reference.py > tests/fixtures/lifetimes_reference.csv

The CDNOW sample is summarised by lifetimes itself (daily frequency, observation
period ending 1997-09-30), the four models are fitted by lifetimes, and the
fitted parameters (time unit: days) are written next to per-customer values so
the Rust test can evaluate flokk's formulas at exactly these parameters.
"""
import os
import sys
import platform

import numpy as np
import pandas as pd
import scipy
import lifetimes
from lifetimes import BetaGeoFitter, ModifiedBetaGeoFitter, ParetoNBDFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data", "CDNOW_sample.txt")
HORIZON = 365.0
CUSTOMERS = [1, 2, 3, 18, 42, 100, 157, 501, 1000, 1346, 1516, 2000, 2357]

raw = pd.read_csv(DATA, sep=r"\s+", header=None, names=["master", "id", "date", "cds", "dollars"], dtype={"date": str})
raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
summary = summary_data_from_transaction_data(raw, "id", "date", monetary_value_col="dollars", observation_period_end="1997-09-30", freq="D")
# Add the customer with the most repeat purchases to the set.
most_frequent = int(summary["frequency"].idxmax())
if most_frequent not in CUSTOMERS:
    CUSTOMERS.append(most_frequent)

f, r, T, m = summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"]
bg = BetaGeoFitter().fit(f, r, T)
mbg = ModifiedBetaGeoFitter().fit(f, r, T)
pnbd = ParetoNBDFitter().fit(f, r, T)
repeat = summary[summary["frequency"] > 0]
gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])

print(f"# lifetimes {lifetimes.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}, python {platform.python_version()}")
print("kind,name,v1,v2,v3,v4")
for name, model, keys in [("bgnbd", bg, ["r", "alpha", "a", "b"]), ("mbgnbd", mbg, ["r", "alpha", "a", "b"]), ("pareto_nbd", pnbd, ["r", "alpha", "s", "beta"]), ("gamma_gamma", gg, ["p", "q", "v"])]:
    values = [repr(float(model.params_[k])) for k in keys] + [""] * (4 - len(keys))
    print(f"params,{name}," + ",".join(values))
print("customer,id,x,t_x,T,monetary,bg_alive,bg_expected,mbg_alive,mbg_expected,pnbd_alive,pnbd_expected,gg_expected_value")
for cid in CUSTOMERS:
    row = summary.loc[cid]
    x, tx, t, mv = float(row["frequency"]), float(row["recency"]), float(row["T"]), float(row["monetary_value"])
    values = [
        bg.conditional_probability_alive(x, tx, t),
        bg.conditional_expected_number_of_purchases_up_to_time(HORIZON, x, tx, t),
        mbg.conditional_probability_alive(x, tx, t),
        mbg.conditional_expected_number_of_purchases_up_to_time(HORIZON, x, tx, t),
        pnbd.conditional_probability_alive(x, tx, t),
        pnbd.conditional_expected_number_of_purchases_up_to_time(HORIZON, x, tx, t),
        gg.conditional_expected_average_profit(pd.Series([x]), pd.Series([mv])).iloc[0],
    ]
    print(f"customer,{cid},{x!r},{tx!r},{t!r},{mv!r}," + ",".join(repr(float(np.asarray(v).ravel()[0])) for v in values))
