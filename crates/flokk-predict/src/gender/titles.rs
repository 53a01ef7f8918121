//! Gendered titles / salutations in English, Nordic (Danish, Norwegian,
//! Swedish), German, French and Dutch forms.

use super::PredictedGender;

/// Titles that say "male", lower-case without the trailing period.
const MALE: &[&str] = &[
    // English
    "mr", "mister", "sir", "master", // Nordic (da/no: Hr.; sv: Herr)
    "hr", "herr", // French
    "m", "monsieur", // Dutch
    "dhr", "de heer", "heer",
];

/// Titles that say "female".
const FEMALE: &[&str] = &[
    // English
    "mrs",
    "ms",
    "miss",
    "madam",
    "mistress",
    "lady",
    "dame",
    // Nordic (fru, frk, frøken / fröken)
    "fru",
    "frk",
    "froken",
    "frøken",
    "fröken",
    // German
    "frau",
    "fräulein",
    "fraulein",
    "frl",
    // French
    "mme",
    "madame",
    "mlle",
    "mademoiselle",
    // Dutch
    "mevr",
    "mevrouw",
    "mw",
    "mej",
    "mejuffrouw",
];

/// The gender a title implies; `None` for neutral titles (Dr, Prof, Mx, …)
/// or unknown text.
pub fn gender_from_title(title: &str) -> Option<PredictedGender> {
    let normalised = title.trim().trim_end_matches('.').trim().to_lowercase();
    let normalised = normalised.split_whitespace().collect::<Vec<_>>().join(" ");
    if MALE.contains(&normalised.as_str()) {
        Some(PredictedGender::LikelyMale)
    } else if FEMALE.contains(&normalised.as_str()) {
        Some(PredictedGender::LikelyFemale)
    } else {
        None
    }
}
