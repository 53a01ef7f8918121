//! Predictive models: BG/NBD, MBG/NBD, Pareto/NBD, Gamma-Gamma, RFM, spend
//! tier and gender from names. Depends on nothing else in flokk.
