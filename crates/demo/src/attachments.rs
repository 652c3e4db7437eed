//! Attachment files: synthetic logs and screenshots (real, tiny PNGs). The
//! bytes are a function of the attachment's own id, message, name and media
//! type, so they are regenerated on demand instead of being stored, and
//! always match the recorded size and SHA-256.

use std::fmt::Write as _;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use shiftdesk_domain::{Attachment, AttachmentId, ContentHash, MessageId};

use crate::random::{pick, DemoRng};

pub(crate) const LOG_TYPE: &str = "text/plain";
pub(crate) const PNG_TYPE: &str = "image/png";

/// The bytes of a demo attachment: `sha256(bytes)` is its `content_hash` and
/// `bytes.len()` its `size_bytes`.
pub fn attachment_content(attachment: &Attachment) -> Vec<u8> {
    file_bytes(
        attachment.id,
        attachment.message,
        &attachment.name,
        &attachment.media_type,
    )
}

/// A new attachment record, with the size and hash of its bytes.
pub(crate) fn attachment(
    id: AttachmentId,
    message: MessageId,
    name: String,
    media_type: &str,
) -> Attachment {
    let bytes = file_bytes(id, message, &name, media_type);
    let hash = hex::encode(Sha256::digest(&bytes));
    Attachment {
        id,
        message,
        name,
        size_bytes: bytes.len() as u64,
        content_hash: ContentHash::try_from(hash).expect("hex of a SHA-256 is a content hash"),
        media_type: media_type.to_owned(),
    }
}

fn file_bytes(id: AttachmentId, message: MessageId, name: &str, media_type: &str) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(fingerprint(id, message, name, media_type));
    if media_type == PNG_TYPE {
        screenshot(&mut rng)
    } else {
        log(&mut rng, name)
    }
}

/// FNV-1a of the fields that identify a file.
fn fingerprint(id: AttachmentId, message: MessageId, name: &str, media_type: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let fields = [
        &id.0.to_le_bytes()[..],
        &message.0.to_le_bytes(),
        name.as_bytes(),
        media_type.as_bytes(),
    ];
    for byte in fields.into_iter().flatten() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Log lines by the program that writes them; each `#` becomes a number.
const KUBELET: &[&str] = &[
    "I kubelet.go:#] \"SyncLoop (PLEG): event for pod\" pod=\"default/api-#\"",
    "E kubelet.go:#] \"PLEG is not healthy\" err=\"pleg was last seen active #m#s ago\"",
    "W eviction_manager.go:#] \"Eviction manager: attempting to reclaim\" resourceName=\"memory\"",
    "E pod_workers.go:#] \"Error syncing pod, skipping\" err=\"CrashLoopBackOff: back-off #s restarting failed container\"",
    "I kubelet_node_status.go:#] \"Node became not ready\" node=\"node-#\"",
];
const NGINX: &[&str] = &[
    "[error] #: *# upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.#.#",
    "[warn] #: *# an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/#",
    "[error] #: *# connect() failed (111: Connection refused) while connecting to upstream, upstream: \"http://10.0.#.#:8080/\"",
    "[crit] #: *# SSL_do_handshake() failed (SSL: error:0A000126:SSL routines::unexpected eof while reading)",
];
const POSTGRES: &[&str] = &[
    "LOG:  checkpoint complete: wrote # buffers; # WAL file(s) added, # removed",
    "FATAL:  remaining connection slots are reserved for non-replication superuser connections",
    "LOG:  duration: # ms  statement: SELECT * FROM orders WHERE customer_id = #",
    "WARNING:  could not write to log file: No space left on device",
    "LOG:  automatic vacuum of table \"app.public.events\": index scans: #, pages removed: #",
];
const TERRAFORM: &[&str] = &[
    "[DEBUG] provider: request CreateInstance id=#",
    "[ERROR] provider: operation # failed: RESOURCE_EXHAUSTED",
    "[INFO] apply: resource instance # creation complete after #s",
    "[WARN] provider: retrying request after #ms (attempt # of 5)",
];
const AWS_CLI: &[&str] = &[
    "DEBUG - botocore.endpoint - Making request for OperationModel(name=PutObject) with params: part #",
    "DEBUG - urllib3.connectionpool - \"PUT /object-# HTTP/1.1\" 403 #",
    "DEBUG - botocore.parsers - Response body: SignatureDoesNotMatch, request id #",
    "DEBUG - botocore.retryhandler - No retry needed.",
];
const SYSTEM: &[&str] = &[
    "kernel: [#.#] EXT4-fs (vdb1): mounted filesystem with ordered data mode",
    "kernel: [#.#] watchdog: BUG: soft lockup - CPU 1 stuck for #s!",
    "sshd[#]: Connection closed by 10.0.#.# port # [preauth]",
    "systemd[1]: app.service: Main process exited, code=killed, status=9/KILL",
    "kernel: [#.#] Out of memory: Killed process # (java) total-vm:#kB",
    "cloud-init[#]: Cloud-init v. 23.4 running 'modules:final'",
    "app[#]: ERROR request failed: upstream connect error, retry # of 5",
];

/// A log of 1–4 KB in the style its file name suggests.
fn log(rng: &mut DemoRng, name: &str) -> Vec<u8> {
    let lines = [
        ("kubelet", KUBELET),
        ("nginx", NGINX),
        ("postgresql", POSTGRES),
        ("terraform", TERRAFORM),
        ("aws-cli", AWS_CLI),
    ]
    .into_iter()
    .find(|(program, _)| name.starts_with(program))
    .map_or(SYSTEM, |(_, lines)| lines);
    let target = rng.random_range(1024..4096);
    let mut out = String::with_capacity(target + 256);
    let mut ms = rng.random_range(0..86_400_000_u32);
    while out.len() < target {
        ms = (ms + rng.random_range(5..4000)) % 86_400_000;
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        let _ = write!(out, "{h:02}:{m:02}:{s:02}.{milli:03} ");
        for (i, part) in pick(rng, lines).split('#').enumerate() {
            if i > 0 {
                let _ = write!(out, "{}", rng.random_range(1..1000_u32));
            }
            out.push_str(part);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// A small "screenshot": a window with a title bar, lines of text and a red
/// error box, as an RGB PNG.
fn screenshot(rng: &mut DemoRng) -> Vec<u8> {
    let width = rng.random_range(40..=72_u32);
    let height = rng.random_range(28..=48_u32);
    let accent = [
        rng.random_range(0..200_u8),
        rng.random_range(60..200),
        rng.random_range(120..255),
    ];
    let text_rows: Vec<u32> = (0..=height / 4)
        .map(|_| rng.random_range(width / 4..width - 3))
        .collect();
    let (box_x, box_y) = (
        rng.random_range(2..width / 2),
        rng.random_range(8..height / 2),
    );
    let (box_w, box_h) = (
        rng.random_range(8..width / 2),
        rng.random_range(4..height / 3),
    );

    let mut raw = Vec::with_capacity(((1 + 3 * width) * height) as usize);
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            let in_box = (box_x..box_x + box_w).contains(&x) && (box_y..box_y + box_h).contains(&y);
            let on_text = y % 4 == 2 && x >= 3 && x < text_rows[(y / 4) as usize];
            let pixel = if y < 5 {
                accent
            } else if in_box {
                [220, 53, 69]
            } else if on_text {
                [90, 90, 90]
            } else {
                [248, 248, 248]
            };
            raw.extend_from_slice(&pixel);
        }
    }
    png(width, height, &raw)
}

fn png(width: u32, height: u32, scanlines: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter method, no interlace
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib_stored(scanlines));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of uncompressed deflate blocks: valid, and simple enough
/// to write without a compression library.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if data.is_empty() {
        vec![&[]]
    } else {
        data.chunks(0xffff).collect()
    };
    let last = blocks.len() - 1;
    for (i, block) in blocks.into_iter().enumerate() {
        out.push(u8::from(i == last));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1_u32, 0_u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

const CRC_TABLE: [u32; 256] = {
    let mut table = [0_u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 {
                0xedb8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
};

fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0_u32, |c, &byte| {
        CRC_TABLE[((c ^ u32::from(byte)) & 0xff) as usize] ^ (c >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_and_adler32_match_known_values() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn screenshots_are_png_files() {
        let file = attachment(
            AttachmentId(3),
            MessageId(9),
            "console-error.png".into(),
            PNG_TYPE,
        );
        let bytes = attachment_content(&file);
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(bytes.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]));
        assert!(
            (2_000..12_000).contains(&bytes.len()),
            "{} bytes",
            bytes.len()
        );
    }

    #[test]
    fn logs_are_text_lines_in_the_style_of_their_name() {
        let file = attachment(
            AttachmentId(4),
            MessageId(9),
            "kubelet-acme-prod-k8s1.log".into(),
            LOG_TYPE,
        );
        let text = String::from_utf8(attachment_content(&file)).unwrap();
        assert!(text.ends_with('\n'));
        assert!(
            text.contains("kubelet")
                || text.contains("pod_workers")
                || text.contains("eviction_manager")
        );
        assert!(!text.contains('#'));
        assert_eq!(file.size_bytes, text.len() as u64);
    }

    #[test]
    fn content_follows_the_attachment_fields() {
        let one = attachment(AttachmentId(1), MessageId(1), "app.log".into(), LOG_TYPE);
        let other = attachment(AttachmentId(2), MessageId(1), "app.log".into(), LOG_TYPE);
        assert_ne!(one.content_hash, other.content_hash);
        assert_eq!(
            one,
            attachment(AttachmentId(1), MessageId(1), "app.log".into(), LOG_TYPE)
        );
    }
}
