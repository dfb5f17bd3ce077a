//! The `probe-playground` binary: the CLI natively, the web app on wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    probe_playground::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(cli::main(std::env::args().skip(1).collect()));
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    pub fn main(_args: Vec<String>) -> i32 {
        eprintln!("probe-playground: the CLI is being built");
        2
    }
}
