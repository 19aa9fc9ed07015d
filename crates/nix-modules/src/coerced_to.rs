//! `types.coercedTo coercedType coerceFunc finalType`: definitions `coercedType` accepts
//! become `coerceFunc def`, and the value is then one of `finalType`. Read from the type's
//! `functor.payload`, for the merge of plain options and for submodules alike.

use nix_eval::{Eval, Thunk, Value};

use crate::defs::Def;
use crate::options::type_name;

pub(crate) struct CoercedTo {
    check: Value,
    coerce: Value,
    /// `finalType`.
    pub(crate) target: Value,
}

/// Whether the coerced type's `check` could not be decided for a definition.
pub(crate) struct Undecided;

impl CoercedTo {
    /// `ty`'s parts, when it is a `coercedTo` type.
    pub(crate) fn of(eval: &mut Eval, ty: &Value) -> Option<CoercedTo> {
        if type_name(eval, ty).as_deref() != Some("coercedTo") {
            return None;
        }
        let payload = eval
            .select(ty, "functor", None)
            .and_then(|f| eval.select(&f, "payload", None))?;
        let coerced = eval.select(&payload, "coercedType", None)?;
        Some(CoercedTo {
            check: eval.select(&coerced, "check", None)?,
            coerce: eval.select(&payload, "coerceFunc", None)?,
            target: eval.select(&payload, "finalType", None)?,
        })
    }

    /// Converts `def` when the coerced type accepts it.
    pub(crate) fn convert(&self, eval: &mut Eval, def: &mut Def) -> Result<(), Undecided> {
        let value = Thunk::ready(def.value.clone());
        match eval.apply(self.check.clone(), value.clone(), def.span) {
            Value::Bool(false) => Ok(()),
            Value::Bool(true) => {
                def.value = eval.apply(self.coerce.clone(), value, def.span);
                Ok(())
            }
            _ => Err(Undecided),
        }
    }
}
