//! Phone numbers in international form for ad platforms.

/// Why a phone number could not be put in international form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhoneProblem {
    /// A national number and no known country calling code for it.
    NoCountryCode,
    /// Fewer than 7 or more than 15 digits with the country code.
    Invalid,
}

impl PhoneProblem {
    /// The summary's name for phones left empty for this reason.
    pub(crate) fn reason(self) -> &'static str {
        match self {
            PhoneProblem::NoCountryCode => "phone_no_country_code",
            PhoneProblem::Invalid => "phone_invalid",
        }
    }
}

/// How national numbers of a country are written.
struct Country {
    alpha2: &'static str,
    calling_code: &'static str,
    /// The trunk prefix dropped from national numbers, if any.
    trunk: Option<char>,
}

const fn c(alpha2: &'static str, calling_code: &'static str, trunk: Option<char>) -> Country {
    Country {
        alpha2,
        calling_code,
        trunk,
    }
}

/// The countries the demo and the usual shops use. Italy keeps its `0`;
/// Norway, Denmark, Iceland, Spain and Poland have no trunk prefix; the
/// North American numbering plan's trunk prefix is `1`.
const COUNTRIES: &[Country] = &[
    c("NO", "47", None),
    c("SE", "46", Some('0')),
    c("DK", "45", None),
    c("FI", "358", Some('0')),
    c("IS", "354", None),
    c("DE", "49", Some('0')),
    c("GB", "44", Some('0')),
    c("IE", "353", Some('0')),
    c("NL", "31", Some('0')),
    c("FR", "33", Some('0')),
    c("ES", "34", None),
    c("IT", "39", None),
    c("PL", "48", None),
    c("US", "1", Some('1')),
    c("CA", "1", Some('1')),
    c("AU", "61", Some('0')),
    c("AT", "43", Some('0')),
    c("BE", "32", Some('0')),
    c("CH", "41", Some('0')),
    c("PT", "351", None),
    c("NZ", "64", Some('0')),
    c("EE", "372", None),
    c("LV", "371", None),
    c("LT", "370", Some('8')),
];

/// The phone as digits with the country calling code, no `+`
/// (`4791234567`); `Ok(None)` when there is no number at all. `country` is
/// the alpha-2 code of the default address, for national numbers.
pub(crate) fn international_digits(
    phone: Option<&str>,
    country: Option<&str>,
) -> Result<Option<String>, PhoneProblem> {
    let Some(phone) = phone.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Ok(None);
    }
    let full = if phone.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else {
        let country = country
            .map(str::trim)
            .and_then(|c| COUNTRIES.iter().find(|k| k.alpha2.eq_ignore_ascii_case(c)))
            .ok_or(PhoneProblem::NoCountryCode)?;
        let national = match country.trunk {
            // NANP: only an 11-digit number carries the trunk 1.
            Some('1') if digits.len() == 11 => &digits[1..],
            Some('1') => &digits[..],
            Some(t) => digits.strip_prefix(t).unwrap_or(&digits),
            None => &digits[..],
        };
        format!("{}{national}", country.calling_code)
    };
    if (7..=15).contains(&full.len()) && !full.starts_with('0') {
        Ok(Some(full))
    } else {
        Err(PhoneProblem::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(phone: &str, country: Option<&str>) -> Result<Option<String>, PhoneProblem> {
        international_digits(Some(phone), country)
    }

    #[test]
    fn international_numbers_keep_their_code() {
        assert_eq!(
            n("+47 912 34 567", Some("SE")),
            Ok(Some("4791234567".into()))
        );
        assert_eq!(n("0047 912 34 567", None), Ok(Some("4791234567".into())));
        assert_eq!(n("+1 (617) 555-0100", None), Ok(Some("16175550100".into())));
    }

    #[test]
    fn national_numbers_get_the_address_country() {
        assert_eq!(n("912 34 567", Some("NO")), Ok(Some("4791234567".into())));
        assert_eq!(
            n("070-123 45 67", Some("se")),
            Ok(Some("46701234567".into()))
        );
        assert_eq!(
            n("07700 900123", Some("GB")),
            Ok(Some("447700900123".into()))
        );
        assert_eq!(
            n("06 1234 5678", Some("IT")),
            Ok(Some("390612345678".into()))
        );
        assert_eq!(
            n("(617) 555-0100", Some("US")),
            Ok(Some("16175550100".into()))
        );
        assert_eq!(
            n("1 617 555 0100", Some("US")),
            Ok(Some("16175550100".into()))
        );
    }

    #[test]
    fn unusable_numbers() {
        assert_eq!(n("912 34 567", None), Err(PhoneProblem::NoCountryCode));
        assert_eq!(
            n("912 34 567", Some("ZZ")),
            Err(PhoneProblem::NoCountryCode)
        );
        assert_eq!(n("+47 12", None), Err(PhoneProblem::Invalid));
        assert_eq!(n("+1234567890123456", None), Err(PhoneProblem::Invalid));
        assert_eq!(n("  ", Some("NO")), Ok(None));
        assert_eq!(n("n/a", Some("NO")), Ok(None));
        assert_eq!(international_digits(None, Some("NO")), Ok(None));
    }
}
