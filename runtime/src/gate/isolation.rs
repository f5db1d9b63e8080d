//! The core's side of the isolation channel: one session per window (a fresh
//! AES-256-GCM key and a replay window), and the envelope every message must
//! arrive in while isolation is on.
//!
//! What a message authenticates: the plaintext is one frame (kind, name,
//! arguments: see `frame`), the same on both transports; the associated data
//! binds the window the message arrives on (known to the core, never taken
//! from the message), the transport it arrives by, the call id the reply goes
//! to, and the session's sequence number. So a ciphertext cannot be sent to
//! another window or by the other transport, answered under another id,
//! replayed, or reordered beyond the replay window, and nothing in it can be
//! changed.
//!
//! Envelope forms (after this run's IPC key, checked first):
//! - message transport: `ID \n SEQ \n IV-base64 \n CIPHERTEXT-base64`;
//! - fetch transport: header `X-Portcullis-Envelope: ID SEQ IV-base64`, body =
//!   raw ciphertext (binary stays binary).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::wire::{AAD_PREFIX, Transport};
use crate::{ErrorCode, InvokeError};
/// How far behind the newest sequence number a message may arrive.
pub(crate) const REPLAY_WINDOW: u64 = 64;

/// A window's isolation session.
pub(crate) struct Session {
    cipher: Aes256Gcm,
    replay: ReplayWindow,
}

/// The raw session key, handed once to the window's isolation frame.
pub(crate) struct SessionKey(pub(crate) [u8; 32]);

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey(<redacted>)")
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("key", &"<redacted>")
            .field("replay", &self.replay)
            .finish()
    }
}

/// A message as it arrived, before decryption.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Envelope {
    pub(crate) id: u64,
    pub(crate) seq: u64,
    pub(crate) iv: [u8; 12],
    pub(crate) ciphertext: Vec<u8>,
}

impl Session {
    /// A session with a fresh 256-bit key from the OS RNG.
    pub(crate) fn new() -> Result<(Session, SessionKey), InvokeError> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|err| {
            InvokeError::new(ErrorCode::Internal, format!("no OS randomness: {err}"))
        })?;
        let session = Session::with_key(&key);
        Ok((session, SessionKey(key)))
    }

    pub(crate) fn with_key(key: &[u8; 32]) -> Session {
        Session {
            cipher: Aes256Gcm::new(key.into()),
            replay: ReplayWindow::default(),
        }
    }

    /// The cipher, to decrypt outside the session lock.
    pub(crate) fn cipher(&self) -> Aes256Gcm {
        self.cipher.clone()
    }

    /// Accepts `seq` once, after the message authenticated.
    pub(crate) fn accept(&mut self, seq: u64) -> Result<(), InvokeError> {
        if self.replay.accept(seq) {
            Ok(())
        } else {
            Err(invalid(
                "replayed or too old (sequence number already used or out of the window)",
            ))
        }
    }
}

/// The isolation sessions of the open windows, by label: begun when a page's
/// isolation frame loads, ended when the window closes.
#[derive(Debug, Default)]
pub(crate) struct Sessions(Mutex<HashMap<Arc<str>, Session>>);

impl Sessions {
    /// Starts a new session for `window` (replacing its last one) and returns
    /// the key to hand to its frame, once.
    pub(crate) fn begin(&self, window: &Arc<str>) -> Result<SessionKey, InvokeError> {
        let (session, key) = Session::new()?;
        self.0
            .lock()
            .expect("sessions lock")
            .insert(window.clone(), session);
        Ok(key)
    }

    pub(crate) fn end(&self, window: &str) {
        self.0.lock().expect("sessions lock").remove(window);
    }

    /// Decrypts and authenticates an envelope for `window`, once.
    pub(crate) fn open(
        &self,
        window: &str,
        transport: Transport,
        envelope: Envelope,
    ) -> Result<Vec<u8>, InvokeError> {
        let cipher = self
            .0
            .lock()
            .expect("sessions lock")
            .get(window)
            .map(Session::cipher)
            .ok_or_else(|| invalid("no isolation session for this window yet"))?;
        // Decrypt outside the lock: large messages take milliseconds.
        let (seq, plaintext) = open(&cipher, window, transport, envelope)?;
        self.0
            .lock()
            .expect("sessions lock")
            .get_mut(window)
            .ok_or_else(|| invalid("the isolation session ended"))?
            .accept(seq)?;
        Ok(plaintext)
    }

    /// A session with a known key, for tests, benchmarks and fuzzing.
    #[cfg(any(test, feature = "test-hooks"))]
    pub(crate) fn insert_for_tests(&self, window: &Arc<str>, key: &[u8; 32]) {
        self.0
            .lock()
            .expect("sessions lock")
            .insert(window.clone(), Session::with_key(key));
    }
}

/// Decrypts and authenticates an envelope that arrived on `window` by
/// `transport`.
pub(crate) fn open(
    cipher: &Aes256Gcm,
    window: &str,
    transport: Transport,
    envelope: Envelope,
) -> Result<(u64, Vec<u8>), InvokeError> {
    let aad = aad(window, transport, envelope.id, envelope.seq);
    let mut buffer = envelope.ciphertext;
    cipher
        .decrypt_in_place(Nonce::from_slice(&envelope.iv), aad.as_bytes(), &mut buffer)
        .map_err(|_| {
            invalid(
                "does not authenticate (wrong key, window, transport, id or sequence, or altered)",
            )
        })?;
    Ok((envelope.seq, buffer))
}

/// The associated data of a message: what it is bound to besides its contents.
pub(crate) fn aad(window: &str, transport: Transport, id: u64, seq: u64) -> String {
    format!(
        "{AAD_PREFIX}\0{window}\0{}\0{id}\0{seq}",
        transport.as_str()
    )
}

pub(crate) fn invalid(why: &str) -> InvokeError {
    InvokeError::new(
        ErrorCode::IsolationInvalid,
        format!("isolation: message refused: {why}"),
    )
}

pub(crate) fn required(why: &str) -> InvokeError {
    InvokeError::new(
        ErrorCode::IsolationRequired,
        format!("isolation is on: only messages from the isolation frame are accepted ({why})"),
    )
}

/// Parses the message-transport form `ID \n SEQ \n IV \n CIPHERTEXT`.
pub(crate) fn parse_posted(rest: &str) -> Result<Envelope, InvokeError> {
    let mut fields = rest.split('\n');
    let (Some(id), Some(seq), Some(iv), Some(ciphertext), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(required("not an envelope"));
    };
    envelope(id, seq, iv, BASE64.decode(ciphertext).ok())
}

/// Parses the fetch-transport form: header `ID SEQ IV`, the body the ciphertext.
pub(crate) fn parse_header(header: &[u8], body: Vec<u8>) -> Result<Envelope, InvokeError> {
    let header = std::str::from_utf8(header).map_err(|_| required("bad envelope header"))?;
    let mut fields = header.split(' ');
    let (Some(id), Some(seq), Some(iv), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(required("bad envelope header"));
    };
    envelope(id, seq, iv, Some(body))
}

fn envelope(
    id: &str,
    seq: &str,
    iv: &str,
    ciphertext: Option<Vec<u8>>,
) -> Result<Envelope, InvokeError> {
    let id = id.parse().map_err(|_| required("bad call id"))?;
    let seq = seq.parse().map_err(|_| required("bad sequence number"))?;
    let iv: [u8; 12] = BASE64
        .decode(iv)
        .ok()
        .and_then(|iv| iv.try_into().ok())
        .ok_or_else(|| required("the IV is not 12 bytes of base64"))?;
    let ciphertext = ciphertext.ok_or_else(|| required("the ciphertext is not base64"))?;
    // A GCM ciphertext is at least its 16-byte tag.
    if ciphertext.len() < 16 {
        return Err(required("the ciphertext is too short"));
    }
    Ok(Envelope {
        id,
        seq,
        iv,
        ciphertext,
    })
}

/// Sequence numbers seen recently: the newest, and a bitmap of the
/// `REPLAY_WINDOW` before it. Numbers start at 1.
#[derive(Debug, Default)]
struct ReplayWindow {
    newest: u64,
    /// Bit `i` set: `newest - i` was seen.
    seen: u64,
}

impl ReplayWindow {
    fn accept(&mut self, seq: u64) -> bool {
        if seq == 0 {
            return false;
        }
        if seq > self.newest {
            let shift = seq - self.newest;
            self.seen = if shift >= REPLAY_WINDOW {
                0
            } else {
                self.seen << shift
            };
            self.seen |= 1;
            self.newest = seq;
            return true;
        }
        let age = self.newest - seq;
        if age >= REPLAY_WINDOW || self.seen & (1 << age) != 0 {
            return false;
        }
        self.seen |= 1 << age;
        true
    }
}

/// Seals `plaintext` as the isolation frame does (a fixed IV from `seq`):
/// for tests, benchmarks and fuzzing, never for real traffic.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn seal(
    key: &[u8; 32],
    window: &str,
    transport: Transport,
    id: u64,
    seq: u64,
    plaintext: &[u8],
) -> Envelope {
    let iv = [seq as u8; 12];
    let mut buffer = plaintext.to_vec();
    Aes256Gcm::new(key.into())
        .encrypt_in_place(
            Nonce::from_slice(&iv),
            aad(window, transport, id, seq).as_bytes(),
            &mut buffer,
        )
        .expect("AES-GCM encrypts any length we send");
    Envelope {
        id,
        seq,
        iv,
        ciphertext: buffer,
    }
}

/// The two wire forms of an envelope, as the page sends them: for tests,
/// benchmarks and fuzzing.
#[cfg(any(test, feature = "test-hooks"))]
impl Envelope {
    /// The message transport's text after the key: `ID \n SEQ \n IV \n CT`.
    pub(crate) fn posted_form(&self) -> String {
        format!(
            "{}\n{}\n{}\n{}",
            self.id,
            self.seq,
            BASE64.encode(self.iv),
            BASE64.encode(&self.ciphertext)
        )
    }

    /// The fetch transport's envelope header: `ID SEQ IV`.
    pub(crate) fn header_form(&self) -> Vec<u8> {
        format!("{} {} {}", self.id, self.seq, BASE64.encode(self.iv)).into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const M: Transport = Transport::Message;

    fn seal(key: &[u8; 32], window: &str, id: u64, seq: u64, plaintext: &[u8]) -> Envelope {
        super::seal(key, window, M, id, seq, plaintext)
    }

    fn posted(envelope: &Envelope) -> String {
        envelope.posted_form()
    }

    #[test]
    fn round_trip_through_the_posted_form() {
        let key = [7u8; 32];
        let sealed = seal(&key, "main", 3, 1, b"greet\n{}");
        let parsed = parse_posted(&posted(&sealed)).unwrap();
        let session = Session::with_key(&key);
        assert_eq!(
            open(&session.cipher(), "main", M, parsed),
            Ok((1, b"greet\n{}".to_vec()))
        );
    }

    #[test]
    fn everything_bound_is_checked() {
        let key = [7u8; 32];
        let cipher = Session::with_key(&key).cipher();
        let good = || seal(&key, "main", 3, 1, b"record\n{}");
        assert!(open(&cipher, "main", M, good()).is_ok());
        // Another window, transport, id, sequence number, key.
        assert!(open(&cipher, "other", M, good()).is_err());
        assert!(open(&cipher, "main", Transport::Fetch, good()).is_err());
        assert!(open(&cipher, "main", M, Envelope { id: 4, ..good() }).is_err());
        assert!(open(&cipher, "main", M, Envelope { seq: 2, ..good() }).is_err());
        assert!(open(&Session::with_key(&[8; 32]).cipher(), "main", M, good()).is_err());
        // Any flipped bit, anywhere in the ciphertext or IV.
        let reference = good();
        for byte in 0..reference.ciphertext.len() {
            let mut altered = good();
            altered.ciphertext[byte] ^= 0x01;
            let err = open(&cipher, "main", M, altered).unwrap_err();
            assert_eq!(err.code(), ErrorCode::IsolationInvalid);
        }
        let mut altered = good();
        altered.iv[0] ^= 0x80;
        assert!(open(&cipher, "main", M, altered).is_err());
    }

    #[test]
    fn replays_and_old_messages_are_refused() {
        let mut session = Session::with_key(&[1; 32]);
        assert!(session.accept(0).is_err(), "0 is never valid");
        assert!(session.accept(1).is_ok());
        assert!(session.accept(1).is_err(), "replay");
        assert!(session.accept(5).is_ok());
        assert!(session.accept(3).is_ok(), "late but inside the window");
        assert!(session.accept(3).is_err(), "late replay");
        assert!(session.accept(5 + REPLAY_WINDOW).is_ok());
        assert!(session.accept(5).is_err(), "fell out of the window");
        assert!(session.accept(6).is_ok(), "still inside");
        assert!(session.accept(u64::MAX).is_ok());
        assert!(session.accept(u64::MAX).is_err());
    }

    #[test]
    fn malformed_envelopes_are_isolation_required() {
        for bad in [
            "",
            "greet\n{}",
            "1\n2\n3",
            "1\n2\nAAAAAAAAAAAAAAAA\nAAAA\nextra",
            "x\n1\nAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAAA==",
            "1\n-1\nAAAAAAAAAAAAAAAA\nAAAAAAAAAAAAAAAAAAAAAA==",
            "1\n1\nAAAA\nAAAAAAAAAAAAAAAAAAAAAA==",
            "1\n1\nAAAAAAAAAAAAAAAA\n!!!",
            "1\n1\nAAAAAAAAAAAAAAAA\nAAAA",
        ] {
            let err = parse_posted(bad).unwrap_err();
            assert_eq!(err.code(), ErrorCode::IsolationRequired, "{bad:?}");
        }
        assert!(parse_header(b"1 2", vec![0; 16]).is_err());
        assert!(parse_header(b"1 2 AAAAAAAAAAAAAAAA", vec![0; 15]).is_err());
        assert!(parse_header(b"1 2 AAAAAAAAAAAAAAAA", vec![0; 16]).is_ok());
    }

    #[test]
    fn keys_never_print() {
        let (session, key) = Session::new().unwrap();
        let printed = format!("{session:?} {key:?}");
        assert!(printed.contains("<redacted>"));
        assert!(!printed.contains(&format!("{:?}", key.0)));
        assert!(!printed.contains(&BASE64.encode(key.0)));
    }

    proptest! {
        #[test]
        fn decoder_never_panics_on_any_string(input in ".{0,200}") {
            let _ = parse_posted(&input);
        }

        #[test]
        fn decoder_never_panics_on_envelope_like_input(
            id in any::<u64>(), seq in any::<u64>(),
            iv in proptest::collection::vec(any::<u8>(), 0..20),
            ct in proptest::collection::vec(any::<u8>(), 0..64),
        ) {
            let text = format!("{id}\n{seq}\n{}\n{}", BASE64.encode(&iv), BASE64.encode(&ct));
            if let Ok(envelope) = parse_posted(&text) {
                let cipher = Session::with_key(&[3; 32]).cipher();
                // Random ciphertexts never authenticate.
                prop_assert!(open(&cipher, "main", M, envelope).is_err());
            }
            let header = format!("{id} {seq} {}", BASE64.encode(&iv));
            let _ = parse_header(header.as_bytes(), ct);
        }

        #[test]
        fn replay_window_accepts_each_number_at_most_once(seqs in proptest::collection::vec(1u64..200, 0..300)) {
            let mut window = ReplayWindow::default();
            let mut accepted = std::collections::HashSet::new();
            for seq in seqs {
                if window.accept(seq) {
                    prop_assert!(accepted.insert(seq), "accepted {} twice", seq);
                }
            }
        }
    }
}
