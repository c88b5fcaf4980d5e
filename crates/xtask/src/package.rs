//! `cargo xtask package`: a release build, then the two store-ready zips with their sizes.

use anyhow::Result;

use crate::build;
use crate::util::{self, header, note};
use crate::wasm::Profile;

pub fn package() -> Result<()> {
    let built = build::build(Profile::Release)?;
    header("package: ready to upload");
    for (zip, size) in &built.zips {
        note(format!("{}  {}", util::rel(zip), util::size(*size)));
    }
    Ok(())
}
