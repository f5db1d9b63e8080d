struct Config;

#[portcullis::command]
fn read(config: &Config) -> String {
    let _ = config;
    String::new()
}

fn main() {}
