"""Checks that a generated store's purchases can be recovered by the models
of shared/spec/predictive.md: fits MBG/NBD (days) and Gamma-Gamma by
maximum likelihood on an NDJSON store and prints the estimates next to the
parameters the generator used (flokk_demo::BtydParams::default()).

    cargo run --release -p flokk-demo --example gen -- 20000 7 --out /tmp/demo.ndjson
    python3 -m venv /tmp/fitenv && /tmp/fitenv/bin/pip install numpy scipy
    /tmp/fitenv/bin/python validation/fit_btyd.py /tmp/demo.ndjson

Transactions are store days (UTC here), as predictive.md defines them; the
store's as_of is 2026-11-24 (the example's default). Result at the commit
that added this script (20k customers, seed 7):
    MBG/NBD: r=0.577 alpha=85.9 a=0.850 b=2.901 (generated 0.55 / 85 / 0.9 / 3.2)
    Gamma-Gamma: p=5.28 q=3.81 gamma=71.6 (generated 4 / 2.2 / 36: orders are
    made of catalogue products and ticket price bands, which narrows the
    spread of customers' mean spend; the mean order, ~135, is close to
    p*gamma/(q-1) of the fit)
This is a development check, not part of the test suite.
"""
import json, sys, collections, math
import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln, betaln
from datetime import datetime, timezone
now = datetime(2026, 11, 24, tzinfo=timezone.utc).timestamp()
days = collections.defaultdict(lambda: collections.defaultdict(float))
for line in open(sys.argv[1]):
    if '"kind":"order"' not in line: continue
    r = json.loads(line)
    if r['cancelled']: continue
    t = datetime.fromisoformat(r['placed_at'].replace('Z', '+00:00')).timestamp()
    d = int(t // 86400)
    days[r['customer_id']][d] += r['total'] - r['refunded']
X=[];TX=[];T=[];M=[]
nowd = now / 86400
for c, ds in days.items():
    ks = sorted(ds)
    x = len(ks) - 1
    X.append(x); TX.append(ks[-1] - ks[0]); T.append(nowd - ks[0])
    if x > 0: M.append((x, sum(ds[k] for k in ks[1:]) / x))
X=np.array(X,float); TX=np.array(TX,float); T=np.array(T,float)
def nll(p):
    r,a_,a,b = np.exp(p)
    A = gammaln(r+X) - gammaln(r) + r*np.log(a_)
    t1 = betaln(a, b+X+1) - betaln(a,b) - (r+X)*np.log(a_+T)
    t2 = betaln(a+1, b+X) - betaln(a,b) - (r+X)*np.log(a_+TX)
    return -np.sum(A + np.logaddexp(t1, t2))
res = minimize(nll, np.log([0.5, 50, 1, 3]), method='Nelder-Mead', options={'maxiter':4000,'xatol':1e-6,'fatol':1e-6})
print('MBG/NBD (days): r=%.3f alpha=%.1f a=%.3f b=%.3f  (generated: r=0.55 alpha=85 a=0.9 b=3.2)' % tuple(np.exp(res.x)), 'customers', len(X))
x = np.array([m[0] for m in M], float); mx = np.array([m[1] for m in M], float)
def gg(p):
    p_, q, g = np.exp(p)
    return -np.sum(gammaln(p_*x+q) - gammaln(p_*x) - gammaln(q) + q*np.log(g) + (p_*x-1)*np.log(mx) + (p_*x)*np.log(x) - (p_*x+q)*np.log(x*mx+g))
res = minimize(gg, np.log([4, 2, 40]), method='Nelder-Mead', options={'maxiter':4000})
print('Gamma-Gamma: p=%.2f q=%.2f gamma=%.1f (generated order values: p=4 q=2.2 gamma=36, before lines are rounded to catalogue prices)' % tuple(np.exp(res.x)))
