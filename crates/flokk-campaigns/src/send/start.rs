//! Starting a campaign's send, shared by `flokk campaign send` and a
//! running `flokk serve` (`POST /api/campaigns/{name}/send`, scheduled
//! campaigns that came due): the settings a send needs, read and checked
//! before anything is frozen; the audience evaluated with the caller's
//! engine (its members, the ticket holders it leaves out, the computed
//! merge values); and freezing the members behind the consent gate into
//! the send queue.

use crate::error::CampaignError;
use crate::gate::{
    HOLDS_TICKETS, LEFT_OUT_REASONS, MISSING_PERMISSION, NO_DISCOUNT_CODE, left_out_reason,
};
use crate::links::{LINK_KEY, LinkSigner};
use crate::message::body::{BodyFormat, CompiledCampaign};
use crate::message::recipient::CampaignMessage;
use crate::send::drain::SendSettings;
use crate::send::relay::SmtpRelay;
use crate::template::computed::{COMPUTED_FIELDS, computed_values};
use crate::template::fields::MergeValues;
use flokk_engine::{CustomerSet, Engine, Evaluator, QueryBackend};
use flokk_lang::{CheckOptions, check};
use flokk_store::{Campaign, FrozenRecipient, Store};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// What sending a campaign needs from the store's settings.
#[derive(Debug)]
pub struct Sending {
    /// Subject and body, compiled.
    pub compiled: CompiledCampaign,
    /// The sender.
    pub from: String,
    /// Signs the recipients' links.
    pub signer: LinkSigner,
}

impl Sending {
    /// The compiled message, sender and link signer of a campaign; a
    /// missing sender or `public_url` is a `campaign_config` error.
    pub fn of(store: &Store, c: &Campaign) -> Result<Sending, CampaignError> {
        let format = BodyFormat::parse(&c.body_format).ok_or_else(|| {
            CampaignError::Message(format!(
                "campaign {} has body format {:?}",
                c.name, c.body_format
            ))
        })?;
        let compiled = CompiledCampaign::compile(&c.subject, &c.body, format)?;
        let settings = store.settings();
        let from = match &c.from {
            Some(f) => f.clone(),
            None => settings.get("smtp_from")?,
        };
        if from.is_empty() {
            return Err(CampaignError::Config(
                "no sender: give the campaign --from or set smtp_from (flokk config set smtp_from news@shop.example)".into(),
            ));
        }
        let public_url = settings.get("public_url")?;
        if public_url.is_empty() {
            return Err(CampaignError::Config(
                "set public_url first: every message carries an unsubscribe link to this address (flokk config set public_url https://flokk.shop.example)".into(),
            ));
        }
        let signer = LinkSigner::new(&store.signing_key(LINK_KEY)?, &public_url);
        Ok(Sending {
            compiled,
            from,
            signer,
        })
    }

    /// The message builder for the campaign.
    pub fn message<'a>(&'a self, c: &'a Campaign) -> CampaignMessage<'a> {
        CampaignMessage {
            campaign_id: &c.id,
            campaign_name: &c.name,
            compiled: &self.compiled,
            from: &self.from,
            link: c.link.as_deref(),
            signer: &self.signer,
        }
    }
}

/// The relay of the `smtp_url` setting (`campaign_config` when unset).
pub fn settings_relay(store: &Store) -> Result<SmtpRelay, CampaignError> {
    let url = store.settings().get("smtp_url")?;
    if url.is_empty() {
        return Err(CampaignError::Config(
            "set smtp_url first (flokk config set smtp_url smtp://user:password@mail.example.com:587)"
                .into(),
        ));
    }
    SmtpRelay::from_url(&url)
}

/// The rate, retries and back-off of the `smtp_*` settings.
pub fn send_settings(store: &Store, wait: bool) -> Result<SendSettings, CampaignError> {
    let settings = store.settings();
    let number = |key: &str| -> Result<u32, CampaignError> {
        Ok(settings.get(key)?.parse::<u32>().unwrap_or(1))
    };
    Ok(SendSettings {
        rate_per_second: number("smtp_rate_per_second")?,
        max_attempts: number("smtp_max_attempts")?,
        retry_base: Duration::from_secs(u64::from(number("smtp_retry_seconds")?)),
        wait,
    })
}

/// Refuses to start (or schedule) a campaign that was sent or cancelled.
pub fn check_sendable(c: &Campaign) -> Result<(), CampaignError> {
    let refuse = |code: &'static str, what: &str| {
        Err(CampaignError::State {
            code,
            message: format!("campaign '{}' was {what}", c.name),
        })
    };
    match c.state.as_str() {
        "cancelled" => refuse("cancelled", "cancelled"),
        "sent" => refuse("already_sent", "sent already"),
        _ => Ok(()),
    }
}

/// The queries a campaign's audience is evaluated with: its members, and
/// the ticket holders a campaign shown for a production or performance
/// leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudienceQueries {
    /// The audience (a saved segment as `customer_segments CONTAINS`).
    pub members: String,
    /// Who holds tickets to the shown-for production or performance.
    pub holders: Option<String>,
}

/// The audience queries of a campaign; `unknown_segment` when its segment
/// was deleted since.
pub fn audience_queries(store: &Store, c: &Campaign) -> Result<AudienceQueries, CampaignError> {
    let members = match (&c.segment, &c.query) {
        (Some(name), _) => {
            let quote = |n: &str| n.replace('\\', "\\\\").replace('\'', "\\'");
            match store.segment(name)?.filter(|s| s.deleted_at.is_none()) {
                Some(stored) => format!("customer_segments CONTAINS '{}'", quote(&stored.name)),
                // A static list is an audience too (lists and segments share
                // one namespace); its members are frozen.
                None => match store.customer_list(name)? {
                    Some(list) => format!("customer_lists CONTAINS '{}'", quote(&list.name)),
                    None => return Err(CampaignError::UnknownSegment(name.clone())),
                },
            }
        }
        (None, Some(q)) => q.clone(),
        (None, None) => {
            return Err(CampaignError::Message(format!(
                "campaign {} has no audience",
                c.name
            )));
        }
    };
    // One reading of `production:ID|performance:ID` for every command
    // (flokk_lang::ShownFor), so a campaign leaves out the customers that
    // `count --shown-for` leaves out.
    let holders = c
        .shown_for
        .as_deref()
        .map(|s| {
            flokk_lang::ShownFor::parse(s)
                .map(|f| f.holders_query())
                .map_err(|e| CampaignError::Config(e.to_string()))
        })
        .transpose()?;
    Ok(AudienceQueries { members, holders })
}

/// A campaign's audience as evaluated: each member with the computed merge
/// values its message uses, and the ticket holders it leaves out.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    /// The members, in the evaluator's order.
    pub members: Vec<AudienceMember>,
    /// Who holds tickets to the shown-for production or performance.
    pub holders: Option<BTreeSet<String>>,
}

/// One member of an evaluated audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudienceMember {
    /// The customer's id.
    pub id: String,
    /// The computed fields the message uses, as of the evaluation.
    pub computed: BTreeMap<&'static str, String>,
}

/// Evaluates the campaign's audience with `evaluator` (over `engine`, dates
/// in `tz`): members, ticket holders, and each member's computed merge
/// values when the message uses any.
pub fn evaluate_audience(
    store: &Store,
    c: &Campaign,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    tz: &TimeZone,
) -> Result<Audience, CampaignError> {
    let queries = audience_queries(store, c)?;
    let compiled = compiled(c)?;
    let fields = compiled.used_among(COMPUTED_FIELDS);
    let properties = engine.property_types();
    let members_of = |q: &str| -> Result<CustomerSet, CampaignError> {
        let typed = check(
            q,
            &CheckOptions {
                strict: false,
                properties: &properties,
            },
        )
        .map_err(|errors| {
            CampaignError::Config(format!("the audience query {q:?} does not check: {errors}"))
        })?;
        QueryBackend::members(evaluator, &typed)
            .map_err(|e| CampaignError::Message(format!("evaluating the audience: {e}")))
    };
    let holders = match &queries.holders {
        Some(q) => Some(
            members_of(q)?
                .iter()
                .map(|k| evaluator.id(k).to_owned())
                .collect(),
        ),
        None => None,
    };
    let members = members_of(&queries.members)?
        .iter()
        .map(|k| AudienceMember {
            id: evaluator.id(k).to_owned(),
            computed: computed_values(evaluator, k, tz, &fields),
        })
        .collect();
    Ok(Audience { members, holders })
}

/// One customer's merge values that are not on their record (computed
/// fields, the discount code), as a preview or test send shows them: the
/// same values freezing would give now. `None` for a customer the
/// evaluator does not know.
pub fn preview_values(
    store: &Store,
    c: &Campaign,
    engine: &Engine,
    evaluator: &Evaluator<'_>,
    tz: &TimeZone,
    customer_id: &str,
) -> Result<BTreeMap<&'static str, String>, CampaignError> {
    let compiled = compiled(c)?;
    let fields = compiled.used_among(COMPUTED_FIELDS);
    let mut values = match engine.customers.find(customer_id) {
        Some(k) => computed_values(evaluator, k, tz, &fields),
        None => BTreeMap::new(),
    };
    if let Some(code) = discount_code_of(store, c, &compiled, customer_id)? {
        values.insert("discount_code", code);
    }
    Ok(values)
}

fn compiled(c: &Campaign) -> Result<CompiledCampaign, CampaignError> {
    let format = BodyFormat::parse(&c.body_format).ok_or_else(|| {
        CampaignError::Message(format!(
            "campaign {} has body format {:?}",
            c.name, c.body_format
        ))
    })?;
    CompiledCampaign::compile(&c.subject, &c.body, format)
}

/// The code the campaign's discount issued to the customer, when the
/// message uses `{{ discount_code }}`.
fn discount_code_of(
    store: &Store,
    c: &Campaign,
    compiled: &CompiledCampaign,
    customer_id: &str,
) -> Result<Option<String>, CampaignError> {
    if !compiled.uses("discount_code") {
        return Ok(None);
    }
    let Some(discount) = &c.discount else {
        return Err(CampaignError::Config(
            "the message uses {{ discount_code }} but the campaign has no discount".into(),
        ));
    };
    Ok(store.issued_discount_code(discount, customer_id)?)
}

/// What freezing the audience did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frozen {
    /// Recipients queued.
    pub recipients: u64,
    /// Left out, by reason.
    pub left_out: BTreeMap<String, u64>,
}

/// Passes the audience's members (minus the ticket holders) through the
/// consent gate and freezes who passes into the queue with their merge
/// values, in one transaction: the campaign is `sending` from then on.
///
/// Decision: when the message uses `{{ discount_code }}`, a member the
/// campaign's discount issued no code to is left out (`no_discount_code`)
/// rather than mailed a message with a hole where the code should be.
pub fn freeze_audience(
    store: &Store,
    c: &Campaign,
    audience: Audience,
    at: Timestamp,
) -> Result<Frozen, CampaignError> {
    let compiled = compiled(c)?;
    let with_code = compiled.uses("discount_code");
    let suppressions = store.email_suppressions()?;
    let mut left_out: BTreeMap<String, u64> = LEFT_OUT_REASONS
        .iter()
        .map(|r| (r.to_string(), 0))
        .collect();
    // Reasons that apply to this campaign show even at 0.
    if audience.holders.is_some() {
        left_out.insert(HOLDS_TICKETS.to_owned(), 0);
    }
    let required = store.settings().get("email_required_permission")?;
    let required = (!required.is_empty()).then_some(required);
    if required.is_some() {
        left_out.insert(MISSING_PERMISSION.to_owned(), 0);
    }
    if with_code {
        left_out.insert(NO_DISCOUNT_CODE.to_owned(), 0);
    }
    let mut recipients = Vec::new();
    for member in audience.members {
        let AudienceMember { id, mut computed } = member;
        if audience.holders.as_ref().is_some_and(|h| h.contains(&id)) {
            *left_out.entry(HOLDS_TICKETS.to_owned()).or_default() += 1;
            continue;
        }
        let Some(customer) = store.customer(&id)? else {
            continue;
        };
        if let Some(reason) = left_out_reason(&customer, &suppressions, required.as_deref()) {
            *left_out.entry(reason.to_owned()).or_default() += 1;
            continue;
        }
        if with_code {
            match discount_code_of(store, c, &compiled, &id)? {
                Some(code) => {
                    computed.insert("discount_code", code);
                }
                None => {
                    *left_out.entry(NO_DISCOUNT_CODE.to_owned()).or_default() += 1;
                    continue;
                }
            }
        }
        recipients.push(FrozenRecipient {
            customer_id: id,
            email: customer.email.unwrap_or_default().trim().to_owned(),
            merge_values: (!computed.is_empty()).then(|| MergeValues::frozen(&computed)),
        });
    }
    store.freeze_audience(c.cpid, &recipients, &left_out, at)?;
    Ok(Frozen {
        recipients: recipients.len() as u64,
        left_out,
    })
}
