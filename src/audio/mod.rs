//! (being built)

pub mod wav_reader;
