//! What the project's benchmarks and end-to-end tests measure from outside
//! (`test-hooks` only): the web processes' memory.

/// RSS of this process's WebKit web processes, in MiB (Linux: descendants
/// named `WebKitWebProces`); 0 where that cannot be read.
pub(crate) fn web_process_rss_mib() -> f64 {
    let me = std::process::id();
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let Some((name, rest)) = stat.split_once(" (").and_then(|(_, r)| r.rsplit_once(") "))
        else {
            continue;
        };
        let ppid: u32 = rest
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        procs.push((pid, ppid, name.to_owned()));
    }
    let descends = |mut pid: u32| {
        for _ in 0..8 {
            let Some(&(_, ppid, _)) = procs.iter().find(|(p, _, _)| *p == pid) else {
                return false;
            };
            if ppid == me {
                return true;
            }
            pid = ppid;
        }
        false
    };
    let kib: u64 = procs
        .iter()
        .filter(|(pid, _, name)| name.starts_with("WebKitWebProces") && descends(*pid))
        .filter_map(|(pid, _, _)| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .sum();
    kib as f64 / 1024.0
}
