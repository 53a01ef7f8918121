//! `flokk campaign create|preview|test|send|show|list`: email campaigns to
//! a saved segment or a query (the composing and sending are
//! `flokk-campaigns`'; this is the command line around it).
//!
//! `report.rs` is the `--json` shape of cli.md; `send.rs` freezes the
//! audience behind the consent gate and drains the queue.

mod report;
mod send;

use crate::cli::{CampaignCommand, CampaignCreateArgs};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked, load_engine};
use anyhow::anyhow;
use flokk_campaigns::{
    BodyFormat, COMPUTED_FIELDS, CampaignError, CampaignRequest, CompiledCampaign,
    NO_DISCOUNT_CODE, Relay, Sending, SmtpRelay, create_campaign, left_out_reason, mailbox,
    preview_values, settings_relay,
};
use flokk_engine::Evaluator;
use flokk_store::{Campaign, Store};
use std::collections::BTreeMap;

pub fn run(ctx: &Context, cmd: CampaignCommand) -> CmdResult {
    match cmd {
        CampaignCommand::Create(args) => create(ctx, args),
        CampaignCommand::Preview { name, customer } => preview(ctx, &name, &customer),
        CampaignCommand::Test { name, to } => test(ctx, &name, &to),
        CampaignCommand::Send { name, at, wait } => send::run(ctx, &name, at.as_deref(), wait),
        CampaignCommand::Pause { name } => {
            let store = ctx.store()?;
            let c = find(&store, &name)?;
            if !store.pause_campaign(c.cpid)? {
                return Err(Failure::coded(
                    "not_sending",
                    true,
                    anyhow!("campaign '{}' is {}, not sending", c.name, c.state),
                ));
            }
            let c = find(&store, &name)?;
            report::print(ctx, &store, &[c], false)
        }
        CampaignCommand::Cancel { name } => {
            let store = ctx.store()?;
            let c = find(&store, &name)?;
            if !store.cancel_campaign(c.cpid, jiff::Timestamp::now())? {
                return Err(Failure::coded(
                    "already_sent",
                    true,
                    anyhow!("campaign '{}' is {} already", c.name, c.state),
                ));
            }
            let c = find(&store, &name)?;
            report::print(ctx, &store, &[c], false)
        }
        CampaignCommand::Show { name } => {
            let store = ctx.store()?;
            let campaign = find(&store, &name)?;
            report::print(ctx, &store, &[campaign], false)
        }
        CampaignCommand::List => {
            let store = ctx.store()?;
            let all = store.campaigns()?;
            report::print(ctx, &store, &all, true)
        }
    }
}

/// A campaign error as a failure with its code.
pub fn campaign_failure(e: CampaignError) -> Failure {
    Failure::coded(e.code(), e.is_user_error(), anyhow!(e))
}

/// The campaign named (or `flokk-N`).
pub fn find(store: &Store, name: &str) -> Result<Campaign, Failure> {
    store.campaign(name)?.ok_or_else(|| {
        Failure::coded(
            "unknown_campaign",
            true,
            anyhow!("there is no campaign named '{name}'"),
        )
    })
}

fn create(ctx: &Context, args: CampaignCreateArgs) -> CmdResult {
    let store = ctx.store()?;
    if let Some(q) = &args.query {
        let engine = load_engine(&store)?;
        checked(q, false, &engine.property_types())?;
    }
    let body = std::fs::read_to_string(&args.body_file).map_err(|e| {
        Failure::coded(
            "unreadable_file",
            true,
            anyhow!("cannot read {}: {e}", args.body_file.display()),
        )
    })?;
    let campaign = create_campaign(
        &store,
        &CampaignRequest {
            name: &args.name,
            segment: args.audience.as_deref(),
            query: args.query.as_deref(),
            subject: &args.subject,
            body: &body,
            format: BodyFormat::of_file_name(&args.body_file.to_string_lossy()),
            from: args.from.as_deref(),
            link: args.link.as_deref(),
            shown_for: args.shown_for.as_deref(),
            discount: args.discount.as_deref(),
            at: ctx.now()?,
        },
    )
    .map_err(campaign_failure)?;
    report::print(ctx, &store, &[campaign], false)
}

/// The sending settings of a campaign (sender, `public_url`, templates).
pub fn sending(store: &Store, c: &Campaign) -> Result<Sending, Failure> {
    Sending::of(store, c).map_err(campaign_failure)
}

/// The relay of the `smtp_url` setting.
pub fn relay(store: &Store) -> Result<SmtpRelay, Failure> {
    settings_relay(store).map_err(campaign_failure)
}

/// A customer's merge values beyond their record (computed fields, the
/// discount code) as sending now would freeze them; the engine is loaded
/// only when the message uses a computed field.
fn extra_values(
    ctx: &Context,
    store: &Store,
    campaign: &Campaign,
    sending: &Sending,
    customer_id: &str,
) -> Result<BTreeMap<&'static str, String>, Failure> {
    let computed = !sending.compiled.used_among(COMPUTED_FIELDS).is_empty();
    if !computed && !sending.compiled.uses("discount_code") {
        return Ok(BTreeMap::new());
    }
    let now = ctx.now()?;
    let tz = ctx.timezone(store)?;
    let engine = if computed {
        load_engine(store)?
    } else {
        flokk_engine::Engine::default()
    };
    let evaluator = Evaluator::new(&engine, now, tz.clone());
    preview_values(store, campaign, &engine, &evaluator, &tz, customer_id).map_err(campaign_failure)
}

fn preview(ctx: &Context, name: &str, customer_id: &str) -> CmdResult {
    let store = ctx.store()?;
    let campaign = find(&store, name)?;
    let customer = store.customer(customer_id)?.ok_or_else(|| {
        Failure::coded(
            "unknown_customer",
            true,
            anyhow!("there is no customer '{customer_id}'"),
        )
    })?;
    let to = customer.email.clone().unwrap_or_default();
    let required = store.settings().get("email_required_permission")?;
    let required = (!required.is_empty()).then_some(required.as_str());
    if let Some(reason) = left_out_reason(&customer, &store.email_suppressions()?, required) {
        // Still shown (a merchant checks the merge fields on anyone), but
        // said plainly: this customer will not receive it.
        eprintln!("note: the consent gate leaves customer {customer_id} out: {reason}");
    }
    if to.is_empty() {
        return Err(Failure::coded(
            "no_email",
            true,
            anyhow!("customer '{customer_id}' has no email address"),
        ));
    }
    let sending = sending(&store, &campaign)?;
    let extra = extra_values(ctx, &store, &campaign, &sending, customer_id)?;
    if sending.compiled.uses("discount_code") && !extra.contains_key("discount_code") {
        eprintln!(
            "note: the campaign's discount issued customer {customer_id} no code: \
             they are left out when it is sent ({NO_DISCOUNT_CODE})"
        );
    }
    let message = sending
        .message(&campaign)
        .for_recipient_with(&customer, &to, &extra)
        .map_err(campaign_failure)?;
    use std::io::Write as _;
    std::io::stdout().write_all(&message.formatted())?;
    Ok(())
}

fn test(ctx: &Context, name: &str, to: &str) -> CmdResult {
    let store = ctx.store()?;
    let campaign = find(&store, name)?;
    mailbox(to).map_err(campaign_failure)?;
    let mut sending = sending(&store, &campaign)?;
    sending.compiled = CompiledCampaign::compile(
        &format!("[Test] {}", campaign.subject),
        &campaign.body,
        BodyFormat::parse(&campaign.body_format).unwrap_or(BodyFormat::Markdown),
    )
    .map_err(campaign_failure)?;
    // Decision: the test renders for the customer with that address when
    // there is one (their merge fields), else for no one (the defaults).
    let customer = store
        .writer()?
        .customer_id_by_email(to)?
        .and_then(|id| store.customer(&id).ok().flatten())
        .unwrap_or_else(|| {
            let mut c = flokk_model::Customer::stub("test");
            c.email = Some(to.to_owned());
            c
        });
    let extra = extra_values(ctx, &store, &campaign, &sending, &customer.id)?;
    let message = sending
        .message(&campaign)
        .for_recipient_with(&customer, to, &extra)
        .map_err(campaign_failure)?;
    let relay = relay(&store)?;
    let reply = relay.send(&message).map_err(|f| {
        Failure::coded(
            "smtp_failed",
            false,
            anyhow!("the SMTP relay did not take the test message: {f:?}"),
        )
    })?;
    if !ctx.global.json {
        eprintln!("sent a test of '{}' to {to} ({reply})", campaign.name);
    }
    report::print(ctx, &store, &[campaign], false)
}
