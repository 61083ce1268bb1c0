asl_macros::include_workflow!("../asl/bad_input_path.asl.json");

fn main() {
    // The skeleton emitted after the errors keeps this compiling, so only the ASL errors show.
    let _ = bad_input_path::DEFINITION;
}
