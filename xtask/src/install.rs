//! Installs what a fresh Debian or Ubuntu machine lacks. Every step checks first and does
//! nothing when the thing is already there, so a second run costs a few hundred milliseconds.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::sh;

/// What the install step prepares for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Building and opening the app.
    Run,
    /// Also the real-window tests.
    Test,
}

/// System packages: WebKitGTK to build the app; the WebDriver and a virtual screen to test it.
const BUILD_PACKAGES: &[&str] = &["libwebkit2gtk-4.1-dev", "build-essential", "pkg-config"];
const TEST_PACKAGES: &[&str] = &["webkit2gtk-driver", "xvfb", "xauth"];

pub(crate) fn everything(root: &Path, purpose: Purpose) -> Result<()> {
    let mut packages = BUILD_PACKAGES.to_vec();
    // xvfb also lets `cargo xtask run` start on a machine without a screen.
    packages.extend(TEST_PACKAGES);
    system_packages(&packages)?;
    rust_components()?;
    if purpose == Purpose::Test {
        tauri_driver()?;
    }
    npm_packages(root)
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn has_passwordless_sudo() -> bool {
    Command::new("sudo")
        .args(["-n", "true"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn system_packages(packages: &[&str]) -> Result<()> {
    if Command::new("dpkg-query").arg("--version").output().is_err() {
        eprintln!(
            "xtask: not a Debian-based system; make sure these (or your system's equivalents) are \
             installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install_args = ["install", "-y", "-q", "--no-install-recommends"];
    let (program, prefix): (&str, Vec<&str>) = if is_root() {
        ("apt-get", vec![])
    } else if has_passwordless_sudo() {
        ("sudo", vec!["apt-get"])
    } else {
        bail!(
            "missing system packages: {list}\nInstall them, then run this again:\n  \
             sudo apt-get update && sudo apt-get install -y --no-install-recommends {list}",
            list = missing.join(" ")
        );
    };
    eprintln!("xtask: installing system packages: {}", missing.join(" "));
    let mut update = prefix.clone();
    update.push("update");
    update.push("-q");
    sh(Path::new("."), program, &update)?;
    let mut install = prefix;
    install.extend(install_args);
    install.extend(&missing);
    // DEBIAN_FRONTEND keeps apt from asking questions on a machine without a terminal.
    let status = Command::new(program)
        .args(&install)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("installing {} failed ({status})", missing.join(" "));
    }
    Ok(())
}

fn rust_components() -> Result<()> {
    for (tool, component) in [("fmt", "rustfmt"), ("clippy", "clippy")] {
        let present = Command::new(crate::cargo())
            .args([tool, "--version"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !present {
            sh(Path::new("."), "rustup", &["component", "add", component])?;
        }
    }
    Ok(())
}

/// Where `cargo install` puts binaries (under `bin/`).
pub(crate) fn cargo_home() -> std::path::PathBuf {
    match std::env::var_os("CARGO_HOME") {
        Some(home) => home.into(),
        None => {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        }
    }
}

/// tauri-driver 2.x; a bare `cargo install tauri-driver` may pick a 3.0 alpha.
fn tauri_driver() -> Result<()> {
    let present = Command::new(crate::cargo())
        .args(["install", "--list"])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("tauri-driver v2."))
        .unwrap_or(false);
    if !present {
        sh(
            Path::new("."),
            &crate::cargo(),
            &["install", "tauri-driver", "--version", "^2", "--locked"],
        )?;
    }
    Ok(())
}

fn npm_packages(root: &Path) -> Result<()> {
    npm_ci(&root.join("ui"))
}

/// `npm ci` in `dir` when its node_modules is missing or older than its lock file.
pub(crate) fn npm_ci(dir: &Path) -> Result<()> {
    if Command::new("npm").arg("--version").stdout(Stdio::null()).status().is_err() {
        bail!("npm is missing: install Node.js 20 or newer with npm, then run this again");
    }
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let stamp = modified(&dir.join("node_modules/.package-lock.json"));
    let lock = modified(&dir.join("package-lock.json"));
    let fresh = matches!((stamp, lock), (Some(stamp), Some(lock)) if stamp >= lock);
    if !fresh {
        sh(dir, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    Ok(())
}
