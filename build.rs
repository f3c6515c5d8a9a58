//! Only for feature `model`: link the binary so that it finds libtorch at run time and keeps
//! libtorch_cuda when a GPU is present. tch's own rpath does not reach a crate that depends on
//! `tch` rather than `torch-sys` (measured, shared/reference/proof-step-models.md §3), so the
//! torch `lib/` folder goes into the rpath here, and `--no-as-needed -ltorch` keeps the CUDA
//! library that the linker would otherwise drop ("Cannot initialize CUDA without ATen_cuda").

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
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch");
    }
}
