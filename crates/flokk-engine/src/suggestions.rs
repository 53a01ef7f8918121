//! Values to suggest while a merchant types a query: the tags, cities,
//! products, productions, event names ... this store holds, most used
//! first, for the editor's autocompletion and `GET /api/suggest`.
//!
//! Each (filter, parameter) that takes free values maps to a
//! [`ValueSource`], one of the engine's indexes; enums are not here (their
//! values are in the filter catalog). List fields (`customer_tags`,
//! `customer_cities` ...) are indexed case-folded because CONTAINS ignores
//! case (language.md §5); their suggestions keep the stored spelling
//! (`NO-03-Oslo`, the first spelling seen), which matches the same customers.
//!
//! A prefix matches the start of a value or of any of its words, so `osl`
//! finds `NO-03-Oslo` (cities are stored as country-region-name) and `new`
//! finds `US-NY-New York`; it also matches inside a label (a production's
//! title).

use crate::Engine;
use crate::columns::interner::Sym;
use crate::columns::value_index::{ListIndex, ValueIndex};
use serde::Serialize;

/// Where the values of a filter or parameter come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    /// `customer_tags`
    CustomerTags,
    /// `customer_cities`
    Cities,
    /// `customer_regions`
    Regions,
    /// `customer_countries`
    Countries,
    /// `customer_email_domain`
    EmailDomains,
    /// `customer_language`
    Languages,
    /// `companies`
    Companies,
    /// `permissions`
    Permissions,
    /// `created_by_app_id`
    CreatingApps,
    /// `products_purchased(id = ...)`
    Products,
    /// `products_purchased(tag = ...)`
    ProductTags,
    /// `products_purchased(category = ...)`
    ProductCategories,
    /// `products_purchased(vendor = ...)`
    ProductVendors,
    /// `storefront.product_viewed(id = ...)`
    ViewedProducts,
    /// `storefront.collection_viewed(id = ...)`
    Collections,
    /// `shopify_email.*(activity_id = ...)`
    EmailActivities,
    /// `tickets_purchased(performance_id = ...)`
    Performances,
    /// `tickets_purchased(production_id = ...)`
    Productions,
    /// `venue_id` of tickets and distances
    Venues,
    /// `custom_event(name = ...)`
    EventNames,
    /// `metafields.<key>` values (text and list properties)
    CustomerProperty,
}

impl ValueSource {
    /// The source for `filter` (a filter or function name) and, inside
    /// MATCHES, its parameter; `None` when the values are not open-ended.
    pub fn of(filter: &str, param: Option<&str>) -> Option<ValueSource> {
        use ValueSource::*;
        let source = match (filter, param) {
            ("customer_tags", None) => CustomerTags,
            ("customer_cities", None) => Cities,
            ("customer_regions", None) => Regions,
            ("customer_countries", None) => Countries,
            ("customer_email_domain", None) => EmailDomains,
            ("customer_language", None) => Languages,
            ("companies", None) => Companies,
            ("permissions", None) => Permissions,
            ("created_by_app_id", None) => CreatingApps,
            (f, None) if f.starts_with("metafields.") => CustomerProperty,
            ("products_purchased", Some("id")) => Products,
            ("products_purchased", Some("tag")) => ProductTags,
            ("products_purchased", Some("category")) => ProductCategories,
            ("products_purchased", Some("vendor")) => ProductVendors,
            ("storefront.product_viewed", Some("id")) => ViewedProducts,
            ("storefront.collection_viewed", Some("id")) => Collections,
            (f, Some("activity_id")) if f.contains("email.") => EmailActivities,
            ("tickets_purchased", Some("performance_id")) => Performances,
            ("tickets_purchased", Some("production_id")) => Productions,
            (_, Some("venue_id")) => Venues,
            ("custom_event", Some("name")) => EventNames,
            _ => return None,
        };
        Some(source)
    }
}

/// One suggested value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The value as it is written in a query.
    pub value: String,
    /// A readable name where the value is an id (a production's title).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// How often it occurs: customers for customer fields, records
    /// (lines, events, performances' tickets) for MATCHES parameters.
    pub count: u64,
}

impl Engine {
    /// Up to `limit` values of `source` that start with `prefix` (ignoring
    /// case) or whose label contains it, most frequent first, ties by value.
    /// `property` names the `metafields.` key for
    /// [`ValueSource::CustomerProperty`].
    pub fn suggest(
        &self,
        source: ValueSource,
        property: Option<&str>,
        prefix: &str,
        limit: usize,
    ) -> Vec<Suggestion> {
        use ValueSource::*;
        let c = &self.customers;
        let o = &self.orders;
        let mut found: Vec<Suggestion> = match source {
            CustomerTags => list(&c.tags),
            Cities => list(&c.cities),
            Regions => list(&c.regions),
            Countries => list(&c.countries),
            Companies => list(&c.companies),
            Permissions => list(&c.permissions),
            EmailDomains => values(&c.email_domain),
            Languages => values(&c.language),
            CreatingApps => values(&c.created_by_app_id),
            CustomerProperty => {
                let key = property.and_then(|p| p.strip_prefix("metafields."));
                match key.and_then(|k| c.properties.get(k)) {
                    Some(col) => {
                        let mut v = values(&col.strings);
                        v.extend(list(&col.lists));
                        v
                    }
                    None => Vec::new(),
                }
            }
            Products => self.shape_values(|shapes, s| vec![shapes.product(s)]),
            ProductTags => self.shape_values(|shapes, s| shapes.tags(s).to_vec()),
            ProductCategories => self.shape_values(|shapes, s| vec![shapes.category(s)]),
            ProductVendors => self.shape_values(|shapes, s| vec![shapes.vendor(s)]),
            EventNames => self.tally(self.activity.custom.name.iter()),
            ViewedProducts => self.tally(
                self.activity
                    .storefront
                    .product_views
                    .iter()
                    .map(|&i| self.activity.storefront.item.get(i as usize)),
            ),
            Collections => self.tally(
                self.activity
                    .storefront
                    .collection_views
                    .iter()
                    .map(|&i| self.activity.storefront.item.get(i as usize)),
            ),
            EmailActivities => self.tally(self.activity.email.activity.iter()),
            Performances => {
                let mut v = self.tally(o.tickets.performance.iter());
                // Performances without tickets sold yet still exist (a
                // date just put on sale is what a campaign is shown for).
                let sold: std::collections::HashSet<String> =
                    v.iter().map(|s| s.value.clone()).collect();
                for sym in self.catalogue.performances.keys() {
                    if !sold.contains(self.strings.resolve(*sym)) {
                        v.push(self.suggestion(*sym, 0));
                    }
                }
                for s in &mut v {
                    let info = self
                        .strings
                        .get(&s.value)
                        .and_then(|sym| self.catalogue.performances.get(&sym));
                    s.label =
                        info.and_then(|i| self.catalogue.productions.get(&i.production).cloned());
                }
                v
            }
            Productions => {
                let per_performance = o.tickets.performance.iter().filter_map(|p| {
                    self.catalogue
                        .performances
                        .get(&p)
                        .map(|info| info.production)
                });
                let mut v = self.tally(per_performance);
                // Productions without tickets sold yet still exist.
                for sym in self.catalogue.productions.keys() {
                    let name = self.strings.resolve(*sym);
                    if !v.iter().any(|s| s.value == name) {
                        v.push(self.suggestion(*sym, 0));
                    }
                }
                for s in &mut v {
                    let sym = self.strings.get(&s.value);
                    s.label = sym.and_then(|sym| self.catalogue.productions.get(&sym).cloned());
                }
                v
            }
            Venues => {
                let mut v: Vec<Suggestion> = self
                    .catalogue
                    .venues
                    .keys()
                    .map(|sym| self.suggestion(*sym, 0))
                    .collect();
                for s in self.tally(
                    o.tickets
                        .performance
                        .iter()
                        .filter_map(|p| self.catalogue.performances.get(&p).map(|info| info.venue)),
                ) {
                    match v.iter_mut().find(|x| x.value == s.value) {
                        Some(x) => x.count = s.count,
                        None => v.push(s),
                    }
                }
                v
            }
        };
        let needle = prefix.to_lowercase();
        found.retain(|s| {
            let value = s.value.to_lowercase();
            value.starts_with(&needle)
                || value
                    .match_indices(|c: char| !c.is_alphanumeric())
                    .any(|(i, sep)| value[i + sep.len()..].starts_with(&needle))
                || s.label
                    .as_ref()
                    .is_some_and(|l| l.to_lowercase().contains(&needle))
        });
        found.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        found.truncate(limit);
        found
    }

    fn suggestion(&self, sym: Sym, count: u64) -> Suggestion {
        Suggestion {
            value: self.strings.resolve(sym).to_owned(),
            label: None,
            count,
        }
    }

    /// The values a line shape gives (its product, tags, category or
    /// vendor), each counted once per line of the shape.
    fn shape_values(
        &self,
        values: impl Fn(&crate::tables::line_shapes::LineShapes, u32) -> Vec<Sym>,
    ) -> Vec<Suggestion> {
        let shapes = &self.orders.products.shapes;
        let mut counts: std::collections::HashMap<Sym, u64> = std::collections::HashMap::new();
        for s in 0..shapes.len() as u32 {
            for sym in values(shapes, s) {
                if sym != crate::columns::interner::NO_SYM {
                    *counts.entry(sym).or_default() += shapes.lines(s);
                }
            }
        }
        counts
            .into_iter()
            .map(|(sym, n)| self.suggestion(sym, n))
            .collect()
    }

    fn tally(&self, syms: impl Iterator<Item = Sym>) -> Vec<Suggestion> {
        let mut counts: std::collections::HashMap<Sym, u64> = std::collections::HashMap::new();
        for s in syms {
            if s != crate::columns::interner::NO_SYM {
                *counts.entry(s).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(sym, n)| self.suggestion(sym, n))
            .collect()
    }
}

fn ranked<'a>(values: impl Iterator<Item = (&'a str, &'a crate::CustomerSet)>) -> Vec<Suggestion> {
    values
        .filter(|(_, set)| !set.is_empty())
        .map(|(v, set)| Suggestion {
            value: v.to_owned(),
            label: None,
            count: set.len(),
        })
        .collect()
}

fn list(index: &ListIndex) -> Vec<Suggestion> {
    ranked(index.spelled_elements())
}

fn values(index: &ValueIndex) -> Vec<Suggestion> {
    ranked(index.values())
}
