//! Windows named pipes.
//!
//! Pipe names live in one machine-wide namespace, so the name carries the user's SID
//! (`\\.\pipe\paceline-<SID>-bridge-<pid>`) and the pipe is guarded three ways:
//! - its DACL (`D:P(A;;GA;;;<SID>)`) admits the current user only, replacing the default one
//!   that lets Everyone read; remote (SMB) clients are rejected outright;
//! - the bridge checks the connecting process's token user, as the Unix side checks the uid;
//! - the relay checks the serving process's token user before sending anything, because
//!   another user could create a pipe under a stale bridge's name after it exited.
//!
//! Type-checked and linted for `x86_64-pc-windows-gnu` (`cargo clippy --target …`, by hand: it is
//! not part of `cargo xtask test`); never run on Windows, and no test exercises it.

// The workspace denies unsafe code; this module is the Win32 FFI the seam needs (SIDs,
// security descriptors, pipe peers). Each block says why it is sound.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::io;
use std::os::windows::ffi::OsStrExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use tokio::net::windows::named_pipe::{
    ClientOptions, NamedPipeClient, NamedPipeServer, ServerOptions,
};
use windows_sys::Win32::Foundation::{ERROR_PIPE_BUSY, HANDLE, LocalFree};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{
    GetTokenInformation, SECURITY_ATTRIBUTES, TOKEN_QUERY, TOKEN_USER, TokenUser,
};
use windows_sys::Win32::System::Pipes::{GetNamedPipeClientProcessId, GetNamedPipeServerProcessId};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, OpenProcess, OpenProcessToken, PROCESS_QUERY_LIMITED_INFORMATION,
};

/// What a bridge gets for each accepted connection.
pub type ServerStream = NamedPipeServer;
/// What a relay gets from [`connect`].
pub type ClientStream = NamedPipeClient;

/// How long a relay waits for a free pipe instance: the bridge makes the next instance right
/// after each connection, so "busy" lasts microseconds unless the bridge is stuck.
const BUSY_RETRIES: u32 = 40;
const BUSY_PAUSE: Duration = Duration::from_millis(25);

/// The pipe a bridge with this pid listens on. The directory only holds the discovery file.
pub fn endpoint(_dir: &Path, pid: u32) -> PathBuf {
    let user = current_user_sid().unwrap_or_else(|_| {
        // Only for the name: binding still needs the SID and fails without it.
        std::env::var("USERNAME")
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect()
    });
    PathBuf::from(format!(r"\\.\pipe\paceline-{user}-bridge-{pid}"))
}

/// Nothing to remove: a pipe disappears with its last handle.
pub fn remove_endpoint(_endpoint: &Path) {}

/// A bridge's pipe: always one instance waiting for the next client.
pub struct Listener {
    name: PathBuf,
    sid: String,
    waiting: NamedPipeServer,
}

impl Listener {
    /// Creates the first instance of the pipe; fails if the name is taken (by anyone).
    pub fn bind(endpoint: &Path) -> Result<Self> {
        let sid = current_user_sid().context("finding the current user's SID")?;
        let waiting = create(endpoint, &sid, true)
            .with_context(|| format!("creating the named pipe {}", endpoint.display()))?;
        Ok(Self {
            name: endpoint.to_path_buf(),
            sid,
            waiting,
        })
    }

    /// Waits for the next client from this user; others are disconnected and logged.
    /// Cancel-safe: a client that connected while this future was dropped stays connected to
    /// the waiting instance and is handed off by the next call.
    pub async fn accept(&mut self) -> io::Result<ServerStream> {
        loop {
            self.waiting.connect().await?;
            // The next instance must exist before the connected one is handed off, or a
            // client arriving in between would find the pipe gone (not merely busy).
            let next = create(&self.name, &self.sid, false)?;
            let connected = std::mem::replace(&mut self.waiting, next);
            if client_is(&connected, &self.sid) {
                return Ok(connected);
            }
            tracing::warn!("refused a relay connection from another user");
        }
    }
}

/// Connects to a bridge's pipe and checks the bridge runs as this user.
pub async fn connect(endpoint: &Path) -> io::Result<ClientStream> {
    let sid = current_user_sid()?;
    let mut tries = 0;
    let client = loop {
        match ClientOptions::new().open(endpoint) {
            Ok(c) => break c,
            Err(e) if e.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) && tries < BUSY_RETRIES => {
                tries += 1;
                tokio::time::sleep(BUSY_PAUSE).await;
            }
            Err(e) => return Err(e),
        }
    };
    if !server_is(&client, &sid) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is served by another user's process; not using it",
                endpoint.display()
            ),
        ));
    }
    Ok(client)
}

/// Creates one pipe instance whose DACL admits only `sid`.
fn create(name: &Path, sid: &str, first: bool) -> io::Result<NamedPipeServer> {
    let sd = LocalBox::security_descriptor(&format!("D:P(A;;GA;;;{sid})"))?;
    let mut attrs = SECURITY_ATTRIBUTES {
        nLength: size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: sd.0,
        bInheritHandle: 0,
    };
    // SAFETY: `attrs` is a valid SECURITY_ATTRIBUTES whose descriptor (owned by `sd`) outlives
    // the call; CreateNamedPipeW copies the descriptor into the new object.
    unsafe {
        ServerOptions::new()
            .first_pipe_instance(first)
            .reject_remote_clients(true)
            .create_with_security_attributes_raw(name, (&raw mut attrs).cast::<c_void>())
    }
}

fn client_is(pipe: &NamedPipeServer, sid: &str) -> bool {
    let mut pid = 0u32;
    // SAFETY: a live pipe handle and a valid out pointer.
    if unsafe { GetNamedPipeClientProcessId(pipe.as_raw_handle(), &mut pid) } == 0 {
        return false;
    }
    process_user_sid(pid).is_ok_and(|s| s == sid)
}

fn server_is(pipe: &NamedPipeClient, sid: &str) -> bool {
    let mut pid = 0u32;
    // SAFETY: a live pipe handle and a valid out pointer.
    if unsafe { GetNamedPipeServerProcessId(pipe.as_raw_handle(), &mut pid) } == 0 {
        return false;
    }
    process_user_sid(pid).is_ok_and(|s| s == sid)
}

/// The string SID (`S-1-5-21-…`) of the user this process runs as.
fn current_user_sid() -> io::Result<String> {
    // SAFETY: GetCurrentProcess returns a pseudo-handle that needs no closing.
    token_user_sid(unsafe { GetCurrentProcess() })
}

/// The string SID of the user another process runs as. Fails (and so refuses the peer) if
/// the process cannot be opened for querying.
fn process_user_sid(pid: u32) -> io::Result<String> {
    // SAFETY: plain call; the result is checked before use.
    let h = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if h.is_null() {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `h` is a handle we own and nobody else closes.
    let h = unsafe { OwnedHandle::from_raw_handle(h) };
    token_user_sid(h.as_raw_handle())
}

fn token_user_sid(process: HANDLE) -> io::Result<String> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: a process handle and a valid out pointer.
    if unsafe { OpenProcessToken(process, TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `token` is a handle we own and nobody else closes.
    let token = unsafe { OwnedHandle::from_raw_handle(token) };
    let mut needed = 0u32;
    // SAFETY: a size query (null buffer, zero length); it fails by design and sets `needed`.
    unsafe {
        GetTokenInformation(
            token.as_raw_handle(),
            TokenUser,
            std::ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    if (needed as usize) < size_of::<TOKEN_USER>() {
        return Err(io::Error::last_os_error());
    }
    // u64 cells: TOKEN_USER holds a pointer, so the buffer must be pointer-aligned.
    let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
    // SAFETY: the buffer is at least `needed` bytes and aligned for TOKEN_USER.
    if unsafe {
        GetTokenInformation(
            token.as_raw_handle(),
            TokenUser,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: GetTokenInformation filled the buffer with a TOKEN_USER whose SID points into it.
    let user = unsafe { &*buf.as_ptr().cast::<TOKEN_USER>() };
    let mut text: *mut u16 = std::ptr::null_mut();
    // SAFETY: a valid SID and out pointer; the string is LocalAlloc'd and freed by LocalBox.
    if unsafe { ConvertSidToStringSidW(user.User.Sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let text = LocalBox(text.cast());
    // SAFETY: ConvertSidToStringSidW returns a NUL-terminated UTF-16 string.
    Ok(unsafe { wide_to_string(text.0.cast::<u16>()) })
}

/// # Safety
/// `p` must point at a NUL-terminated UTF-16 string.
unsafe fn wide_to_string(p: *const u16) -> String {
    let mut len = 0;
    // SAFETY: reading up to (not past) the terminating NUL.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` units were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
}

/// Memory the system allocated with LocalAlloc, freed on drop.
struct LocalBox(*mut c_void);

impl LocalBox {
    fn security_descriptor(sddl: &str) -> io::Result<Self> {
        let wide: Vec<u16> = std::ffi::OsStr::new(sddl)
            .encode_wide()
            .chain(Some(0))
            .collect();
        let mut sd: *mut c_void = std::ptr::null_mut();
        // SAFETY: a NUL-terminated wide string and a valid out pointer.
        let ok = unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                wide.as_ptr(),
                SDDL_REVISION_1,
                &mut sd,
                std::ptr::null_mut(),
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Self(sd))
    }
}

impl Drop for LocalBox {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from a LocalAlloc-ing API and is freed once.
            unsafe { LocalFree(self.0) };
        }
    }
}
