//! The fetch transport, isolation off: the frame (u32 length, meta JSON,
//! args, binary parts), the `X-Portcullis-Call` header form, the id header.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Request<'a> {
    call: Option<&'a [u8]>,
    id: Option<&'a [u8]>,
    body: &'a [u8],
}

fuzz_target!(|request: Request<'_>| {
    let _ = portcullis::fuzz::fetched_plain(request.call, request.id, request.body.to_vec());
});
