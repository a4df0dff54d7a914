//! E-mail addresses and credentials in URLs: the candidates' validation.

use super::*;

/// Top-level domains that are really file extensions (none of them is a delegated TLD), so
/// `icon@2x.png` or `bundle@main.js` are asset names, not addresses.
pub(super) const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp", "ico", "tif", "tiff", "heic", "css",
    "js", "mjs", "cjs", "ts", "tsx", "jsx", "map", "json", "xml", "html", "htm", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "mp4", "webm", "wav", "ogg", "pdf", "txt", "csv", "yaml", "yml",
    "lock", "gz",
];

/// Longest run of local-part characters `validate_email` walks back over from an '@'. A local
/// part holds at most 64 bytes; the slack covers the leading punctuation the old pattern allowed.
pub(super) const LOCAL_WALK: usize = 256;

/// A character of an e-mail local part as the candidates accept it (o'brien, josé).
pub(super) fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-'".contains(c) || ('\u{C0}'..='\u{24F}').contains(&c)
}

/// Start of the run of local-part characters that ends at `at`, walking back no further than
/// `lo` (the end of the previous finding) and `LOCAL_WALK` bytes.
pub(super) fn local_start(text: &str, at: usize, lo: usize) -> usize {
    let floor = lo.max(at.saturating_sub(LOCAL_WALK));
    let mut start = at;
    for (i, c) in text[..at].char_indices().rev() {
        if i < floor || !is_local_char(c) {
            break;
        }
        start = i;
    }
    start
}

/// An e-mail candidate: `s` is its '@' (or "%40"), `e` the end of its domain; the local part is
/// the run before `s` (from `lo` on at most).
pub(super) fn validate_email(text: &str, s: usize, e: usize, lo: usize) -> Eval {
    let b = text.as_bytes();
    let (at_pos, at_len) = if b[s] == b'@' { (s, 1) } else { (s, 3) };
    // Resume after the '@': a retry inside the local part would find the same '@' again.
    let rejected = Eval::Rejected(at_pos + at_len);
    let mut start = local_start(text, at_pos, lo);
    if start + LOCAL_WALK <= at_pos
        && start > lo
        && text[..start].chars().next_back().is_some_and(is_local_char)
    {
        // The run goes on beyond the walk: far longer than any local part.
        return rejected;
    }
    while start < at_pos && b"._%+-'".contains(&b[start]) {
        start += 1;
    }
    let local = &b[start..at_pos];
    if local.is_empty()
        || local.len() > 64
        || local.ends_with(b".")
        || local.windows(2).any(|w| w == b"..")
    {
        return rejected;
    }
    if at(b, e).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'@' || c == b'-') {
        return rejected;
    }
    let domain = &text[at_pos + at_len..e];
    if domain.len() > 253 {
        return rejected;
    }
    let mut labels = domain.rsplit('.');
    let tld = labels.next().unwrap_or("");
    if !(2..=63).contains(&tld.len())
        || !tld.bytes().all(|c| c.is_ascii_alphabetic())
        || FILE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(tld))
    {
        return rejected;
    }
    for label in labels {
        // `@2x`, `@1.5x`: retina asset suffixes.
        let retina = label.len() >= 2
            && label.as_bytes()[label.len() - 1].eq_ignore_ascii_case(&b'x')
            && label.as_bytes()[..label.len() - 1]
                .iter()
                .all(u8::is_ascii_digit);
        if label.is_empty() || label.len() > 63 || retina {
            return rejected;
        }
    }
    found(start, e, EMAIL)
}

/// A url-credentials candidate: `s` is its "://", `e` one past the '@' ending the userinfo. The
/// scheme before `s` needs a letter within 64 bytes (and after `lo`, the previous finding's end).
pub(super) fn validate_url_credentials(text: &str, s: usize, e: usize, lo: usize) -> Eval {
    let b = text.as_bytes();
    let floor = lo.max(s.saturating_sub(64));
    let scheme = b[floor..s]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || b"+.-".contains(c));
    let mut has_letter = false;
    for c in scheme {
        has_letter |= c.is_ascii_alphabetic();
    }
    let sep = s + 3;
    if !has_letter {
        return Eval::Rejected(sep);
    }
    let info_end = e - 1; // the '@'
    let info = &b[sep..info_end];
    // "user:password" (either side may be empty, not both): a user alone is not a credential.
    if memchr::memchr(b':', info).is_none() {
        return Eval::Rejected(sep);
    }
    let host_ok = at(b, e).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'[' || c >= 0x80);
    if info.len() < 2 || !host_ok {
        return Eval::Rejected(sep);
    }
    Eval::Found(finding(sep, info_end, URL_CREDENTIALS), e)
}
