//! The customer record and its address.

use crate::id::{id, id_list, opt_id};
use crate::list_limits::{MAX_ADDRESSES, MAX_LIST_ITEMS, MAX_PROPERTIES, check_len};
use crate::{Date, Properties, RecordError, Timestamp};
use serde::{Deserialize, Serialize};

/// Recorded gender (`gender` filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Any other recorded gender.
    Other,
}

/// Shopify's customer account states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountStatus {
    /// Has an active account.
    Enabled,
    /// Account disabled by the shop.
    Disabled,
    /// Invited, not yet accepted.
    Invited,
    /// Declined the invitation.
    Declined,
}

/// Email or SMS marketing consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubscriptionStatus {
    /// Consented.
    Subscribed,
    /// Never consented.
    NotSubscribed,
    /// Double opt-in not yet confirmed.
    Pending,
    /// Withdrew consent.
    Unsubscribed,
    /// The address or number does not work.
    Invalid,
    /// Erased on request (GDPR).
    Redacted,
}

/// Subscription-product status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProductSubscriptionStatus {
    /// Has an active product subscription.
    Subscribed,
    /// Never had one.
    NeverSubscribed,
    /// Cancelled one.
    Cancelled,
    /// One expired.
    Expired,
}

macro_rules! enum_names {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// Every value, in declaration order.
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            /// The wire and query spelling (`SUBSCRIBED`).
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            /// Reads the wire spelling; `None` for anything else.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
        }
    };
}

enum_names!(Gender { Female => "FEMALE", Male => "MALE", Other => "OTHER" });
enum_names!(AccountStatus {
    Enabled => "ENABLED", Disabled => "DISABLED", Invited => "INVITED", Declined => "DECLINED"
});
enum_names!(SubscriptionStatus {
    Subscribed => "SUBSCRIBED", NotSubscribed => "NOT_SUBSCRIBED", Pending => "PENDING",
    Unsubscribed => "UNSUBSCRIBED", Invalid => "INVALID", Redacted => "REDACTED"
});
enum_names!(ProductSubscriptionStatus {
    Subscribed => "SUBSCRIBED", NeverSubscribed => "NEVER_SUBSCRIBED",
    Cancelled => "CANCELLED", Expired => "EXPIRED"
});

/// One postal address of a customer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street line 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address1: Option<String>,
    /// Street line 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address2: Option<String>,
    /// Company line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// City name as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// ISO 3166-2 subdivision code including the country (`NO-03`, `US-NY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code (`NO`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// Phone number at this address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Latitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    /// Longitude in degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
    /// Whether this is the customer's default address.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

impl Address {
    /// The `customer_countries` value: the upper-case alpha-2 country code.
    pub fn country_code(&self) -> Option<String> {
        self.country
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_uppercase)
    }

    /// The `customer_regions` value: the whole ISO 3166-2 code (`US-NY`).
    pub fn region_code(&self) -> Option<String> {
        let region = self
            .region
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())?;
        let region = region.to_uppercase();
        if region.contains('-') {
            Some(region)
        } else {
            // A bare subdivision ("NY") is completed with the country, as Shopify
            // exports carry province codes without it.
            Some(format!("{}-{}", self.country_code()?, region))
        }
    }

    /// The `customer_cities` value: `{country}-{region}-{CityWithoutSpaces}`,
    /// region being the part of the ISO 3166-2 code after the country, empty
    /// when unknown (`US-NY-NewYorkCity`, `NO--Oslo`).
    pub fn city_code(&self) -> Option<String> {
        let city = self
            .city
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())?;
        let country = self.country_code()?;
        let region = self
            .region_code()
            .and_then(|r| r.split_once('-').map(|(_, sub)| sub.to_owned()))
            .unwrap_or_default();
        let city: String = city.chars().filter(|c| !c.is_whitespace()).collect();
        Some(format!("{country}-{region}-{city}"))
    }
}

/// A customer as imported (data.md §1). Every field but `id` is optional.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The merchant's id for the customer.
    #[serde(deserialize_with = "id")]
    pub id: String,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Form of address (`Ms`, `Herr`, `Fru`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Recorded gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Date>,
    /// Preferred language (`nb`, `en`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// When the customer record was created.
    #[serde(
        default,
        deserialize_with = "crate::instant::opt_instant",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
    /// Account state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_status: Option<AccountStatus>,
    /// Email marketing consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subscription: Option<SubscriptionStatus>,
    /// SMS marketing consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_subscription: Option<SubscriptionStatus>,
    /// Subscription-product status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_subscription: Option<ProductSubscriptionStatus>,
    /// Consents given (`newsletter`, `partner_offers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// B2B company ids.
    #[serde(
        default,
        deserialize_with = "id_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub companies: Vec<String>,
    /// Free-text note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the customer is exempt from tax.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tax_exempt: bool,
    /// The app that created the customer.
    #[serde(
        default,
        deserialize_with = "opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_by_app_id: Option<String>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// Custom properties (`namespace.key` → value; no dot means namespace `custom`).
    #[serde(default, skip_serializing_if = "Properties::is_empty")]
    pub properties: Properties,
}

impl Customer {
    /// A customer known only by id: created when a record refers to an
    /// unknown customer.
    pub fn stub(id: impl Into<String>) -> Self {
        Customer {
            id: id.into(),
            ..Default::default()
        }
    }

    /// The `customer_email_domain` value: the part after `@`, lower-case.
    pub fn email_domain(&self) -> Option<String> {
        let email = self.email.as_deref()?;
        let (_, domain) = email.rsplit_once('@')?;
        let domain = domain.trim();
        (!domain.is_empty()).then(|| domain.to_lowercase())
    }

    /// Checks the rules a customer can check by itself.
    pub fn validate(&self) -> Result<(), RecordError> {
        check_len("tags", self.tags.len(), MAX_LIST_ITEMS)?;
        check_len("permissions", self.permissions.len(), MAX_LIST_ITEMS)?;
        check_len("companies", self.companies.len(), MAX_LIST_ITEMS)?;
        check_len("addresses", self.addresses.len(), MAX_ADDRESSES)?;
        check_len("properties", self.properties.len(), MAX_PROPERTIES)?;
        for (i, a) in self.addresses.iter().enumerate() {
            if let Some(lat) = a.lat
                && !(-90.0..=90.0).contains(&lat)
            {
                return Err(RecordError::invalid(
                    format!("addresses[{i}].lat"),
                    format!("latitude {lat} is outside -90..90"),
                ));
            }
            if let Some(lon) = a.lon
                && !(-180.0..=180.0).contains(&lon)
            {
                return Err(RecordError::invalid(
                    format!("addresses[{i}].lon"),
                    format!("longitude {lon} is outside -180..180"),
                ));
            }
            if a.lat.is_some() != a.lon.is_some() {
                return Err(RecordError::invalid(
                    format!("addresses[{i}]"),
                    "lat and lon must be given together",
                ));
            }
            if let Some(c) = &a.country
                && (c.len() != 2 || !c.chars().all(|c| c.is_ascii_alphabetic()))
            {
                return Err(RecordError::invalid(
                    format!("addresses[{i}].country"),
                    format!("'{c}' is not an ISO 3166-1 alpha-2 country code"),
                ));
            }
        }
        crate::property::validate_keys(&self.properties)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_codes_follow_the_spec() {
        let a = Address {
            city: Some("New York City".into()),
            region: Some("US-NY".into()),
            country: Some("us".into()),
            ..Default::default()
        };
        assert_eq!(a.country_code().as_deref(), Some("US"));
        assert_eq!(a.region_code().as_deref(), Some("US-NY"));
        assert_eq!(a.city_code().as_deref(), Some("US-NY-NewYorkCity"));
        let bare = Address {
            city: Some("Boston".into()),
            region: Some("MA".into()),
            country: Some("US".into()),
            ..Default::default()
        };
        assert_eq!(bare.region_code().as_deref(), Some("US-MA"));
        let no_region = Address {
            city: Some("Oslo".into()),
            country: Some("NO".into()),
            ..Default::default()
        };
        assert_eq!(no_region.city_code().as_deref(), Some("NO--Oslo"));
    }

    #[test]
    fn email_domain_is_lower_case() {
        let c = Customer {
            email: Some("Ann@Example.NO".into()),
            ..Customer::stub("1")
        };
        assert_eq!(c.email_domain().as_deref(), Some("example.no"));
        assert_eq!(Customer::stub("2").email_domain(), None);
    }
}
