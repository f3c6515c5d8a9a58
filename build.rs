//! Only for feature `model`: link the binary so that it finds libtorch at run time and keeps
//! libtorch_cuda when a GPU is present. tch's own rpath does not reach a crate that depends on
//! `tch` rather than `torch-sys` (measured, shared/reference/proof-step-models.md §3), so the
//! torch `lib/` folder goes into the rpath here, and `--no-as-needed -ltorch` keeps the CUDA
//! library that the linker would otherwise drop ("Cannot initialize CUDA without ATen_cuda").
//! Only the `theorist` binary gets these: the scripted peer forced to need libtorch could not
//! start inside the sandbox, which shows it neither the torch folder nor LD_LIBRARY_PATH.

include!("crates/tactics/torch_lib.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=crates/tactics/torch_lib.rs");
    if std::env::var_os("CARGO_FEATURE_MODEL").is_none() {
        return;
    }
    if let Some(dir) = torch_lib_dir() {
        println!("cargo:rustc-link-search=native={dir}");
        let rpath = format!("-Wl,-rpath,{dir}");
        for arg in [rpath.as_str(), "-Wl,--no-as-needed", "-ltorch"] {
            println!("cargo:rustc-link-arg-bin=theorist={arg}");
        }
    }
}
