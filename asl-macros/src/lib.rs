//! `include_workflow!`: compile an ASL file into a Rust module (thin front door over asl-codegen).
