#[path = "../../twin.rs"]
mod twin;

fn main() {
    twin::run(tauri::generate_context!(), true);
}
