//! Output for people (aligned tables) and programs (JSON).

pub mod json;
pub mod table;
