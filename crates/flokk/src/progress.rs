//! Progress bars on a terminal, nothing when output is redirected.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar over bytes of a file (or a spinner without a length),
/// hidden unless stderr is a terminal.
pub fn byte_progress(len: Option<u64>, label: &str) -> ProgressBar {
    let bar = match len {
        Some(len) => ProgressBar::new(len).with_style(
            ProgressStyle::with_template(
                "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner(),
    };
    bar.set_message(label.to_owned());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// A progress bar over a number of items written to an output:
/// [`count_progress`], also hidden when `to_stdout` and stdout is a
/// terminal (the rows themselves show the progress there, and a bar would
/// be drawn over them).
pub fn output_progress(len: u64, label: &str, to_stdout: bool) -> ProgressBar {
    let bar = count_progress(len, label);
    if to_stdout && std::io::stdout().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// A progress bar over a number of items.
pub fn count_progress(len: u64, label: &str) -> ProgressBar {
    let bar = ProgressBar::new(len).with_style(
        ProgressStyle::with_template(
            "{msg} [{bar:30}] {human_pos}/{human_len} {per_sec} eta {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(label.to_owned());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}
