//! Runtime for workflows compiled from Amazon States Language.
