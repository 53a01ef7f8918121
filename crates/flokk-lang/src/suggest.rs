//! "Did you mean ...?": the closest known name to a misspelt one.

/// Names longer than this get no suggestion: comparing them costs time and
/// a name that long is not a typo.
const MAX_LEN: usize = 64;

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo: same letters in another case, or an edit distance of at most a
/// third of the length, rounded up (at least 1, at most 3).
pub fn closest<'c, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'c str>,
{
    if word.is_empty() || word.len() > MAX_LEN {
        return None;
    }
    let lower = word.to_lowercase();
    let allowed = word.chars().count().div_ceil(3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate.len() > MAX_LEN + 3 {
            continue;
        }
        let distance = if candidate.to_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(&lower, &candidate.to_lowercase())
        };
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c.to_owned())
}

/// How far `candidate` is from `word` (ignoring case) when it is close
/// enough to be a likely typo by the rule of [`closest`]; `None` otherwise.
pub fn typo_distance(word: &str, candidate: &str) -> Option<usize> {
    if word.is_empty() || word.len() > MAX_LEN || candidate.len() > MAX_LEN + 3 {
        return None;
    }
    let allowed = word.chars().count().div_ceil(3).clamp(1, 3);
    let distance = strsim::damerau_levenshtein(&word.to_lowercase(), &candidate.to_lowercase());
    (distance <= allowed).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_case() {
        let names = [
            "email_subscription_status",
            "sms_subscription_status",
            "amount_spent",
        ];
        assert_eq!(
            closest("emial_subscription_status", names).as_deref(),
            Some("email_subscription_status")
        );
        assert_eq!(
            closest("Amount_Spent", names).as_deref(),
            Some("amount_spent")
        );
        assert_eq!(closest("zzz", names), None);
        assert_eq!(
            closest("SUBSCRIBD", ["SUBSCRIBED", "UNSUBSCRIBED"]).as_deref(),
            Some("SUBSCRIBED")
        );
    }
}
