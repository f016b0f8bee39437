//! The loaders on raw text: YAML and JSON, with validation of whatever loads (DESIGN §6: no
//! input panics, hangs or exhausts memory).
#![no_main]

use bcm_core::{Format, read_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [Format::Yaml, Format::Json] {
        let document = read_document(text, format);
        if let Some(analyzer) = document.analyzer {
            // What loads writes out and reads back the same (the round trip of DESIGN §6).
            let model = analyzer.model();
            if let Ok(json) = model.to_json() {
                let again = bcm_core::Model::from_json_str(&json);
                assert_eq!(again.as_ref().ok(), Some(model), "JSON round trip");
            }
        }
    }
});
