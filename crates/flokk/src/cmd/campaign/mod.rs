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
    BodyFormat, CampaignError, CampaignMessage, CampaignRequest, CompiledCampaign, LINK_KEY,
    LinkSigner, Relay, SmtpRelay, create_campaign, left_out_reason, mailbox,
};
use flokk_store::{Campaign, Store};

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
            at: ctx.now()?,
        },
    )
    .map_err(campaign_failure)?;
    report::print(ctx, &store, &[campaign], false)
}

/// What sending a campaign needs from the store's settings.
pub struct Sending {
    pub compiled: CompiledCampaign,
    pub from: String,
    pub signer: LinkSigner,
}

impl Sending {
    /// The compiled message, sender and link signer of a campaign.
    pub fn of(store: &Store, c: &Campaign) -> Result<Sending, Failure> {
        let format = BodyFormat::parse(&c.body_format)
            .ok_or_else(|| anyhow!("campaign {} has body format {:?}", c.name, c.body_format))?;
        let compiled =
            CompiledCampaign::compile(&c.subject, &c.body, format).map_err(campaign_failure)?;
        let settings = store.settings();
        let from = match &c.from {
            Some(f) => f.clone(),
            None => settings.get("smtp_from")?,
        };
        if from.is_empty() {
            return Err(Failure::coded(
                "campaign_config",
                true,
                anyhow!(
                    "no sender: give the campaign --from or set smtp_from (flokk config set smtp_from news@shop.example)"
                ),
            ));
        }
        let public_url = settings.get("public_url")?;
        if public_url.is_empty() {
            return Err(Failure::coded(
                "campaign_config",
                true,
                anyhow!(
                    "set public_url first: every message carries an unsubscribe link to this address (flokk config set public_url https://flokk.shop.example)"
                ),
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

/// The relay of the `smtp_url` setting.
pub fn relay(store: &Store) -> Result<SmtpRelay, Failure> {
    let url = store.settings().get("smtp_url")?;
    if url.is_empty() {
        return Err(Failure::coded(
            "campaign_config",
            true,
            anyhow!(
                "set smtp_url first (flokk config set smtp_url smtp://user:password@mail.example.com:587)"
            ),
        ));
    }
    SmtpRelay::from_url(&url).map_err(campaign_failure)
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
    let sending = Sending::of(&store, &campaign)?;
    let message = sending
        .message(&campaign)
        .for_recipient(&customer, &to)
        .map_err(campaign_failure)?;
    use std::io::Write as _;
    std::io::stdout().write_all(&message.formatted())?;
    Ok(())
}

fn test(ctx: &Context, name: &str, to: &str) -> CmdResult {
    let store = ctx.store()?;
    let campaign = find(&store, name)?;
    mailbox(to).map_err(campaign_failure)?;
    let mut sending = Sending::of(&store, &campaign)?;
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
    let message = sending
        .message(&campaign)
        .for_recipient(&customer, to)
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
