//! The only code that talks to the API server: client setup, discovery,
//! watches, single-object reads and the mutation gate.

pub mod cause;
pub mod client;
pub mod crds;
pub mod discovery;
pub mod events;
pub mod fetch;
pub mod first_lists;
pub mod gate;
pub mod health;
pub mod live;
pub mod lookup;
pub mod project;
pub mod sinks;
pub mod slim;
pub mod watch;
