//! A TCP proxy on 127.0.0.1 in front of the lab, to cut the client off (an
//! outage as the client sees it) while the test keeps changing the cluster
//! through the direct address.
#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub struct Proxy {
    pub port: u16,
    up: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Proxy {
    pub async fn start(target_port: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, conns2) = (up.clone(), connections.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees the connection closed
                }
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(("127.0.0.1", target_port)).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                conns2.lock().unwrap().push(task);
            }
        });
        Proxy {
            port,
            up,
            connections,
            accept,
        }
    }

    /// Cuts every open connection and refuses new ones.
    pub fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for task in self.connections.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    pub fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

/// A copy of `kubeconfig` whose server points at `port` on 127.0.0.1.
pub fn kubeconfig_via(kubeconfig: &std::path::Path, port: u16, out: &std::path::Path) {
    let text = std::fs::read_to_string(kubeconfig).unwrap();
    let rewritten: String = text
        .lines()
        .map(
            |l| match l.trim_start().strip_prefix("server: https://127.0.0.1:") {
                Some(_) => format!(
                    "{}server: https://127.0.0.1:{port}",
                    &l[..l.len() - l.trim_start().len()]
                ),
                None => l.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(
        text,
        rewritten,
        "no server line in {}",
        kubeconfig.display()
    );
    std::fs::write(out, rewritten).unwrap();
}

/// The port of the server in a kubeconfig written by testenv.
pub fn server_port(kubeconfig: &std::path::Path) -> u16 {
    let text = std::fs::read_to_string(kubeconfig).unwrap();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("server: https://127.0.0.1:"))
        .and_then(|p| p.trim().parse().ok())
        .expect("a server line")
}
