asl_macros::include_workflow!("../asl/unreachable.asl.json");

fn main() {
    // The skeleton emitted after the errors keeps this compiling, so only the ASL errors show.
    let _ = unreachable::DEFINITION;
}
