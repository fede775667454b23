//! The binary record format of the build caches: length-prefixed fields (little-endian `u64`
//! length, then the bytes), read back without trusting the input.

/// Reads `len` bytes of `file` at `offset` without moving its cursor, so threads can share one
/// handle.
pub(crate) fn read_at(file: &std::fs::File, offset: u64, len: u64) -> std::io::Result<Vec<u8>> {
    let len = usize::try_from(len).map_err(|_| std::io::ErrorKind::InvalidInput)?;
    let mut bytes = vec![0; len];
    read_exact_at(file, &mut bytes, offset)?;
    Ok(bytes)
}

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        let n =
            std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        done += n;
    }
    Ok(())
}

/// Without positional reads the caches are not read (a build then renders everything).
#[cfg(not(any(unix, windows)))]
fn read_exact_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Appends `text` as one field.
pub(crate) fn push_field(out: &mut Vec<u8>, text: &str) {
    push_u64(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// Appends a number.
pub(crate) fn push_u64(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(&n.to_le_bytes());
}

/// Takes one field from the front of `rest`; `None` if it is truncated or not UTF-8.
pub(crate) fn take_field(rest: &mut &[u8]) -> Option<String> {
    take_str(rest).map(str::to_string)
}

/// [`take_field`] without copying: the field borrowed from `rest`.
pub(crate) fn take_str<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let len = usize::try_from(take_u64(rest)?).ok()?;
    if len > rest.len() {
        return None;
    }
    let (field, tail) = rest.split_at(len);
    *rest = tail;
    std::str::from_utf8(field).ok()
}

/// Takes a number from the front of `rest`.
pub(crate) fn take_u64(rest: &mut &[u8]) -> Option<u64> {
    let (n, tail) = rest.split_first_chunk::<8>()?;
    *rest = tail;
    Some(u64::from_le_bytes(*n))
}

/// Reads one field (as [`take_field`] takes it) from `reader`; `None` if it is longer than
/// `limit` bytes, truncated or not UTF-8.
pub(crate) fn read_field(reader: &mut impl std::io::Read, limit: u64) -> Option<String> {
    let len = read_u64(reader)?;
    if len > limit {
        return None;
    }
    let mut bytes = vec![0u8; usize::try_from(len).ok()?];
    reader.read_exact(&mut bytes).ok()?;
    String::from_utf8(bytes).ok()
}

/// Reads a number (as [`take_u64`] takes it) from `reader`.
pub(crate) fn read_u64(reader: &mut impl std::io::Read) -> Option<u64> {
    let mut n = [0u8; 8];
    reader.read_exact(&mut n).ok()?;
    Some(u64::from_le_bytes(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_truncation_is_refused() {
        let mut out = Vec::new();
        push_field(&mut out, "病理 x");
        push_u64(&mut out, 42);
        let mut rest = out.as_slice();
        assert_eq!(take_field(&mut rest).as_deref(), Some("病理 x"));
        assert_eq!(take_u64(&mut rest), Some(42));
        assert!(rest.is_empty());
        let mut short = &out[..10];
        assert_eq!(take_field(&mut short), None);
        let mut stream = out.as_slice();
        assert_eq!(read_field(&mut stream, 100).as_deref(), Some("病理 x"));
        assert_eq!(read_u64(&mut stream), Some(42));
        assert_eq!(read_field(&mut out.as_slice(), 3), None, "over the limit");
    }
}
