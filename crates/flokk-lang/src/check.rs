//! Type checking (§5): resolves every clause against the [`catalog`] and
//! the store's custom properties, and checks operators and values.
//!
//! All clauses are checked, so one pass reports every type error.
//!
//! [`catalog`]: crate::catalog

mod literal;

use crate::ast::{Clause, Expr, Param, ParamPredicate, Predicate, Query};
use crate::catalog::{self, Entry, FilterSpec, FunctionSpec, Operator, ParamSpec, Type, ValueType};
use crate::error::{Error, ErrorCode, Errors};
use crate::limits::Limits;
use crate::parser::parse_recovering;
use crate::suggest::closest;
use crate::value::{Literal, Value};
use literal::check_literal;
use std::collections::{BTreeMap, HashSet};
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

    fn params(
        &mut self,
        spec: &'static FunctionSpec,
        params: &[Param],
        c: &Clause,
    ) -> Result<Vec<ParamTarget>, ()> {
        let mut typed = Vec::with_capacity(params.len());
        // A set, not a list: a query may hold a great many parameters.
        let mut seen: HashSet<&str> = HashSet::with_capacity(params.len());
        let mut ok = true;
        for p in params {
            let name = p.name.text.as_str();
            if !seen.insert(name) {
                self.errors.push(Error::new(
                    ErrorCode::DuplicateParameter,
                    p.name.span,
                    format!("`{name}` is given twice; each parameter may appear once"),
                ));
                ok = false;
                continue;
            }
            match self.param(spec, p) {
                Ok(target) => typed.push(target),
                Err(()) => ok = false,
            }
        }
        for group in spec.exactly_one_of {
            let given: Vec<&Param> = params
                .iter()
                .filter(|p| group.contains(&p.name.text.as_str()))
                .collect();
            let names = group.join(" or ");
            if given.is_empty() {
                self.errors.push(
                    Error::new(
                        ErrorCode::MissingParameter,
                        c.span,
                        format!("`{}` needs {names}", spec.name),
                    )
                    .expecting(group.iter().copied()),
                );
                ok = false;
            } else if given.len() > 1 && given.iter().any(|p| p.name.text != given[0].name.text) {
                self.errors.push(Error::new(
                    ErrorCode::ConflictingParameters,
                    given[1].name.span,
                    format!("give either {names}, not both"),
                ));
                ok = false;
            }
        }
        if ok { Ok(typed) } else { Err(()) }
    }

    fn param(&mut self, spec: &'static FunctionSpec, p: &Param) -> Result<ParamTarget, ()> {
        let name = p.name.text.as_str();
        if let Some(key) = spec
            .open_prefix
            .and_then(|prefix| name.strip_prefix(prefix))
        {
            if key.is_empty() {
                return self.fail(Error::new(
                    ErrorCode::UnknownParameter,
                    p.name.span,
                    format!("`{name}` needs a property key after the dot"),
                ));
            }
            let ty = self.event_property_type(p)?;
            return Ok(ParamTarget::EventProperty {
                key: key.to_owned(),
                ty,
            });
        }
        let Some(param) = spec.param(name) else {
            let mut candidates: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
            let prefixed = spec.open_prefix.map(|prefix| format!("{prefix}{name}"));
            candidates.extend(prefixed.as_deref());
            let expected: Vec<String> = spec
                .params
                .iter()
                .map(|p| p.name.to_owned())
                .chain(spec.open_prefix.map(|p| format!("{p}<key>")))
                .collect();
            return self.fail(
                Error::new(
                    ErrorCode::UnknownParameter,
                    p.name.span,
                    format!("`{}` has no parameter `{name}`", spec.name),
                )
                .expecting(expected)
                .suggesting(closest(name, candidates.iter().copied())),
            );
        };
        let subject = ParamName {
            function: spec.name,
            param: param.name,
        };
        self.param_predicate(param.ty, p, &subject)?;
        Ok(ParamTarget::Catalog(param))
    }

    fn param_predicate(
        &mut self,
        ty: Type,
        p: &Param,
        subject: &dyn fmt::Display,
    ) -> Result<(), ()> {
        let (operator, literals): (Operator, Vec<&Literal>) = match &p.predicate {
            ParamPredicate::Compare { op, value } => (Operator::Compare(*op), vec![value]),
            ParamPredicate::Between { low, high } => (Operator::Between, vec![low, high]),
            ParamPredicate::In { values, .. } => (Operator::In, values.iter().collect()),
        };
        if !ty.allows(operator) {
            let allowed: Vec<&str> = ty
                .operator_names()
                .iter()
                .copied()
                .filter(|o| !o.starts_with("IS "))
                .collect();
            return self.fail(
                Error::new(
                    ErrorCode::OperatorNotAllowed,
                    p.operator_span,
                    format!(
                        "{} does not apply to `{}`, which is {}",
                        operator.spelling(),
                        p.name.text,
                        ty.describe()
                    ),
                )
                .expecting(allowed),
            );
        }
        self.literals(ty, &literals, subject)
    }

    /// The type of a `property.<key>` parameter: that of its value(s),
    /// which must agree.
    fn event_property_type(&mut self, p: &Param) -> Result<ValueType, ()> {
        let literals: Vec<&Literal> = match &p.predicate {
            ParamPredicate::Compare { value, .. } => vec![value],
            ParamPredicate::Between { low, high } => vec![low, high],
            ParamPredicate::In { values, .. } => values.iter().collect(),
        };
        let mut ty = None;
        for literal in &literals {
            let this = match &literal.value {
                Value::String(_) => ValueType::String,
                Value::Integer(_) => ValueType::Integer,
                Value::Float(_) => ValueType::Float,
                Value::Boolean(_) => ValueType::Boolean,
                v if v.is_date_like() => ValueType::Date,
                other => {
                    return self.fail(Error::new(
                        ErrorCode::TypeMismatch,
                        literal.span,
                        format!(
                            "`{}` cannot be compared with {}",
                            p.name.text,
                            other.kind_name()
                        ),
                    ));
                }
            };
            ty = Some(match (ty, this) {
                (None, t) => t,
                (Some(ValueType::Integer), ValueType::Float)
                | (Some(ValueType::Float), ValueType::Integer) => ValueType::Float,
                (Some(a), b) if a == b => a,
                (Some(a), _) => {
                    return self.fail(Error::new(
                        ErrorCode::TypeMismatch,
                        literal.span,
                        format!(
                            "the values of `{}` must have one type; this is {}, the first was {}",
                            p.name.text,
                            literal.value.kind_name(),
                            Type::from(a).describe()
                        ),
                    ));
                }
            });
        }
        let ty = ty.unwrap_or(ValueType::String);
        self.param_predicate(Type::from(ty), p, &p.name.text.as_str())?;
        Ok(ty)
    }
}

/// `function: parameter`, for messages; formatted only when there is an error.
struct ParamName {
    function: &'static str,
    param: &'static str,
}

impl fmt::Display for ParamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.function, self.param)
    }
}
