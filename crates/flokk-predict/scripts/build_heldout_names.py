#!/usr/bin/env python3
"""Builds tests/data/heldout_first_names.tsv, the held-out list that
`tests/gender_accuracy.rs` scores `predicted_gender` on.

Source: the per-locale first-name lists of the PyPI package Faker 40.63.0
(MIT licence), `faker/providers/person/<locale>/__init__.py`,
`first_names_female` and `first_names_male`, for the locales of flokk's
markets. Faker's lists were compiled by its contributors; they are not used
to build the name table (scripts/build_name_table.py reads only the national
statistics), so they are held out from it. A name in both lists of a locale
has no known gender there and is left out.

Output: `locale<TAB>name<TAB>F|M`, in the lists' order.

    pip download --no-deps -d /tmp/fk faker==40.63.0
    python3 scripts/build_heldout_names.py /tmp/fk/faker-40.63.0-py3-none-any.whl \
        > tests/data/heldout_first_names.tsv
"""
import hashlib
import sys
import tempfile
import zipfile
import importlib

WHEEL_SHA256 = "36627c20b575b4138f54b6c21f8703e9ab122fd487aca11319beec2aa6ca7232"
LOCALES = ["no_NO", "sv_SE", "da_DK", "is_IS", "fi_FI", "nl_NL", "de_DE", "en_GB", "en_US"]


def names(provider, attribute):
    value = getattr(provider, attribute)
    return list(value.keys() if isinstance(value, dict) else value)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build_heldout_names.py faker-40.63.0-py3-none-any.whl")
    wheel = sys.argv[1]
    digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256} (Faker 40.63.0)")
    unpacked = tempfile.mkdtemp()
    zipfile.ZipFile(wheel).extractall(unpacked)
    sys.path.insert(0, unpacked)
    print("# Held-out first names with known gender: Faker 40.63.0 (MIT) person providers;")
    print("# names in both lists of a locale left out. locale, name, F|M.")
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        female = names(provider, "first_names_female")
        male = names(provider, "first_names_male")
        both = set(female) & set(male)
        seen = set()
        for sex, group in (("F", female), ("M", male)):
            for name in group:
                if name in both or name in seen:
                    continue
                seen.add(name)
                print(f"{locale}\t{name}\t{sex}")


if __name__ == "__main__":
    main()
