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

/// Connects to a bridge's socket, and refuses it (`PermissionDenied`) unless the process
/// listening on it runs as this user: the directory is private, but a socket is only as
/// trustworthy as its listener, and a forged bridge could return forged results.
pub async fn connect(endpoint: &Path) -> std::io::Result<ClientStream> {
    let stream = UnixStream::connect(endpoint).await?;
    if !peer_is_us(&stream) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "the process listening on {} runs as another user; refusing it",
                endpoint.display()
            ),
        ));
    }
    Ok(stream)
}

fn peer_is_us(stream: &UnixStream) -> bool {
    peer_uid_is(stream, rendezvous::current_uid())
}

/// Whether the other end of `stream` runs as `uid` (false if the system cannot say).
fn peer_uid_is(stream: &UnixStream, uid: u32) -> bool {
    stream.peer_cred().map(|c| c.uid() == uid).unwrap_or(false)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .with_context(|| format!("chmod {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn both_ends_check_the_peer_uid() {
        let dir = tempfile::tempdir().unwrap();
        let path = endpoint(dir.path(), 1);
        let mut listener = Listener::bind(&path).unwrap();
        let (client, server) = tokio::join!(connect(&path), listener.accept());
        let (client, server) = (client.unwrap(), server.unwrap());
        let me = rendezvous::current_uid();
        assert!(peer_uid_is(&client, me) && peer_uid_is(&server, me));
        // The same check with any other uid refuses: what a bridge or a relay running as
        // another user would meet.
        assert!(!peer_uid_is(&client, me.wrapping_add(1)));
        assert!(!peer_uid_is(&server, me.wrapping_add(1)));
    }
}
