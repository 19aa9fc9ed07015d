//! Diagnostics: what a check found, where, and how to fix it, with three renderings —
//! miette's graphical output for people, a stable JSON schema, and `errfmt` lines for editors.

mod diagnostic;
mod location;
pub mod render;
pub mod text;

pub use diagnostic::{Diagnostic, Edit, Fix, Label, Severity};
pub use location::{Location, Position, display_path};
