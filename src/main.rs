//! The `probe-playground` binary: the CLI natively, the web app on wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    probe_playground::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Write;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| e.to_string());
    let out = probe_playground::cli::main(&args, &read);
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
