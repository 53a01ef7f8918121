//! One recipient's message: the customer's merge values, their signed
//! unsubscribe link, open pixel and the campaign link, rendered and built;
//! every http(s) link of the HTML part (but the unsubscribe link) becomes a
//! signed click link to flokk that redirects to it. Preview, test sends and
//! the queue all go through here, so what a preview shows is what is sent.
//!
//! Decision: the text part's links are left as written (a reader copies
//! them; a tracked link there reads as noise), so clicks are counted from
//! the HTML part only.

use super::body::{CompiledCampaign, OPEN_URL, escape_html};
use super::build::build_message;
use crate::error::CampaignError;
use crate::links::{LinkKind, LinkSigner};
use crate::template::fields::MergeValues;
use flokk_model::Customer;
use lettre::Message;
use std::collections::BTreeMap;

/// What every message of a campaign shares.
#[derive(Debug, Clone)]
pub struct CampaignMessage<'a> {
    /// The campaign's id (`activity_id`).
    pub campaign_id: &'a str,
    /// The campaign's name (`utm_campaign`, `{{ campaign_name }}`).
    pub campaign_name: &'a str,
    /// The compiled subject and body.
    pub compiled: &'a CompiledCampaign,
    /// Sender.
    pub from: &'a str,
    /// The campaign link's target, before UTM parameters.
    pub link: Option<&'a str>,
    /// Signs the recipient's links.
    pub signer: &'a LinkSigner,
}

impl CampaignMessage<'_> {
    /// The message for `customer` at `to`.
    pub fn for_recipient(&self, customer: &Customer, to: &str) -> Result<Message, CampaignError> {
        self.for_recipient_with(customer, to, &BTreeMap::new())
    }

    /// The message for `customer` at `to`, with merge values not on the
    /// customer record (computed fields, the discount code: frozen with the
    /// audience, or computed for a preview).
    pub fn for_recipient_with(
        &self,
        customer: &Customer,
        to: &str,
        extra: &BTreeMap<&'static str, String>,
    ) -> Result<Message, CampaignError> {
        let mut values = MergeValues::of_customer(customer);
        for (k, v) in extra {
            values.set(k, v.clone());
        }
        let unsubscribe =
            self.signer
                .url(LinkKind::Unsubscribe, self.campaign_id, &customer.id, "");
        values.set("unsubscribe_url", unsubscribe.clone());
        values.set("campaign_name", self.campaign_name.to_owned());
        values.set(
            OPEN_URL,
            self.signer
                .url(LinkKind::Open, self.campaign_id, &customer.id, ""),
        );
        if let Some(link) = self.link {
            values.set("campaign_link", with_utm(link, self.campaign_name));
        }
        let mut parts = self.compiled.render(&values);
        parts.html = tracked_links(&parts.html, &unsubscribe, &|url| {
            self.signer
                .url(LinkKind::Click, self.campaign_id, &customer.id, url)
        });
        build_message(
            self.from,
            to,
            &parts,
            &unsubscribe,
            &format!("{}.{}", self.campaign_id, url_encode(&customer.id)),
        )
    }
}

/// The HTML with each `href="http..."` (but `keep`) replaced by `track(url)`.
fn tracked_links(html: &str, keep: &str, track: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find("href=\"") {
        let start = at + "href=\"".len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        out.push_str(&rest[..start]);
        let raw = &rest[start..start + len];
        let url = raw
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let web = url.starts_with("https://") || url.starts_with("http://");
        if web && url != keep {
            out.push_str(&escape_html(&track(&url)));
        } else {
            out.push_str(raw);
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// The link with `utm_source=flokk&utm_medium=email&utm_campaign=<name>`.
pub fn with_utm(link: &str, campaign_name: &str) -> String {
    let (base, fragment) = match link.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (link, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!(
        "{base}{sep}utm_source=flokk&utm_medium=email&utm_campaign={}",
        url_encode(campaign_name)
    );
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{tracked_links, with_utm};

    #[test]
    fn web_links_are_tracked_but_the_unsubscribe_link_and_mailto() {
        let html = "<a href=\"https://s.example/?a=1&amp;b=2\">x</a> <a href=\"mailto:a@b.no\">m</a> \
                    <a href=\"https://f.example/u/t\">u</a>";
        let out = tracked_links(html, "https://f.example/u/t", &|u| {
            format!("https://f.example/c?{u}")
        });
        assert_eq!(
            out,
            "<a href=\"https://f.example/c?https://s.example/?a=1&amp;b=2\">x</a> \
             <a href=\"mailto:a@b.no\">m</a> <a href=\"https://f.example/u/t\">u</a>"
        );
    }

    #[test]
    fn utm_parameters_join_the_query_before_the_fragment() {
        assert_eq!(
            with_utm("https://s.example/show", "Spring gala"),
            "https://s.example/show?utm_source=flokk&utm_medium=email&utm_campaign=Spring%20gala"
        );
        assert_eq!(
            with_utm("https://s.example/show?d=1#seats", "x"),
            "https://s.example/show?d=1&utm_source=flokk&utm_medium=email&utm_campaign=x#seats"
        );
    }
}
