//! The code each customer was issued (for a campaign's `{{ discount_code }}`):
//! their own unique code, or the shared one; none for a customer the
//! discount was not issued to.

use flokk_model::{Customer, Record};
use flokk_store::{DiscountKind, NewCodes, NewDiscount, Store};

fn discount(name: &str, codes: NewCodes) -> NewDiscount {
    NewDiscount {
        name: name.into(),
        audience: "VIP".into(),
        kind: DiscountKind::Percent,
        value: "10".into(),
        minimum: None,
        starts_at: None,
        ends_at: None,
        uses_per_customer: None,
        uses: None,
        codes,
    }
}

#[test]
fn each_customer_has_the_code_issued_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut w = store.writer().unwrap();
    for id in ["1", "2", "3"] {
        w.apply(&Record::Customer(Customer::stub(id))).unwrap();
    }
    w.commit().unwrap();
    let now = "2026-06-01T12:00:00Z".parse().unwrap();
    let members = vec!["1".to_owned(), "2".to_owned()];
    store
        .create_discount(
            &discount(
                "Thanks",
                NewCodes::Unique {
                    prefix: "T-".into(),
                    length: 8,
                },
            ),
            &members,
            now,
        )
        .unwrap();
    store
        .create_discount(
            &discount("Summer", NewCodes::Shared("SUMMER10".into())),
            &members,
            now,
        )
        .unwrap();
    let one = store.issued_discount_code("thanks", "1").unwrap().unwrap();
    let two = store.issued_discount_code("Thanks", "2").unwrap().unwrap();
    assert!(one.starts_with("T-") && two.starts_with("T-"));
    assert_ne!(one, two);
    assert_eq!(store.issued_discount_code("Thanks", "3").unwrap(), None);
    assert_eq!(
        store
            .issued_discount_code("Summer", "2")
            .unwrap()
            .as_deref(),
        Some("SUMMER10")
    );
    assert_eq!(store.issued_discount_code("Nope", "1").unwrap(), None);
}
