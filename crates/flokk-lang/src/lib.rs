//! The flokk segment query language (FSQL): lexer, parser, typed AST,
//! filter catalog, canonical printer and positioned errors.
//!
//! Filled in by the language issue; see `shared/spec/language.md`.
