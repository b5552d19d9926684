//! fluxdeck: a terminal dashboard for Flux CD.

pub mod cli;
pub mod fixtures;
pub mod kube;
pub mod lab;
pub mod model;
pub mod sim;
pub mod text;
