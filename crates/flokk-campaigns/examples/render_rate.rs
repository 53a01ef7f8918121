//! Messages rendered a second on one core: compile a campaign once, then
//! for each of N synthetic customers render the merge fields, sign the
//! unsubscribe, open and click links, build the RFC 5322 message with
//! lettre and format it to bytes (what the relay is handed).
//!
//! `cargo run --release -p flokk-campaigns --example render_rate -- 100000`
//! (`-- 100000 html`: the same body written as HTML, so the text part is
//! derived from HTML instead of being the Markdown).

use flokk_campaigns::{BodyFormat, CampaignMessage, CompiledCampaign, LinkSigner};
use flokk_model::Customer;
use std::time::Instant;

const BODY: &str = "# Hello {{ first_name | default: \"friend\" }}\n\n\
Our spring season opens on **12 March**. As a friend of the house you get first pick of\n\
the seats before anyone else.\n\n\
[Choose your seats]({{ campaign_link }})\n\n\
* Opening night: Carmen\n* Matinee: The Magic Flute\n* Gala: Verdi at 200\n\n\
See you soon,\nThe box office\n";

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let html = std::env::args().nth(2).as_deref() == Some("html");
    let (body, format) = if html {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(BODY));
        (out, BodyFormat::Html)
    } else {
        (BODY.to_owned(), BodyFormat::Markdown)
    };
    let compiled = CompiledCampaign::compile(
        "{{ first_name | default: \"Hello\" }}, the spring season",
        &body,
        format,
    )
    .unwrap();
    let signer = LinkSigner::new(
        "0123456789abcdef0123456789abcdef",
        "https://flokk.shop.example",
    );
    let message = CampaignMessage {
        campaign_id: "flokk-1",
        campaign_name: "Spring season",
        compiled: &compiled,
        from: "Box office <news@shop.example>",
        link: Some("https://shop.example/spring"),
        signer: &signer,
    };
    let customers: Vec<Customer> = (0..n)
        .map(|i| {
            let mut c = Customer::stub(format!("{}", 1_000_001 + i));
            c.first_name = (i % 7 != 0).then(|| format!("Kari{i}"));
            c.email = Some(format!("kari{i}@example.no"));
            c
        })
        .collect();
    let start = Instant::now();
    let mut bytes = 0usize;
    for c in &customers {
        let m = message
            .for_recipient(c, c.email.as_deref().unwrap())
            .unwrap();
        bytes += m.formatted().len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} body: {n} messages in {secs:.2} s: {:.0} messages/s on one thread, {:.1} KB each",
        if html { "HTML" } else { "Markdown" },
        n as f64 / secs,
        bytes as f64 / n as f64 / 1024.0
    );
}
