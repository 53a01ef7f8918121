//! `function MATCHES (params)` (§5, §7): the record filters become one
//! condition on a row of the function's table, each aggregate a
//! conditional aggregate over the rows meeting it, and the clause holds
//! when every aggregate condition does (implicitly `count >= 1`).
//! `customer_within_distance` and `anniversary` test customer columns.

use super::Compiler;
use super::sources::Source;
use super::values::{Holds, not, text};
use crate::error::DialectError;
use crate::statement::{ParamValue, day_number};
use flokk_lang::FunctionSpec;
use flokk_lang::ast::{CompareOp, Param, ParamPredicate, Predicate};
use flokk_lang::catalog::ParamRole;
use flokk_lang::check::{ParamTarget, Subject, TypedClause};
use flokk_lang::time::{self, TimeCondition};
use flokk_lang::value::Value;

/// Mean Earth radius the language names (§7).
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// One international mile.
const KM_PER_MILE: f64 = 1.609344;

/// What a function reads.
struct Records {
    source: Source,
    /// Which rows of the table are the function's records.
    base: String,
    /// The column naming the unit `count` counts (the order for lines).
    counted: Option<&'static str>,
}

fn records(function: &str) -> Option<Records> {
    let r = |source, base: &str, counted| {
        Some(Records {
            source,
            base: base.to_owned(),
            counted,
        })
    };
    match function {
        "products_purchased" => r(
            Source::Lines,
            "r.product_id IS NOT NULL",
            Some("r.order_id"),
        ),
        "tickets_purchased" => r(
            Source::Lines,
            "r.performance_id IS NOT NULL",
            Some("r.order_id"),
        ),
        "orders_placed" => r(Source::Orders, "1", None),
        "custom_event" => r(Source::Custom, "1", None),
        _ => None,
    }
}

impl Compiler<'_> {
    /// A clause: a function's MATCHES, or a value clause.
    pub(crate) fn clause(&mut self, c: &TypedClause) -> Result<String, DialectError> {
        match (&c.subject, &c.clause.predicate) {
            (Subject::Function { spec, .. }, Predicate::Matches { negated, .. }) => {
                let params: Vec<(&Param, &ParamTarget)> = c.params().collect();
                let positive = self.matches(spec, &params)?;
                Ok(if *negated { not(&positive) } else { positive })
            }
            (subject, predicate) => self.value_clause(subject, predicate),
        }
    }

    fn matches(
        &mut self,
        spec: &FunctionSpec,
        params: &[(&Param, &ParamTarget)],
    ) -> Result<String, DialectError> {
        match spec.name {
            "customer_within_distance" => return self.within_distance(params),
            "anniversary" => return self.anniversary(params),
            _ => {}
        }
        let function = spec.name;
        let recs = if let Some(kind) = function.strip_prefix("shopify_email.") {
            Records {
                source: Source::Email,
                base: format!("type = {}", self.binder.text(kind)),
                counted: None,
            }
        } else if let Some(kind) = function.strip_prefix("storefront.") {
            Records {
                source: Source::Storefront,
                base: format!("type = {}", self.binder.text(kind)),
                counted: None,
            }
        } else {
            records(function).ok_or_else(|| {
                DialectError::unsupported(function, "the dialect has no table for its records")
            })?
        };
        let mut filters = vec![recs.base.clone()];
        let mut conditions = Vec::new();
        for (param, target) in params {
            match target {
                ParamTarget::Catalog(p) if p.role == ParamRole::Aggregate => {
                    conditions.push((*param, p.name))
                }
                ParamTarget::Catalog(p) => {
                    let (col, holds) = self.record_field(function, p.name)?;
                    filters.push(self.param_predicate(&col, holds, &param.predicate)?);
                }
                ParamTarget::EventProperty { key, ty } => {
                    let (col, holds) = self.property_value("", key, *ty);
                    filters.push(self.param_predicate(&col, holds, &param.predicate)?);
                }
            }
        }
        let rows = filters
            .iter()
            .map(|f| format!("({f})"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let count_expr = match recs.counted {
            Some(unit) => format!("uniqExactIf({unit}, {rows})"),
            None => format!("countIf({rows})"),
        };
        if conditions.is_empty() {
            let count = self.aggregate(recs.source, count_expr);
            return Ok(format!("{count} >= 1"));
        }
        let mut out = Vec::new();
        for (param, measure) in conditions {
            let expr = match (measure, recs.source) {
                ("count", _) => count_expr.clone(),
                ("sum_quantity", _) => format!("sumIf(r.quantity, {rows})"),
                ("sum_amount", Source::Orders) => {
                    format!("(sumIf({}, {rows}) / 10000)", super::money::units("total"))
                }
                ("sum_amount", _) => format!(
                    "(sumIf(r.quantity * {}, {rows}) / 10000)",
                    super::money::units("r.price")
                ),
                ("sum_value", _) => format!("sumIf(value, {rows})"),
                (other, _) => {
                    return Err(DialectError::unsupported(
                        format!("{function}.{other}"),
                        "the dialect has no aggregate for it",
                    ));
                }
            };
            let col = self.aggregate(recs.source, expr);
            out.push(format!(
                "({})",
                self.param_predicate(&col, Holds::Number, &param.predicate)?
            ));
        }
        Ok(out.join(" AND "))
    }

    /// A parameter's predicate on one value.
    fn param_predicate(
        &mut self,
        col: &str,
        holds: Holds,
        predicate: &ParamPredicate,
    ) -> Result<String, DialectError> {
        match predicate {
            ParamPredicate::Compare { op, value } => self.compare(col, holds, *op, value),
            ParamPredicate::Between { low, high } => self.between(col, holds, low, high),
            ParamPredicate::In { negated, values } => self.any_equal(col, holds, values, *negated),
        }
    }

    /// The column a record filter tests, on the function's rows.
    fn record_field(
        &mut self,
        function: &str,
        param: &str,
    ) -> Result<(String, Holds), DialectError> {
        if matches!(
            (function, param),
            (
                "tickets_purchased",
                "production_id" | "venue_id" | "performance_date" | "lead_time_days"
            )
        ) {
            self.needs_performances = true;
        }
        let known = |col: &str| format!("if(perf.known = 1, perf.{col}, NULL)");
        Ok(match (function, param) {
            ("products_purchased" | "tickets_purchased", "date") => {
                ("r.placed_at".into(), Holds::Instant)
            }
            ("products_purchased", "id") => ("r.product_id".into(), Holds::NullableText),
            ("products_purchased", "tag") => ("r.tags_folded".into(), Holds::FoldedList),
            ("products_purchased", "category") => {
                ("r.category_folded".into(), Holds::NullableFolded)
            }
            ("products_purchased", "vendor") => ("r.vendor_folded".into(), Holds::NullableFolded),
            ("orders_placed", "date") => ("placed_at".into(), Holds::Instant),
            ("orders_placed", "amount") => ("total".into(), Holds::Number),
            ("orders_placed", "location_id") => ("location_id".into(), Holds::NullableText),
            ("orders_placed", "app_id") => ("app_id".into(), Holds::NullableText),
            ("orders_placed", "channel") => ("channel".into(), Holds::NullableText),
            ("tickets_purchased", "channel") => ("r.channel".into(), Holds::NullableText),
            ("tickets_purchased", "performance_id") => {
                ("r.performance_id".into(), Holds::NullableText)
            }
            ("tickets_purchased", "production_id") => (known("production_id"), Holds::NullableText),
            ("tickets_purchased", "venue_id") => (known("venue_id"), Holds::NullableText),
            ("tickets_purchased", "performance_date") => {
                (known("starts_at"), Holds::NullableInstant)
            }
            // ⌊(start − purchase) / 24 h⌋, floored for negative spans too.
            ("tickets_purchased", "lead_time_days") => (
                "if(perf.known = 1, intDiv(perf.starts_at - r.placed_at, 86400) - if((perf.starts_at - r.placed_at) % 86400 < 0, 1, 0), NULL)".into(),
                Holds::NullableNumber,
            ),
            (_, "date") => ("at".into(), Holds::Instant),
            (f, "activity_id") if f.starts_with("shopify_email.") => {
                ("activity_id".into(), Holds::NullableText)
            }
            ("shopify_email.bounced", "bounce_type") => ("bounce_type".into(), Holds::NullableText),
            ("shopify_email.opened", "machine_open") => {
                ("machine_open".into(), Holds::NullableBool)
            }
            (f, "id") if f.starts_with("storefront.") => ("id".into(), Holds::Text),
            ("custom_event", "name") => ("name".into(), Holds::Text),
            (f, p) => {
                return Err(DialectError::unsupported(
                    format!("{f}.{p}"),
                    "the dialect has no column for this parameter",
                ));
            }
        })
    }

    /// The value of a parameter that takes `=` only.
    fn equal_value<'p>(params: &[(&'p Param, &ParamTarget)], name: &str) -> Option<&'p Value> {
        params
            .iter()
            .find(|(p, _)| p.name.text == name)
            .map(|(p, _)| match &p.predicate {
                ParamPredicate::Compare { value, .. } => &value.value,
                other => unreachable!("{name} takes `=`, the checker let through {other:?}"),
            })
    }

    /// Some address of the customer within the radius (inclusive), by the
    /// haversine formula with R = 6371.0088 km, written in the order the
    /// engine computes it so both round alike.
    fn within_distance(
        &mut self,
        params: &[(&Param, &ParamTarget)],
    ) -> Result<String, DialectError> {
        let number = |v: &Value| match v {
            Value::Integer(i) => *i as f64,
            Value::Float(f) => *f,
            other => unreachable!("a distance is a number, not {other:?}"),
        };
        let radius = match (
            Self::equal_value(params, "distance_km"),
            Self::equal_value(params, "distance_mi"),
        ) {
            (Some(km), _) => number(km),
            (None, Some(mi)) => number(mi) * KM_PER_MILE,
            (None, None) => unreachable!("the checker requires a distance"),
        };
        let rad = self
            .binder
            .bind(ParamValue::Float(std::f64::consts::PI / 180.0));
        // The centre: bound coordinates, or the venue's position read from
        // the catalogue in a scalar subquery (evaluated once); an unknown
        // venue, or one without a position, is near nobody.
        // A place or postcode is resolved here, from the same bundled
        // gazetteer as the engine's, to bound coordinates.
        let country = Self::equal_value(params, "country").map(text);
        let gazetteer = flokk_geo::Gazetteer::global();
        let named = if let Some(place) = Self::equal_value(params, "place") {
            let o = gazetteer.resolve_place(&text(place), country.as_deref())?;
            Some((o.lat, o.lon))
        } else if let Some(code) = Self::equal_value(params, "postcode") {
            let country = country.expect("the checker requires a country with a postcode");
            let o = gazetteer.resolve_postcode(&text(code), &country)?;
            Some((o.lat, o.lon))
        } else {
            None
        };
        let point = match (Self::equal_value(params, "coordinates"), named) {
            (Some(Value::Coordinates(c)), _) => Some((c.latitude, c.longitude)),
            (_, named) => named,
        };
        let (known, lat, lon) = match point {
            Some((latitude, longitude)) => (
                "1".to_owned(),
                self.binder.bind(ParamValue::Float(latitude)),
                self.binder.bind(ParamValue::Float(longitude)),
            ),
            None => {
                // The home venue is a setting the engine is given; this
                // statement is compiled without the store's settings.
                let Some(venue) = Self::equal_value(params, "venue_id") else {
                    return Err(DialectError::unsupported(
                        "customer_within_distance",
                        "without an origin it measures from the home venue, which only the engine reads; give venue_id, coordinates, place or postcode",
                    ));
                };
                let id = self.binder.text(text(venue));
                let v = format!(
                    "(SELECT tuple(count(), any(assumeNotNull(lat)), any(assumeNotNull(lon))) FROM venues FINAL WHERE NOT deleted AND venue_id = {id} AND lat IS NOT NULL AND lon IS NOT NULL)"
                );
                (
                    format!("tupleElement({v}, 1) > 0"),
                    format!("tupleElement({v}, 2)"),
                    format!("tupleElement({v}, 3)"),
                )
            }
        };
        let r2 = self.binder.bind(ParamValue::Float(2.0 * EARTH_RADIUS_KM));
        let radius = self.binder.bind(ParamValue::Float(radius));
        // `x * {rad}` is Rust's `to_radians` (x * (PI / 180)), operation for
        // operation.
        Ok(format!(
            "({known}) AND arrayExists(p -> {r2} * asin(least(sqrt(\
             pow(sin((p.1 - {lat}) * {rad} / 2), 2) + \
             cos({lat} * {rad}) * cos(p.1 * {rad}) * pow(sin((p.2 - {lon}) * {rad} / 2), 2)), 1)) <= {radius}, \
             c.positions)"
        ))
    }

    /// Some yearly occurrence of the attribute's date (29 February on 28
    /// February in other years) falls inside the date range; `date != D`
    /// is the complement of `date = D` (customers without the date
    /// included, §4).
    fn anniversary(&mut self, params: &[(&Param, &ParamTarget)]) -> Result<String, DialectError> {
        let attribute =
            text(Self::equal_value(params, "attribute").expect("attribute is required"));
        // The attribute's month * 100 + day (NULL without the date).
        let day = if attribute == "birth_date" {
            "c.birth_month_day".to_owned()
        } else {
            let key = attribute
                .strip_prefix("customer.")
                .unwrap_or(&attribute)
                .strip_prefix("metafields.")
                .unwrap_or(&attribute)
                .to_owned();
            let k = self.binder.text(key);
            format!("if(mapContains(c.prop_month_days, {k}), c.prop_month_days[{k}], NULL)")
        };
        let (date, _) = params
            .iter()
            .find(|(p, _)| p.name.text == "date")
            .expect("date is required");
        let (range, negated) = match &date.predicate {
            ParamPredicate::Compare { op, value } => {
                let op = if *op == CompareOp::Ne {
                    CompareOp::Eq
                } else {
                    *op
                };
                match time::compare(op, &value.value, self.now, &self.tz)? {
                    TimeCondition::Within(r) => (r, date_is_ne(&date.predicate)),
                    TimeCondition::Outside(_) => unreachable!("only != gives Outside"),
                }
            }
            ParamPredicate::Between { low, high } => (
                time::between(&low.value, &high.value, self.now, &self.tz)?,
                false,
            ),
            ParamPredicate::In { .. } => unreachable!("dates take no IN"),
        };
        let present = format!("isNotNull({day})");
        let positive = match (range.start, range.end) {
            (Some(a), Some(b)) => {
                let (da, db) = (self.first_day_from(a), self.first_day_from(b));
                if db - da >= 366 {
                    // Any 366 days hold every month-day's occurrence (29
                    // February's too: on the 28th or the 29th each year).
                    present
                } else if db <= da {
                    "0".to_owned()
                } else {
                    self.occurrence_between(&day, da, db)?
                }
            }
            // Open to one side: some year's occurrence is always in it.
            _ => present,
        };
        Ok(if negated { not(&positive) } else { positive })
    }

    /// Some occurrence of the month-day `day` (month * 100 + day) in the
    /// years of day numbers [da, db) (fewer than 366 days: at most two
    /// years) is in it.
    fn occurrence_between(&mut self, day: &str, da: i64, db: i64) -> Result<String, DialectError> {
        let epoch = jiff::civil::date(1970, 1, 1);
        let to_date = |n: i64| epoch.checked_add(jiff::Span::new().days(n)).ok();
        let (Some(first), Some(last)) = (to_date(da), to_date(db - 1)) else {
            return Err(DialectError::unsupported(
                "anniversary",
                "the date range is beyond the calendar",
            ));
        };
        let lo = self.binder.int(da);
        let hi = self.binder.int(db);
        let mut parts = Vec::new();
        for year in first.year()..=last.year() {
            // The occurrence's day number, computed from numbers flokk binds
            // for the year (its 1 January and the days before each month),
            // so any year works, unlike ClickHouse's Date32 (1900-2299).
            let jan1 = jiff::civil::date(year, 1, 1);
            let leap = jan1.in_leap_year();
            let mut before = vec![0i64];
            for month in 1..=12i8 {
                let first_of = jiff::civil::date(year, month, 1);
                before.push(i64::from(first_of.day_of_year()) - 1);
            }
            let feb = jiff::civil::date(year, 2, if leap { 29 } else { 28 });
            let feb = self.binder.int(day_number(feb));
            let jan1 = self.binder.int(day_number(jan1));
            let before = self.binder.bind(ParamValue::Ints(before));
            let occurrence = format!(
                "if({day} = 229, {feb}, {jan1} + arrayElement({before}, intDiv({day}, 100) + 1) + {day} % 100 - 1)"
            );
            parts.push(format!("({occurrence} >= {lo} AND {occurrence} < {hi})"));
        }
        Ok(format!("ifNull({}, 0)", parts.join(" OR ")))
    }
}

fn date_is_ne(p: &ParamPredicate) -> bool {
    matches!(
        p,
        ParamPredicate::Compare {
            op: CompareOp::Ne,
            ..
        }
    )
}
