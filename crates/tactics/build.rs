//! Only for feature `model`: torch's `lib/` folder into the rpath of this crate's own test and
//! bench binaries (the theorist binary gets it from the root build.rs), so `cargo test
//! --features model -p theorist-tactics` runs without LD_LIBRARY_PATH.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=LIBTORCH_USE_PYTORCH");
    if std::env::var_os("CARGO_FEATURE_MODEL").is_none() {
        return;
    }
    let lib = match std::env::var("LIBTORCH") {
        Ok(root) => Some(format!("{root}/lib")),
        Err(_) if std::env::var_os("LIBTORCH_USE_PYTORCH").is_some() => {
            let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
            std::process::Command::new(python)
                .args([
                    "-c",
                    "import os, torch; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))",
                ])
                .output()
                .ok()
                .filter(|o| o.status.success())
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        }
        Err(_) => None,
    };
    if let Some(dir) = lib.filter(|d| std::path::Path::new(d).exists()) {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
