// The page's heading. Edit it while `cargo portcullis dev` runs: the heading
// changes in place (Vite's hot reload), the page and the core keep their state.
export const title = "Workbench";
