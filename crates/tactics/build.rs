//! Only for feature `model`: torch's `lib/` folder into the rpath of this crate's own test and
//! bench binaries (the theorist binary gets it from the root build.rs), so `cargo test
//! --features model -p theorist-tactics` runs without LD_LIBRARY_PATH.

include!("torch_lib.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=torch_lib.rs");
    if std::env::var_os("CARGO_FEATURE_MODEL").is_none() {
        return;
    }
    if let Some(dir) = torch_lib_dir() {
        println!("cargo:rustc-link-arg=-Wl,-rpath,{dir}");
    }
}
