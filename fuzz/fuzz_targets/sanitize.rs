//! Sanitising arbitrary text. Invariants (`check_sanitizer_promises`): no
//! panic; the output complies with the policy when parsed again by html5ever
//! (no disallowed element, attribute or URL, and it parses back into the same
//! tree); sanitising it again changes nothing. With and without a base URL.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = lectern_ingest::sanitize::audit::check_sanitizer_promises(&String::from_utf8_lossy(data)) {
        panic!("{problem}");
    }
});
