//! `--direct` mode: native HTTPS to TrainingPeaks with the cookie from `TP_AUTH_COOKIE`.

use std::sync::Arc;

use paceline_core::http::Transport;
use paceline_core::trainingpeaks::ApiBases;

/// Builds the direct-mode transport and base URLs from the environment:
/// `TP_AUTH_COOKIE` (required), `PACELINE_TP_API_BASE`, `PACELINE_PEAKSWARE_API_BASE`,
/// `PACELINE_EXTRA_CA_PEM` (a PEM file of extra trusted roots, for tests).
pub fn transport_from_env() -> anyhow::Result<(Arc<dyn Transport>, ApiBases)> {
    anyhow::bail!("--direct is not implemented yet")
}
