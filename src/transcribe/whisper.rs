//! whisper.cpp through whisper-rs: the only module that names whisper-rs. Only the isolated
//! child process (`isolated.rs`) loads it: a damaged model can abort the process it runs in.
//!
//! Settings, and why: English, greedy decoding (fast enough on two cores), no context carried
//! between 30 s windows (whisper.cpp can otherwise fall into repetition loops), token timestamps
//! for word times, and a short prompt of fillers so "um" and "uh" are more often kept.

use std::path::Path;
use std::sync::Once;

use whisper_rs::{
    FullParams, SamplingStrategy, WhisperContext, WhisperContextParameters, WhisperState,
};

use super::{Engine, EngineError, Word, FILLER_PROMPT};

pub struct WhisperEngine {
    // The state keeps the context alive; both are kept for clarity of ownership.
    _context: WhisperContext,
    state: WhisperState,
    threads: usize,
    model: String,
}

static QUIET: Once = Once::new();

impl WhisperEngine {
    /// Loads a GGML model file; fails (rather than crashing later) if whisper.cpp cannot read it.
    pub fn load(path: &Path, threads: usize) -> Result<WhisperEngine, EngineError> {
        // whisper.cpp logs every load and run on stderr; route its log into whisper-rs's hooks,
        // which drop it unless a logging backend is compiled in.
        QUIET.call_once(whisper_rs::install_logging_hooks);
        let load_err = |message: String| EngineError::Load {
            path: path.to_path_buf(),
            message,
        };
        let path_str = path
            .to_str()
            .ok_or_else(|| load_err("the path is not valid UTF-8".into()))?;
        // Only a regular file is handed to whisper.cpp, checked without waiting: a FIFO would
        // hold its open for ever, and `/dev/null` is there but is no model.
        match crate::files::open_regular(path) {
            Ok(_) => {}
            Err(e) if e.is_not_found() => return Err(load_err("no such file".into())),
            Err(e) => return Err(load_err(e.to_string())),
        }
        let mut params = WhisperContextParameters::default();
        params.use_gpu(false);
        let context = WhisperContext::new_with_params(path_str, params).map_err(|e| {
            load_err(format!(
                "{e}; it is not a whisper.cpp GGML model (or it is damaged)"
            ))
        })?;
        let state = context
            .create_state()
            .map_err(|e| load_err(format!("cannot prepare it: {e}")))?;
        let model = super::model_name(path);
        Ok(WhisperEngine {
            _context: context,
            state,
            threads: threads.max(1),
            model,
        })
    }
}

impl Engine for WhisperEngine {
    fn words(&mut self, samples_16k: &[f32]) -> Result<Vec<Word>, EngineError> {
        let mut params = FullParams::new(SamplingStrategy::Greedy { best_of: 1 });
        params.set_n_threads(self.threads as i32);
        params.set_language(Some("en"));
        params.set_translate(false);
        params.set_no_context(true);
        params.set_initial_prompt(FILLER_PROMPT);
        params.set_token_timestamps(true);
        params.set_suppress_blank(true);
        params.set_print_special(false);
        params.set_print_progress(false);
        params.set_print_realtime(false);
        params.set_print_timestamps(false);
        self.state
            .full(params, samples_16k)
            .map_err(|e| EngineError::Run(e.to_string()))?;

        let mut words: Vec<Word> = Vec::new();
        // A word is the tokens from one that starts with a space up to the next such token;
        // bytes are gathered first, as a token may hold part of a multi-byte character.
        let mut current: Option<(Vec<u8>, f64, f64)> = None;
        let finish = |current: &mut Option<(Vec<u8>, f64, f64)>, words: &mut Vec<Word>| {
            if let Some((bytes, start, end)) = current.take() {
                let text = String::from_utf8_lossy(&bytes).trim().to_string();
                if !text.is_empty() {
                    words.push(Word {
                        text,
                        start_s: start,
                        end_s: end.max(start),
                    });
                }
            }
        };
        for segment in self.state.as_iter() {
            for i in 0..segment.n_tokens() {
                let Some(token) = segment.get_token(i) else {
                    continue;
                };
                let data = token.token_data();
                // Special tokens (end of text, timestamps, …) come after the text vocabulary.
                if data.id >= self._context.token_eot() {
                    continue;
                }
                let Ok(bytes) = token.to_bytes() else {
                    continue;
                };
                let (t0, t1) = (data.t0 as f64 / 100.0, data.t1 as f64 / 100.0);
                let starts_word = bytes.first() == Some(&b' ') || current.is_none();
                if starts_word {
                    finish(&mut current, &mut words);
                    current = Some((bytes.to_vec(), t0, t1));
                } else if let Some((b, _, end)) = current.as_mut() {
                    b.extend_from_slice(bytes);
                    *end = t1;
                }
            }
            // Segments end on a word boundary.
            finish(&mut current, &mut words);
        }
        Ok(words)
    }

    fn model(&self) -> &str {
        &self.model
    }
}
