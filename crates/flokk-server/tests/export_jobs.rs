//! Background export jobs: started with the export scope, followed to the
//! end through their status (progress, then the summary of who was left
//! out and why), downloaded with the same bytes and headers as `GET
//! /api/export`; a bad request fails at once or as the job's error.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Answer, send, token};
use flokk_model::{Customer, Record, SubscriptionStatus};
use std::sync::Arc;

fn request(method: &str, uri: &str, secret: &str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header("authorization", format!("Bearer {secret}"))
        .body(Body::empty())
        .unwrap()
}

fn customers(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let mut c = Customer::stub(format!("c{i:05}"));
            c.email = Some(format!("c{i}@example.com"));
            if i % 4 == 0 {
                c.email_subscription = Some(SubscriptionStatus::Subscribed);
            }
            Record::Customer(c)
        })
        .collect()
}

/// Follows job `id` until it is no longer running; its last status.
async fn finished(state: &Arc<flokk_server::ServerState>, secret: &str, id: &str) -> Answer {
    for _ in 0..500 {
        let answer = send(state, request("GET", &format!("/api/exports/{id}"), secret)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        if answer.json()["state"] != "running" {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the export job {id} did not finish");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_runs_reports_and_downloads_like_the_direct_export() {
    let (_dir, state) = common::state_with(&customers(2_500));
    let uri = "/api/exports?query=number_of_orders%20%3E%3D%200&format=meta&raw=true";
    let reader = token(&state, "read");
    let refused = send(&state, request("POST", uri, &reader)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let exporter = token(&state, "read,export");
    let started = send(&state, request("POST", uri, &exporter)).await;
    assert_eq!(started.status, StatusCode::ACCEPTED, "{}", started.body);
    let id = started.json()["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("exp_") && id.len() > 20, "{id}");

    let status = finished(&state, &exporter, &id).await.json();
    assert_eq!(status["state"], "done", "{status}");
    assert_eq!(status["total"], 2_500);
    assert_eq!(status["written"], 2_500);
    assert_eq!(status["summary"]["exported"], 625, "{status}");
    assert_eq!(
        status["summary"]["left_out"]["no_consent"], 1_875,
        "{status}"
    );
    let download = status["download"].as_str().unwrap();
    assert_eq!(download, format!("/api/exports/{id}/file"));

    let file = send(&state, request("GET", download, &exporter)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["x-flokk-exported"], "625");
    assert_eq!(file.headers["x-flokk-left-out"], "no_consent=1875");
    let direct = send(
        &state,
        request(
            "GET",
            &uri.replace("/api/exports", "/api/export"),
            &exporter,
        ),
    )
    .await;
    assert_eq!(direct.status, StatusCode::OK);
    assert_eq!(file.body, direct.body);
    assert_eq!(file.body.lines().count(), 626);
    // A file can be downloaded again.
    let again = send(&state, request("GET", download, &exporter)).await;
    assert_eq!(again.body, file.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_fail_at_once_or_as_the_jobs_error() {
    let (_dir, state) = common::state_with(&customers(3));
    let exporter = token(&state, "read,export");
    let format = send(
        &state,
        request(
            "POST",
            "/api/exports?query=id%20%3D%20%27x%27&format=pdf",
            &exporter,
        ),
    )
    .await;
    assert_eq!(format.status, StatusCode::BAD_REQUEST);
    assert_eq!(format.code(), "unknown_format");
    let segment = send(
        &state,
        request("POST", "/api/exports?segment=Nope&format=csv", &exporter),
    )
    .await;
    assert_eq!(segment.status, StatusCode::NOT_FOUND);

    let started = send(
        &state,
        request(
            "POST",
            "/api/exports?query=number_of_orders%20%3E%3D%200&format=csv&columns=id,amount_spnt",
            &exporter,
        ),
    )
    .await;
    assert_eq!(started.status, StatusCode::ACCEPTED);
    let id = started.json()["id"].as_str().unwrap().to_owned();
    let status = finished(&state, &exporter, &id).await.json();
    assert_eq!(status["state"], "failed");
    assert_eq!(status["error"]["code"], "unknown_column", "{status}");
    let file = send(
        &state,
        request("GET", &format!("/api/exports/{id}/file"), &exporter),
    )
    .await;
    assert_eq!(file.status, StatusCode::BAD_REQUEST);
    assert_eq!(file.code(), "unknown_column");

    let unknown = send(&state, request("GET", "/api/exports/exp_nope", &exporter)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
