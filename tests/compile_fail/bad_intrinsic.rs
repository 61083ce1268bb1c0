asl_macros::include_workflow!("../asl/bad_intrinsic.asl.json");

fn main() {
    // The skeleton emitted after the errors keeps this compiling, so only the ASL errors show.
    let _ = bad_intrinsic::DEFINITION;
}
