asl_macros::include_workflow!("../asl/no_such_file.asl.json");

fn main() {}
