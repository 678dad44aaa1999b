//! The one-pass JSON reader against jsonc-parser: whenever the fast reader accepts a text,
//! jsonc-parser (strict) accepts it too and gives the same tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(why) = stepwise_asl::fuzzing::json_readers_agree(text) {
            panic!("{why}");
        }
    }
});
