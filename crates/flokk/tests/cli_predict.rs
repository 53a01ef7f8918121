//! `flokk predict` on CDNOW imported through the normal NDJSON path: the
//! published BG/NBD and Gamma-Gamma estimates (Fader, Hardie, Lee 2005;
//! predictive.md) to their printed precision, as of 1997-09-30.

use std::process::Command;

const CDNOW: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../flokk-predict/tests/data/CDNOW_sample.txt"
);

fn flokk(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_flokk"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

/// Each CDNOW transaction as an order at midnight UTC of its date.
fn cdnow_as_ndjson() -> String {
    let text = std::fs::read_to_string(CDNOW)
        .expect("the CDNOW sample in crates/flokk-predict/tests/data");
    let mut out = String::new();
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let [_, customer, date, _cds, dollars] = cols[..] else {
            panic!("line {n}: {line}")
        };
        let date = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..]);
        out.push_str(&format!(
            "{{\"kind\":\"order\",\"id\":\"{n}\",\"customer_id\":\"{customer}\",\"placed_at\":\"{date}T00:00:00Z\",\"total\":{dollars}}}\n"
        ));
    }
    out
}

#[test]
fn predict_reproduces_the_published_cdnow_estimates() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cdnow.ndjson");
    std::fs::write(&file, cdnow_as_ndjson()).unwrap();
    let data = tmp.path().join("store");
    let out = flokk(&data, &["import", file.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = flokk(
        &data,
        &["--now", "1997-09-30T00:00:00Z", "predict", "--json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bg = &v["bgnbd"];
    assert_eq!(bg["time_unit"], "day");
    let at = |x: &serde_json::Value, places: i32| {
        let f = 10f64.powi(places);
        (x.as_f64().unwrap() * f).round() / f
    };
    // Published in weeks: alpha scales by 7 (days = weeks x 7).
    assert_eq!(at(&bg["r"], 3), 0.243);
    assert_eq!(at(&(bg["alpha"].as_f64().unwrap() / 7.0).into(), 3), 4.414);
    assert_eq!(at(&bg["a"], 3), 0.793);
    assert_eq!(at(&bg["b"], 3), 2.426);
    let gg = &v["gamma_gamma"];
    assert_eq!(at(&gg["p"], 2), 6.25);
    assert_eq!(at(&gg["q"], 2), 3.74);
    assert_eq!(at(&gg["gamma"], 2), 15.44);
    // As of 1997-09-30 the newest order is that day and 2,357 customers have
    // bought, so every data-sufficiency rule is met.
    assert_eq!(v["customers_with_orders"], 2357);
    assert_eq!(v["sufficient"], true, "{}", v["reasons"]);
}

/// The fitted models are saved: later commands score with them (tampering
/// with the saved parameters moves the predictions, which a refit would
/// not), `--refit` fits again, and a fit older than `predict_refit_hours`
/// is refitted by `flokk predict`.
#[test]
fn models_are_saved_and_scored_until_a_refit() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cdnow.ndjson");
    std::fs::write(&file, cdnow_as_ndjson()).unwrap();
    let data = tmp.path().join("store");
    assert_eq!(
        flokk(&data, &["import", file.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let now = ["--now", "1997-09-30T00:00:00Z"];
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = now.to_vec();
        all.push("--json");
        all.extend_from_slice(args);
        let out = flokk(&data, &all);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let first = json(&["predict"]);
    assert_eq!(
        (first["refitted"].as_bool(), first["saved"].as_bool()),
        (Some(true), Some(true))
    );
    let again = json(&["predict"]);
    assert_eq!(
        again["refitted"], false,
        "a fresh saved fit is reported as it is"
    );
    assert_eq!(again["mbgnbd"]["r"], first["mbgnbd"]["r"]);
    let count = || {
        json(&["count", "churn_probability > 0.5"])["count"]
            .as_u64()
            .unwrap()
    };
    let before = count();
    assert!(before > 0);

    let db = rusqlite::Connection::open(data.join("flokk.db")).unwrap();
    db.execute(
        "UPDATE models SET body = json_set(body, '$.mbgnbd.b', json_extract(body, '$.mbgnbd.b') * 1000)",
        [],
    )
    .unwrap();
    let tampered = count();
    assert_ne!(
        tampered, before,
        "the saved parameters are what scores customers"
    );

    let refit = json(&["predict", "--refit"]);
    assert_eq!(refit["refitted"], true);
    assert_eq!(count(), before);

    db.execute("UPDATE models SET fitted_at = 0", []).unwrap();
    assert_eq!(
        json(&["predict"])["refitted"],
        true,
        "a stale fit is refitted"
    );
}

/// A member list in JSON carries the predictive fields, so it fits the
/// models; it saves them, as `count` does, so the next command scores with
/// them instead of fitting again (every `members --format json` refitted,
/// a quarter of a 1M list's time).
#[test]
fn a_json_member_list_saves_the_models_it_fitted() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cdnow.ndjson");
    std::fs::write(&file, cdnow_as_ndjson()).unwrap();
    let data = tmp.path().join("store");
    let import = flokk(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(import.status.code(), Some(0));
    let out = flokk(
        &data,
        &[
            "--now",
            "1997-09-30T00:00:00Z",
            "members",
            "number_of_orders >= 1",
            "--limit",
            "20000",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(listed[0]["churn_probability"].is_number(), "{}", listed[0]);
    let db = rusqlite::Connection::open(data.join("flokk.db")).unwrap();
    let saved: i64 = db
        .query_row("SELECT count(*) FROM models", [], |r| r.get(0))
        .unwrap();
    assert!(saved > 0, "no models saved");
}

/// The RFM grid is a setting (predictive.md): a bad one is refused with
/// the reason, and swapping two groups swaps who is in them.
#[test]
fn the_rfm_grid_is_a_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("cdnow.ndjson");
    std::fs::write(&file, cdnow_as_ndjson()).unwrap();
    let data = tmp.path().join("store");
    assert_eq!(
        flokk(&data, &["import", file.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let count = |group: &str| -> u64 {
        let q = format!("rfm_group = '{group}'");
        let out = flokk(
            &data,
            &["--now", "1997-09-30T00:00:00Z", "--json", "count", &q],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["count"]
            .as_u64()
            .unwrap()
    };
    let (champions, dormant) = (count("CHAMPIONS"), count("DORMANT"));
    assert!(champions > 0 && dormant > 0 && champions != dormant);
    let bad = flokk(
        &data,
        &["config", "set", "rfm_grid", "4,2.5|CHAMPS ACTIVE NEW"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("4 rows"));
    let swapped = "4,2.5|DORMANT ACTIVE NEW|LOYAL ACTIVE PROMISING|LOYAL NEEDS_ATTENTION ALMOST_LOST|PREVIOUSLY_LOYAL AT_RISK CHAMPIONS";
    assert_eq!(
        flokk(&data, &["config", "set", "rfm_grid", swapped])
            .status
            .code(),
        Some(0)
    );
    assert_eq!((count("CHAMPIONS"), count("DORMANT")), (dormant, champions));
}
