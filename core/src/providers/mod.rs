//! One module per provider, each with the same shape: the scheme's constants, `verify`
//! (checks form and freshness, returns what to MAC), `parse` and `sign`.

pub mod centra;
pub mod centrali;
pub mod extend;
pub mod orisha;
pub mod shopctrl;
pub mod standard;

/// The most signature candidates one header may carry; more is an attack, not a rotation.
pub(crate) const MAX_CANDIDATES: usize = 16;
