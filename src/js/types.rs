//! TypeScript declarations for the option bags and models the generated `.d.ts` refers to.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");
