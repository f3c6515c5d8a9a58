//! Only for feature `model`: link the binary so that it finds libtorch at run time and keeps
//! libtorch_cuda when a GPU is present. tch's own rpath does not reach a crate that depends on
//! `tch` rather than `torch-sys` (measured, shared/reference/proof-step-models.md §3), so the
//! torch `lib/` folder goes into the rpath here, and `--no-as-needed -ltorch` keeps the CUDA
//! library that the linker would otherwise drop ("Cannot initialize CUDA without ATen_cuda").

include!("crates/tactics/torch_lib.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=crates/tactics/torch_lib.rs");
    if std::env::var_os("CARGO_FEATURE_MODEL").is_none() {
        return;
    }
    if let Some(dir) = torch_lib_dir() {
        println!("cargo:rustc-link-search=native={dir}");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch");
    }
}
