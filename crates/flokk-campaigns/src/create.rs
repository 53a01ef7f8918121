//! Layer 4: creating a campaign, as the CLI and the API both do: the
//! audience named, the templates compiled (an unknown field is refused
//! with its place), the link and sender checked. Checking an audience
//! query is the caller's (it needs the engine's property types).

use crate::error::CampaignError;
use crate::message::body::{BodyFormat, CompiledCampaign};
use crate::message::build::mailbox;
use flokk_lang::ShownFor;
use flokk_store::{Campaign, NewCampaign, Store};
use jiff::Timestamp;

/// What a new campaign is made of.
#[derive(Debug, Clone)]
pub struct CampaignRequest<'a> {
    /// Its name (unique ignoring case).
    pub name: &'a str,
    /// The audience: a saved segment ...
    pub segment: Option<&'a str>,
    /// ... or a query (already checked).
    pub query: Option<&'a str>,
    /// Subject template.
    pub subject: &'a str,
    /// Body template.
    pub body: &'a str,
    /// How the body is written.
    pub format: BodyFormat,
    /// Sender, if not the `smtp_from` setting.
    pub from: Option<&'a str>,
    /// The campaign link's target.
    pub link: Option<&'a str>,
    /// `production:ID` or `performance:ID`: its ticket holders are left out.
    pub shown_for: Option<&'a str>,
    /// The discount (its name) whose issued code is `{{ discount_code }}`.
    pub discount: Option<&'a str>,
    /// Creation instant.
    pub at: Timestamp,
}

/// Checks and stores a draft campaign.
pub fn create_campaign(store: &Store, r: &CampaignRequest<'_>) -> Result<Campaign, CampaignError> {
    match (r.segment, r.query) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(CampaignError::Config(
                "give the audience as a saved segment or a query, one of them".into(),
            ));
        }
        (Some(name), None) => {
            // An audience is a saved segment or a static list (cli.md's
            // AUDIENCE; they share one namespace).
            if store
                .segment(name)?
                .filter(|s| s.deleted_at.is_none())
                .is_none()
                && store.customer_list(name)?.is_none()
            {
                return Err(CampaignError::UnknownSegment(name.to_owned()));
            }
        }
        (None, Some(_)) => {}
    }
    let compiled = CompiledCampaign::compile(r.subject, r.body, r.format)?;
    if compiled.uses("campaign_link") && r.link.is_none() {
        return Err(CampaignError::Config(
            "the message uses {{ campaign_link }} but no link URL was given".into(),
        ));
    }
    if let Some(link) = r.link
        && flokk_store::url_host(link).is_none()
    {
        return Err(CampaignError::Config(format!(
            "the link {link:?} is not an http:// or https:// address"
        )));
    }
    if let Some(from) = r.from {
        mailbox(from)?;
    }
    match r.discount {
        Some(name) if store.discount(name)?.is_none() => {
            return Err(CampaignError::Config(format!(
                "there is no discount named '{name}' (flokk discount list)"
            )));
        }
        Some(_) => {}
        None if compiled.uses("discount_code") => {
            return Err(CampaignError::Config(
                "the message uses {{ discount_code }} but no discount was given (--discount NAME)"
                    .into(),
            ));
        }
        None => {}
    }
    if let Some(s) = r.shown_for {
        // Checked as count, members and exports check it: the form, then
        // that the production or performance exists.
        let shown_for = ShownFor::parse(s).map_err(|e| CampaignError::Config(e.to_string()))?;
        store.ensure_catalogue_id(shown_for.kind(), shown_for.id())?;
    }
    Ok(store.create_campaign(&NewCampaign {
        name: r.name,
        segment: r.segment,
        query: r.query,
        subject: r.subject,
        from: r.from,
        body: r.body,
        body_format: r.format.as_str(),
        link: r.link,
        shown_for: r.shown_for,
        discount: r.discount,
        at: r.at,
    })?)
}
