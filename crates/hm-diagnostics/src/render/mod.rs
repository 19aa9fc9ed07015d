//! The three renderings. Each takes the files (`SourceDb`) and the directory paths are
//! shown relative to.

mod errfmt;
mod human;
mod json;
mod snippet;
mod words;

pub use errfmt::errfmt;
pub use human::{HumanOptions, human, write_human};
pub use json::{JsonDiagnostic, json, one as json_one};
