//! Why a request failed, in words a person reads: kube and hyper wrap a
//! refused TCP connection as `ServiceError: client error (Connect):
//! Connection refused (os error 111)`; the user needs "connection refused".

use std::error::Error;
use std::io::ErrorKind;

/// The plain reason of a network failure somewhere in `e`'s chain, or None
/// when nothing in it is one (the caller then keeps its own wording).
pub fn network(e: &(dyn Error + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io_reason(io));
        }
        let text = err.to_string().to_lowercase();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return Some("the host name does not resolve (DNS)".into());
        }
        if text.contains("certificate") || text.contains("invalid peer") {
            return Some(format!("TLS: {}", innermost(e)));
        }
        cur = err.source();
    }
    None
}

fn io_reason(io: &std::io::Error) -> String {
    match io.kind() {
        ErrorKind::ConnectionRefused => "connection refused (nothing listens there)".into(),
        ErrorKind::TimedOut => "timed out".into(),
        ErrorKind::ConnectionReset => "the connection was reset".into(),
        ErrorKind::ConnectionAborted => "the connection was aborted".into(),
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => "no route to the host".into(),
        ErrorKind::UnexpectedEof => "the server closed the connection".into(),
        _ => {
            // "… (os error 111)" says nothing more to a person.
            let text = io.to_string();
            match text.split_once(" (os error") {
                Some((head, _)) => head.to_string(),
                None => text,
            }
        }
    }
}

/// The innermost message of `e`'s chain.
pub fn innermost(e: &(dyn Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// kube's own wrapping of a refused connection, built the way a client
    /// error reaches us: an outer error whose source is the io error.
    #[derive(Debug)]
    struct Wrapped(std::io::Error);
    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("ServiceError: client error (Connect)")
        }
    }
    impl Error for Wrapped {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_refused_connection_reads_as_such() {
        let e = Wrapped(std::io::Error::from(ErrorKind::ConnectionRefused));
        let reason = network(&e).unwrap();
        assert!(reason.starts_with("connection refused"), "{reason}");
        assert!(!reason.contains("ServiceError") && !reason.contains("os error"));
        let other = std::io::Error::other("weird (os error 99)");
        assert_eq!(network(&other).as_deref(), Some("weird"));
        assert_eq!(network(&std::fmt::Error), None);
    }
}
