//! `predicted_gender` (predictive.md): from the title when it is gendered,
//! else from the first name through a bundled, redistributable name table
//! (the national first-name statistics of flokk's markets, each market
//! weighted equally, plus two hand-written overrides; see `data/README.md`).
//! A gender only when its share is at least 75 %, else `UNCERTAIN`.

mod name_table;
mod names;
mod titles;

pub use names::{female_share, fold};
pub use titles::gender_from_title;

/// Share a gender needs among the name's bearers to be predicted (75 %).
pub const DECISIVE_SHARE: f64 = 0.75;

/// The values of the `predicted_gender` field (language.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PredictedGender {
    /// Female title, or a first name ≥ 75 % female.
    LikelyFemale,
    /// Male title, or a first name ≥ 75 % male.
    LikelyMale,
    /// Neither.
    Uncertain,
}

impl PredictedGender {
    /// The value as the filter language spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            PredictedGender::LikelyFemale => "LIKELY_FEMALE",
            PredictedGender::LikelyMale => "LIKELY_MALE",
            PredictedGender::Uncertain => "UNCERTAIN",
        }
    }
}

/// Predicts gender from a title and a first name (either may be absent).
///
/// The title wins when gendered. Otherwise the first name: a leading title in
/// the name field (`"Mrs Anna"`, `"Dr. Anna"`) is skipped, then the first
/// word is looked up; a hyphenated name is looked up whole first
/// (`Jean-Pierre`), then by its first part the table decides
/// (`Anne-Sophie` → `anne`). Ambiguous parts (e.g. `Jean`) pass to the next part.
pub fn predict_gender(title: Option<&str>, first_name: Option<&str>) -> PredictedGender {
    if let Some(gender) = title.and_then(gender_from_title) {
        return gender;
    }
    let Some(first_name) = first_name else {
        return PredictedGender::Uncertain;
    };
    let mut words = first_name.split_whitespace().peekable();
    // Skip titles written into the name field.
    while let Some(word) = words.peek() {
        if let Some(gender) = gender_from_title(word) {
            return gender;
        }
        if is_neutral_title(word) {
            words.next();
        } else {
            break;
        }
    }
    let Some(word) = words.next() else {
        return PredictedGender::Uncertain;
    };
    let word = word.trim_matches(|c: char| !c.is_alphabetic() && c != '-');
    let mut candidates = vec![word];
    if word.contains('-') {
        candidates.extend(word.split('-').filter(|p| !p.is_empty()));
    }
    for candidate in candidates {
        match female_share(candidate).map(decide) {
            Some(PredictedGender::Uncertain) | None => continue,
            Some(gender) => return gender,
        }
    }
    PredictedGender::Uncertain
}

/// Applies the 75 % rule to a female share.
pub fn decide(female_share: f64) -> PredictedGender {
    if female_share >= DECISIVE_SHARE {
        PredictedGender::LikelyFemale
    } else if 1.0 - female_share >= DECISIVE_SHARE {
        PredictedGender::LikelyMale
    } else {
        PredictedGender::Uncertain
    }
}

fn is_neutral_title(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    matches!(
        w.as_str(),
        "dr" | "prof" | "mx" | "rev" | "ir" | "drs" | "mr." | "ing"
    )
}
