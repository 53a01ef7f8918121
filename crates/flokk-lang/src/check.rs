//! Type checking (§5): resolves every clause against the [`catalog`] and
//! the store's custom properties, and checks operators and values.
//!
//! All clauses are checked, so one pass reports every type error.
//!
//! [`catalog`]: crate::catalog

mod literal;
mod params;

use crate::ast::{Clause, Expr, Param, Predicate, Query};
use crate::catalog::{self, Entry, FilterSpec, FunctionSpec, Operator, ParamSpec, Type, ValueType};
use crate::error::{Error, ErrorCode, Errors};
use crate::limits::Limits;
use crate::parser::parse_recovering;
use crate::suggest::closest;
use crate::value::Literal;
use literal::check_literal;
use std::collections::BTreeMap;
use std::fmt;

/// The types of the store's custom properties, keyed `namespace.key`
/// (without the `metafields.` prefix; NDJSON properties without a namespace
/// are under `custom`).
pub type PropertyTypes = BTreeMap<String, ValueType>;

/// How to check.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// Shopify's limits (10 clauses, 500 ids per list) instead of flokk's.
    pub strict: bool,
    /// The custom properties the store knows.
    pub properties: &'a PropertyTypes,
}

/// A checked query: the syntax tree with every clause resolved to what it
/// refers to. `Display` prints the canonical form.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedQuery {
    /// The expression; each clause carries its [`Subject`].
    pub expr: TypedExpr,
}

/// An [`Expr`] whose clauses are resolved.
pub type TypedExpr = Expr<TypedClause>;

impl TypedQuery {
    /// The syntax tree (a copy), e.g. for its JSON form.
    pub fn query(&self) -> Query {
        Query {
            expr: self.expr.map_ref(&mut |t: &TypedClause| t.clause.clone()),
        }
    }
}

impl fmt::Display for TypedQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.expr.fmt(f)
    }
}

impl fmt::Display for TypedClause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.clause.fmt(f)
    }
}

/// A clause and what its name refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedClause {
    /// The clause as parsed.
    pub clause: Clause,
    /// What it tests.
    pub subject: Subject,
}

/// What a clause's name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// A catalog filter.
    Filter(&'static FilterSpec),
    /// A custom property `metafields.namespace.key`.
    Property {
        /// The namespace (`custom` for NDJSON properties).
        namespace: String,
        /// The key.
        key: String,
        /// Its type in the store.
        ty: ValueType,
    },
    /// A catalog function (aliases resolved), with what each parameter of
    /// the clause's MATCHES refers to, in the order written (see
    /// [`TypedClause::params`]).
    Function {
        /// The function.
        spec: &'static FunctionSpec,
        /// One target per parameter, in the order written.
        params: Vec<ParamTarget>,
    },
}

/// What a parameter name refers to.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamTarget {
    /// A catalog parameter of the function.
    Catalog(&'static ParamSpec),
    /// `property.<key>` of `custom_event`, typed from its value.
    EventProperty {
        /// The key after `property.`.
        key: String,
        /// The type its value(s) have.
        ty: ValueType,
    },
}

impl TypedClause {
    /// The MATCHES parameters with what each refers to (empty for filters).
    pub fn params(&self) -> impl Iterator<Item = (&Param, &ParamTarget)> {
        let params: &[Param] = match &self.clause.predicate {
            Predicate::Matches { params, .. } => params,
            _ => &[],
        };
        let targets: &[ParamTarget] = match &self.subject {
            Subject::Function { params, .. } => params,
            _ => &[],
        };
        params.iter().zip(targets)
    }
}

/// Parses and type-checks `src`.
pub fn check(src: &str, options: &CheckOptions<'_>) -> Result<TypedQuery, Errors> {
    let (query, mut errors) = parse_recovering(src, &Limits::for_mode(options.strict));
    let Some(query) = query else {
        return Err(Errors::located(src, errors));
    };
    if errors.is_empty() {
        return check_query(src, query, options);
    }
    // Malformed values were reported already; type errors elsewhere are
    // worth reporting in the same pass, but not a second one on the same text.
    if let Err(type_errors) = check_query(src, query, options) {
        let overlaps = |e: &Error| {
            errors.iter().any(|l| {
                e.span.start < l.span.end.max(l.span.start + 1)
                    && l.span.start < e.span.end.max(e.span.start + 1)
            })
        };
        let extra: Vec<Error> = type_errors.0.into_iter().filter(|e| !overlaps(e)).collect();
        errors.extend(extra);
    }
    Err(Errors::located(src, errors))
}

/// Type-checks an already parsed query (`src` is its text, for positions).
pub fn check_query(
    src: &str,
    query: Query,
    options: &CheckOptions<'_>,
) -> Result<TypedQuery, Errors> {
    let mut checker = Checker {
        properties: options.properties,
        errors: Vec::new(),
    };
    // Clauses move into the typed tree: nothing is copied.
    let expr = query
        .expr
        .try_map(&mut |clause: Clause| match checker.clause(&clause) {
            Ok(subject) => Some(TypedClause { clause, subject }),
            Err(()) => None,
        });
    match expr {
        Some(expr) if checker.errors.is_empty() => Ok(TypedQuery { expr }),
        _ => Err(Errors::located(src, checker.errors)),
    }
}

struct Checker<'a> {
    properties: &'a PropertyTypes,
    errors: Vec<Error>,
}

impl Checker<'_> {
    fn fail<T>(&mut self, error: Error) -> Result<T, ()> {
        self.errors.push(error);
        Err(())
    }

    fn clause(&mut self, c: &Clause) -> Result<Subject, ()> {
        let name = c.filter.text.as_str();
        let property_key = name
            .strip_prefix("customer.")
            .unwrap_or(name)
            .strip_prefix("metafields.");
        if let Some(key) = property_key {
            let (namespace, key, ty) = self.property(key, c)?;
            self.value_predicate(Type::from(ty), c)?;
            return Ok(Subject::Property { namespace, key, ty });
        }
        match catalog::lookup(name) {
            Some(Entry::Filter(spec)) => {
                self.value_predicate(spec.ty, c)?;
                Ok(Subject::Filter(spec))
            }
            Some(Entry::Function(spec)) => {
                let Predicate::Matches { params, .. } = &c.predicate else {
                    return self.fail(
                        Error::new(
                            ErrorCode::OperatorNotAllowed,
                            c.operator_span,
                            format!("`{name}` is a function: use it with MATCHES (...)"),
                        )
                        .expecting(["MATCHES", "NOT MATCHES"]),
                    );
                };
                let params = self.params(spec, params, c)?;
                Ok(Subject::Function { spec, params })
            }
            None => self.fail(
                Error::new(
                    ErrorCode::UnknownFilter,
                    c.filter.span,
                    format!("there is no filter called `{name}`"),
                )
                .suggesting(closest(name, catalog::names())),
            ),
        }
    }

    /// Resolves `ns.key` against the store's properties.
    fn property(&mut self, key: &str, c: &Clause) -> Result<(String, String, ValueType), ()> {
        let Some((namespace, short)) = key
            .split_once('.')
            .filter(|(n, k)| !n.is_empty() && !k.is_empty() && !k.contains('.'))
        else {
            return self.fail(
                Error::new(
                    ErrorCode::UnknownProperty,
                    c.filter.span,
                    format!(
                        "`{}` is not a property name: write metafields.namespace.key",
                        c.filter.text
                    ),
                )
                .expecting(["metafields.namespace.key"]),
            );
        };
        match self.properties.get(key) {
            Some(ty) => Ok((namespace.to_owned(), short.to_owned(), *ty)),
            None => {
                let suggestion = closest(key, self.properties.keys().map(String::as_str))
                    .map(|k| format!("metafields.{k}"));
                self.fail(
                    Error::new(
                        ErrorCode::UnknownProperty,
                        c.filter.span,
                        format!("the store has no custom property `{key}`"),
                    )
                    .suggesting(suggestion),
                )
            }
        }
    }

    /// Checks a clause on a filter with a value (not a function).
    fn value_predicate(&mut self, ty: Type, c: &Clause) -> Result<(), ()> {
        let name = c.filter.text.as_str();
        let operator = match &c.predicate {
            Predicate::Compare { op, .. } => Operator::Compare(*op),
            Predicate::Between { .. } => Operator::Between,
            Predicate::IsNull { .. } => Operator::IsNull,
            Predicate::Contains { .. } => Operator::Contains,
            Predicate::Matches { .. } => Operator::Matches,
        };
        if !ty.allows(operator) {
            let why = if operator == Operator::Matches {
                format!("`{name}` is not a function, so MATCHES does not apply")
            } else {
                format!(
                    "{} does not apply to `{name}`, which is {}",
                    operator.spelling(),
                    ty.describe()
                )
            };
            return self.fail(
                Error::new(ErrorCode::OperatorNotAllowed, c.operator_span, why)
                    .expecting(ty.operator_names().iter().copied()),
            );
        }
        let literals: Vec<&Literal> = match &c.predicate {
            Predicate::Compare { value, .. } | Predicate::Contains { value, .. } => vec![value],
            Predicate::Between { low, high } => vec![low, high],
            Predicate::IsNull { .. } | Predicate::Matches { .. } => vec![],
        };
        self.literals(ty, &literals, &name)
    }

    fn literals(
        &mut self,
        ty: Type,
        literals: &[&Literal],
        subject: &dyn fmt::Display,
    ) -> Result<(), ()> {
        let mut ok = true;
        for literal in literals {
            if let Err(e) = check_literal(ty, literal, subject, self.properties) {
                self.errors.push(e);
                ok = false;
            }
        }
        if ok { Ok(()) } else { Err(()) }
    }
}
