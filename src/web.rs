//! The browser playground (Yew). (Placeholder until the UI lands.)

/// Mounts the application on the page.
pub fn start() {}
