//! Helpers shared by the e2e test files (each includes this file with `#[path]`).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use paceline_e2e::{FAKE_HOSTS, FakeTp};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// A fresh directory under cargo's per-target scratch dir.
pub fn scratch_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the fake's CA to a scratch file and returns its path.
pub fn ca_file(fake: &FakeTp) -> PathBuf {
    fake.write_ca_pem(&scratch_dir("ca")).unwrap()
}

/// A plain HTTPS client that trusts only the fake's CA and maps the TrainingPeaks hostnames
/// to it (like Chromium's `--host-resolver-rules`). No cookies are added.
pub fn https_client(fake: &FakeTp) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(fake.ca_pem().as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let mut builder = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20));
    for host in FAKE_HOSTS {
        builder = builder.resolve(host, SocketAddr::from((Ipv4Addr::LOCALHOST, fake.port())));
    }
    builder.build().unwrap()
}
