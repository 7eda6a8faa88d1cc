//! Unix sockets: the endpoint is a socket file in the private (0700) rendezvous directory.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tokio::net::{UnixListener, UnixStream};

use crate::rendezvous;

/// What a bridge gets for each accepted connection.
pub type ServerStream = UnixStream;
/// What a relay gets from [`connect`].
pub type ClientStream = UnixStream;

/// The endpoint a bridge with this pid listens on: a socket file beside its discovery file.
pub fn endpoint(dir: &Path, pid: u32) -> PathBuf {
    dir.join(format!("bridge-{pid}.sock"))
}

/// Removes a (stale) endpoint's socket file.
pub fn remove_endpoint(endpoint: &Path) {
    let _ = std::fs::remove_file(endpoint);
}

/// A bridge's listening socket.
pub struct Listener(UnixListener);

impl Listener {
    /// Binds the socket (replacing a stale file of the same name) and makes it 0600.
    pub fn bind(endpoint: &Path) -> Result<Self> {
        let _ = std::fs::remove_file(endpoint);
        let listener = UnixListener::bind(endpoint)
            .with_context(|| format!("listening on {}", endpoint.display()))?;
        set_mode(endpoint, 0o600)?;
        Ok(Self(listener))
    }

    /// Waits for the next connection from this user; connections from other users are
    /// refused (dropped) and logged. Cancel-safe: nothing is held across an await.
    pub async fn accept(&mut self) -> std::io::Result<ServerStream> {
        loop {
            let (stream, _) = self.0.accept().await?;
            if peer_is_us(&stream) {
                return Ok(stream);
            }
            tracing::warn!("refused a relay connection from another user");
        }
    }
}

/// Connects to a bridge's socket.
pub async fn connect(endpoint: &Path) -> std::io::Result<ClientStream> {
    UnixStream::connect(endpoint).await
}

fn peer_is_us(stream: &UnixStream) -> bool {
    stream
        .peer_cred()
        .map(|c| c.uid() == rendezvous::current_uid())
        .unwrap_or(false)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("chmod {}", path.display()))
}
