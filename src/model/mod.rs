//! The live Flux model: pure data, no tokio, no kube client, no terminal.

pub mod graph;
pub mod kind;
pub mod object;
pub mod status;
pub mod tree;
