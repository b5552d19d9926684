//! fluxdeck: a terminal dashboard for Flux CD.

pub mod fixtures;
pub mod lab;
pub mod sim;
