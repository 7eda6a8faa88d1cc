//! The local IPC seam between a bridge and the `paceline mcp` processes that relay through it.
//!
//! A bridge binds one endpoint and accepts connections **from the same user only**; a relay
//! connects to an endpoint named in a discovery file (see [`crate::rendezvous`]). Both sides
//! get a byte stream (`AsyncRead + AsyncWrite + Unpin + Send`) and speak the framed protocol
//! over it; nothing above this module knows which operating-system object carries the bytes.
//!
//! - Unix: a Unix socket `bridge-<pid>.sock` in the private rendezvous directory, made 0600,
//!   with the peer's uid checked on every accept ([`unix`]).
//! - Windows: a named pipe `\\.\pipe\paceline-<user SID>-bridge-<pid>` whose DACL admits the
//!   current user only, with the peer process's user checked on both ends (`windows`).

#[cfg(unix)]
mod unix;
#[cfg(windows)]
mod windows;

#[cfg(unix)]
pub use unix::{ClientStream, Listener, ServerStream, connect, endpoint, remove_endpoint};
#[cfg(windows)]
pub use windows::{ClientStream, Listener, ServerStream, connect, endpoint, remove_endpoint};
