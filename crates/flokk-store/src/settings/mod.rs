//! Store settings (`flokk config get|set`): a fixed set of known keys, each
//! with a default and a validator, so a typo is an error and not a setting
//! that silently does nothing.
//!
//! Layer 4, a table group beside the writer and the readers. May use:
//! `store`, `schema`, `error`.

use crate::error::StoreError;
use crate::store::Store;
use rusqlite::{Connection, OptionalExtension};

/// One known setting.
pub struct SettingSpec {
    /// The key (`timezone`).
    pub key: &'static str,
    /// The value when none is set.
    pub default: &'static str,
    /// What it means, for `flokk config get`.
    pub about: &'static str,
    validate: fn(&str) -> Result<String, String>,
}

fn timezone(v: &str) -> Result<String, String> {
    jiff::tz::TimeZone::get(v)
        .map(|_| v.to_owned())
        .map_err(|_| format!("{v:?} is not an IANA time zone name (like Europe/Oslo or UTC)"))
}

fn currency(v: &str) -> Result<String, String> {
    let up = v.trim().to_uppercase();
    if up.len() == 3 && up.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(up)
    } else {
        Err(format!(
            "{v:?} is not an ISO 4217 currency code (like NOK, EUR, USD)"
        ))
    }
}

fn text(v: &str) -> Result<String, String> {
    Ok(v.trim().to_owned())
}

fn non_negative_fraction(v: &str) -> Result<String, String> {
    match v.trim().parse::<f64>() {
        Ok(x) if (0.0..1.0).contains(&x) => Ok(x.to_string()),
        _ => Err(format!(
            "{v:?} is not a rate between 0 and 1 (like 0.01 for 1 %)"
        )),
    }
}

fn probability(v: &str) -> Result<String, String> {
    match v.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x.to_string()),
        _ => Err(format!("{v:?} is not a probability between 0 and 1")),
    }
}

fn positive_hours(v: &str) -> Result<String, String> {
    match v.trim().parse::<u32>() {
        Ok(h) if h > 0 => Ok(h.to_string()),
        _ => Err(format!(
            "{v:?} is not a whole number of hours greater than 0"
        )),
    }
}

fn whole_seconds(v: &str) -> Result<String, String> {
    match v.trim().parse::<u32>() {
        Ok(n) => Ok(n.to_string()),
        _ => Err(format!(
            "{v:?} is not a whole number of seconds (0 or more)"
        )),
    }
}

fn positive_count(v: &str) -> Result<String, String> {
    match v.trim().parse::<u32>() {
        Ok(n) if n > 0 => Ok(n.to_string()),
        _ => Err(format!("{v:?} is not a whole number greater than 0")),
    }
}

/// The host of an `http(s)://host[:port]/...` address, lower-cased
/// (`[::1]` keeps its brackets off).
pub fn url_host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn public_url(v: &str) -> Result<String, String> {
    let v = v.trim().trim_end_matches('/');
    if v.is_empty() || url_host(v).is_some() {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "{v:?} is not an http:// or https:// address (like https://flokk.example.com)"
        ))
    }
}

fn backend(v: &str) -> Result<String, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        b @ ("engine" | "clickhouse") => Ok(b.to_owned()),
        _ => Err(format!("{v:?} is not a backend: engine or clickhouse")),
    }
}

/// A comma-separated list of web origins (`scheme://host[:port]`, no
/// path), normalised: lower-case, no trailing `/`, one space after commas.
fn origins(v: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for o in v.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let o = o.trim_end_matches('/').to_ascii_lowercase();
        let rest = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"));
        match rest {
            Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', '@']) => out.push(o),
            _ => {
                return Err(format!(
                    "{o:?} is not a web origin like https://shop.example.com (scheme and host, no path)"
                ));
            }
        }
    }
    Ok(out.join(", "))
}

/// Whether `origin` (a request's `Origin` header) is one of the setting
/// `storefront_origins`' origins.
pub fn origin_allowed(setting: &str, origin: &str) -> bool {
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    setting
        .split(',')
        .map(str::trim)
        .any(|o| !o.is_empty() && o == origin)
}

fn smtp_url(v: &str) -> Result<String, String> {
    let v = v.trim();
    let ok = v.is_empty()
        || (v.starts_with("smtp://") || v.starts_with("smtps://")) && v.len() > "smtps://".len();
    if ok {
        Ok(v.to_owned())
    } else {
        // Never echo the value: it may carry a password.
        Err("not an smtp:// (STARTTLS) or smtps:// (TLS) address, like smtp://user:password@mail.example.com:587".into())
    }
}

fn email_address(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() || (v.contains('@') && !v.contains(char::is_whitespace)) || v.ends_with('>') {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "{v:?} is not an email address (like news@shop.example or Shop <news@shop.example>)"
        ))
    }
}

/// A URL with the password of its user information replaced by `****`.
pub fn url_without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:****@{host}")
        }
        None => url.to_owned(),
    }
}

/// A setting's value as it may be shown (CLI, API, UI): `smtp_url`'s
/// password is kept like an API token, never printed.
pub fn shown_value(key: &str, value: &str) -> String {
    if key == "smtp_url" {
        url_without_password(value)
    } else {
        value.to_owned()
    }
}

fn rfm_grid(v: &str) -> Result<String, String> {
    flokk_predict::rfm::RfmGrid::parse(v).map(|g| g.to_string())
}

/// Every setting flokk knows.
pub const SETTINGS: &[SettingSpec] = &[
    SettingSpec {
        key: "timezone",
        default: "UTC",
        about: "IANA time zone of the store; whole-day dates and midnight are local to it",
        validate: timezone,
    },
    SettingSpec {
        key: "currency",
        default: "USD",
        about: "ISO 4217 currency of all amounts",
        validate: currency,
    },
    SettingSpec {
        key: "name",
        default: "",
        about: "the store's display name",
        validate: text,
    },
    SettingSpec {
        key: "venue",
        default: "",
        about: "id of the home venue (ticketing)",
        validate: text,
    },
    SettingSpec {
        key: "clv_discount_monthly",
        default: "0",
        about: "monthly discount rate applied to predicted_clv",
        validate: non_negative_fraction,
    },
    SettingSpec {
        key: "predict_refit_hours",
        default: "24",
        about: "hours between scheduled refits of the predictive models",
        validate: positive_hours,
    },
    SettingSpec {
        key: "churn_risk_medium",
        default: "0.33",
        about: "churn_probability from which churn_risk is MEDIUM",
        validate: probability,
    },
    SettingSpec {
        key: "rfm_grid",
        default: "4,2.5|CHAMPIONS ACTIVE NEW|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK DORMANT",
        about: "the RFM grid: FM bounds high,low then the rows R=5|R=4|R=3|R<=2 of three groups (FM >= high, low <= FM < high, FM < low)",
        validate: rfm_grid,
    },
    SettingSpec {
        key: "webhook_max_failures",
        default: "10",
        about: "failed deliveries in a row after which a webhook endpoint is disabled",
        validate: positive_count,
    },
    SettingSpec {
        key: "webhook_timeout_seconds",
        default: "10",
        about: "seconds a webhook endpoint has to answer a delivery",
        validate: positive_count,
    },
    SettingSpec {
        key: "webhook_batch_size",
        default: "100",
        about: "membership changes per webhook delivery at most",
        validate: positive_count,
    },
    SettingSpec {
        key: "backend",
        default: "engine",
        about: "who answers count and members: the in-memory engine, or ClickHouse at clickhouse_url",
        validate: backend,
    },
    SettingSpec {
        key: "clickhouse_url",
        default: "",
        about: "ClickHouse's HTTP interface (http://host:8123), for backend clickhouse",
        validate: public_url,
    },
    SettingSpec {
        key: "public_url",
        default: "",
        about: "the address flokk is reached at from outside (behind a proxy); the server answers requests for this host, IP addresses and localhost",
        validate: public_url,
    },
    SettingSpec {
        key: "smtp_url",
        default: "",
        about: "the SMTP relay campaigns are sent through: smtp://user:password@host:587 (STARTTLS) or smtps://host:465; the password is never shown",
        validate: smtp_url,
    },
    SettingSpec {
        key: "smtp_from",
        default: "",
        about: "the sender of campaigns that name none (news@shop.example or Shop <news@shop.example>)",
        validate: email_address,
    },
    SettingSpec {
        key: "smtp_rate_per_second",
        default: "10",
        about: "campaign messages handed to the SMTP relay a second at most",
        validate: positive_count,
    },
    SettingSpec {
        key: "smtp_max_attempts",
        default: "5",
        about: "SMTP attempts per recipient before a temporary failure (4xx) is a soft bounce",
        validate: positive_count,
    },
    SettingSpec {
        key: "smtp_retry_seconds",
        default: "60",
        about: "seconds before the first retry after a temporary SMTP failure (doubling after each)",
        validate: positive_count,
    },
    SettingSpec {
        key: "email_required_permission",
        default: "",
        about: "a value campaign recipients must carry in permissions besides SUBSCRIBED (empty: none)",
        validate: text,
    },
    SettingSpec {
        key: "churn_risk_high",
        default: "0.66",
        about: "churn_probability from which churn_risk is HIGH",
        validate: probability,
    },
    SettingSpec {
        key: "shopify_webhook_secret",
        default: "",
        about: "the Shopify app's client secret (or the store's webhook signing secret): POST /webhooks/shopify takes only deliveries signed with it; empty refuses them all",
        validate: text,
    },
    SettingSpec {
        key: "storefront_origins",
        default: "",
        about: "the shop's web origins (https://shop.example.com, comma-separated) whose pages may send tracking data from a browser (the storefront snippet, analytics.js)",
        validate: origins,
    },
    SettingSpec {
        key: "shopify_webhook_retention_days",
        default: "7",
        about: "days an applied Shopify webhook delivery (its body, and its X-Shopify-Webhook-Id for de-duplication) is kept; Shopify retries a failed delivery 8 times over 4 hours",
        validate: positive_count,
    },
    SettingSpec {
        key: "tracking_message_id_retention_days",
        default: "7",
        about: "days a tracking API messageId is remembered, so a message sent again within them is not applied twice (Segment de-duplicates within about 24 hours)",
        validate: positive_count,
    },
    SettingSpec {
        key: "anonymous_event_retention_days",
        default: "30",
        about: "days a tracking event of a visitor known only by anonymousId waits for an identify naming the customer before it is dropped",
        validate: positive_count,
    },
    // h19: machine opens by timing.
    SettingSpec {
        key: "email_machine_open_seconds",
        default: "10",
        about: "an open this many seconds or less after the SMTP relay took the message counts as a machine open (a proxy or scanner fetching on arrival); 0 turns the rule off",
        validate: whole_seconds,
    },
    // h19: order attribution.
    SettingSpec {
        key: "campaign_attribution_days",
        default: "5",
        about: "orders a campaign's recipients place within this many days after clicking it (or, without a click, after it was sent) are attributed to it",
        validate: positive_count,
    },
];

/// Whether a setting holds a secret (`*_secret`): the API shows only
/// whether it is set, never its value.
pub fn is_secret_setting(key: &str) -> bool {
    key.ends_with("_secret")
}

impl Store {
    /// Store settings.
    pub fn settings(&self) -> Settings<'_> {
        Settings::new(&self.conn)
    }
}

/// Typed access to the settings table.
pub struct Settings<'a> {
    conn: &'a Connection,
}

impl<'a> Settings<'a> {
    pub(crate) fn new(conn: &'a Connection) -> Self {
        Settings { conn }
    }

    fn spec(key: &str) -> Result<&'static SettingSpec, StoreError> {
        SETTINGS.iter().find(|s| s.key == key).ok_or_else(|| {
            let known: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
            StoreError::InvalidSetting(format!(
                "unknown setting {key:?}; known settings: {}",
                known.join(", ")
            ))
        })
    }

    /// The value of a known setting (its default when unset).
    pub fn get(&self, key: &str) -> Result<String, StoreError> {
        let spec = Self::spec(key)?;
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(v.unwrap_or_else(|| spec.default.to_owned()))
    }

    /// Every setting with its value, in the order of [`SETTINGS`].
    pub fn all(&self) -> Result<Vec<(&'static str, String)>, StoreError> {
        SETTINGS
            .iter()
            .map(|s| Ok((s.key, self.get(s.key)?)))
            .collect()
    }

    /// Validates and stores a setting; returns the normalised value.
    pub fn set(&self, key: &str, value: &str) -> Result<String, StoreError> {
        let spec = Self::spec(key)?;
        let value = (spec.validate)(value)
            .map_err(|e| StoreError::InvalidSetting(format!("{key}: {e}")))?;
        // The home venue must be one the catalogue holds: an id that names
        // nothing would make every distance from it an error later.
        // Empty unsets it.
        if key == "venue" && !value.is_empty() {
            let known: bool = self.conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM venues WHERE id = ?1)",
                [&value],
                |r| r.get(0),
            )?;
            if !known {
                let some: Vec<String> = self
                    .conn
                    .prepare("SELECT id FROM venues ORDER BY id LIMIT 10")?
                    .query_map([], |r| r.get(0))?
                    .collect::<Result<_, _>>()?;
                let listed = if some.is_empty() {
                    "the store has no venues yet; import the venue record first".to_owned()
                } else {
                    format!("known venues: {}", some.join(", "))
                };
                return Err(StoreError::InvalidSetting(format!(
                    "venue: there is no venue {value:?} ({listed})"
                )));
            }
        }
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, &value],
        )?;
        Ok(value)
    }

    /// The store's IANA time zone.
    pub fn timezone(&self) -> Result<String, StoreError> {
        self.get("timezone")
    }
}

#[cfg(test)]
mod tests {
    use super::{origin_allowed, origins, url_host};

    #[test]
    fn origins_are_checked_and_matched_exactly() {
        assert_eq!(
            origins(" https://Shop.Example.com/ ,http://localhost:8080").unwrap(),
            "https://shop.example.com, http://localhost:8080"
        );
        assert!(origins("shop.example.com").is_err());
        assert!(origins("https://shop.example.com/products").is_err());
        let set = origins("https://shop.example.com").unwrap();
        assert!(origin_allowed(&set, "https://shop.example.com"));
        assert!(origin_allowed(&set, "HTTPS://SHOP.EXAMPLE.COM"));
        assert!(!origin_allowed(&set, "http://shop.example.com"));
        assert!(!origin_allowed(&set, "https://evil.example.com"));
        assert!(!origin_allowed("", "null"));
    }

    #[test]
    fn the_host_of_a_url() {
        assert_eq!(
            url_host("https://Flokk.Example.com/x").as_deref(),
            Some("flokk.example.com")
        );
        assert_eq!(
            url_host("http://shop.test:8080").as_deref(),
            Some("shop.test")
        );
        assert_eq!(
            url_host("http://u:p@shop.test:8080/?a").as_deref(),
            Some("shop.test")
        );
        assert_eq!(url_host("http://[::1]:8080/").as_deref(), Some("::1"));
        assert_eq!(url_host("ftp://shop.test"), None);
        assert_eq!(url_host("https://"), None);
    }
}
