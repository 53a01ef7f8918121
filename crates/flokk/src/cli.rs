//! The clap definition of every command in `shared/spec/cli.md`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// flokk: customer segments that keep themselves current.
#[derive(Debug, Parser)]
#[command(name = "flokk", version, about, max_term_width = 100, after_long_help = flokk_geo::ATTRIBUTION)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The store directory (created on first use).
    #[arg(
        long,
        global = true,
        env = "FLOKK_DATA",
        default_value = "./flokk-data"
    )]
    pub data: PathBuf,
    /// Evaluate as of this instant (RFC 3339) instead of the clock.
    #[arg(long, global = true, env = "FLOKK_NOW")]
    pub now: Option<String>,
    /// Use this IANA time zone instead of the store's for one command.
    #[arg(long, global = true)]
    pub timezone: Option<String>,
    /// Print one JSON document on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Who answers `count` and `members` (default: the store's `backend` setting).
    #[arg(long, global = true, value_enum)]
    pub backend: Option<Backend>,
    /// ClickHouse's HTTP interface for `--backend clickhouse` (default: the store's `clickhouse_url` setting).
    #[arg(long, global = true)]
    pub clickhouse_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backend {
    /// flokk's in-memory engine.
    Engine,
    /// ClickHouse, loaded by `flokk clickhouse sync`.
    Clickhouse,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a realistic synthetic store (unless the store has data), then serve the web UI.
    Demo(DemoArgs),
    /// Serve the HTTP API and the web UI.
    Serve(ServeArgs),
    /// Import NDJSON or Shopify CSV files.
    Import(ImportArgs),
    /// Write the whole store as NDJSON (imports back to an identical store).
    Dump(DumpArgs),
    /// Read or change store settings.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Validate a query and print its canonical form.
    Check(QueryArgs),
    /// Count the customers matching a query.
    Count(CountArgs),
    /// List the customers matching a query.
    Members(MembersArgs),
    /// Saved segments.
    #[command(subcommand)]
    Segment(SegmentCommand),
    /// Customers.
    #[command(subcommand)]
    Customer(CustomerCommand),
    /// Webhook endpoints that receive segment membership changes.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// API tokens for the HTTP API and the web UI's sign-in.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Fit the predictive models.
    Predict(PredictArgs),
    /// Export a segment or a query.
    Export(ExportArgs),
    /// Bulk tags: add a tag to, or remove it from, every customer of a segment.
    #[command(subcommand)]
    Tag(TagCommand),
    /// Print a query as SQL of another database (ClickHouse).
    Sql(SqlArgs),
    /// flokk on ClickHouse: the tables' DDL.
    #[command(subcommand)]
    Clickhouse(ClickhouseCommand),
    /// Email campaigns: compose, preview, test, send and report.
    #[command(subcommand)]
    Campaign(CampaignCommand),
    /// Static lists: frozen sets of customers (`customer_lists CONTAINS 'NAME'`).
    #[command(subcommand)]
    List(ListCommand),
    /// Discounts for a segment: one shared code or a code per member.
    #[command(subcommand)]
    Discount(DiscountCommand),
    /// Drop inbound data past its retention (applied Shopify webhooks, seen messageIds, anonymous events).
    Prune,
}

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// The SQL dialect.
    #[arg(long, value_enum)]
    pub dialect: SqlDialect,
    /// Apply Shopify's limits (10 clauses, 500 ids per list).
    #[arg(long)]
    pub strict: bool,
    /// The query (one argument: quote it in the shell).
    pub query: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SqlDialect {
    Clickhouse,
}

#[derive(Debug, Subcommand)]
pub enum ClickhouseCommand {
    /// Print the DDL of the tables flokk reads on ClickHouse.
    Schema(ClickhouseSchemaArgs),
    /// Load the store into ClickHouse, then keep it current from the change sequence.
    Sync(ClickhouseSyncArgs),
}

#[derive(Debug, Args)]
pub struct ClickhouseSyncArgs {
    /// ClickHouse's HTTP interface, e.g. http://localhost:8123/ (user, password and database as its URL parameters).
    #[arg(long)]
    pub url: String,
    /// Load what is there, then exit.
    #[arg(long)]
    pub once: bool,
    /// Rows sent in one insert.
    #[arg(long, default_value_t = 50_000)]
    pub batch: usize,
}

#[derive(Debug, Args)]
pub struct ClickhouseSchemaArgs {
    /// A cluster's name: replicated tables on each shard and Distributed tables over them.
    #[arg(long)]
    pub cluster: Option<String>,
    /// How many shards the cluster has (adds a configuration sketch); needs --cluster.
    #[arg(long, requires = "cluster")]
    pub shards: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// A draft email campaign to a saved segment (or `--query`).
    Create(CampaignCreateArgs),
    /// The rendered message (RFC 5322) for one customer, on stdout.
    Preview {
        name: String,
        /// The customer to render it for.
        #[arg(long)]
        customer: String,
    },
    /// Send the message once to an address (subject marked `[Test]`).
    Test {
        name: String,
        /// Where to send it.
        #[arg(long)]
        to: String,
    },
    /// Freeze the audience and send (again on a sending campaign: resume).
    Send {
        name: String,
        /// Schedule instead: a running `flokk serve` starts it at this
        /// instant (RFC 3339, e.g. 2026-12-24T08:00:00Z); again to reschedule.
        #[arg(long, conflicts_with = "wait")]
        at: Option<String>,
        /// Send here and return when the queue is drained.
        #[arg(long)]
        wait: bool,
    },
    /// Pause a sending campaign (`send` resumes it).
    Pause { name: String },
    /// Cancel a campaign: recipients not yet sent to never are.
    Cancel { name: String },
    /// A campaign's report.
    Show { name: String },
    /// Every campaign's report, newest first.
    List,
}

#[derive(Debug, Args)]
pub struct CampaignCreateArgs {
    /// The campaign's name (unique regardless of case).
    pub name: String,
    /// The audience: a saved segment's name (or use `--query`).
    #[arg(required_unless_present = "query", conflicts_with = "query")]
    pub audience: Option<String>,
    /// The customers matching this query instead of a saved segment.
    #[arg(long)]
    pub query: Option<String>,
    /// The subject line (merge fields allowed).
    #[arg(long)]
    pub subject: String,
    /// The body: Markdown, or HTML for a `.html` file (merge fields allowed).
    #[arg(long)]
    pub body_file: PathBuf,
    /// The sender (default: the `smtp_from` setting).
    #[arg(long)]
    pub from: Option<String>,
    /// Leave out holders of tickets to `production:ID` or `performance:ID`.
    #[arg(long)]
    pub shown_for: Option<String>,
    /// The campaign link's target (`{{ campaign_link }}`, with UTM parameters).
    #[arg(long)]
    pub link: Option<String>,
    /// The discount whose code issued to each recipient is `{{ discount_code }}`.
    #[arg(long)]
    pub discount: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DiscountCommand {
    /// Create a discount for a segment's (or list's) members now.
    Create(Box<DiscountCreateArgs>),
    /// The codes with their customers, as CSV or for Shopify's bulk import.
    Codes {
        name: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: DiscountCodesFormat,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// With `--format shopify-graphql`: the Shopify code discount the
        /// codes are added to (its number, or `gid://shopify/DiscountCodeNode/N`).
        #[arg(long)]
        shopify_discount_id: Option<String>,
    },
    /// May this customer use the code now? (`valid`, the `reason` when not,
    /// and the discount's `minimum` order subtotal)
    Check {
        code: String,
        /// The customer's id.
        #[arg(long)]
        customer: String,
        /// The order's subtotal before the discount, in the store currency
        /// (`below_minimum` when under the discount's minimum; without it
        /// the minimum is not judged, only reported).
        // A negative amount reaches the amount check (a clear error), not
        // clap's "unexpected argument".
        #[arg(long, allow_hyphen_values = true)]
        subtotal: Option<String>,
    },
    /// One discount: issued, redeemed and the revenue of redeeming orders.
    Show { name: String },
    /// Every discount.
    #[command(name = "list")]
    All,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DiscountCodesFormat {
    /// code, customer_id, email, first_name, last_name.
    Csv,
    /// Matrixify's Shopify "Discounts" import (Title, Command, Code).
    Shopify,
    /// JSON Lines, each the variables of one Shopify Admin GraphQL
    /// `discountRedeemCodeBulkAdd` call (at most 250 codes).
    ShopifyGraphql,
}

#[derive(Debug, Args)]
pub struct DiscountCreateArgs {
    pub name: String,
    /// The saved segment (or static list) whose members get the discount.
    #[arg(long)]
    pub segment: String,
    /// One code for every member.
    #[arg(long, required_unless_present = "unique", conflicts_with = "unique")]
    pub code: Option<String>,
    /// A code of its own for each member.
    #[arg(long)]
    pub unique: bool,
    /// Before each unique code.
    #[arg(long, requires = "unique", default_value = "")]
    pub prefix: String,
    /// Random characters of each unique code (alphabet without 0/O/1/I/L).
    #[arg(long, requires = "unique")]
    pub length: Option<usize>,
    /// Percent off (over 0, at most 100).
    #[arg(long, required_unless_present = "amount", conflicts_with = "amount")]
    pub percent: Option<String>,
    /// A fixed amount off, in the store's currency.
    #[arg(long)]
    pub amount: Option<String>,
    /// The least order total it applies to.
    #[arg(long)]
    pub minimum: Option<String>,
    /// Valid from this day (store-local midnight) or instant (RFC 3339).
    #[arg(long)]
    pub starts: Option<String>,
    /// Valid through this day (until the next store-local midnight) or until this instant.
    #[arg(long)]
    pub ends: Option<String>,
    /// Orders one customer may use it on.
    #[arg(long)]
    pub uses_per_customer: Option<u64>,
    /// Orders that may use it in all.
    #[arg(long)]
    pub uses: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum ListCommand {
    /// Save a static list from a file of ids or emails, or by freezing a segment now.
    Create {
        name: String,
        /// CSV or NDJSON of customer ids or emails (rows naming nobody are reported).
        #[arg(long, required_unless_present = "freeze", conflicts_with = "freeze")]
        from_file: Option<std::path::PathBuf>,
        /// The members of this saved segment (or list) as of now.
        #[arg(long)]
        freeze: Option<String>,
    },
    /// One list, with its count and the rows that named nobody.
    Show { name: String },
    /// Delete a list (refused while a saved segment names it).
    Delete { name: String },
}

#[derive(Debug, Subcommand)]
pub enum TagCommand {
    /// Add TAG to every customer in the audience (customers that have it stay as they are).
    Add(TagArgs),
    /// Remove TAG from every customer in the audience.
    Remove(TagArgs),
}

#[derive(Debug, Args)]
pub struct TagArgs {
    /// The audience (a saved segment's name), then the tag; with `--query`,
    /// the tag alone.
    #[arg(required = true, num_args = 1..=2, value_names = ["AUDIENCE", "TAG"])]
    pub args: Vec<String>,
    /// The customers matching this query instead of a saved segment.
    #[arg(long)]
    pub query: Option<String>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many customers to generate.
    #[arg(long, default_value_t = 50_000)]
    pub customers: u64,
    /// Random seed (same seed and size, same store).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Address to serve on.
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: String,
    /// Requests a second each client may make (bursts of five times as
    /// many); 0 turns the limit off.
    #[arg(long, default_value_t = DEFAULT_RATE_LIMIT)]
    pub rate_limit: u32,
    /// Build the store only; do not serve.
    #[arg(long)]
    pub no_serve: bool,
    /// Build a venue group instead of a shop: two organisations sharing one
    /// customer base, six venues, sixty productions, about 2,000
    /// performances over three seasons, online and box-office sales.
    #[arg(long)]
    pub ticketing: bool,
}

/// Loopback only: flokk is reachable from elsewhere only when `--listen`
/// says so.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Requests a second per client by default.
pub const DEFAULT_RATE_LIMIT: u32 = 20;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (another address than loopback needs a
    /// TLS-terminating proxy in front: flokk speaks plain HTTP).
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: String,
    /// Requests a second each client may make (bursts of five times as
    /// many); 0 turns the limit off.
    #[arg(long, default_value_t = DEFAULT_RATE_LIMIT)]
    pub rate_limit: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// flokk's NDJSON interchange format.
    Ndjson,
    /// Shopify's customers export (or its import template).
    ShopifyCustomers,
    /// Shopify's orders export.
    ShopifyOrders,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (`-` for standard input, NDJSON only).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Format; detected from the content when left out.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Import the good rows and write the bad ones to `<file>.rejects`.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Ignore unknown NDJSON fields instead of rejecting the record.
    #[arg(long)]
    pub lenient: bool,
}

#[derive(Debug, Args)]
pub struct DumpArgs {
    /// Write here instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print one setting (or all, without KEY).
    Get { key: Option<String> },
    /// Change one setting.
    Set { key: String, value: String },
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Apply Shopify's limits (10 clauses, 500 ids per list).
    #[arg(long)]
    pub strict: bool,
    /// The query (one argument: quote it in the shell).
    pub query: String,
}

/// `flokk count`'s arguments.
#[derive(Debug, Args)]
pub struct CountArgs {
    /// Apply Shopify's limits (10 clauses, 500 ids per list).
    #[arg(long)]
    pub strict: bool,
    /// Leave out holders of tickets to `production:ID` or `performance:ID`.
    #[arg(long, value_name = "production:ID|performance:ID")]
    pub shown_for: Option<String>,
    /// The query (one argument: quote it in the shell).
    pub query: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MembersFormat {
    Ids,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct MembersArgs {
    pub query: String,
    #[arg(long)]
    pub limit: Option<usize>,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Sort by this field; `-FIELD` or `FIELD:desc` sorts descending.
    #[arg(long, allow_hyphen_values = true)]
    pub sort: Option<String>,
    #[arg(long, value_enum, default_value = "ids")]
    pub format: MembersFormat,
    #[arg(long)]
    pub strict: bool,
    /// Leave out holders of tickets to `production:ID` or `performance:ID`.
    #[arg(long, value_name = "production:ID|performance:ID")]
    pub shown_for: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SegmentSort {
    /// By name, A to Z.
    Name,
    /// Most recently created, edited or used first.
    #[value(name = "last_activity", alias = "last-activity")]
    LastActivity,
    /// Most members first.
    Count,
}

#[derive(Debug, Subcommand)]
pub enum SegmentCommand {
    /// Save a segment (names are unique regardless of case).
    Create {
        name: String,
        /// The query (or use --template).
        #[arg(
            long,
            required_unless_present = "template",
            conflicts_with = "template"
        )]
        query: Option<String>,
        /// Start from a template's query (see `flokk segment templates`).
        #[arg(long)]
        template: Option<String>,
        /// Internal text: what it is for (shown and searched in the index).
        #[arg(long)]
        description: Option<String>,
        /// `merchant` (default), `app:<name>` or `flokk`.
        #[arg(long)]
        author: Option<String>,
        /// In a venue group: the organisation it belongs to (one its venues
        /// or productions name); without it the segment is shared by all.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// The segment index: name, count, % of all customers, author, last activity, draft flag.
    List {
        /// Only segments whose name or description contains this text (any case).
        #[arg(long)]
        search: Option<String>,
        /// Only the segments of this organisation (a venue group's).
        #[arg(long)]
        organisation: Option<String>,
        #[arg(long, value_enum, default_value = "name")]
        sort: SegmentSort,
        /// List deleted segments (which can be restored) instead.
        #[arg(long)]
        deleted: bool,
    },
    /// One segment with its version history.
    Show { name: String },
    /// Publish a new query (the old one stays in the history), or save it as a draft.
    Update {
        name: String,
        #[arg(long)]
        query: Option<String>,
        /// Internal text: what it is for.
        #[arg(long)]
        description: Option<String>,
        /// Save the query as a draft: members keep following the published query.
        #[arg(long, requires = "query")]
        draft: bool,
        #[arg(long)]
        author: Option<String>,
        /// Move it to this organisation (of a venue group).
        #[arg(long, conflicts_with = "shared")]
        organisation: Option<String>,
        /// Share it with every organisation (take it out of its organisation).
        #[arg(long)]
        shared: bool,
    },
    /// Publish the segment's draft.
    Publish {
        name: String,
        #[arg(long)]
        author: Option<String>,
    },
    /// Throw the segment's draft away.
    Discard { name: String },
    /// Rename; segments that name it are rewritten to the new name.
    Rename {
        name: String,
        new: String,
        #[arg(long)]
        author: Option<String>,
    },
    /// Delete (it can be restored).
    Delete { name: String },
    /// Restore a deleted segment.
    Restore { name: String },
    /// Remove a deleted segment for good.
    Purge { name: String },
    /// The membership change feed, oldest first.
    Changes {
        name: Option<String>,
        /// Only entries after this sequence number.
        #[arg(long, default_value_t = 0)]
        since: u64,
        /// At most this many entries.
        #[arg(long)]
        limit: Option<u64>,
    },
    /// Ready-made recipes to copy (`create NAME --template KEY`).
    Templates,
    /// A saved segment's members: `flokk members` with
    /// `customer_segments CONTAINS 'NAME'` (same flags and formats).
    Members {
        name: String,
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        /// Sort by this field; `-FIELD` or `FIELD:desc` sorts descending.
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        #[arg(long, value_enum, default_value = "ids")]
        format: MembersFormat,
        /// Leave out holders of tickets to `production:ID` or `performance:ID`.
        #[arg(long, value_name = "production:ID|performance:ID")]
        shown_for: Option<String>,
    },
    /// An exact-size random sample of a segment (or list), saved as a static list.
    Sample {
        name: String,
        /// How many members.
        #[arg(long, required_unless_present = "percent", conflicts_with = "percent")]
        size: Option<u64>,
        /// This share of the members (rounded to the nearest customer).
        #[arg(long)]
        percent: Option<f64>,
        /// The same seed over the same members draws the same sample.
        #[arg(long)]
        seed: Option<u64>,
        /// The new list's name.
        #[arg(long = "name")]
        list: String,
        /// Save the members not drawn as a second list (the hold-out).
        #[arg(long)]
        holdout: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Subscribe an endpoint (a signing secret is made and shown).
    Add {
        /// http:// or https:// address deliveries are POSTed to.
        url: String,
        /// Only these segments (names or ids, comma-separated); all when left out.
        #[arg(long, value_delimiter = ',')]
        segments: Vec<String>,
        /// Deliver the whole feed from its start, not only what comes next.
        #[arg(long)]
        from_start: bool,
    },
    /// The endpoints, with their cursor, failures and why one is disabled.
    List,
    /// Unsubscribe an endpoint.
    Remove { id: i64 },
    /// Enable a disabled endpoint again (it resumes where it stopped).
    Enable { id: i64 },
    /// Replace an endpoint's signing secret (the new one is shown once).
    Rotate { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; its secret is printed once and never again.
    Create {
        /// A name to recognise it by (unique among live tokens).
        name: String,
        /// What it may do: read, write, export (personal data), admin (everything),
        /// ingest (send tracking data only), checkout (only checking discount codes).
        #[arg(long, value_delimiter = ',', required = true)]
        scopes: Vec<String>,
        /// Limit it to these organisations of a venue group (repeat or
        /// comma-separate): it then reads and changes only their segments
        /// (and reads the shared ones). Customers stay shared.
        #[arg(long = "organisation", value_delimiter = ',')]
        organisations: Vec<String>,
    },
    /// Every token: id, name, scopes, created, last used, revoked.
    List,
    /// Revoke a token (by name or id); its web sessions end too.
    Revoke { token: String },
}

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// One customer with computed fields and segment memberships.
    Show { id: String },
}

#[derive(Debug, Args)]
pub struct PredictArgs {
    #[arg(long)]
    pub refit: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The segment's name or id.
    pub segment: Option<String>,
    /// Export the customers of this query instead.
    #[arg(long)]
    pub query: Option<String>,
    /// csv-excel, csv, xlsx, meta or google.
    #[arg(long)]
    pub format: String,
    /// Fields to write instead of Shopify's customer export columns
    /// (csv, csv-excel, xlsx).
    #[arg(long, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Write to this file (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// With `--format meta`: normalised values, not hashed.
    #[arg(long)]
    pub raw: bool,
    /// Leave out holders of tickets to `production:ID` or `performance:ID`.
    #[arg(long, value_name = "production:ID|performance:ID")]
    pub shown_for: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serve_and_demo_listen_on_loopback_unless_told_otherwise() {
        let cli = Cli::try_parse_from(["flokk", "serve"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("serve")
        };
        assert_eq!(args.listen, "127.0.0.1:8080");
        let cli = Cli::try_parse_from(["flokk", "demo"]).unwrap();
        let Command::Demo(args) = cli.command else {
            panic!("demo")
        };
        assert_eq!(args.listen, "127.0.0.1:8080");
        let cli = Cli::try_parse_from(["flokk", "serve", "--listen", "0.0.0.0:80"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("serve")
        };
        assert_eq!(args.listen, "0.0.0.0:80");
    }
}
