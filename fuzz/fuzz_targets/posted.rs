//! The message transport's text after the key, isolation off and on: the
//! plain `ID \n KIND \n NAME \n ARGS` parse and the envelope parse.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = portcullis::fuzz::posted(text);
});
