//! What a debug build does with no setup: an app that installed no tracing
//! subscriber still prints the runtime's warnings (here, a blocked
//! navigation) to stderr. Runs itself as a child process (a fresh process
//! with no subscriber), under the display the suite has.
//! `harness = false`: GTK must own the main thread.

use std::process::{Command, ExitCode};
use std::time::Duration;

use portcullis::{App, Assets, WindowConfig};

fn child() -> ExitCode {
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(3));
        std::process::exit(0);
    });
    let result = App::builder()
        .window(WindowConfig::new("main").url("https://blocked.example/"))
        .assets(Assets::dir(std::env::temp_dir()))
        .run();
    eprintln!("run returned {result:?}");
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    if std::env::var_os("PORTCULLIS_DEFAULTS_CHILD").is_some() {
        return child();
    }
    let output = Command::new(std::env::current_exe().expect("this binary"))
        .env("PORTCULLIS_DEFAULTS_CHILD", "1")
        .output()
        .expect("the child runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let ok = stderr.contains("WARN") && stderr.contains("navigation blocked");
    if ok {
        println!("ok   a debug build with no subscriber prints the runtime's warnings");
        println!("1 passed, 0 failed");
        ExitCode::SUCCESS
    } else {
        println!(
            "FAIL a debug build with no subscriber prints the runtime's warnings: stderr was:\n{stderr}"
        );
        println!("0 passed, 1 failed");
        ExitCode::FAILURE
    }
}
