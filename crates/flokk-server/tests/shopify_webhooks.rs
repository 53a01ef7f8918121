//! `POST /webhooks/shopify`: every topic with bodies written after
//! Shopify's documented example payloads (`shopify_payloads/README.md`),
//! signatures, de-duplication, out-of-order deliveries, and the same data
//! through the CSV import and through webhooks giving the same store.
//!
//! The examples checked, per topic, are the "Sample Payload" of each topic
//! on Shopify's webhook reference, <https://shopify.dev/docs/api/webhooks/latest>
//! (version 2026-07), section "List of topics":
//! - `customers/create`, `customers/update`: "customers/create: Sample
//!   Payload", "customers/update: Sample Payload" (id 706405506930370084);
//! - `customers/delete`: "customers/delete: Sample Payload" (id, tax_exemptions,
//!   admin_graphql_api_id only);
//! - `orders/create`, `orders/updated`, `orders/cancelled`: "orders/create:
//!   Sample Payload" and its siblings (id 820982911946154508; `checkout_token`,
//!   no `checkout_id`);
//! - `refunds/create`: "refunds/create: Sample Payload" (id
//!   890088186047892319, `transactions[]` of kind `refund`);
//! - `checkouts/create`, `checkouts/update`: "checkouts/create: Sample
//!   Payload", "checkouts/update: Sample Payload" (a `token`, no `id`).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{Answer, call, send, state_with};
use flokk_server::ServerState;
use flokk_store::Store;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "shpss_test_secret";
const BOB: &str = "706405506930370084";
const ORDER: &str = "820982911946154508";

fn payload(name: &str) -> Value {
    let path = format!(
        "{}/tests/shopify_payloads/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn sign(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A state whose store has the webhook secret set.
fn shop() -> (tempfile::TempDir, Arc<ServerState>) {
    let (dir, state) = state_with(&[]);
    Store::open(dir.path())
        .unwrap()
        .settings()
        .set("shopify_webhook_secret", SECRET)
        .unwrap();
    (dir, state)
}

/// Delivers `body` as Shopify would: signed with `secret`.
async fn deliver_signed(
    state: &Arc<ServerState>,
    topic: &str,
    webhook_id: &str,
    body: &Value,
    secret: &str,
) -> Answer {
    let body = body.to_string();
    let request = Request::builder()
        .method("POST")
        .uri("/webhooks/shopify")
        .header("content-type", "application/json")
        .header("x-shopify-topic", topic)
        .header("x-shopify-hmac-sha256", sign(secret, body.as_bytes()))
        .header("x-shopify-shop-domain", "johns-apparel.myshopify.com")
        .header("x-shopify-api-version", "2025-01")
        .header("x-shopify-webhook-id", webhook_id)
        .body(Body::from(body))
        .unwrap();
    send(state, request).await
}

/// Delivers and waits until the delivery was applied; its outcome.
async fn deliver(
    dir: &tempfile::TempDir,
    state: &Arc<ServerState>,
    topic: &str,
    webhook_id: &str,
    body: &Value,
) -> String {
    let answer = deliver_signed(state, topic, webhook_id, body, SECRET).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    outcome(dir, webhook_id).await
}

/// Waits (up to ten seconds) for a delivery to be applied; its outcome.
async fn outcome(dir: &tempfile::TempDir, webhook_id: &str) -> String {
    let store = Store::open(dir.path()).unwrap();
    for _ in 0..200 {
        if let Some(outcome) = store.delivery_outcome("shopify", webhook_id).unwrap() {
            // Membership follows right after the mark; let that finish too.
            tokio::time::sleep(Duration::from_millis(20)).await;
            return outcome;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("delivery {webhook_id} was not applied within ten seconds");
}

fn dump(dir: &tempfile::TempDir) -> Vec<Value> {
    let mut out = Vec::new();
    flokk_store::dump(&Store::open(dir.path()).unwrap(), &mut out).unwrap();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn records<'a>(dump: &'a [Value], kind: &str) -> Vec<&'a Value> {
    dump.iter().filter(|r| r["kind"] == kind).collect()
}

#[tokio::test]
async fn every_topic_is_applied() {
    let (dir, state) = shop();

    let o = deliver(
        &dir,
        &state,
        "customers/create",
        "w1",
        &payload("customers_create"),
    )
    .await;
    assert_eq!(o, "applied");
    let (status, v) = call(&state, "GET", &format!("/api/customers/{BOB}"), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let d = dump(&dir);
    let bob = records(&d, "customer")[0];
    assert_eq!(bob["email"], "bob@biller.com");
    assert_eq!(bob["first_name"], "Bob");
    assert_eq!(bob["note"], "This customer loves ice cream");
    assert_eq!(bob["tags"], json!(["vip", "newsletter"]));
    assert_eq!(bob["account_status"], "DISABLED");
    assert_eq!(bob["created_at"], "2022-01-01T00:00:00Z");
    assert_eq!(bob["addresses"][0]["region"], "CA-ON");
    assert_eq!(bob["addresses"][0]["phone"], "123-123-1234");
    assert_eq!(bob["properties"]["shopify.total_spent"], 0.0);

    // A checkout, not completed: an abandoned checkout.
    let o = deliver(
        &dir,
        &state,
        "checkouts/create",
        "w2",
        &payload("checkouts_create"),
    )
    .await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    let checkouts = records(&d, "checkout");
    assert_eq!(checkouts.len(), 1);
    assert_eq!(checkouts[0]["customer_id"], BOB);
    assert_eq!(checkouts[0]["total"], 398.0);
    assert_eq!(checkouts[0]["abandoned_at"], "2021-12-31T23:45:00Z");
    let (_, v) = call(
        &state,
        "GET",
        "/api/count?query=abandoned_checkout_date%20%3E%3D%202021-12-01",
        None,
    )
    .await;
    assert_eq!(v["count"], 1, "{v}");

    // The order that completed it: the checkout is no longer abandoned.
    let o = deliver(
        &dir,
        &state,
        "orders/create",
        "w3",
        &payload("orders_create"),
    )
    .await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    assert!(records(&d, "checkout").is_empty());
    let orders = records(&d, "order");
    assert_eq!(orders.len(), 1);
    let order = orders[0];
    assert_eq!(order["id"], ORDER);
    assert_eq!(order["customer_id"], BOB);
    assert_eq!(order["total"], 398.0);
    assert_eq!(order["channel"], "online");
    assert_eq!(order["tags"], json!(["tag1", "tag2"]));
    assert_eq!(order["lines"].as_array().unwrap().len(), 2);
    assert_eq!(order["lines"][0]["product_id"], "IPOD2008PINK");
    // Segments see it at once.
    let (_, v) = call(
        &state,
        "GET",
        "/api/count?query=number_of_orders%20%3E%3D%201",
        None,
    )
    .await;
    assert_eq!(v["count"], 1, "{v}");

    let o = deliver(
        &dir,
        &state,
        "refunds/create",
        "w4",
        &payload("refunds_create"),
    )
    .await;
    assert_eq!(o, "applied");
    assert_eq!(records(&dump(&dir), "order")[0]["refunded"], 199.0);

    // Cancelled: the order payload with cancelled_at, updated later.
    let mut cancelled = payload("orders_create");
    cancelled["cancelled_at"] = json!("2022-01-03T10:00:00-05:00");
    cancelled["updated_at"] = json!("2022-01-03T10:00:00-05:00");
    let o = deliver(&dir, &state, "orders/cancelled", "w5", &cancelled).await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    assert_eq!(records(&d, "order")[0]["cancelled"], true);
    // The refund seen before stays counted: the payload lists none.
    assert_eq!(records(&d, "order")[0]["refunded"], 199.0);

    let o = deliver(
        &dir,
        &state,
        "customers/update",
        "w6",
        &payload("customers_update"),
    )
    .await;
    assert_eq!(o, "applied");
    let bob = records(&dump(&dir), "customer")[0].clone();
    assert_eq!(bob["first_name"], "Robert");
    assert_eq!(bob["email_subscription"], "UNSUBSCRIBED");
    assert_eq!(bob["sms_subscription"], "SUBSCRIBED");
    assert_eq!(bob["phone"], "+16135551111");

    let o = deliver(
        &dir,
        &state,
        "customers/delete",
        "w7",
        &payload("customers_delete"),
    )
    .await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    assert!(records(&d, "customer").is_empty());
    assert!(records(&d, "order").is_empty());
    // A late update does not bring the deleted customer back.
    let mut late = payload("customers_update");
    late["updated_at"] = json!("2030-01-01T00:00:00Z");
    let o = deliver(&dir, &state, "customers/update", "w8", &late).await;
    assert!(o.starts_with("skipped"), "{o}");
    assert!(records(&dump(&dir), "customer").is_empty());
}

#[tokio::test]
async fn a_wrong_signature_is_refused_and_nothing_written() {
    let (dir, state) = shop();
    let body = payload("customers_create");
    let answer = deliver_signed(&state, "customers/create", "w1", &body, "not the secret").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);
    assert_eq!(answer.code(), "bad_signature");

    // The body changed after signing.
    let text = body.to_string();
    let request = Request::builder()
        .method("POST")
        .uri("/webhooks/shopify")
        .header("x-shopify-topic", "customers/create")
        .header("x-shopify-webhook-id", "w2")
        .header("x-shopify-hmac-sha256", sign(SECRET, text.as_bytes()))
        .body(Body::from(text.replace("Bob", "Eve")))
        .unwrap();
    let answer = send(&state, request).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.body);

    // No signature at all.
    let request = Request::builder()
        .method("POST")
        .uri("/webhooks/shopify")
        .header("x-shopify-topic", "customers/create")
        .header("x-shopify-webhook-id", "w3")
        .body(Body::from(body.to_string()))
        .unwrap();
    assert_eq!(send(&state, request).await.status, StatusCode::UNAUTHORIZED);

    tokio::time::sleep(Duration::from_millis(200)).await;
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.customer_count().unwrap(), 0);
    assert!(store.waiting_deliveries("shopify", 10).unwrap().is_empty());
    for id in ["w1", "w2", "w3"] {
        assert_eq!(store.delivery_outcome("shopify", id).unwrap(), None);
    }
}

#[tokio::test]
async fn without_a_secret_nothing_is_taken() {
    let (dir, state) = state_with(&[]);
    let answer = deliver_signed(
        &state,
        "customers/create",
        "w1",
        &payload("customers_create"),
        "",
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        answer.body
    );
    assert_eq!(answer.code(), "shopify_webhooks_off");
    assert_eq!(
        Store::open(dir.path()).unwrap().customer_count().unwrap(),
        0
    );
}

#[tokio::test]
async fn a_repeated_webhook_id_is_applied_once() {
    let (dir, state) = shop();
    deliver(
        &dir,
        &state,
        "customers/create",
        "same",
        &payload("customers_create"),
    )
    .await;
    // Shopify retries with the same id; a retry carrying other data (which
    // Shopify never sends) shows that nothing of it is applied.
    let mut other = payload("customers_create");
    other["first_name"] = json!("Changed");
    other["updated_at"] = json!("2030-01-01T00:00:00Z");
    let answer = deliver_signed(&state, "customers/create", "same", &other, SECRET).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.json()["duplicate"], true);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(records(&dump(&dir), "customer")[0]["first_name"], "Bob");
}

#[tokio::test]
async fn older_deliveries_never_move_a_record_backwards() {
    let (dir, state) = shop();
    // The update arrives before its create.
    let o = deliver(
        &dir,
        &state,
        "customers/update",
        "u",
        &payload("customers_update"),
    )
    .await;
    assert_eq!(o, "applied");
    let o = deliver(
        &dir,
        &state,
        "customers/create",
        "c",
        &payload("customers_create"),
    )
    .await;
    assert!(o.starts_with("stale"), "{o}");
    assert_eq!(records(&dump(&dir), "customer")[0]["first_name"], "Robert");

    // An older version of an order after a newer one.
    let mut newer = payload("orders_create");
    newer["cancelled_at"] = json!("2022-01-03T10:00:00-05:00");
    newer["updated_at"] = json!("2022-01-03T10:00:00-05:00");
    deliver(&dir, &state, "orders/cancelled", "o2", &newer).await;
    let o = deliver(
        &dir,
        &state,
        "orders/create",
        "o1",
        &payload("orders_create"),
    )
    .await;
    assert!(o.starts_with("stale"), "{o}");
    assert_eq!(records(&dump(&dir), "order")[0]["cancelled"], true);
}

#[tokio::test]
async fn a_refund_before_its_order_is_counted_when_the_order_comes() {
    let (dir, state) = shop();
    let o = deliver(
        &dir,
        &state,
        "refunds/create",
        "r",
        &payload("refunds_create"),
    )
    .await;
    assert!(o.starts_with("applied"), "{o}");
    deliver(
        &dir,
        &state,
        "orders/create",
        "o",
        &payload("orders_create"),
    )
    .await;
    assert_eq!(records(&dump(&dir), "order")[0]["refunded"], 199.0);
    // The same refund listed in a later order payload is not counted twice.
    let mut updated = payload("orders_create");
    updated["updated_at"] = json!("2022-01-02T09:00:00-05:00");
    updated["refunds"] = json!([payload("refunds_create")]);
    deliver(&dir, &state, "orders/updated", "o2", &updated).await;
    assert_eq!(records(&dump(&dir), "order")[0]["refunded"], 199.0);
}

#[tokio::test]
async fn unreadable_payloads_and_topics_are_refused_clearly() {
    let (dir, state) = shop();
    let mut bad = payload("orders_create");
    bad["total_price"] = json!("a lot");
    let answer = deliver_signed(&state, "orders/create", "b1", &bad, SECRET).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(answer.code(), "invalid_payload");
    assert_eq!(answer.json()["error"]["field"], "total_price");

    let answer = deliver_signed(&state, "products/create", "b2", &json!({"id": 1}), SECRET).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(answer.code(), "unsupported_topic");

    let store = Store::open(dir.path()).unwrap();
    assert!(store.waiting_deliveries("shopify", 10).unwrap().is_empty());
    assert_eq!(store.delivery_outcome("shopify", "b1").unwrap(), None);
}

const CUSTOMERS_EXPORT: &str = "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags
'706405506930370084,Bob,Biller,bob@biller.com,,,123 Elm St.,,Ottawa,ON,CA,K2H7A8,'123-123-1234,,,0.00,0,This customer loves ice cream,no,\"vip, newsletter\"
";

const ORDERS_EXPORT: &str = "Name,Email,Financial Status,Paid at,Created at,Total,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Vendor,Cancelled at,Refunded Amount,Tags,Source,Id,Location
#9999,bob@biller.com,voided,,2021-12-31 19:00:00 -0500,398.00,1,IPod Nano - 8GB,199.00,IPOD2008PINK,,,0.00,\"tag1, tag2\",web,820982911946154508,
#9999,bob@biller.com,,,,,1,IPod Nano - 8GB,199.00,IPOD2008PINK,,,,,,820982911946154508,
";

async fn import(state: &Arc<ServerState>, file: &str) {
    let bearer = format!("Bearer {}", common::token(state, "write"));
    let request = Request::builder()
        .method("POST")
        .uri("/api/import")
        .header("authorization", bearer)
        .body(Body::from(file.to_owned()))
        .unwrap();
    let answer = send(state, request).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

/// The same customer and order, as Shopify's CSV exports through
/// `POST /api/import` and as webhooks, give the same dump, but for what
/// only the webhook carries (the customer's created_at and state).
#[tokio::test]
async fn webhooks_map_fields_as_the_csv_import_does() {
    let (csv_dir, csv_state) = shop();
    import(&csv_state, CUSTOMERS_EXPORT).await;
    import(&csv_state, ORDERS_EXPORT).await;

    let (hook_dir, hook_state) = shop();
    deliver(
        &hook_dir,
        &hook_state,
        "customers/create",
        "c",
        &payload("customers_create"),
    )
    .await;
    deliver(
        &hook_dir,
        &hook_state,
        "orders/create",
        "o",
        &payload("orders_create"),
    )
    .await;

    let from_csv = dump(&csv_dir);
    let mut from_hooks = dump(&hook_dir);
    for r in &mut from_hooks {
        if r["kind"] == "customer" {
            let fields = r.as_object_mut().unwrap();
            assert_eq!(
                fields.remove("created_at"),
                Some(json!("2022-01-01T00:00:00Z"))
            );
            assert_eq!(fields.remove("account_status"), Some(json!("DISABLED")));
        }
    }
    assert_eq!(records(&from_csv, "order").len(), 1);
    assert_eq!(from_csv, from_hooks);
}

#[tokio::test]
async fn the_api_never_shows_the_secret() {
    let (_dir, state) = shop();
    let (status, v) = call(&state, "GET", "/api/settings/shopify_webhook_secret", None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["value"], "(set)");
    let (_, v) = call(&state, "GET", "/api/settings", None).await;
    assert!(!v.to_string().contains(SECRET), "{v}");
}

/// Shopify's checkouts/create and checkouts/update examples
/// (<https://shopify.dev/docs/api/webhooks/latest>, "checkouts/create:
/// Sample Payload") name the checkout by `token` and carry no `id`: such a
/// checkout is kept under its token and removed once completed.
#[tokio::test]
async fn documented_checkouts_without_an_id_are_taken() {
    let (dir, state) = shop();
    let mut checkout = json!({
        "token": "123123123",
        "cart_token": "eeafa272cebfd4b22385bc4b645e762c",
        "email": "example@email.com",
        "gateway": null,
        "buyer_accepts_marketing": false,
        "created_at": "2021-12-31T19:00:00-05:00",
        "updated_at": "2021-12-31T19:00:00-05:00",
        "currency": "USD",
        "completed_at": null,
        "closed_at": null,
        "line_items": [{"product_id": 632910392, "quantity": 1, "sku": "IPOD2008PINK",
                        "title": "IPod Nano - 8GB", "price": "199.00", "line_price": "199.00"}],
        "name": "#981820079255243537",
        "abandoned_checkout_url": "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token",
        "total_price": "421.88",
        "subtotal_price": "398.00",
        "customer": {"id": 603851970716743426u64, "email": "john@example.com",
                     "first_name": "John", "last_name": "Smith", "state": "disabled"}
    });
    let o = deliver(&dir, &state, "checkouts/create", "c1", &checkout).await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    let kept = records(&d, "checkout");
    assert_eq!(kept.len(), 1, "{d:?}");
    assert_eq!(kept[0]["id"], "123123123");
    assert_eq!(kept[0]["customer_id"], "603851970716743426");
    assert_eq!(kept[0]["total"], 421.88);

    checkout["updated_at"] = json!("2021-12-31T19:30:00-05:00");
    checkout["completed_at"] = json!("2021-12-31T19:30:00-05:00");
    let o = deliver(&dir, &state, "checkouts/update", "c2", &checkout).await;
    assert!(o.starts_with("applied"), "{o}");
    assert!(records(&dump(&dir), "checkout").is_empty());
}

/// Shopify's current customers/update example
/// (<https://shopify.dev/docs/api/webhooks/latest>, "customers/update:
/// Sample Payload") carries no `tags` and no marketing consent objects:
/// what flokk has of them stays, rather than being cleared.
#[tokio::test]
async fn fields_a_customer_payload_leaves_out_are_kept() {
    let (dir, state) = shop();
    let o = deliver(
        &dir,
        &state,
        "customers/update",
        "u1",
        &payload("customers_update"),
    )
    .await;
    assert_eq!(o, "applied");
    let documented = json!({
        "id": 706405506930370084u64,
        "created_at": "2021-12-31T19:00:00-05:00",
        "updated_at": "2022-01-06T19:00:00-05:00",
        "first_name": "Bob",
        "last_name": "Biller",
        "state": "disabled",
        "note": "This customer loves ice cream",
        "verified_email": true,
        "multipass_identifier": null,
        "tax_exempt": false,
        "email": "bob@biller.com",
        "phone": null,
        "currency": "USD",
        "addresses": [],
        "tax_exemptions": [],
        "admin_graphql_api_id": "gid://shopify/Customer/706405506930370084",
        "default_address": {"id": 12321, "customer_id": 706405506930370084u64,
            "first_name": "Bob", "last_name": "Biller", "company": null,
            "address1": "151 O'Connor Street", "address2": null, "city": "Ottawa",
            "province": "ON", "country": "CA", "zip": "K2P 2L8", "phone": "555-555-5555",
            "name": "Bob Biller", "province_code": "ON", "country_code": "CA",
            "country_name": "CA", "default": true}
    });
    let o = deliver(&dir, &state, "customers/update", "u2", &documented).await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    let bob = records(&d, "customer")[0];
    assert_eq!(bob["first_name"], "Bob", "{bob}");
    assert_eq!(bob["addresses"][0]["address1"], "151 O'Connor Street");
    assert_eq!(bob["tags"], json!(["vip"]), "{bob}");
    assert_eq!(bob["email_subscription"], "UNSUBSCRIBED", "{bob}");
    assert_eq!(bob["sms_subscription"], "SUBSCRIBED", "{bob}");
    // A payload that sends them empty clears them.
    let mut cleared = documented.clone();
    cleared["updated_at"] = json!("2022-01-07T19:00:00-05:00");
    cleared["tags"] = json!("");
    let o = deliver(&dir, &state, "customers/update", "u3", &cleared).await;
    assert_eq!(o, "applied");
    let d = dump(&dir);
    assert!(
        records(&d, "customer")[0]
            .get("tags")
            .is_none_or(|t| t == &json!([]))
    );
}

/// A delivery kept (answered 200) but not applied before flokk stopped is
/// applied when it starts again (`flokk serve` runs `apply_waiting` at
/// start), and segments see it.
#[tokio::test]
async fn a_kept_delivery_is_applied_after_a_restart() {
    let (dir, state) = shop();
    drop(state);
    // As a crash between the answer and the apply leaves it: kept, waiting.
    let store = Store::open(dir.path()).unwrap();
    let body = payload("customers_create").to_string();
    assert!(
        store
            .enqueue_delivery(
                "shopify",
                "kept-1",
                "customers/create",
                body.as_bytes(),
                "2025-06-01T00:00:00Z".parse().unwrap(),
            )
            .unwrap()
    );
    assert!(records(&dump(&dir), "customer").is_empty());
    let restarted = common::state_over(Store::open(dir.path()).unwrap(), common::test_options());
    flokk_server::inbound::apply_waiting(restarted.live.clone(), restarted.inbound.clone()).await;
    assert_eq!(outcome(&dir, "kept-1").await, "applied");
    assert_eq!(records(&dump(&dir), "customer").len(), 1);
    let (_, v) = call(
        &restarted,
        "GET",
        "/api/count?query=customer_tags%20CONTAINS%20%27vip%27",
        None,
    )
    .await;
    assert_eq!(v["count"], 1, "{v}");
}
