//! fluxdeck: a terminal dashboard for Flux CD.

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod fixtures;
pub mod fmt;
pub mod keyspec;
pub mod kube;
pub mod model;
pub mod runtime;
pub mod sim;
pub mod text;
pub mod theme;
pub mod tomlfile;
pub mod view;
