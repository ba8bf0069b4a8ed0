//! The layout of a whisper.cpp GGML model file, walked in safe Rust before whisper.cpp is given
//! the file. whisper.cpp reads past the end of a file cut short without noticing (it loads
//! zeros, or a model with no weights that transcribes nothing), so a model that ends anywhere
//! but right after its last tensor is refused here, naming where it ends and what was due.
//!
//! The layout: the magic `ggml`, eleven `i32` hyperparameters, the mel filters (`n_mel`,
//! `n_fft`, then that many `f32`), the vocabulary (`n_vocab`, then per token a `u32` length and
//! its bytes), then tensors to the end: `n_dims`, name length and type (`i32`), `n_dims`
//! dimensions (`i32`), the name, and the data. All little-endian.

use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

const MAGIC: u32 = 0x6767_6d6c;
const HPARAMS: usize = 11;

/// What a whole, well-formed model file holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub tensors: usize,
    pub bytes: u64,
}

/// Bytes per block and elements per block of a tensor type, for the types whisper.cpp models
/// are published in; `None` for any other.
fn block(ttype: i32) -> Option<(u64, u64)> {
    Some(match ttype {
        0 => (4, 1),     // f32
        1 => (2, 1),     // f16
        2 => (18, 32),   // q4_0
        3 => (20, 32),   // q4_1
        6 => (22, 32),   // q5_0
        7 => (24, 32),   // q5_1
        8 => (34, 32),   // q8_0
        10 => (84, 256), // q2_k
        11 => (110, 256),
        12 => (144, 256),
        13 => (176, 256),
        14 => (210, 256),
        _ => return None,
    })
}

struct Walk<R> {
    r: R,
    at: u64,
    len: u64,
}

impl<R: Read + Seek> Walk<R> {
    fn i32(&mut self, what: &str) -> Result<i32, String> {
        let mut b = [0u8; 4];
        self.need(4, what)?;
        self.r
            .read_exact(&mut b)
            .map_err(|e| format!("reading {what}: {e}"))?;
        self.at += 4;
        Ok(i32::from_le_bytes(b))
    }

    fn count(&mut self, what: &str, max: i32) -> Result<u64, String> {
        let n = self.i32(what)?;
        if !(0..=max).contains(&n) {
            return Err(format!("{what} is {n} at byte {}", self.at - 4));
        }
        Ok(n as u64)
    }

    fn need(&self, bytes: u64, what: &str) -> Result<(), String> {
        if self.len.saturating_sub(self.at) < bytes {
            return Err(format!(
                "{what} ({bytes} bytes from byte {}) would go past the end of the file at byte \
                 {}: it is cut short",
                self.at, self.len
            ));
        }
        Ok(())
    }

    fn skip(&mut self, bytes: u64, what: &str) -> Result<(), String> {
        self.need(bytes, what)?;
        self.r
            .seek(SeekFrom::Current(bytes as i64))
            .map_err(|e| format!("reading {what}: {e}"))?;
        self.at += bytes;
        Ok(())
    }
}

/// Walks the model file at `path`; an error says what is wrong, in words for the user.
pub fn check(path: &Path) -> Result<Layout, String> {
    let file = crate::files::open_regular(path).map_err(|e| e.to_string())?;
    let len = file.metadata().map_err(|e| e.to_string())?.len();
    walk(BufReader::new(file), len)
}

fn walk<R: Read + Seek>(r: R, len: u64) -> Result<Layout, String> {
    let mut w = Walk { r, at: 0, len };
    if w.i32("the GGML magic")? as u32 != MAGIC {
        return Err("it does not start with the GGML magic: not a whisper.cpp model".into());
    }
    for _ in 0..HPARAMS {
        w.i32("the hyperparameters")?;
    }
    let n_mel = w.count("the mel filter count", 1 << 12)?;
    let n_fft = w.count("the mel filter length", 1 << 16)?;
    w.skip(n_mel * n_fft * 4, "the mel filters")?;
    let n_vocab = w.count("the vocabulary size", 1 << 22)?;
    for _ in 0..n_vocab {
        let token = w.count("a token's length", 1 << 16)?;
        w.skip(token, "a token")?;
    }
    let mut tensors = 0;
    while w.at < w.len {
        let n_dims = w.count("a tensor's dimension count", 4)?;
        let name_len = w.count("a tensor's name length", 1 << 12)?;
        let ttype = w.i32("a tensor's type")?;
        let mut elements: u64 = 1;
        for _ in 0..n_dims {
            elements = elements.saturating_mul(w.count("a tensor's dimension", i32::MAX)?);
        }
        w.skip(name_len, "a tensor's name")?;
        let Some((block_bytes, block_len)) = block(ttype) else {
            // A type this check does not know: whisper.cpp alone can judge the rest.
            return Ok(Layout {
                tensors,
                bytes: len,
            });
        };
        let data = elements.div_ceil(block_len).saturating_mul(block_bytes);
        w.skip(data, &format!("tensor {}", tensors + 1))?;
        tensors += 1;
    }
    if tensors == 0 {
        return Err(
            "it holds no model weights: the file is cut short, or not a whole model".into(),
        );
    }
    Ok(Layout {
        tensors,
        bytes: len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A small file in the layout: two tokens and two f32 tensors of 3 and 2×2 elements.
    fn model() -> Vec<u8> {
        let mut b = Vec::new();
        let i = |b: &mut Vec<u8>, v: i32| b.extend_from_slice(&v.to_le_bytes());
        i(&mut b, MAGIC as i32);
        for _ in 0..HPARAMS {
            i(&mut b, 1);
        }
        i(&mut b, 2);
        i(&mut b, 3);
        b.extend_from_slice(&[0u8; 2 * 3 * 4]);
        i(&mut b, 2);
        for token in ["a", "bc"] {
            i(&mut b, token.len() as i32);
            b.extend_from_slice(token.as_bytes());
        }
        for (dims, name) in [(vec![3], "x"), (vec![2, 2], "yy")] {
            i(&mut b, dims.len() as i32);
            i(&mut b, name.len() as i32);
            i(&mut b, 0);
            let n: i32 = dims.iter().product();
            for d in dims {
                i(&mut b, d);
            }
            b.extend_from_slice(name.as_bytes());
            b.extend_from_slice(&vec![0u8; n as usize * 4]);
        }
        b
    }

    #[test]
    fn a_whole_model_passes_and_every_cut_is_refused() {
        let whole = model();
        let layout = walk(Cursor::new(&whole), whole.len() as u64).unwrap();
        assert_eq!(layout.tensors, 2);
        // A cut right after a whole tensor leaves a well-formed file with fewer tensors, which
        // whisper.cpp itself refuses ("not all tensors loaded"); every other cut is refused here.
        let after_first = whole.len() - (4 * 3 + 4 * 2 + 2 + 4 * 4);
        for cut in 0..whole.len() {
            match walk(Cursor::new(&whole[..cut]), cut as u64) {
                Ok(layout) => assert_eq!((cut, layout.tensors), (after_first, 1)),
                Err(err) => assert!(
                    err.contains("cut short") || err.contains("magic"),
                    "cut at {cut}: {err}"
                ),
            }
        }
    }

    #[test]
    fn the_test_model_is_whole_and_a_cut_copy_is_not() {
        let Some(path) = std::env::var_os("VOICEMOCK_TEST_MODEL") else {
            return;
        };
        let path = std::path::PathBuf::from(path);
        let layout = check(&path).unwrap();
        assert!(layout.tensors > 100, "{layout:?}");
        let bytes = std::fs::read(&path).unwrap();
        let cut = bytes.len() as u64 - 698;
        let err = walk(Cursor::new(&bytes[..cut as usize]), cut).unwrap_err();
        assert!(err.contains("cut short"), "{err}");
    }
}
