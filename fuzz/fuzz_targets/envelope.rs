//! The isolation envelope: sealed with the window's real session key (so
//! mutations reach past the tag check), on either transport, sometimes for
//! the other transport, sometimes with bits flipped, with a frame built from
//! fuzzed parts or fuzzed bytes as the plaintext.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    fetch: bool,
    switch_transport: bool,
    id: u64,
    seq: u64,
    kind: &'a str,
    cmd: &'a str,
    args: &'a [u8],
    bins: Vec<(&'a str, &'a [u8])>,
    raw: Option<&'a [u8]>,
    flips: Vec<(usize, u8)>,
}

fuzz_target!(|input: Input<'_>| {
    let _ = portcullis::fuzz::isolated(portcullis::fuzz::Sealed {
        fetch: input.fetch,
        switch_transport: input.switch_transport,
        id: input.id,
        seq: input.seq,
        kind: input.kind,
        cmd: input.cmd,
        args: input.args,
        bins: input.bins,
        raw: input.raw,
        flips: input.flips,
    });
});
