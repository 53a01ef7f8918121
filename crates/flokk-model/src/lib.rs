//! The records flokk knows about, exactly as the NDJSON interchange format
//! (`shared/spec/data.md` §1) describes them.
//!
//! Every other crate speaks in these types: the store persists them, the
//! importers produce them, the demo generator invents them and the engine
//! derives its indexes from them. The crate has no I/O of its own; it only
//! defines the shapes, their (de)serialisation and the validation rules that
//! a single record can check by itself.

mod amount;
mod customer;
mod customer_patch;
mod error;
mod event;
mod facts;
mod id;
mod instant;
mod list_limits;
mod long_ids;
mod money;
mod order;
mod parse;
mod property;
mod record;
mod skip_kind;
mod subscription;
mod ticketing;

pub use amount::MAX_AMOUNT;
pub use customer::{
    AccountStatus, Address, Customer, Gender, ProductSubscriptionStatus, SubscriptionStatus,
};
pub use customer_patch::{CUSTOMER_FIELDS, CustomerPatch, same_tag};
pub use error::RecordError;
pub use event::{
    BounceType, Checkout, CustomEvent, EmailEvent, EmailEventType, StorefrontEvent,
    StorefrontEventType,
};
pub use facts::{CustomerFacts, age_on, random_bucket};
pub use instant::parse_instant;
pub use list_limits::{MAX_ADDRESSES, MAX_LIST_ITEMS, MAX_ORDER_LINES, MAX_PROPERTIES};
pub use money::{MONEY_DECIMALS, MONEY_SCALE, Money, MoneyError, MoneySum, currency_decimals};
pub use order::{Channel, Order, OrderLine};
pub use parse::{ParseOptions, parse_record};
pub use property::{Properties, PropertyValue};
pub use record::{Delete, Entity, Record, RecordKind};
pub use subscription::{Subscription, SubscriptionState};
pub use ticketing::{Performance, Production, Venue};

/// An instant, as stored and compared everywhere in flokk.
pub type Timestamp = jiff::Timestamp;
/// A calendar day without a time zone.
pub type Date = jiff::civil::Date;
