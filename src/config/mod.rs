//! Configuration: typed structs, loading (file, `${VAR}` interpolation, environment
//! overrides) and validation.

mod model;

pub use model::*;
