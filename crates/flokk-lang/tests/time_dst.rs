//! Whole-day and datetime resolution around DST changes (§3).

use flokk_lang::time::{InstantRange, TimeCondition, between, compare, covered, today};
use flokk_lang::{CompareOp, Limits, Predicate, Value, parse};
use jiff::Timestamp;
use jiff::tz::TimeZone;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn tz(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap()
}

/// The value of `filter = <text>`.
fn value(text: &str) -> Value {
    let query = parse(&format!("f = {text}"), &Limits::default()).unwrap();
    match &query.expr {
        flokk_lang::Expr::Clause(c) => match &c.predicate {
            Predicate::Compare { value, .. } => value.value.clone(),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
}

fn range(start: &str, end: &str) -> InstantRange {
    InstantRange {
        start: Some(ts(start)),
        end: Some(ts(end)),
    }
}

#[test]
fn oslo_spring_forward_day_is_23_hours() {
    let oslo = tz("Europe/Oslo");
    let now = ts("2025-06-01T12:00:00Z");
    let day = covered(&value("2025-03-30"), now, &oslo).unwrap();
    assert_eq!(day, range("2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z"));
}

#[test]
fn oslo_fall_back_day_is_25_hours() {
    let oslo = tz("Europe/Oslo");
    let now = ts("2025-06-01T12:00:00Z");
    let day = covered(&value("2025-10-26"), now, &oslo).unwrap();
    assert_eq!(day, range("2025-10-25T22:00:00Z", "2025-10-26T23:00:00Z"));
}

#[test]
fn new_york_dst_days() {
    let ny = tz("America/New_York");
    let now = ts("2025-06-01T12:00:00Z");
    assert_eq!(
        covered(&value("2025-03-09"), now, &ny).unwrap(),
        range("2025-03-09T05:00:00Z", "2025-03-10T04:00:00Z")
    );
    assert_eq!(
        covered(&value("2025-11-02"), now, &ny).unwrap(),
        range("2025-11-02T04:00:00Z", "2025-11-03T05:00:00Z")
    );
}

#[test]
fn today_is_the_store_day_not_the_utc_day() {
    // 23:30 UTC on 29 March is 00:30 on 30 March in Oslo (still CET).
    let now = ts("2025-03-29T23:30:00Z");
    assert_eq!(
        today(now, &tz("Europe/Oslo")),
        jiff::civil::date(2025, 3, 30)
    );
    assert_eq!(today(now, &TimeZone::UTC), jiff::civil::date(2025, 3, 29));
    // `yesterday` in Oslo at that instant is 29 March, which starts at 23:00 UTC on the 28th.
    assert_eq!(
        covered(&value("yesterday"), now, &tz("Europe/Oslo")).unwrap(),
        range("2025-03-28T23:00:00Z", "2025-03-29T23:00:00Z")
    );
}

#[test]
fn relative_days_cross_dst_by_calendar_days_not_24_hours() {
    let oslo = tz("Europe/Oslo");
    // Monday 31 March 2025, 10:00 local (CEST).
    let now = ts("2025-03-31T08:00:00Z");
    // -1d is Sunday 30 March, the 23-hour day.
    assert_eq!(
        covered(&value("-1d"), now, &oslo).unwrap(),
        range("2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z")
    );
    // -1w is 24 March, before the change (UTC+1).
    assert_eq!(
        covered(&value("-1w"), now, &oslo).unwrap(),
        range("2025-03-23T23:00:00Z", "2025-03-24T23:00:00Z")
    );
}

#[test]
fn relative_months_clamp_to_month_end() {
    let ny = tz("America/New_York");
    let now = ts("2024-03-31T16:00:00Z");
    assert_eq!(
        covered(&value("-1m"), now, &ny).unwrap(),
        range("2024-02-29T05:00:00Z", "2024-03-01T05:00:00Z")
    );
    assert_eq!(
        covered(&value("12_months_ago"), now, &ny).unwrap(),
        range("2023-03-31T04:00:00Z", "2023-04-01T04:00:00Z")
    );
}

#[test]
fn operators_follow_the_whole_day_rules() {
    let oslo = tz("Europe/Oslo");
    let now = ts("2025-06-01T12:00:00Z");
    let d = value("2025-03-30");
    let start = ts("2025-03-29T23:00:00Z");
    let next = ts("2025-03-30T22:00:00Z");
    let within = |start, end| TimeCondition::Within(InstantRange { start, end });
    assert_eq!(
        compare(CompareOp::Eq, &d, now, &oslo).unwrap(),
        within(Some(start), Some(next))
    );
    assert_eq!(
        compare(CompareOp::Ne, &d, now, &oslo).unwrap(),
        TimeCondition::Outside(InstantRange {
            start: Some(start),
            end: Some(next)
        })
    );
    assert_eq!(
        compare(CompareOp::Gt, &d, now, &oslo).unwrap(),
        within(Some(next), None)
    );
    assert_eq!(
        compare(CompareOp::Ge, &d, now, &oslo).unwrap(),
        within(Some(start), None)
    );
    assert_eq!(
        compare(CompareOp::Lt, &d, now, &oslo).unwrap(),
        within(None, Some(start))
    );
    assert_eq!(
        compare(CompareOp::Le, &d, now, &oslo).unwrap(),
        within(None, Some(next))
    );
    assert_eq!(
        between(&value("2025-03-29"), &value("2025-03-30"), now, &oslo).unwrap(),
        range("2025-03-28T23:00:00Z", "2025-03-30T22:00:00Z")
    );
}

#[test]
fn datetimes_are_instants_in_the_store_zone() {
    let oslo = tz("Europe/Oslo");
    let now = ts("2025-06-01T12:00:00Z");
    assert_eq!(
        covered(&value("2025-05-30T16:00:00"), now, &oslo).unwrap(),
        range("2025-05-30T14:00:00Z", "2025-05-30T14:00:01Z")
    );
    // 02:30 happens twice on 26 October in Oslo: the earlier one (CEST) is meant.
    assert_eq!(
        covered(&value("2025-10-26T02:30:00"), now, &oslo)
            .unwrap()
            .start,
        Some(ts("2025-10-26T00:30:00Z"))
    );
    // 02:30 does not exist on 30 March in Oslo: the later offset applies.
    assert_eq!(
        covered(&value("2025-03-30T02:30:00"), now, &oslo)
            .unwrap()
            .start,
        Some(ts("2025-03-30T01:30:00Z"))
    );
    let ny = tz("America/New_York");
    assert!(
        covered(&value("2025-11-02T01:30:00"), now, &ny)
            .unwrap()
            .contains(ts("2025-11-02T05:30:00Z"))
    );
}
