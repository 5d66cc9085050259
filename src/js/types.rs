//! TypeScript declarations the generated `.d.ts` refers to: the hand-written models and options
//! (`types.d.ts`) and the resource interfaces generated from the endpoint table (`api.d.ts`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const API: &'static str = include_str!("api.d.ts");
