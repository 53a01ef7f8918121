//! The shop's products: a fixed catalogue of a few hundred items with
//! categories (`Apparel > Shorts`), tags and vendors, the same for every
//! seed so that examples and tests can name products.

use crate::randomness::{DemoRng, Weighted, stream_rng};
use rand::RngExt;
use std::sync::OnceLock;

/// One product.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// Product id (`p1` ...).
    pub id: String,
    /// Title (`Summer Shorts`).
    pub title: String,
    /// Category path (`Apparel > Shorts`).
    pub category: &'static str,
    /// Tags (`shorts`, `summer`, `sale`).
    pub tags: Vec<String>,
    /// Vendor.
    pub vendor: &'static str,
    /// Unit price in cents.
    pub price_cents: i64,
    /// The collection (storefront) the product is listed in.
    pub collection: &'static str,
}

/// A product category and what its products look like.
struct Category {
    /// Category path.
    path: &'static str,
    /// Tags every product of the category has.
    tags: &'static [&'static str],
    /// Product nouns (`Shorts`, `Board Shorts`).
    nouns: &'static [&'static str],
    /// Typical unit price.
    price: f64,
    /// Storefront collection.
    collection: &'static str,
}

const CATEGORIES: &[Category] = &[
    Category {
        path: "Apparel > Shorts",
        tags: &["shorts", "summer"],
        nouns: &["Shorts", "Board Shorts", "Running Shorts", "Chino Shorts"],
        price: 45.0,
        collection: "summer",
    },
    Category {
        path: "Apparel > T-Shirts",
        tags: &["tops", "t-shirt"],
        nouns: &["T-Shirt", "Tee", "Long Sleeve Tee", "Polo"],
        price: 30.0,
        collection: "basics",
    },
    Category {
        path: "Apparel > Sweaters",
        tags: &["tops", "knitwear", "winter"],
        nouns: &["Sweater", "Cardigan", "Hoodie", "Wool Jumper"],
        price: 95.0,
        collection: "winter",
    },
    Category {
        path: "Apparel > Jackets",
        tags: &["outerwear", "winter"],
        nouns: &["Parka", "Rain Jacket", "Down Jacket", "Shell Jacket"],
        price: 220.0,
        collection: "outerwear",
    },
    Category {
        path: "Apparel > Dresses",
        tags: &["dresses", "summer"],
        nouns: &["Dress", "Maxi Dress", "Wrap Dress"],
        price: 85.0,
        collection: "summer",
    },
    Category {
        path: "Apparel > Jeans",
        tags: &["denim", "bottoms"],
        nouns: &["Jeans", "Slim Jeans", "Wide Jeans"],
        price: 80.0,
        collection: "basics",
    },
    Category {
        path: "Shoes > Sneakers",
        tags: &["shoes", "sneakers"],
        nouns: &["Sneakers", "Trainers", "Court Shoes"],
        price: 110.0,
        collection: "shoes",
    },
    Category {
        path: "Shoes > Boots",
        tags: &["shoes", "boots", "winter"],
        nouns: &["Boots", "Hiking Boots", "Chelsea Boots"],
        price: 160.0,
        collection: "shoes",
    },
    Category {
        path: "Accessories > Bags",
        tags: &["accessories", "bags"],
        nouns: &["Tote Bag", "Backpack", "Weekender"],
        price: 70.0,
        collection: "accessories",
    },
    Category {
        path: "Accessories > Hats",
        tags: &["accessories", "hats"],
        nouns: &["Beanie", "Cap", "Bucket Hat"],
        price: 25.0,
        collection: "accessories",
    },
    Category {
        path: "Accessories > Scarves",
        tags: &["accessories", "winter"],
        nouns: &["Scarf", "Wool Scarf"],
        price: 35.0,
        collection: "winter",
    },
    Category {
        path: "Sports > Jerseys",
        tags: &["sports", "jersey"],
        nouns: &["Jersey", "Home Jersey", "Away Jersey"],
        price: 79.0,
        collection: "sports",
    },
    Category {
        path: "Home > Candles",
        tags: &["home", "gift"],
        nouns: &["Candle", "Scented Candle"],
        price: 18.0,
        collection: "home",
    },
    Category {
        path: "Home > Mugs",
        tags: &["home", "gift"],
        nouns: &["Mug", "Travel Mug"],
        price: 15.0,
        collection: "home",
    },
    Category {
        path: "Beauty > Skincare",
        tags: &["beauty", "organic"],
        nouns: &["Face Cream", "Serum", "Lip Balm"],
        price: 28.0,
        collection: "beauty",
    },
];

const ADJECTIVES: &[&str] = &[
    "Summer", "Arctic", "Fjord", "Classic", "Midnight", "Coastal", "Nordic", "Urban", "Alpine",
    "Linen", "Merino", "Harbour", "Aurora", "Forest", "Granite", "Saffron", "Cloud", "Trail",
    "Heritage", "Studio",
];

const VENDORS: &[&str] = &[
    "Acme",
    "Fjord & Fell",
    "Nordlys",
    "Hygge Home",
    "Kiruna Outdoor",
    "Polar Thread",
    "Dune & Co",
    "Tulip Studio",
    "Maple Leaf Goods",
    "Liberty Lane",
];

const EXTRA_TAGS: &[&str] = &["new", "sale", "bestseller", "eco", "limited"];

/// Number of products.
pub const PRODUCT_COUNT: usize = 300;

/// The catalogue, built once.
pub fn catalogue() -> &'static [Product] {
    static CATALOGUE: OnceLock<Vec<Product>> = OnceLock::new();
    CATALOGUE.get_or_init(build)
}

fn build() -> Vec<Product> {
    // A fixed stream: the catalogue does not depend on the store's seed.
    let mut rng = stream_rng(0xca7a_109e, 0);
    let mut products = Vec::with_capacity(PRODUCT_COUNT);
    // Two products the spec's examples name.
    products.push(Product {
        id: "p1".into(),
        title: "Summer shorts".into(),
        category: "Apparel > Shorts",
        tags: vec!["shorts".into(), "summer".into()],
        vendor: "Acme",
        price_cents: 4995,
        collection: "summer",
    });
    products.push(Product {
        id: "p2".into(),
        title: "Patriots Jersey".into(),
        category: "Sports > Jerseys",
        tags: vec!["sports".into(), "jersey".into()],
        vendor: "Liberty Lane",
        price_cents: 7900,
        collection: "sports",
    });
    while products.len() < PRODUCT_COUNT {
        let i = products.len();
        let Category {
            path: category,
            tags: base_tags,
            nouns,
            price,
            collection,
        } = CATEGORIES[i % CATEGORIES.len()];
        let adjective = ADJECTIVES[rng.random_range(0..ADJECTIVES.len())];
        let noun = nouns[rng.random_range(0..nouns.len())];
        let mut tags: Vec<String> = base_tags.iter().map(|t| t.to_string()).collect();
        if rng.random_bool(0.4) {
            tags.push(EXTRA_TAGS[rng.random_range(0..EXTRA_TAGS.len())].to_string());
        }
        // Prices vary around the category's typical price and end in .95/.00.
        let p = price * (0.6 + rng.random::<f64>() * 0.9);
        let price_cents = if rng.random_bool(0.5) {
            (p.round() as i64) * 100 - 5
        } else {
            (p.round() as i64) * 100
        };
        products.push(Product {
            id: format!("p{}", i + 1),
            title: format!("{adjective} {noun}"),
            category,
            tags,
            vendor: VENDORS[rng.random_range(0..VENDORS.len())],
            price_cents: price_cents.max(500),
            collection,
        });
    }
    products
}

/// A product by id (`p17`).
pub fn by_id(id: &str) -> Option<&'static Product> {
    let n: usize = id.strip_prefix('p')?.parse().ok()?;
    catalogue().get(n.checked_sub(1)?)
}

/// Product popularity: a few bestsellers, a long tail (Zipf-like).
pub fn popularity() -> &'static Weighted<usize> {
    static WEIGHTS: OnceLock<Weighted<usize>> = OnceLock::new();
    WEIGHTS.get_or_init(|| {
        Weighted::new((0..catalogue().len()).map(|i| (i, 1.0 / (i as f64 + 3.0).powf(0.9))))
    })
}

/// A product by popularity.
pub fn pick_product(rng: &mut DemoRng) -> &'static Product {
    &catalogue()[*popularity().pick(rng)]
}

/// The storefront collections.
pub fn collections() -> Vec<&'static str> {
    let mut c: Vec<&str> = CATEGORIES.iter().map(|c| c.collection).collect();
    c.extend(["sale", "new-arrivals", "gifts"]);
    c.sort_unstable();
    c.dedup();
    c
}
