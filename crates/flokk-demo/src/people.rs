//! Who the customers are: per-locale first and last names, forms of
//! address, e-mail domains, phone numbers and street names.

use crate::randomness::{DemoRng, chance, one_of};
use flokk_model::Gender;
use rand::RngExt;

/// A market the store sells to, with its naming conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locale {
    /// ISO 3166-1 alpha-2 country.
    pub country: &'static str,
    /// The usual language (`nb`, `sv`, ...).
    pub language: &'static str,
    /// Titles for women (the first is the common one; a second, if any, is
    /// the form for young/unmarried women: `Frk`, `Miss`).
    pub female_titles: &'static [&'static str],
    /// Titles for men.
    pub male_titles: &'static [&'static str],
    /// Female first names.
    pub female_names: &'static [&'static str],
    /// Male first names.
    pub male_names: &'static [&'static str],
    /// Family names.
    pub last_names: &'static [&'static str],
    /// Local e-mail providers.
    pub email_domains: &'static [&'static str],
    /// Street names.
    pub streets: &'static [&'static str],
    /// Whether the house number precedes the street (`12 High Street`).
    pub number_first: bool,
    /// Calling code and national mobile number pattern (`#` = any digit).
    pub phone: (&'static str, &'static str),
    /// Typical UTC offset in hours (standard time), for times of day.
    pub utc_offset: i8,
}

/// The markets, in the order of [`MARKET_SHARES`].
pub const LOCALES: &[Locale] = &[
    Locale {
        country: "NO",
        language: "nb",
        female_titles: &["Fru", "Frk"],
        male_titles: &["Hr"],
        female_names: &[
            "Nora", "Emma", "Ingrid", "Sofie", "Maja", "Kari", "Anne", "Ingeborg", "Solveig",
            "Hanne", "Silje", "Thea", "Åse", "Marit", "Tuva",
        ],
        male_names: &[
            "Jakob", "Emil", "Lars", "Ole", "Magnus", "Henrik", "Kristian", "Jon", "Bjørn",
            "Håkon", "Sindre", "Eirik", "Per", "Øystein", "Tor",
        ],
        last_names: &[
            "Hansen",
            "Johansen",
            "Olsen",
            "Larsen",
            "Andersen",
            "Pedersen",
            "Nilsen",
            "Kristiansen",
            "Jensen",
            "Karlsen",
            "Berg",
            "Haugen",
            "Hagen",
            "Bakken",
            "Solberg",
            "Dahl",
            "Lie",
            "Strand",
            "Sæther",
            "Økland",
        ],
        email_domains: &["online.no", "hotmail.no", "live.no", "broadpark.no"],
        streets: &[
            "Karl Johans gate",
            "Storgata",
            "Kirkeveien",
            "Parkveien",
            "Bogstadveien",
            "Thorvald Meyers gate",
            "Skolegata",
            "Strandgata",
            "Fjellveien",
            "Sjøgata",
        ],
        number_first: false,
        utc_offset: 1,
        phone: ("+47", "9#######"),
    },
    Locale {
        country: "SE",
        language: "sv",
        female_titles: &["Fru"],
        male_titles: &["Hr"],
        female_names: &[
            "Alice", "Maja", "Elsa", "Astrid", "Wilma", "Ebba", "Karin", "Ingrid", "Linnea",
            "Saga", "Åsa", "Birgitta",
        ],
        male_names: &[
            "William", "Liam", "Oscar", "Lucas", "Erik", "Lars", "Anders", "Johan", "Gustav",
            "Nils", "Björn", "Örjan",
        ],
        last_names: &[
            "Andersson",
            "Johansson",
            "Karlsson",
            "Nilsson",
            "Eriksson",
            "Larsson",
            "Olsson",
            "Persson",
            "Svensson",
            "Gustafsson",
            "Lindqvist",
            "Öberg",
            "Åkesson",
            "Lindström",
        ],
        email_domains: &["telia.com", "bredband.net", "spray.se", "hotmail.se"],
        streets: &[
            "Drottninggatan",
            "Storgatan",
            "Kungsgatan",
            "Vasagatan",
            "Sveavägen",
            "Götgatan",
            "Skolgatan",
            "Parkvägen",
            "Östra Hamngatan",
        ],
        number_first: false,
        utc_offset: 1,
        phone: ("+46", "7########"),
    },
    Locale {
        country: "DK",
        language: "da",
        female_titles: &["Fru", "Frk"],
        male_titles: &["Hr"],
        female_names: &[
            "Ida", "Freja", "Clara", "Emma", "Mette", "Hanne", "Lone", "Karen", "Sofie", "Signe",
        ],
        male_names: &[
            "William", "Noah", "Søren", "Mads", "Rasmus", "Jens", "Niels", "Frederik", "Anders",
            "Kasper",
        ],
        last_names: &[
            "Nielsen",
            "Jensen",
            "Hansen",
            "Pedersen",
            "Andersen",
            "Christensen",
            "Larsen",
            "Sørensen",
            "Rasmussen",
            "Jørgensen",
            "Madsen",
            "Kristensen",
        ],
        email_domains: &["live.dk", "mail.dk", "jubii.dk", "post.tele.dk"],
        streets: &[
            "Strøget",
            "Nørregade",
            "Vestergade",
            "Østergade",
            "Algade",
            "Jernbanegade",
            "Skolevej",
            "Kirkevej",
            "Søndergade",
        ],
        number_first: false,
        utc_offset: 1,
        phone: ("+45", "2#######"),
    },
    Locale {
        country: "FI",
        language: "fi",
        female_titles: &[],
        male_titles: &[],
        female_names: &[
            "Aino", "Helmi", "Sofia", "Eveliina", "Anna", "Tuula", "Päivi", "Satu", "Johanna",
            "Sanna",
        ],
        male_names: &[
            "Juhani", "Mikael", "Olavi", "Antero", "Matti", "Jukka", "Timo", "Mikko", "Väinö",
            "Eero",
        ],
        last_names: &[
            "Korhonen",
            "Virtanen",
            "Mäkinen",
            "Nieminen",
            "Mäkelä",
            "Hämäläinen",
            "Laine",
            "Heikkinen",
            "Koskinen",
            "Järvinen",
        ],
        email_domains: &["elisanet.fi", "kolumbus.fi", "luukku.com", "suomi24.fi"],
        streets: &[
            "Mannerheimintie",
            "Aleksanterinkatu",
            "Hämeenkatu",
            "Kauppakatu",
            "Kirkkokatu",
            "Rantatie",
            "Koulukatu",
            "Puistokatu",
        ],
        number_first: false,
        utc_offset: 2,
        phone: ("+358", "4########"),
    },
    Locale {
        country: "IS",
        language: "is",
        female_titles: &[],
        male_titles: &[],
        female_names: &[
            "Guðrún",
            "Anna",
            "Sigríður",
            "Kristín",
            "Margrét",
            "Helga",
            "Sigrún",
            "Ásta",
        ],
        male_names: &[
            "Jón",
            "Sigurður",
            "Guðmundur",
            "Gunnar",
            "Ólafur",
            "Einar",
            "Magnús",
            "Stefán",
        ],
        last_names: &[
            "Jónsdóttir",
            "Jónsson",
            "Sigurðardóttir",
            "Sigurðsson",
            "Guðmundsdóttir",
            "Guðmundsson",
            "Ólafsson",
            "Einarsdóttir",
        ],
        email_domains: &["simnet.is", "internet.is", "visir.is"],
        streets: &[
            "Laugavegur",
            "Skólavörðustígur",
            "Hverfisgata",
            "Bankastræti",
            "Austurstræti",
            "Hringbraut",
        ],
        number_first: false,
        utc_offset: 0,
        phone: ("+354", "6######"),
    },
    Locale {
        country: "NL",
        language: "nl",
        female_titles: &["Mevr"],
        male_titles: &["Dhr"],
        female_names: &[
            "Emma", "Julia", "Sophie", "Anna", "Tess", "Sanne", "Lotte", "Anouk", "Marieke",
            "Femke",
        ],
        male_names: &[
            "Daan", "Sem", "Lucas", "Bram", "Thijs", "Jeroen", "Pieter", "Maarten", "Joost",
            "Ruben",
        ],
        last_names: &[
            "de Jong",
            "Jansen",
            "de Vries",
            "van den Berg",
            "van Dijk",
            "Bakker",
            "Janssen",
            "Visser",
            "Smit",
            "Meijer",
            "de Boer",
            "Mulder",
        ],
        email_domains: &["ziggo.nl", "kpnmail.nl", "planet.nl", "home.nl"],
        streets: &[
            "Kerkstraat",
            "Dorpsstraat",
            "Stationsweg",
            "Molenweg",
            "Prinsengracht",
            "Keizersgracht",
            "Schoolstraat",
            "Nieuwstraat",
        ],
        number_first: false,
        utc_offset: 1,
        phone: ("+31", "6########"),
    },
    Locale {
        country: "DE",
        language: "de",
        female_titles: &["Frau"],
        male_titles: &["Herr"],
        female_names: &[
            "Mia",
            "Hannah",
            "Emilia",
            "Sophia",
            "Lena",
            "Katharina",
            "Sabine",
            "Ursula",
            "Monika",
            "Petra",
            "Anja",
        ],
        male_names: &[
            "Ben", "Paul", "Leon", "Lukas", "Felix", "Thomas", "Michael", "Stefan", "Andreas",
            "Jörg", "Günther",
        ],
        last_names: &[
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Meyer",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Schäfer",
            "Koch",
            "Weiß",
            "Groß",
        ],
        email_domains: &["gmx.de", "web.de", "t-online.de", "freenet.de"],
        streets: &[
            "Hauptstraße",
            "Schulstraße",
            "Gartenstraße",
            "Bahnhofstraße",
            "Dorfstraße",
            "Bergstraße",
            "Lindenstraße",
            "Kirchstraße",
            "Goethestraße",
        ],
        number_first: false,
        utc_offset: 1,
        phone: ("+49", "15#########"),
    },
    Locale {
        country: "GB",
        language: "en",
        female_titles: &["Mrs", "Ms", "Miss"],
        male_titles: &["Mr"],
        female_names: &[
            "Olivia",
            "Amelia",
            "Isla",
            "Ava",
            "Emily",
            "Charlotte",
            "Sarah",
            "Emma",
            "Claire",
            "Siobhan",
        ],
        male_names: &[
            "Oliver", "George", "Harry", "Jack", "James", "David", "Thomas", "William", "Callum",
            "Rhys",
        ],
        last_names: &[
            "Smith",
            "Jones",
            "Williams",
            "Taylor",
            "Brown",
            "Davies",
            "Evans",
            "Wilson",
            "Thomas",
            "Roberts",
            "Johnson",
            "O'Brien",
            "MacDonald",
        ],
        email_domains: &[
            "btinternet.com",
            "yahoo.co.uk",
            "sky.com",
            "virginmedia.com",
        ],
        streets: &[
            "High Street",
            "Station Road",
            "Main Street",
            "Park Road",
            "Church Road",
            "Church Street",
            "London Road",
            "Victoria Road",
            "Green Lane",
        ],
        number_first: true,
        utc_offset: 0,
        phone: ("+44", "7#########"),
    },
    Locale {
        country: "US",
        language: "en",
        female_titles: &["Mrs", "Ms", "Miss"],
        male_titles: &["Mr"],
        female_names: &[
            "Olivia",
            "Emma",
            "Charlotte",
            "Amelia",
            "Sophia",
            "Jennifer",
            "Jessica",
            "Ashley",
            "Mary",
            "Patricia",
            "Linda",
        ],
        male_names: &[
            "Liam",
            "Noah",
            "Oliver",
            "James",
            "Elijah",
            "Michael",
            "Robert",
            "John",
            "David",
            "William",
            "Christopher",
        ],
        last_names: &[
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Garcia",
            "Miller",
            "Davis",
            "Rodriguez",
            "Martinez",
            "Hernandez",
            "Lopez",
            "Wilson",
            "Anderson",
            "Nguyen",
        ],
        email_domains: &["comcast.net", "aol.com", "att.net", "verizon.net"],
        streets: &[
            "Main St",
            "Oak St",
            "Maple Ave",
            "Washington St",
            "Park Ave",
            "2nd St",
            "Elm St",
            "Cedar Ln",
            "Lake Dr",
            "Sunset Blvd",
        ],
        number_first: true,
        utc_offset: -6,
        phone: ("+1", "2##555####"),
    },
    Locale {
        country: "CA",
        language: "en",
        female_titles: &["Mrs", "Ms", "Miss"],
        male_titles: &["Mr"],
        female_names: &[
            "Olivia",
            "Emma",
            "Charlotte",
            "Chloé",
            "Léa",
            "Sarah",
            "Emily",
            "Jessica",
            "Marie",
            "Isabelle",
        ],
        male_names: &[
            "Liam", "Noah", "William", "Benjamin", "Lucas", "Félix", "Jacob", "Samuel", "Ryan",
            "Gabriel",
        ],
        last_names: &[
            "Smith",
            "Brown",
            "Tremblay",
            "Martin",
            "Roy",
            "Wilson",
            "MacDonald",
            "Gagnon",
            "Johnson",
            "Taylor",
            "Côté",
            "Bouchard",
            "Gauthier",
            "Morin",
        ],
        email_domains: &["shaw.ca", "rogers.com", "sympatico.ca", "videotron.ca"],
        streets: &[
            "Main Street",
            "King Street",
            "Queen Street",
            "Yonge Street",
            "Rue Saint-Denis",
            "Rue Sainte-Catherine",
            "Maple Avenue",
            "Church Street",
        ],
        number_first: true,
        utc_offset: -5,
        phone: ("+1", "4##555####"),
    },
];

/// Share of customers per market (same order as [`LOCALES`]): a Nordic
/// store that also sells to Europe and North America.
pub const MARKET_SHARES: &[f64] = &[0.30, 0.12, 0.08, 0.05, 0.01, 0.08, 0.12, 0.08, 0.12, 0.04];

/// Québec customers speak French and use French titles.
pub const QUEBEC_TITLES: (&[&str], &[&str]) = (&["Mme", "Mlle"], &["M."]);

/// International mail providers used in every market.
pub const GLOBAL_EMAIL_DOMAINS: &[(&str, f64)] = &[
    ("gmail.com", 0.45),
    ("hotmail.com", 0.12),
    ("outlook.com", 0.10),
    ("icloud.com", 0.10),
    ("yahoo.com", 0.08),
];

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
