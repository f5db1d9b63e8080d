use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::frame::build_frame;
use super::isolation::seal;
use super::*;

const KEY: &str = "k3y";
const PAGE: &str = "app://localhost/index.html";
const SESSION: [u8; 32] = [5; 32];

fn gate(isolation: bool) -> Gate {
    let gate = Gate::new(
        KEY.into(),
        "app://localhost",
        "localhost",
        1 << 20,
        isolation,
    );
    if let Some(sessions) = &gate.isolation {
        sessions.insert_for_tests(&"main".into(), &SESSION);
    }
    gate
}

fn main() -> Arc<str> {
    "main".into()
}

fn posted(gate: &Gate, page: &str, text: &str) -> Result<Admitted, Refused> {
    gate.admit(&main(), Arrival::Posted { page, text })
}

fn fetched(key: &str, body: Vec<u8>) -> Fetched {
    Fetched {
        host: Some("localhost".into()),
        origin: Some(b"app://localhost".to_vec()),
        key: Some(key.as_bytes().to_vec()),
        body,
        ..Fetched::default()
    }
}

fn code(result: Result<Admitted, Refused>) -> (Option<u64>, ErrorCode) {
    let refused = result.expect_err("refused");
    (refused.id, refused.error.code())
}

#[test]
fn plain_posted_messages_need_an_app_page_and_the_key() {
    let gate = gate(false);
    let ok = posted(&gate, PAGE, "k3y\n9\ninvoke\ngreet\n{}").unwrap();
    assert_eq!(
        (ok.id, ok.kind, &*ok.message.command),
        (9, Kind::Invoke, "greet")
    );
    for page in [
        "app://evil/index.html",
        "https://app://localhost/",
        "app://localhostx/",
    ] {
        assert_eq!(
            code(posted(&gate, page, "k3y\n9\ninvoke\ngreet\n{}")),
            (None, ErrorCode::Forbidden)
        );
    }
    for text in [
        "k3\n9\ninvoke\ngreet\n{}",
        "9\ninvoke\ngreet\n{}",
        "k3yy\n9\ninvoke\ngreet\n{}",
    ] {
        assert_eq!(
            code(posted(&gate, PAGE, text)),
            (None, ErrorCode::Forbidden),
            "{text:?}"
        );
    }
}

#[test]
fn names_are_checked_whatever_carried_them() {
    let gate = gate(false);
    assert_eq!(
        code(posted(&gate, PAGE, "k3y\n4\ninvoke\nrm -rf\n{}")),
        (Some(4), ErrorCode::UnknownCommand)
    );
    let frame = build_frame(Kind::Invoke, "a\nb", b"{}", &[]);
    assert_eq!(
        code(gate.admit(&main(), Arrival::Fetched(fetched(KEY, frame)))),
        (Some(0), ErrorCode::UnknownCommand)
    );
}

#[test]
fn plain_fetches_need_the_host_origin_and_key() {
    let gate = gate(false);
    let frame = || build_frame(Kind::Invoke, "greet", b"{}", &[]);
    let ok = gate
        .admit(&main(), Arrival::Fetched(fetched(KEY, frame())))
        .unwrap();
    assert_eq!(&*ok.message.command, "greet");
    let mut other_host = fetched(KEY, frame());
    other_host.host = Some("evil".into());
    let mut other_origin = fetched(KEY, frame());
    other_origin.origin = Some(b"app://evil".to_vec());
    let mut no_key = fetched(KEY, frame());
    no_key.key = None;
    for bad in [other_host, other_origin, no_key, fetched("guess", frame())] {
        assert_eq!(
            code(gate.admit(&main(), Arrival::Fetched(bad))),
            (None, ErrorCode::Forbidden)
        );
    }
}

fn posted_envelope(envelope: &isolation::Envelope) -> String {
    format!("{KEY}\n{}", envelope.posted_form())
}

fn fetched_envelope(envelope: isolation::Envelope) -> Fetched {
    let header = envelope.header_form();
    let mut request = fetched(KEY, envelope.ciphertext);
    request.envelope = Some(header);
    request
}

#[test]
fn isolation_admits_envelopes_on_both_transports() {
    let gate = gate(true);
    let plaintext = build_frame(Kind::Invoke, "greet", br#"{"name":"a"}"#, &[]);
    let sealed = seal(&SESSION, "main", Transport::Message, 3, 1, &plaintext);
    let ok = posted(&gate, PAGE, &posted_envelope(&sealed)).unwrap();
    assert_eq!((ok.id, &*ok.message.command), (3, "greet"));
    assert_eq!(ok.message.args, br#"{"name":"a"}"#);

    let binary = build_frame(Kind::Invoke, "up", b"{}", &[("data", &[1, 2, 3])]);
    let sealed = seal(&SESSION, "main", Transport::Fetch, 4, 2, &binary);
    let ok = gate
        .admit(&main(), Arrival::Fetched(fetched_envelope(sealed)))
        .unwrap();
    assert_eq!((ok.id, &*ok.message.command), (4, "up"));
    let part = &ok.message.parts[0];
    assert_eq!(&ok.message.binary[part.range.clone()], [1, 2, 3]);
}

#[test]
fn an_envelope_sealed_for_one_transport_does_not_open_on_the_other() {
    // Wave 1's hook bypass: the page withheld a message-transport envelope
    // and resent its ciphertext by fetch. Both directions are refused now.
    let gate = gate(true);
    let plaintext = build_frame(Kind::Invoke, "counted", b"{}", &[]);
    let for_message = seal(&SESSION, "main", Transport::Message, 7, 1, &plaintext);
    assert_eq!(
        code(gate.admit(&main(), Arrival::Fetched(fetched_envelope(for_message)))),
        (Some(7), ErrorCode::IsolationInvalid)
    );
    let for_fetch = seal(&SESSION, "main", Transport::Fetch, 8, 2, &plaintext);
    assert_eq!(
        code(posted(&gate, PAGE, &posted_envelope(&for_fetch))),
        (Some(8), ErrorCode::IsolationInvalid)
    );
}

#[test]
fn isolation_refuses_plaintext_replays_and_other_windows() {
    let gate = gate(true);
    assert_eq!(
        code(posted(&gate, PAGE, "k3y\n1\ninvoke\ncounted\n{}")),
        (Some(1), ErrorCode::IsolationRequired)
    );
    let frame = build_frame(Kind::Invoke, "counted", b"{}", &[]);
    assert_eq!(
        code(gate.admit(&main(), Arrival::Fetched(fetched(KEY, frame.clone())))),
        (None, ErrorCode::IsolationRequired)
    );
    let sealed = seal(&SESSION, "main", Transport::Message, 2, 5, &frame);
    let text = posted_envelope(&sealed);
    assert!(posted(&gate, PAGE, &text).is_ok());
    assert_eq!(
        code(posted(&gate, PAGE, &text)),
        (Some(2), ErrorCode::IsolationInvalid)
    );
    let other: Arc<str> = "other".into();
    let sealed = seal(&SESSION, "main", Transport::Message, 3, 6, &frame);
    let refused = gate
        .admit(
            &other,
            Arrival::Posted {
                page: PAGE,
                text: &posted_envelope(&sealed),
            },
        )
        .unwrap_err();
    assert_eq!(refused.error.code(), ErrorCode::IsolationInvalid);
}

#[test]
fn a_name_smuggling_a_frame_is_refused_inside_the_envelope() {
    let gate = gate(true);
    let inner = build_frame(Kind::Invoke, "counted", b"{}", &[]);
    let smuggled = String::from_utf8_lossy(&inner).into_owned();
    let plaintext = build_frame(Kind::Invoke, &smuggled, b"{}", &[]);
    let sealed = seal(&SESSION, "main", Transport::Message, 9, 1, &plaintext);
    assert_eq!(
        code(posted(&gate, PAGE, &posted_envelope(&sealed))),
        (Some(9), ErrorCode::UnknownCommand)
    );
}

#[test]
fn oversized_envelopes_are_refused_before_decoding() {
    let gate = gate(true);
    let huge = format!("{KEY}\n1\n1\nAAAAAAAAAAAAAAAA\n{}", "A".repeat(2 << 20));
    assert_eq!(
        code(posted(&gate, PAGE, &huge)),
        (Some(1), ErrorCode::PayloadTooLarge)
    );
    let mut request = fetched(KEY, vec![0; (1 << 20) + 5000]);
    request.envelope = Some(b"1 1 AAAAAAAAAAAAAAAA".to_vec());
    assert_eq!(
        code(gate.admit(&main(), Arrival::Fetched(request))),
        (None, ErrorCode::PayloadTooLarge)
    );
}

#[test]
fn only_the_key_holder_starts_a_session() {
    let gate = gate(true);
    assert_eq!(
        gate.begin_session(&main(), b"guess").unwrap_err().code(),
        ErrorCode::Forbidden
    );
    // The refused request did not replace the live session.
    let frame = build_frame(Kind::Invoke, "greet", b"{}", &[]);
    let sealed = seal(&SESSION, "main", Transport::Message, 1, 1, &frame);
    assert!(posted(&gate, PAGE, &posted_envelope(&sealed)).is_ok());
    let key = gate.begin_session(&main(), KEY.as_bytes()).unwrap();
    assert_eq!(BASE64.decode(key).unwrap().len(), 32);
    assert!(gate.begin_session(&main(), b"").is_err());
    assert!(
        self::gate(false)
            .begin_session(&main(), KEY.as_bytes())
            .is_err()
    );
}

#[test]
fn no_limit_means_no_limit() {
    // `Limits::max_args_bytes(usize::MAX)`: the size checks must not
    // overflow (found by the dispatch bench: the fetch check wrapped).
    let gate = Gate::new(KEY.into(), "app://localhost", "localhost", usize::MAX, true);
    if let Some(sessions) = &gate.isolation {
        sessions.insert_for_tests(&main(), &SESSION);
    }
    let frame = build_frame(Kind::Invoke, "greet", &[b'1'; 70_000], &[]);
    let sealed = seal(&SESSION, "main", Transport::Fetch, 1, 1, &frame);
    assert!(
        gate.admit(&main(), Arrival::Fetched(fetched_envelope(sealed)))
            .is_ok()
    );
    let sealed = seal(&SESSION, "main", Transport::Message, 2, 2, &frame);
    assert!(posted(&gate, PAGE, &posted_envelope(&sealed)).is_ok());
}

#[test]
fn a_cancel_is_an_envelope_like_any_message_and_cannot_be_replayed() {
    let gate = gate(true);
    let cancel = build_frame(Kind::Cancel, "search", b"", &[]);
    let sealed = seal(&SESSION, "main", Transport::Message, 41, 9, &cancel);
    let text = posted_envelope(&sealed);
    let ok = posted(&gate, PAGE, &text).unwrap();
    assert_eq!(
        (ok.kind, ok.id, &*ok.message.command),
        (Kind::Cancel, 41, "search")
    );
    assert_eq!(
        code(posted(&gate, PAGE, &text)),
        (Some(41), ErrorCode::IsolationInvalid),
        "replayed"
    );
    // Plaintext cancels are refused while isolation is on.
    assert_eq!(
        code(posted(&gate, PAGE, "k3y\n41\ncancel\nsearch\n")),
        (Some(41), ErrorCode::IsolationRequired)
    );
    // Retargeting the cancel to another call id breaks the tag.
    let sealed = seal(&SESSION, "main", Transport::Message, 41, 10, &cancel);
    let retargeted = isolation::Envelope { id: 42, ..sealed };
    assert_eq!(
        code(posted(&gate, PAGE, &posted_envelope(&retargeted))),
        (Some(42), ErrorCode::IsolationInvalid)
    );
}
