//! Accuracy of `predicted_gender` on a held-out list of first names with
//! known gender (issue 17): `tests/data/heldout_first_names.tsv`, Faker's
//! per-locale name lists for flokk's markets, which the name table is not
//! built from (see `tests/data/README.md`).
//!
//! Targets: at least 97 % right where a gender is given, at most 10 %
//! `UNCERTAIN`, in every market but Iceland and on average over the markets
//! (each market counting the same, as in the table). Iceland's list is the
//! register of approved names (3,700 mostly rare names) while the only
//! Icelandic statistics reachable list its ~320 commonest names, so its
//! figures are printed, not held to the target (docs/predictive.md).
//!
//! `cargo test --workspace --locked --test gender_accuracy -- --nocapture`
//! prints the table.

use std::collections::BTreeMap;

use flokk_predict::{PredictedGender, predict_gender};

const HELD_OUT: &str = include_str!("data/heldout_first_names.tsv");

#[derive(Default, Debug, Clone, Copy)]
struct Tally {
    right: usize,
    wrong: usize,
    uncertain: usize,
}

impl Tally {
    fn decided(&self) -> usize {
        self.right + self.wrong
    }
    fn total(&self) -> usize {
        self.decided() + self.uncertain
    }
    fn accuracy(&self) -> f64 {
        self.right as f64 / self.decided() as f64
    }
    fn uncertain_share(&self) -> f64 {
        self.uncertain as f64 / self.total() as f64
    }
}

fn tally_by_locale() -> BTreeMap<&'static str, Tally> {
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    for (i, line) in HELD_OUT.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [locale, name, sex] = fields[..] else {
            panic!("line {}: {line:?}", i + 1);
        };
        let known = match sex {
            "F" => PredictedGender::LikelyFemale,
            "M" => PredictedGender::LikelyMale,
            other => panic!("line {}: sex {other:?}", i + 1),
        };
        let tally = tallies.entry(locale).or_default();
        match predict_gender(None, Some(name)) {
            PredictedGender::Uncertain => tally.uncertain += 1,
            predicted if predicted == known => tally.right += 1,
            _ => tally.wrong += 1,
        }
    }
    tallies
}

#[test]
fn held_out_names_meet_the_accuracy_targets() {
    let tallies = tally_by_locale();
    assert_eq!(tallies.len(), 9, "{:?}", tallies.keys());
    println!("locale   names  right  wrong  uncertain  right-where-decided  uncertain");
    let mut pooled = Tally::default();
    let (mut accuracy_sum, mut uncertain_sum) = (0.0, 0.0);
    for (locale, t) in &tallies {
        println!(
            "{locale:<7} {:>6} {:>6} {:>6} {:>10} {:>19.1} % {:>8.1} %",
            t.total(),
            t.right,
            t.wrong,
            t.uncertain,
            100.0 * t.accuracy(),
            100.0 * t.uncertain_share()
        );
        pooled.right += t.right;
        pooled.wrong += t.wrong;
        pooled.uncertain += t.uncertain;
        accuracy_sum += t.accuracy();
        uncertain_sum += t.uncertain_share();
    }
    let markets = tallies.len() as f64;
    let (mean_accuracy, mean_uncertain) = (accuracy_sum / markets, uncertain_sum / markets);
    println!(
        "mean of the markets: {:.1} % right where decided, {:.1} % uncertain",
        100.0 * mean_accuracy,
        100.0 * mean_uncertain
    );
    println!(
        "all names pooled ({}): {:.1} % right where decided, {:.1} % uncertain",
        pooled.total(),
        100.0 * pooled.accuracy(),
        100.0 * pooled.uncertain_share()
    );
    for (locale, t) in tallies.iter().filter(|(l, _)| **l != "is_IS") {
        assert!(t.total() >= 150, "{locale}: only {} names", t.total());
        assert!(t.accuracy() >= 0.97, "{locale}: {t:?}");
        assert!(t.uncertain_share() <= 0.10, "{locale}: {t:?}");
    }
    assert!(mean_accuracy >= 0.97, "{mean_accuracy}");
    assert!(mean_uncertain <= 0.10, "{mean_uncertain}");
}
