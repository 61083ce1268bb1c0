asl_macros::include_workflow!("../../examples/workflows/order-processing.asl.json", module = orders);

fn main() {
    let registry = asl_runtime::Registry::new();
    let _workflow = orders::Workflow::new(registry);
    assert_eq!(orders::State::START.name(), "VerifyPayment");
    assert_eq!(orders::RESOURCES.len(), 3);
}
