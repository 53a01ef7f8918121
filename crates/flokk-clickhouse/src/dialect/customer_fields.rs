//! Clauses on one value of the customer (§7 filters and custom
//! properties): the value as a column or an aggregate, then the predicate.

use super::Compiler;
use super::sources::Source;
use super::values::{Holds, not};
use crate::error::DialectError;
use crate::statement::{ParamValue, day_number};
use flokk_lang::ValueType;
use flokk_lang::ast::Predicate;
use flokk_lang::check::Subject;
use flokk_lang::time;

/// Why a filter is not on ClickHouse yet, by filter.
fn unsupported_reason(name: &str) -> Option<&'static str> {
    Some(match name {
        "predicted_clv"
        | "total_clv"
        | "predicted_number_of_orders"
        | "churn_probability"
        | "churn_risk"
        | "expected_next_order_date"
        | "predicted_spend_tier"
        | "rfm_group"
        | "predicted_gender" => {
            "predictive fields come from models fitted by flokk; they are not written to ClickHouse yet"
        }
        "customer_lists" => "static lists are not written to ClickHouse yet",
        _ => return None,
    })
}

impl Compiler<'_> {
    /// A clause on a filter or property (the positive form where the
    /// predicate has a negative one).
    pub(crate) fn value_clause(
        &mut self,
        subject: &Subject,
        predicate: &Predicate,
    ) -> Result<String, DialectError> {
        let (col, holds) = match subject {
            Subject::Filter(spec) if spec.name == "customer_segments" => {
                return self.segments_clause(predicate);
            }
            Subject::Filter(spec) => self.filter_value(spec.name)?,
            Subject::Property {
                namespace, key, ty, ..
            } => self.property_value("c.", &format!("{namespace}.{key}"), *ty),
            Subject::Function { .. } => unreachable!("functions take MATCHES"),
        };
        self.predicate(&col, holds, predicate)
    }

    /// `customer_segments`: the named segment's expression in place;
    /// `IS NULL` is "in no saved segment", as the engine has it.
    fn segments_clause(&mut self, predicate: &Predicate) -> Result<String, DialectError> {
        Ok(match predicate {
            Predicate::Contains { negated, value } => {
                let inside = self.segment(&super::values::text(&value.value))?;
                if *negated { not(&inside) } else { inside }
            }
            Predicate::IsNull { negated } => {
                let any = self.any_segment()?;
                if *negated { any } else { not(&any) }
            }
            other => unreachable!("customer_segments takes CONTAINS and IS NULL, not {other:?}"),
        })
    }

    fn predicate(
        &mut self,
        col: &str,
        holds: Holds,
        predicate: &Predicate,
    ) -> Result<String, DialectError> {
        Ok(match predicate {
            Predicate::Compare { op, value } => self.compare(col, holds, *op, value)?,
            Predicate::Between { low, high } => self.between(col, holds, low, high)?,
            Predicate::IsNull { negated } => {
                let missing = match holds {
                    Holds::Number | Holds::Instant | Holds::Text => "0".to_owned(),
                    Holds::FoldedList => format!("empty({col})"),
                    _ => format!("isNull({col})"),
                };
                if *negated { not(&missing) } else { missing }
            }
            Predicate::Contains { negated, value } => {
                let has = self.compare(col, holds, flokk_lang::CompareOp::Eq, value)?;
                if *negated { not(&has) } else { has }
            }
            Predicate::Matches { .. } => unreachable!("filters take no MATCHES"),
        })
    }

    /// A custom property `key` (`namespace.key`) read as `ty`, from the
    /// typed maps of the row prefixed `row` (`c.` for customers); a value
    /// of another type is in another map, so it reads as missing.
    pub(crate) fn property_value(
        &mut self,
        row: &str,
        key: &str,
        ty: ValueType,
    ) -> (String, Holds) {
        let k = self.binder.text(key);
        let typed = |map: &str| format!("if(mapContains({row}{map}, {k}), {row}{map}[{k}], NULL)");
        match ty {
            ValueType::Integer | ValueType::Float => (typed("prop_numbers"), Holds::NullableNumber),
            ValueType::Date => (typed("prop_days"), Holds::NullableDay),
            ValueType::String => (typed("prop_strings"), Holds::NullableText),
            ValueType::Boolean => (typed("prop_booleans"), Holds::NullableBool),
            ValueType::List => (format!("{row}prop_lists[{k}]"), Holds::FoldedList),
        }
    }

    /// The value of catalog filter `name`.
    fn filter_value(&mut self, name: &str) -> Result<(String, Holds), DialectError> {
        if let Some(why) = unsupported_reason(name) {
            return Err(DialectError::unsupported(name, why));
        }
        let orders = |c: &mut Compiler| c.aggregate(Source::Orders, "count()".into());
        Ok(match name {
            // Spend nets refunds; counts and sums of no orders are 0.
            "amount_spent" | "historic_clv" => (
                self.aggregate(Source::Orders, crate::dialect::money::SPENT.into()),
                Holds::Number,
            ),
            "number_of_orders" => (orders(self), Holds::Number),
            "average_days_between_orders" => {
                (self.average_days_between_orders()?, Holds::NullableNumber)
            }
            "average_order_value" => {
                let n = orders(self);
                let spent = self.aggregate(Source::Orders, crate::dialect::money::SPENT.into());
                (
                    format!("if({n} > 0, {spent} / {n}, NULL)"),
                    Holds::NullableNumber,
                )
            }
            "first_order_date" | "last_order_date" => {
                let n = orders(self);
                let f = if name == "first_order_date" {
                    "min"
                } else {
                    "max"
                };
                let t = self.aggregate(Source::Orders, format!("{f}(placed_at)"));
                (format!("if({n} > 0, {t}, NULL)"), Holds::NullableInstant)
            }
            "abandoned_checkout_date" => {
                let n = self.aggregate(Source::Checkouts, "count()".into());
                let t = self.aggregate(Source::Checkouts, "max(abandoned_at)".into());
                (format!("if({n} > 0, {t}, NULL)"), Holds::NullableInstant)
            }
            "customer_added_date" => ("c.created_at".into(), Holds::NullableInstant),
            "customer_tags" => ("c.tags_folded".into(), Holds::FoldedList),
            "customer_cities" => ("c.cities_folded".into(), Holds::FoldedList),
            "customer_regions" => ("c.regions_folded".into(), Holds::FoldedList),
            "customer_countries" => ("c.countries_folded".into(), Holds::FoldedList),
            "companies" => ("c.companies_folded".into(), Holds::FoldedList),
            "permissions" => ("c.permissions_folded".into(), Holds::FoldedList),
            "customer_email_domain" => ("c.email_domain".into(), Holds::NullableText),
            "customer_language" => ("c.language".into(), Holds::NullableText),
            "customer_account_status" => ("c.account_status".into(), Holds::NullableText),
            "email_subscription_status" => ("c.email_subscription".into(), Holds::NullableText),
            "sms_subscription_status" => ("c.sms_subscription".into(), Holds::NullableText),
            "product_subscription_status" => ("c.product_subscription".into(), Holds::NullableText),
            "created_by_app_id" => ("c.created_by_app_id".into(), Holds::NullableText),
            "gender" => ("c.gender".into(), Holds::NullableText),
            "birth_date" => ("c.birth_day".into(), Holds::NullableDay),
            "random_bucket" => ("c.random_bucket".into(), Holds::Number),
            "age" => (self.age(), Holds::NullableNumber),
            "number_of_tickets" => (
                self.aggregate(
                    Source::Lines,
                    "sumIf(r.quantity, r.performance_id IS NOT NULL)".into(),
                ),
                Holds::Number,
            ),
            "number_of_events" => (
                self.aggregate(
                    Source::Lines,
                    "uniqExactIf(r.performance_id, r.performance_id IS NOT NULL)".into(),
                ),
                Holds::Number,
            ),
            other => {
                return Err(DialectError::unsupported(
                    other,
                    "the dialect has no column for it",
                ));
            }
        })
    }

    /// predictive.md: all orders of one store-local day are one
    /// transaction; (last day - first day) / (days - 1), NULL with fewer
    /// than two days. The day of an order is ClickHouse's conversion to the
    /// store time zone (its IANA data), the one place the dialect lets
    /// ClickHouse convert time zones; the differential test holds it to
    /// the engine's across the zones it generates.
    fn average_days_between_orders(&mut self) -> Result<String, DialectError> {
        let Some(zone) = self.tz.iana_name() else {
            return Err(DialectError::unsupported(
                "average_days_between_orders",
                "the store time zone has no IANA name for ClickHouse",
            ));
        };
        let zone = self.binder.text(zone);
        let day = format!("toInt32(toDate32(toDateTime64(placed_at, 0, {zone})))");
        let days = self.aggregate(Source::Orders, format!("uniqExact({day})"));
        let first = self.aggregate(Source::Orders, format!("min({day})"));
        let last = self.aggregate(Source::Orders, format!("max({day})"));
        Ok(format!(
            "if({days} > 1, ({last} - {first}) / ({days} - 1), NULL)"
        ))
    }

    /// Whole years from the birth date to today (store time zone), NULL
    /// without a birth date or with one after today; a 29 February
    /// birthday counts on 28 February in other years (flokk_model's
    /// `age_on`). Today's year, day and month-day are parameters.
    fn age(&mut self) -> String {
        let today = time::today(self.now, &self.tz);
        let leap = today.in_leap_year();
        let day = self.binder.int(day_number(today));
        let year = self.binder.int(i64::from(today.year()));
        let month_day = self
            .binder
            .int(i64::from(today.month()) * 100 + i64::from(today.day()));
        let feb29 = self
            .binder
            .bind(ParamValue::Int(if leap { 229 } else { 228 }));
        let birthday = format!("if(c.birth_month_day = 229, {feb29}, c.birth_month_day)");
        format!(
            "if(c.birth_day <= {day}, {year} - c.birth_year - if({birthday} > {month_day}, 1, 0), NULL)"
        )
    }
}
