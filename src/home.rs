//! `$DOCKLINGS_HOME`: where all state lives (progress, history, the simulated engine, caches).

use std::path::PathBuf;

use anyhow::{Context, Result};

/// The state folder: `$DOCKLINGS_HOME`, else the platform's data folder (`~/.local/share/docklings` on Linux).
/// Created when missing.
pub fn dir() -> Result<PathBuf> {
    let dir = match std::env::var_os("DOCKLINGS_HOME").filter(|v| !v.is_empty()) {
        Some(d) => PathBuf::from(d),
        None => dirs::data_dir()
            .context("no data folder on this system; set DOCKLINGS_HOME to a folder docklings may use")?
            .join("docklings"),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create DOCKLINGS_HOME at `{}`", dir.display()))?;
    Ok(dir)
}
