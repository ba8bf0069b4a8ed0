//! Converts a Whisper model in CTranslate2's format (`model.bin`, as faster-whisper ships it)
//! into whisper.cpp's GGML file, with the mel filters and vocabulary taken from OpenAI's
//! `whisper` package (`mel_filters.npz`'s `mel_80` array saved as a `.npy`, and
//! `gpt2.tiktoken`). Only file formats here: no engine, no network.
//!
//! The conversion is lossless: the weights stay float16, except the 1-D tensors, the
//! convolution biases and the positional embeddings, which whisper.cpp reads as float32.
//! The output is written under a temporary name and renamed, so a reader never sees half a file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ConvertError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
}

/// What a conversion produced, for the caller to report.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertSummary {
    pub tensors: usize,
    pub bytes: u64,
    pub n_vocab: usize,
    pub encoder_layers: usize,
    pub decoder_layers: usize,
}

/// One variable of a CTranslate2 model: its shape and its raw little-endian data.
#[derive(Debug, Clone)]
struct Variable {
    dims: Vec<usize>,
    dtype: u8,
    data: Vec<u8>,
}

const CT2_F16: u8 = 4;
const GGML_MAGIC: i32 = 0x6767_6d6c;
const GGML_F32: i32 = 0;
const GGML_F16: i32 = 1;

/// Converts `model_dir/model.bin` into the GGML file `out`.
pub fn convert(
    model_dir: &Path,
    mel_filters_npy: &Path,
    tiktoken: &Path,
    out: &Path,
) -> Result<ConvertSummary, ConvertError> {
    let model_path = model_dir.join("model.bin");
    let vars = read_ct2(&model_path)?;
    let mel = read_npy_f32(mel_filters_npy)?;
    let vocab = read_tiktoken(tiktoken)?;

    let fmt = |message: String| ConvertError::Format {
        path: model_path.clone(),
        message,
    };
    let get = |name: &str| {
        vars.get(name)
            .ok_or_else(|| fmt(format!("variable `{name}` is missing")))
    };
    let count_layers = |prefix: &str| {
        (0..)
            .take_while(|i| vars.contains_key(&format!("{prefix}/layer_{i}/ffn/linear_0/weight")))
            .count()
    };

    let conv1 = get("encoder/conv1/weight")?;
    let enc_pos = get("encoder/position_encodings/encodings")?;
    let dec_pos = get("decoder/position_encodings/encodings")?;
    let embeddings = get("decoder/embeddings/weight")?;
    let (n_audio_ctx, n_audio_state) = two_dims(enc_pos).map_err(&fmt)?;
    let (n_text_ctx, n_text_state) = two_dims(dec_pos).map_err(&fmt)?;
    let (n_vocab, _) = two_dims(embeddings).map_err(&fmt)?;
    let n_mels = *conv1
        .dims
        .get(1)
        .ok_or_else(|| fmt("encoder/conv1/weight is not 3-D".into()))?;
    let n_audio_head = scalar(get("encoder/num_heads")?).map_err(&fmt)?;
    let n_text_head = scalar(get("decoder/num_heads")?).map_err(&fmt)?;
    let n_audio_layer = count_layers("encoder");
    let n_text_layer = count_layers("decoder");
    if n_audio_layer == 0 || n_text_layer == 0 {
        return Err(fmt("no encoder or decoder layers found".into()));
    }
    if mel.dims.len() != 2 || mel.dims[0] != n_mels {
        return Err(ConvertError::Format {
            path: mel_filters_npy.to_path_buf(),
            message: format!(
                "mel filters have shape {:?}; the model needs {n_mels} rows",
                mel.dims
            ),
        });
    }

    let mut tensors: Vec<(String, Tensor)> = Vec::new();
    let mut put = |name: String, t: Tensor| tensors.push((name, t));

    put(
        "encoder.positional_embedding".into(),
        Tensor::f32_from(enc_pos).map_err(&fmt)?,
    );
    for conv in ["conv1", "conv2"] {
        let w = get(&format!("encoder/{conv}/weight"))?;
        put(
            format!("encoder.{conv}.weight"),
            Tensor::f16_from(w).map_err(&fmt)?,
        );
        let b = get(&format!("encoder/{conv}/bias"))?;
        let mut bias = Tensor::f32_from(b).map_err(&fmt)?;
        bias.dims = vec![b.dims[0], 1];
        put(format!("encoder.{conv}.bias"), bias);
    }
    for i in 0..n_audio_layer {
        let from = format!("encoder/layer_{i}");
        let to = format!("encoder.blocks.{i}");
        self_attention(&get, &from, &to, &mut put).map_err(&fmt)?;
        feed_forward(&get, &from, &to, &mut put).map_err(&fmt)?;
    }
    layer_norm(&get, "encoder/layer_norm", "encoder.ln_post", &mut put).map_err(&fmt)?;

    put(
        "decoder.positional_embedding".into(),
        Tensor::f32_from(dec_pos).map_err(&fmt)?,
    );
    put(
        "decoder.token_embedding.weight".into(),
        Tensor::f16_from(embeddings).map_err(&fmt)?,
    );
    for i in 0..n_text_layer {
        let from = format!("decoder/layer_{i}");
        let to = format!("decoder.blocks.{i}");
        self_attention(&get, &from, &to, &mut put).map_err(&fmt)?;
        cross_attention(&get, &from, &to, &mut put).map_err(&fmt)?;
        feed_forward(&get, &from, &to, &mut put).map_err(&fmt)?;
    }
    layer_norm(&get, "decoder/layer_norm", "decoder.ln", &mut put).map_err(&fmt)?;

    let hparams = [
        n_vocab,
        n_audio_ctx,
        n_audio_state,
        n_audio_head,
        n_audio_layer,
        n_text_ctx,
        n_text_state,
        n_text_head,
        n_text_layer,
        n_mels,
        1, // ftype: mostly float16
    ];

    let tmp = out.with_extension("part");
    let werr = |source| ConvertError::Write {
        path: tmp.clone(),
        source,
    };
    let file = File::create(&tmp).map_err(werr)?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let mut written = 0u64;
    let mut emit = |w: &mut BufWriter<File>, bytes: &[u8]| -> std::io::Result<()> {
        written += bytes.len() as u64;
        w.write_all(bytes)
    };
    let i32le = |v: usize| (v as i32).to_le_bytes();
    (|| -> std::io::Result<()> {
        emit(&mut w, &GGML_MAGIC.to_le_bytes())?;
        for h in hparams {
            emit(&mut w, &i32le(h))?;
        }
        emit(&mut w, &i32le(mel.dims[0]))?;
        emit(&mut w, &i32le(mel.dims[1]))?;
        emit(&mut w, &mel.data)?;
        emit(&mut w, &i32le(vocab.len()))?;
        for token in &vocab {
            emit(&mut w, &i32le(token.len()))?;
            emit(&mut w, token)?;
        }
        for (name, t) in &tensors {
            emit(&mut w, &i32le(t.dims.len()))?;
            emit(&mut w, &i32le(name.len()))?;
            emit(&mut w, &t.ggml_type.to_le_bytes())?;
            for d in t.dims.iter().rev() {
                emit(&mut w, &i32le(*d))?;
            }
            emit(&mut w, name.as_bytes())?;
            emit(&mut w, &t.data)?;
        }
        w.flush()?;
        w.get_ref().sync_all()
    })()
    .map_err(werr)?;
    drop(w);
    std::fs::rename(&tmp, out).map_err(|source| ConvertError::Write {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(ConvertSummary {
        tensors: tensors.len(),
        bytes: written,
        n_vocab,
        encoder_layers: n_audio_layer,
        decoder_layers: n_text_layer,
    })
}

/// A tensor as whisper.cpp's file holds it. `dims` are in the source's (row-major) order; the
/// writer reverses them, as ggml counts the fastest-moving dimension first.
struct Tensor {
    dims: Vec<usize>,
    ggml_type: i32,
    data: Vec<u8>,
}

impl Tensor {
    fn f16_from(v: &Variable) -> Result<Tensor, String> {
        expect_f16(v)?;
        Ok(Tensor {
            dims: v.dims.clone(),
            ggml_type: GGML_F16,
            data: v.data.clone(),
        })
    }

    fn f32_from(v: &Variable) -> Result<Tensor, String> {
        expect_f16(v)?;
        let data = v
            .data
            .chunks_exact(2)
            .flat_map(|h| f16_to_f32(u16::from_le_bytes([h[0], h[1]])).to_le_bytes())
            .collect();
        Ok(Tensor {
            dims: v.dims.clone(),
            ggml_type: GGML_F32,
            data,
        })
    }

    /// The rows `[start, start + n)` of a 2-D (or 1-D) float16 variable: how the fused
    /// projections are split.
    fn rows(v: &Variable, start: usize, n: usize) -> Result<Tensor, String> {
        expect_f16(v)?;
        let row_len: usize = v.dims[1..].iter().product();
        let bytes = row_len * 2;
        if (start + n) * bytes > v.data.len() {
            return Err(format!(
                "cannot take rows {start}..{} of {:?}",
                start + n,
                v.dims
            ));
        }
        let mut dims = v.dims.clone();
        dims[0] = n;
        let data = v.data[start * bytes..(start + n) * bytes].to_vec();
        let ggml_type = if dims.len() == 1 { GGML_F32 } else { GGML_F16 };
        let t = Tensor {
            dims,
            ggml_type: GGML_F16,
            data,
        };
        if ggml_type == GGML_F32 {
            Ok(t.widened())
        } else {
            Ok(t)
        }
    }

    fn widened(self) -> Tensor {
        let data = self
            .data
            .chunks_exact(2)
            .flat_map(|h| f16_to_f32(u16::from_le_bytes([h[0], h[1]])).to_le_bytes())
            .collect();
        Tensor {
            dims: self.dims,
            ggml_type: GGML_F32,
            data,
        }
    }

    /// A whole variable: 1-D ones as float32 (whisper.cpp's biases and norms), others float16.
    fn of(v: &Variable) -> Result<Tensor, String> {
        if v.dims.len() == 1 {
            Tensor::f32_from(v)
        } else {
            Tensor::f16_from(v)
        }
    }
}

fn expect_f16(v: &Variable) -> Result<(), String> {
    let n: usize = v.dims.iter().product();
    if v.dtype != CT2_F16 || v.data.len() != n * 2 {
        return Err(format!(
            "expected a float16 tensor of shape {:?}, found dtype {} with {} bytes",
            v.dims,
            v.dtype,
            v.data.len()
        ));
    }
    Ok(())
}

fn two_dims(v: &Variable) -> Result<(usize, usize), String> {
    match v.dims[..] {
        [a, b] => Ok((a, b)),
        _ => Err(format!("expected a 2-D tensor, found shape {:?}", v.dims)),
    }
}

fn scalar(v: &Variable) -> Result<usize, String> {
    let value = match (v.dtype, &v.data[..]) {
        (1, [b]) => *b as i8 as i64,
        (2, [a, b]) => i16::from_le_bytes([*a, *b]) as i64,
        (3, [a, b, c, d]) => i32::from_le_bytes([*a, *b, *c, *d]) as i64,
        _ => {
            return Err(format!(
                "expected an integer scalar, found dtype {}",
                v.dtype
            ))
        }
    };
    usize::try_from(value).map_err(|_| format!("expected a positive count, found {value}"))
}

type Getter<'a> = dyn Fn(&str) -> Result<&'a Variable, ConvertError> + 'a;

fn linear(
    get: &Getter<'_>,
    from: &str,
    to: &str,
    put: &mut dyn FnMut(String, Tensor),
) -> Result<(), String> {
    weight_and_bias(get, from, ["weight", "bias"], to, put)
}

/// CTranslate2 names a layer norm's weight and bias `gamma` and `beta`.
fn layer_norm(
    get: &Getter<'_>,
    from: &str,
    to: &str,
    put: &mut dyn FnMut(String, Tensor),
) -> Result<(), String> {
    weight_and_bias(get, from, ["gamma", "beta"], to, put)
}

/// `{from}/{names[0]}` and `{from}/{names[1]}` written as `{to}.weight` and `{to}.bias`.
fn weight_and_bias(
    get: &Getter<'_>,
    from: &str,
    names: [&str; 2],
    to: &str,
    put: &mut dyn FnMut(String, Tensor),
) -> Result<(), String> {
    let w = get(&format!("{from}/{}", names[0])).map_err(|e| e.to_string())?;
    let b = get(&format!("{from}/{}", names[1])).map_err(|e| e.to_string())?;
    put(format!("{to}.weight"), Tensor::of(w)?);
    put(format!("{to}.bias"), Tensor::of(b)?);
    Ok(())
}

/// `self_attention/linear_0` holds q, k and v fused along the rows; Whisper's key projection
/// has no bias (CTranslate2 stores zeros), so none is written.
fn self_attention(
    get: &Getter<'_>,
    from: &str,
    to: &str,
    put: &mut dyn FnMut(String, Tensor),
) -> Result<(), String> {
    let w = get(&format!("{from}/self_attention/linear_0/weight")).map_err(|e| e.to_string())?;
    let b = get(&format!("{from}/self_attention/linear_0/bias")).map_err(|e| e.to_string())?;
    let n = w.dims[0] / 3;
    put(format!("{to}.attn.query.weight"), Tensor::rows(w, 0, n)?);
    put(format!("{to}.attn.query.bias"), Tensor::rows(b, 0, n)?);
    put(format!("{to}.attn.key.weight"), Tensor::rows(w, n, n)?);
    put(
        format!("{to}.attn.value.weight"),
        Tensor::rows(w, 2 * n, n)?,
    );
    put(format!("{to}.attn.value.bias"), Tensor::rows(b, 2 * n, n)?);
    linear(
        get,
        &format!("{from}/self_attention/linear_1"),
        &format!("{to}.attn.out"),
        put,
    )?;
    layer_norm(
        get,
        &format!("{from}/self_attention/layer_norm"),
        &format!("{to}.attn_ln"),
        put,
    )
}

/// The decoder's attention over the audio: `linear_0` is the query, `linear_1` the key and
/// value fused (the key without a bias), `linear_2` the output.
fn cross_attention(
    get: &Getter<'_>,
    from: &str,
    to: &str,
    put: &mut dyn FnMut(String, Tensor),
) -> Result<(), String> {
    linear(
        get,
        &format!("{from}/attention/linear_0"),
        &format!("{to}.cross_attn.query"),
        put,
    )?;
    let w = get(&format!("{from}/attention/linear_1/weight")).map_err(|e| e.to_string())?;
    let b = get(&format!("{from}/attention/linear_1/bias")).map_err(|e| e.to_string())?;
    let n = w.dims[0] / 2;
    put(
        format!("{to}.cross_attn.key.weight"),
        Tensor::rows(w, 0, n)?,
    );
    put(
        format!("{to}.cross_attn.value.weight"),
        Tensor::rows(w, n, n)?,
    );
    put(
        format!("{to}.cross_attn.value.bias"),
        Tensor::rows(b, n, n)?,
    );
    linear(
        get,
        &format!("{from}/attention/linear_2"),
        &format!("{to}.cross_attn.out"),
        put,
    )?;
    layer_norm(
        get,
        &format!("{from}/attention/layer_norm"),
        &format!("{to}.cross_attn_ln"),
        put,
    )
}

fn feed_forward(
    get: &Getter<'_>,
    from: &str,
    to: &str,
    put: &mut dyn FnMut(String, Tensor),
) -> Result<(), String> {
    linear(
        get,
        &format!("{from}/ffn/linear_0"),
        &format!("{to}.mlp.0"),
        put,
    )?;
    linear(
        get,
        &format!("{from}/ffn/linear_1"),
        &format!("{to}.mlp.2"),
        put,
    )?;
    layer_norm(
        get,
        &format!("{from}/ffn/layer_norm"),
        &format!("{to}.mlp_ln"),
        put,
    )
}

/// IEEE 754 half to single precision (subnormals, infinities and NaN included).
fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h >> 15) as u32) << 31;
    let exp = ((h >> 10) & 0x1f) as u32;
    let mant = (h & 0x3ff) as u32;
    let bits = match (exp, mant) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise the mantissa.
            let shift = mant.leading_zeros() - 21;
            let mant = (mant << shift) & 0x3ff;
            sign | ((127 - 15 + 1 - shift) << 23) | (mant << 13)
        }
        (0x1f, _) => sign | 0x7f80_0000 | (mant << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (mant << 13),
    };
    f32::from_bits(bits)
}

fn read_all(path: &Path) -> Result<Vec<u8>, ConvertError> {
    let mut bytes = Vec::new();
    // Files this tool is pointed at by scripts/test-model, freshly unpacked: plain opens.
    File::open(path)
        .and_then(|f| BufReader::new(f).read_to_end(&mut bytes))
        .map_err(|source| ConvertError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(bytes)
}

/// A cursor over a little-endian byte buffer that reports running off its end.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("file ends early (at byte {})", self.pos))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// A u16 length (counting a trailing NUL) and the bytes.
    fn string(&mut self) -> Result<String, String> {
        let n = self.u16()? as usize;
        let b = self.take(n)?;
        let b = b.strip_suffix(&[0]).unwrap_or(b);
        String::from_utf8(b.to_vec()).map_err(|_| "a name is not UTF-8".to_string())
    }
}

fn read_ct2(path: &Path) -> Result<HashMap<String, Variable>, ConvertError> {
    let bytes = read_all(path)?;
    parse_ct2(&bytes).map_err(|message| ConvertError::Format {
        path: path.to_path_buf(),
        message,
    })
}

fn parse_ct2(bytes: &[u8]) -> Result<HashMap<String, Variable>, String> {
    let mut c = Cursor { bytes, pos: 0 };
    let version = c.u32()?;
    if version != 6 {
        return Err(format!(
            "CTranslate2 binary version {version}; this converter reads version 6"
        ));
    }
    let spec = c.string()?;
    if spec != "WhisperSpec" {
        return Err(format!("the model is a {spec}, not a Whisper model"));
    }
    let _revision = c.u32()?;
    let count = c.u32()? as usize;
    let mut vars = HashMap::with_capacity(count);
    for _ in 0..count {
        let name = c.string()?;
        let rank = c.u8()? as usize;
        let dims = (0..rank)
            .map(|_| c.u32().map(|d| d as usize))
            .collect::<Result<Vec<_>, _>>()?;
        let dtype = c.u8()?;
        let n = c.u32()? as usize;
        let data = c.take(n)?.to_vec();
        vars.insert(name, Variable { dims, dtype, data });
    }
    Ok(vars)
}

/// A float32 array read from a `.npy` file (little-endian `<f4`, C order).
#[derive(Debug)]
struct NpyF32 {
    dims: Vec<usize>,
    /// Raw little-endian float32 bytes, as the GGML file stores them too.
    data: Vec<u8>,
}

fn read_npy_f32(path: &Path) -> Result<NpyF32, ConvertError> {
    let bytes = read_all(path)?;
    parse_npy_f32(&bytes).map_err(|message| ConvertError::Format {
        path: path.to_path_buf(),
        message,
    })
}

fn parse_npy_f32(bytes: &[u8]) -> Result<NpyF32, String> {
    let mut c = Cursor { bytes, pos: 0 };
    if c.take(6)? != b"\x93NUMPY" {
        return Err("not a .npy file".into());
    }
    let major = c.u8()?;
    let _minor = c.u8()?;
    let header_len = if major == 1 {
        c.u16()? as usize
    } else {
        c.u32()? as usize
    };
    let header = String::from_utf8_lossy(c.take(header_len)?).into_owned();
    if !header.contains("'descr': '<f4'") {
        return Err(format!(
            "expected little-endian float32 data, header {header}"
        ));
    }
    if header.contains("'fortran_order': True") {
        return Err("Fortran-ordered arrays are not supported".into());
    }
    let shape = header
        .split("'shape': (")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .ok_or_else(|| format!("no shape in header {header}"))?;
    let dims = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|_| format!("bad shape `{shape}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let n: usize = dims.iter().product();
    let data = c.take(n * 4)?.to_vec();
    Ok(NpyF32 { dims, data })
}

fn read_tiktoken(path: &Path) -> Result<Vec<Vec<u8>>, ConvertError> {
    let bytes = read_all(path)?;
    parse_tiktoken(&bytes).map_err(|message| ConvertError::Format {
        path: path.to_path_buf(),
        message,
    })
}

/// `gpt2.tiktoken`: one token a line, its bytes in base64 and its rank. Ranks must run 0, 1, 2…
/// as whisper.cpp takes a token's id from its position.
fn parse_tiktoken(bytes: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    let mut tokens = Vec::new();
    for (i, line) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let (b64, rank) = line
            .split_once(' ')
            .ok_or_else(|| format!("line {}: expected `BASE64 RANK`", i + 1))?;
        if rank.trim().parse::<usize>() != Ok(i) {
            return Err(format!("line {}: rank {rank} out of order", i + 1));
        }
        tokens.push(base64_decode(b64).ok_or_else(|| format!("line {}: bad base64", i + 1))?);
    }
    if tokens.is_empty() {
        return Err("no tokens".into());
    }
    Ok(tokens)
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let s = s.trim().trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for chunk in s.chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut acc = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            acc |= value(*c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_values() {
        let cases = [
            (0x0000, 0.0),
            (0x3c00, 1.0),
            (0xc000, -2.0),
            (0x3555, 0.333_251_95),
            (0x7bff, 65504.0),
            (0x0001, 5.960_464_5e-8),
            (0x0200, 3.051_757_8e-5),
        ];
        for (h, f) in cases {
            assert_eq!(f16_to_f32(h), f, "{h:#06x}");
        }
        assert!(f16_to_f32(0x7c00).is_infinite());
        assert!(f16_to_f32(0x7e00).is_nan());
    }

    #[test]
    fn base64_tokens() {
        let cases = [
            ("IQ==", Some(b"!".to_vec())),
            ("SGVsbG8=", Some(b"Hello".to_vec())),
            ("IGh1", Some(b" hu".to_vec())),
            ("w6k=", Some("é".as_bytes().to_vec())),
            ("a", None),
            ("a$==", None),
        ];
        for (s, expected) in cases {
            assert_eq!(base64_decode(s), expected, "{s}");
        }
    }

    #[test]
    fn tiktoken_ranks_must_run_in_order() {
        assert_eq!(
            parse_tiktoken(b"IQ== 0\nIg== 1\n").unwrap(),
            vec![b"!".to_vec(), b"\"".to_vec()]
        );
        assert!(parse_tiktoken(b"IQ== 0\nIg== 2\n").is_err());
        assert!(parse_tiktoken(b"").is_err());
    }

    #[test]
    fn npy_header_and_data() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        for v in [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0] {
            bytes.extend_from_slice(&v.to_le_bytes());
        }
        let npy = parse_npy_f32(&bytes).unwrap();
        assert_eq!(npy.dims, vec![2, 3]);
        assert_eq!(npy.data.len(), 24);
        assert!(parse_npy_f32(&bytes[..bytes.len() - 1]).is_err());
        let f64_header = bytes.clone();
        let s = String::from_utf8_lossy(&f64_header).replace("<f4", "<f8");
        assert!(parse_npy_f32(s.as_bytes()).is_err());
    }

    fn ct2_bytes(vars: &[(&str, &[usize], u8, &[u8])]) -> Vec<u8> {
        let mut b = 6u32.to_le_bytes().to_vec();
        let s = |b: &mut Vec<u8>, s: &str| {
            b.extend_from_slice(&((s.len() + 1) as u16).to_le_bytes());
            b.extend_from_slice(s.as_bytes());
            b.push(0);
        };
        s(&mut b, "WhisperSpec");
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&(vars.len() as u32).to_le_bytes());
        for (name, dims, dtype, data) in vars {
            s(&mut b, name);
            b.push(dims.len() as u8);
            for d in *dims {
                b.extend_from_slice(&(*d as u32).to_le_bytes());
            }
            b.push(*dtype);
            b.extend_from_slice(&(data.len() as u32).to_le_bytes());
            b.extend_from_slice(data);
        }
        b.extend_from_slice(&0u32.to_le_bytes());
        b
    }

    #[test]
    fn ct2_variables_and_fused_split() {
        // A fused [3, 2] float16 weight: rows 1, 2, 3 (each row two equal values).
        let halves: Vec<u8> = [0x3c00u16, 0x3c00, 0x4000, 0x4000, 0x4200, 0x4200]
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect();
        let bytes = ct2_bytes(&[
            ("x/weight", &[3, 2], 4, &halves),
            ("encoder/num_heads", &[], 2, &6i16.to_le_bytes()),
        ]);
        let vars = parse_ct2(&bytes).unwrap();
        assert_eq!(scalar(&vars["encoder/num_heads"]).unwrap(), 6);
        let w = &vars["x/weight"];
        assert_eq!(w.dims, vec![3, 2]);
        let key = Tensor::rows(w, 1, 1).unwrap();
        assert_eq!(key.dims, vec![1, 2]);
        assert_eq!(key.ggml_type, GGML_F16);
        assert_eq!(key.data, halves[4..8]);
        assert!(Tensor::rows(w, 2, 2).is_err());

        let wrong_spec = String::from_utf8_lossy(&bytes).replace("WhisperSpec", "OtherSpecXX");
        assert!(parse_ct2(wrong_spec.as_bytes()).is_err());
        assert!(parse_ct2(&bytes[..bytes.len() - 10]).is_err());
    }
}
