//! Leaving the terminal as it was found, on every way out.

use crossterm::event::DisableMouseCapture;

/// Raw mode off, alternate screen left, mouse released, cursor shown.
pub fn restore() {
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// A panic anywhere (the loop or a background task) restores the terminal,
/// prints one readable line and tells the loop to end (see `stop`); the
/// binary turns that into a failure code, not this library.
pub fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        restore();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("fluxdeck crashed: {what}{at}. The terminal was restored; please report this with what you were doing.");
        super::stop::crashed();
    }));
}
