//! Who the customers are: a name, a title and a gender drawn from their
//! locale, and an e-mail address, phone number and street address.

use crate::locales::{GLOBAL_EMAIL_DOMAINS, Locale, QUEBEC_TITLES};
use crate::randomness::{DemoRng, chance, one_of};
use flokk_model::Gender;
use rand::RngExt;

/// A person's name, title and recorded gender.
#[derive(Debug, Clone)]
pub struct Person {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Form of address, if the customer gave one.
    pub title: Option<&'static str>,
    /// Recorded gender, if the customer gave one.
    pub gender: Option<Gender>,
}

/// Draws a person for a locale. Titles and genders are each left out for
/// some customers, and sometimes one is given without the other, so that
/// `gender IS NULL` and `predicted_gender` (from titles) both have work.
pub fn person(rng: &mut DemoRng, locale: &Locale, french: bool) -> Person {
    let female = chance(rng, 0.53);
    let first_name = if female {
        one_of(rng, locale.female_names)
    } else {
        one_of(rng, locale.male_names)
    };
    let mut last_name = one_of(rng, locale.last_names).to_string();
    if chance(rng, 0.04) {
        // Double-barrelled names.
        last_name = format!("{}-{}", last_name, one_of(rng, locale.last_names));
    }
    let (female_titles, male_titles) = if french {
        QUEBEC_TITLES
    } else {
        (locale.female_titles, locale.male_titles)
    };
    let titles = if female { female_titles } else { male_titles };
    let title = if !titles.is_empty() && chance(rng, 0.6) {
        // The first title is the usual one; the others are rarer.
        Some(if titles.len() > 1 && chance(rng, 0.25) {
            titles[rng.random_range(1..titles.len())]
        } else {
            titles[0]
        })
    } else {
        None
    };
    let gender = match rng.random_range(0..100) {
        0..=1 => Some(Gender::Other),
        2..=24 => None,
        _ if female => Some(Gender::Female),
        _ => Some(Gender::Male),
    };
    Person {
        first_name: first_name.to_string(),
        last_name,
        title,
        gender,
    }
}

/// An e-mail address for a person: `first.last42@domain`, ASCII-folded.
pub fn email(rng: &mut DemoRng, locale: &Locale, person: &Person, index: u64) -> String {
    let first = flokk_geo::name_key(&person.first_name);
    let last = flokk_geo::name_key(&person.last_name);
    let domain = if chance(rng, 0.3) {
        *one_of(rng, locale.email_domains)
    } else {
        let u = rng.random::<f64>() * 0.85;
        let mut acc = 0.0;
        GLOBAL_EMAIL_DOMAINS
            .iter()
            .find(|(_, w)| {
                acc += w;
                u < acc
            })
            .map_or("gmail.com", |(d, _)| d)
    };
    // The customer index keeps addresses unique across millions of customers.
    match rng.random_range(0..3) {
        0 => format!("{first}.{last}{index}@{domain}"),
        1 => format!("{first}{index}@{domain}"),
        _ => format!("{}{last}.{index}@{domain}", &first[..first.len().min(1)]),
    }
}

/// A mobile number in E.164 form.
pub fn phone(rng: &mut DemoRng, locale: &Locale) -> String {
    let (code, pattern) = locale.phone;
    let mut s = String::with_capacity(code.len() + pattern.len());
    s.push_str(code);
    for c in pattern.chars() {
        s.push(if c == '#' {
            char::from(b'0' + rng.random_range(0..10u8))
        } else {
            c
        });
    }
    s
}

/// A street address line in the local order.
pub fn street_address(rng: &mut DemoRng, locale: &Locale) -> String {
    let street = one_of(rng, locale.streets);
    let number = rng.random_range(1..180);
    if locale.number_first {
        format!("{number} {street}")
    } else {
        format!("{street} {number}")
    }
}
