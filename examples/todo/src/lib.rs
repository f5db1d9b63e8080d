//! The todo demo: four commands over a list persisted to a JSON file.
//! `main.rs` runs it; `tests/ui.rs` drives its real UI in a real web view.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use portcullis::{
    AppBuilder, AppHandle, Capability, Channel, Commands, Event, Events, State, Type, WindowConfig,
    command, commands, events,
};
use serde::{Deserialize, Serialize};

/// Longest title accepted.
pub const MAX_TITLE: usize = 200;

/// One todo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Todo {
    pub id: u64,
    pub title: String,
    pub done: bool,
}

/// The list changed (in any window): every window's page re-renders from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type, Event)]
pub struct TodosChanged {
    pub todos: Vec<Todo>,
}

/// Why a todo command failed; the front end receives it as `IpcError.data`.
#[derive(Debug, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TodoError {
    EmptyTitle,
    TooLong { max: usize },
    NotFound { id: u64 },
    Storage { message: String },
}

/// The list and the file it is saved to after every change.
#[derive(Debug)]
pub struct Todos {
    path: PathBuf,
    list: Mutex<Vec<Todo>>,
}

impl Todos {
    /// Loads the list from `path` (an empty list if the file does not exist).
    pub fn load(path: impl Into<PathBuf>) -> io::Result<Self> {
        let path = path.into();
        let list = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(io::Error::other)?,
            Err(err) if err.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(err) => return Err(err),
        };
        Ok(Todos {
            path,
            list: Mutex::new(list),
        })
    }

    /// Applies `change` to the list and saves it, then tells every window;
    /// nothing changes if saving fails.
    fn update<T>(
        &self,
        app: &AppHandle,
        change: impl FnOnce(&mut Vec<Todo>) -> Result<T, TodoError>,
    ) -> Result<T, TodoError> {
        let mut list = self.list.lock().expect("todo list lock");
        let mut next = list.clone();
        let result = change(&mut next)?;
        save(&self.path, &next).map_err(|err| TodoError::Storage {
            message: err.to_string(),
        })?;
        // Emitted under the lock: windows see the changes in order.
        let changed = TodosChanged {
            todos: next.clone(),
        };
        *list = next;
        if let Err(err) = app.emit(&changed) {
            tracing::warn!(%err, "could not tell the windows");
        }
        Ok(result)
    }
}

/// Writes the file atomically: a temporary file renamed over the old one.
fn save(path: &Path, list: &[Todo]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(
        &tmp,
        serde_json::to_vec_pretty(list).map_err(io::Error::other)?,
    )?;
    std::fs::rename(tmp, path)
}

/// `$TODO_DATA_DIR/todos.json`, or `todos.json` in the user's data directory.
pub fn data_file() -> PathBuf {
    let dir = std::env::var_os("TODO_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join("portcullis-todo")))
        .unwrap_or_else(|| PathBuf::from("."));
    dir.join("todos.json")
}

/// All todos, in the order they were added.
#[command]
fn list_todos(todos: State<'_, Todos>) -> Vec<Todo> {
    todos.list.lock().expect("todo list lock").clone()
}

/// Adds a todo with this title.
#[command]
fn add_todo(app: AppHandle, todos: State<'_, Todos>, title: String) -> Result<Todo, TodoError> {
    let title = title.trim().to_owned();
    if title.is_empty() {
        return Err(TodoError::EmptyTitle);
    }
    if title.chars().count() > MAX_TITLE {
        return Err(TodoError::TooLong { max: MAX_TITLE });
    }
    todos.update(&app, |list| {
        let id = list.iter().map(|t| t.id + 1).max().unwrap_or(1);
        let todo = Todo {
            id,
            title,
            done: false,
        };
        list.push(todo.clone());
        Ok(todo)
    })
}

/// Marks a todo done, or not done again.
#[command]
fn toggle_todo(app: AppHandle, todos: State<'_, Todos>, id: u64) -> Result<Todo, TodoError> {
    todos.update(&app, |list| {
        let todo = list
            .iter_mut()
            .find(|t| t.id == id)
            .ok_or(TodoError::NotFound { id })?;
        todo.done = !todo.done;
        Ok(todo.clone())
    })
}

/// Deletes a todo.
#[command]
fn delete_todo(app: AppHandle, todos: State<'_, Todos>, id: u64) -> Result<(), TodoError> {
    todos.update(&app, |list| {
        let before = list.len();
        list.retain(|t| t.id != id);
        if list.len() == before {
            return Err(TodoError::NotFound { id });
        }
        Ok(())
    })
}

/// How far an import has got.
#[derive(Clone, Debug, Serialize, Type)]
pub struct ImportProgress {
    pub done: u32,
    pub total: u32,
}

/// The sample todos `import_samples` adds.
pub const SAMPLES: [&str; 10] = [
    "water the plants",
    "call the bank",
    "book the dentist",
    "fix the bike",
    "return the library books",
    "buy stamps",
    "back up the laptop",
    "clean the oven",
    "renew the passport",
    "plan the weekend",
];

/// How long each sample takes to "import" (the demo's stand-in for slow work).
pub const IMPORT_STEP: std::time::Duration = std::time::Duration::from_millis(150);

/// Adds the sample todos one at a time, slowly, reporting progress through
/// `progress`. The page's Cancel aborts the call: the future is dropped at
/// its next wait, and the samples added so far stay.
#[command]
async fn import_samples(
    app: AppHandle,
    todos: State<'_, Todos>,
    progress: Channel<ImportProgress>,
) -> Result<u32, TodoError> {
    let total = SAMPLES.len() as u32;
    for (done, title) in (1..).zip(SAMPLES) {
        tokio::time::sleep(IMPORT_STEP).await;
        todos.update(&app, |list| {
            let id = list.iter().map(|t| t.id + 1).max().unwrap_or(1);
            list.push(Todo {
                id,
                title: title.to_owned(),
                done: false,
            });
            Ok(())
        })?;
        // The page may have closed the window: the import goes on regardless.
        let _ = progress.send(ImportProgress { done, total }).await;
    }
    Ok(total)
}

/// Opens one more window on the list: changes made in any window show in all.
#[command]
fn open_window(app: AppHandle) -> Result<String, String> {
    let label = (2..)
        .map(|n| format!("list-{n}"))
        .find(|label| app.window(label).is_none())
        .expect("a free label");
    app.create_window(
        WindowConfig::new(label.as_str())
            .title("Todos")
            .size(480.0, 640.0),
    )
    .map_err(|err| err.to_string())?;
    Ok(label)
}

/// Opens the About window: a page the app's capabilities grant nothing.
#[command]
fn open_about(app: AppHandle) -> Result<(), String> {
    if app.window("about").is_some() {
        return Ok(());
    }
    app.create_window(
        WindowConfig::new("about")
            .url("about.html")
            .title("About Todos")
            .size(360.0, 240.0),
    )
    .map_err(|err| err.to_string())
}

/// The app's events.
pub fn events() -> Events {
    events![TodosChanged]
}

/// The app's commands. Their bindings, `dist/bindings.js` and `.d.ts`, are
/// generated from them: `cargo run -p todo --bin todo-bindings [-- --check]`.
pub fn commands() -> Commands {
    commands![
        list_todos,
        add_todo,
        toggle_todo,
        delete_todo,
        open_window,
        open_about,
        import_samples
    ]
}

/// Where the generated bindings live.
pub const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/dist/bindings.js");

/// The app: its state, commands, front end, and the isolation app that
/// checks every call. Add a window and `run()` it.
pub fn app(todos: Todos) -> AppBuilder {
    portcullis::App::builder()
        .manage(todos)
        .commands(commands())
        .events(events())
        // The list windows may do everything the app offers; any other
        // window (the About window) may do nothing at all.
        .capability(
            Capability::new("todo-windows")
                .windows(["main", "list-*"])
                .commands(commands())
                .events(events()),
        )
        .assets(portcullis::assets!("examples/todo/dist"))
        .isolation(portcullis::isolation!("examples/todo/dist-isolation"))
}

/// The main window.
pub fn main_window() -> WindowConfig {
    WindowConfig::new("main").title("Todos").size(480.0, 640.0)
}
