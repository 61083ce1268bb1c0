//! `include_workflow!` at compile time: each broken ASL file under `tests/asl/` is a compile error
//! that names the file, line and column and shows the offending line (`.stderr` files checked in),
//! and a valid workflow compiles. Regenerate the `.stderr` files with `TRYBUILD=overwrite`.

#[test]
fn compile_errors_point_into_the_asl_file() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/compile_fail/*.rs");
    t.pass("tests/compile_pass/*.rs");
}
