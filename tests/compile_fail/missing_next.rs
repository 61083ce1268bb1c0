asl_macros::include_workflow!("../asl/missing_next.asl.json");

fn main() {
    // The skeleton emitted after the errors keeps this compiling, so only the ASL errors show.
    let _ = missing_next::DEFINITION;
}
