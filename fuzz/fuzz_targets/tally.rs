//! Simulation tallies read back from JSON and merged: either a clear error or a consistent
//! tally, never a panic (the input is two documents separated by a NUL byte).
#![no_main]

use bcm_core::simulate::SimulationTally;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |&b| b == 0);
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return;
    };
    let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return;
    };
    let Ok(mut a) = SimulationTally::from_json_str(a) else {
        return;
    };
    let _ = a.result();
    if let Ok(b) = SimulationTally::from_json_str(b)
        && a.merge(&b).is_ok()
    {
        let _ = a.result();
        // A merged tally reads back as itself.
        if let Ok(json) = serde_json::to_string(&a) {
            assert_eq!(SimulationTally::from_json_str(&json).ok(), Some(a));
        }
    }
});
