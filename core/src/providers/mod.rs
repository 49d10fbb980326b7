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

/// The error for more: it says where the limit is, which a sender never reaches.
pub(crate) const TOO_MANY_CANDIDATES: &str =
    "more than 16 `v1` signatures (a sender rotating its secret sends two)";

#[cfg(test)]
mod tests {
    #[test]
    fn the_message_states_the_limit() {
        let limit = alloc::format!("more than {} ", super::MAX_CANDIDATES);
        assert!(super::TOO_MANY_CANDIDATES.starts_with(&limit));
    }
}
