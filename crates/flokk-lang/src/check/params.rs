//! Checking MATCHES parameters: names, duplicates, required and
//! exclusive groups, and each parameter's operator and values.

use super::{Checker, ParamTarget};
use crate::ast::{Clause, Param, ParamPredicate};
use crate::catalog::{FunctionSpec, Operator, Type, ValueType};
use crate::error::{Error, ErrorCode};
use crate::suggest::closest;
use crate::value::{Literal, Value};
use std::collections::HashSet;
use std::fmt;

impl Checker<'_> {
    pub(super) fn params(
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
        for group in spec.at_most_one_of {
            let given: Vec<&Param> = params
                .iter()
                .filter(|p| group.contains(&p.name.text.as_str()))
                .collect();
            if given.len() > 1 && given.iter().any(|p| p.name.text != given[0].name.text) {
                self.errors.push(Error::new(
                    ErrorCode::ConflictingParameters,
                    given[1].name.span,
                    format!("give at most one of {}", group.join(", ")),
                ));
                ok = false;
            }
        }
        for (param, needs) in spec.requires {
            let has = |name: &str| params.iter().any(|p| p.name.text == name);
            if let Some(p) = params.iter().find(|p| p.name.text == *param)
                && !needs.iter().any(|n| has(n))
            {
                self.errors.push(
                    Error::new(
                        ErrorCode::MissingParameter,
                        p.name.span,
                        format!("`{param}` needs {} beside it", needs.join(" or ")),
                    )
                    .expecting(needs.iter().copied()),
                );
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

/// A parameter and its function, for messages; formatted only when there is an error.
struct ParamName {
    function: &'static str,
    param: &'static str,
}

impl fmt::Display for ParamName {
    /// Messages put the subject in backticks: this closes and reopens them,
    /// giving "`channel` of `orders_placed`".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}` of `{}", self.param, self.function)
    }
}
