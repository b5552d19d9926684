//! The live Flux model: pure data, no tokio, no kube client, no terminal.

pub mod events;
pub mod explain;
pub mod graph;
pub mod intern;
pub mod kind;
pub mod name;
pub mod object;
pub mod status;
pub mod store;
pub mod trace;
pub mod tree;
