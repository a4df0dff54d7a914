//! Generates the Rust types of Heap's capture/v2 wire schema (`proto/core_sdk/v1/*.proto`) with
//! prost-build, using the protoc binary vendored by `protoc-bin-vendored`, so that a fresh machine
//! needs nothing installed. Also writes the schema's descriptor set, which the adapter uses for
//! counting unknown fields and for the JSON form of messages.

use std::path::PathBuf;

const PROTOS: &[&str] = &[
    "proto/core_sdk/v1/common.proto",
    "proto/core_sdk/v1/track.proto",
    "proto/core_sdk/v1/identify.proto",
    "proto/core_sdk/v1/user_properties.proto",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    let mut config = prost_build::Config::new();
    config
        .protoc_executable(protoc)
        // Deterministic re-encoding: map entries are written in key order.
        .btree_map(["."])
        .file_descriptor_set_path(out_dir.join("core_sdk_v1.bin"));
    config.compile_protos(PROTOS, &["proto"])?;
    Ok(())
}
