//! Traffic workers: one thread per CPU, each with its own current-thread event loop, its own
//! listener on the traffic address (`SO_REUSEPORT`: the kernel spreads new connections over
//! them) and its own collector connections. A request stays on the thread that accepted its
//! connection from arrival to answer — no hand-off between threads on the request path. The
//! workers share the policies, the audit writer, the registry and the metrics.
//!
//! Worker 0 is the runtime that called [`Server::start`](super::Server::start) (it also runs
//! the admin listener); the others are started here.

use std::cell::Cell;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;

use super::{Kind, State, accept_loop};

thread_local! {
    static INDEX: Cell<usize> = const { Cell::new(0) };
}

/// The traffic worker running on this thread (0 outside the worker threads).
pub fn index() -> usize {
    INDEX.with(Cell::get)
}

/// Binds a traffic listener; `shared` lets the other workers bind the same address.
pub(super) fn bind(addr: SocketAddr, shared: bool) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    // As `TcpListener::bind` does: a restart may bind while old connections linger.
    socket.set_reuseaddr(true)?;
    if shared {
        socket.set_reuseport(true)?;
    }
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Starts worker `index` (1 and up) on a thread of its own: it binds its listener to `addr`
/// (returning once it has) and serves until `stop`; its event loop keeps running the requests
/// it accepted until `finished`, when the server has drained them all.
pub(super) fn spawn(
    index: usize,
    addr: SocketAddr,
    state: Arc<State>,
    stop: watch::Receiver<bool>,
    mut finished: watch::Receiver<bool>,
) -> io::Result<std::thread::JoinHandle<()>> {
    let (ready_tx, ready_rx) = std::sync::mpsc::sync_channel(1);
    let thread = std::thread::Builder::new()
        .name(format!("privgate-worker-{index}"))
        .spawn(move || {
            INDEX.with(|i| i.set(index));
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(r) => r,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                crate::audit::deliver_acks_on_this_thread();
                let listener = match bind(addr, true) {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                accept_loop(listener, state, stop, Kind::Traffic).await;
                // Requests still in progress run on this loop: keep it turning until the
                // server has seen every request finish.
                let _ = finished.wait_for(|done| *done).await;
            });
        })?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(thread),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(io::Error::other("the worker thread ended before listening")),
    }
}
