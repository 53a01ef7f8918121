//! Rows of ad audience lists: Meta custom audiences and Google Customer
//! Match, with the consent gate applied.

use crate::columns::{default_address, province_code};
use crate::consent::{Consent, NO_CONSENT, NO_CONTACT};
use crate::normalise::{self, sha256_hex};
use crate::phone::international_digits;
use flokk_model::{Customer, Gender};

/// Meta's column headers.
pub(crate) const META_HEADERS: &[&str] = &[
    "email", "phone", "fn", "ln", "ct", "st", "zip", "country", "doby", "gen",
];
/// Google Customer Match's column headers.
pub(crate) const GOOGLE_HEADERS: &[&str] = &[
    "Email",
    "Phone",
    "First Name",
    "Last Name",
    "Country",
    "Zip",
];

/// Which audience list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    /// Meta; `raw` leaves values unhashed.
    Meta { raw: bool },
    /// Google Customer Match.
    Google,
}

/// What became of one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Exported with these cells; `blanked` names a phone left empty
    /// because it could not be normalised.
    Row {
        cells: Vec<String>,
        blanked: Option<&'static str>,
    },
    /// Left out for this reason.
    LeftOut(&'static str),
}

impl Audience {
    /// The column headers.
    pub(crate) fn headers(self) -> &'static [&'static str] {
        match self {
            Audience::Meta { .. } => META_HEADERS,
            Audience::Google => GOOGLE_HEADERS,
        }
    }

    /// The row of customer `c`, or why they are left out.
    pub(crate) fn row(self, c: &Customer) -> Outcome {
        let consent = Consent::of(c);
        if !consent.any() {
            return Outcome::LeftOut(NO_CONSENT);
        }
        let address = default_address(c);
        let country = address.and_then(|a| a.country_code());
        let email = if consent.email {
            match self {
                Audience::Meta { .. } => normalise::email(c.email.as_deref()),
                Audience::Google => normalise::google_email(c.email.as_deref()),
            }
        } else {
            None
        };
        let (phone, blanked) = if consent.phone {
            match international_digits(c.phone.as_deref(), country.as_deref()) {
                Ok(p) => (p, None),
                Err(problem) => (None, Some(problem.reason())),
            }
        } else {
            (None, None)
        };
        if email.is_none() && phone.is_none() {
            return Outcome::LeftOut(NO_CONTACT);
        }
        let cells = match self {
            Audience::Meta { raw } => {
                let hash = |v: Option<String>| match v {
                    Some(v) if !raw => sha256_hex(&v),
                    v => v.unwrap_or_default(),
                };
                let zip = address.and_then(|a| a.zip.as_deref());
                vec![
                    hash(email),
                    hash(phone),
                    hash(normalise::letters(c.first_name.as_deref())),
                    hash(normalise::letters(c.last_name.as_deref())),
                    hash(normalise::letters(address.and_then(|a| a.city.as_deref()))),
                    hash(normalise::alphanumeric(
                        address.and_then(province_code).as_deref(),
                    )),
                    hash(normalise::meta_zip(zip, country.as_deref())),
                    hash(country.as_deref().map(str::to_lowercase)),
                    hash(
                        c.birth_date
                            .filter(|d| d.year() > 0)
                            .map(|d| format!("{:04}", d.year())),
                    ),
                    hash(gender(c.gender)),
                ]
            }
            Audience::Google => {
                let hash = |v: Option<String>| v.map(|v| sha256_hex(&v)).unwrap_or_default();
                vec![
                    hash(email),
                    hash(phone.map(|p| format!("+{p}"))),
                    hash(normalise::letters_and_spaces(c.first_name.as_deref())),
                    hash(normalise::letters_and_spaces(c.last_name.as_deref())),
                    country.unwrap_or_default(),
                    normalise::trimmed(address.and_then(|a| a.zip.as_deref())).unwrap_or_default(),
                ]
            }
        };
        Outcome::Row { cells, blanked }
    }
}

fn gender(g: Option<Gender>) -> Option<String> {
    match g? {
        Gender::Male => Some("m".to_owned()),
        Gender::Female => Some("f".to_owned()),
        Gender::Other => None,
    }
}
