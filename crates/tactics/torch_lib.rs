// Shared by the root build.rs and crates/tactics/build.rs (`include!`): where torch's `lib/`
// folder is, from LIBTORCH or, with LIBTORCH_USE_PYTORCH, from the Python that has torch.
fn torch_lib_dir() -> Option<String> {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    println!("cargo:rerun-if-env-changed=LIBTORCH_USE_PYTORCH");
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
    lib.filter(|d| std::path::Path::new(d).exists())
}
