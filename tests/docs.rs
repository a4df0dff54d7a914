//! The documentation is kept true by the code: every generated section of README.md and
//! `docs/` (between `<!-- generated: NAME … -->` and `<!-- end generated: NAME -->`) is what
//! the code generates now, and every relative link in README.md, ARCHITECTURE.md,
//! policies/README.md and `docs/` resolves. `PRIVGATE_BLESS=1 cargo test docs` rewrites the
//! generated sections after a change.

use std::path::{Path, PathBuf};

use privgate::keys::HashKey;
use privgate::policy;

use crate::support::run;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md, ARCHITECTURE.md, policies/README.md and every Markdown file under `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut out = vec![
        root().join("README.md"),
        root().join("ARCHITECTURE.md"),
        root().join("policies/README.md"),
    ];
    let mut dirs = vec![root().join("docs")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The CLI reference: `privgate --help` and each subcommand's, as printed.
fn cli_reference() -> String {
    let mut commands: Vec<Vec<&str>> = vec![vec![]];
    for c in ["serve", "check", "test", "scrub", "subjects", "audit"] {
        commands.push(vec![c]);
    }
    for c in [["subjects", "import"], ["subjects", "export"]] {
        commands.push(c.to_vec());
    }
    for c in [["audit", "verify"], ["audit", "summary"]] {
        commands.push(c.to_vec());
    }
    let mut out = String::new();
    for c in commands {
        let mut args = c.clone();
        args.push("--help");
        let (code, text, err) = run(&args, None);
        assert_eq!(code, 0, "{args:?}: {err}");
        let title = if c.is_empty() {
            "privgate".to_owned()
        } else {
            format!("privgate {}", c.join(" "))
        };
        out.push_str(&format!(
            "### `{title}`\n\n```text\n{}\n```\n\n",
            text.trim_end()
        ));
    }
    out
}

/// The metrics of `GET /metrics`: name, type and help, from the registry itself.
fn metrics_reference() -> String {
    let mut m = privgate::metrics::Metrics::new().with_placeholder_samples();
    let instruments = privgate::store::Instruments::default();
    m.register_state(&instruments);
    let text = m.render();
    // (name, type, help, label names), in registration order.
    let mut rows: Vec<(String, String, String, Vec<String>)> = Vec::new();
    let mut help = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            help = rest.split_once(' ').unwrap().1.to_owned();
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, ty) = rest.split_once(' ').unwrap();
            rows.push((name.to_owned(), ty.to_owned(), help.clone(), Vec::new()));
        } else if let (Some(row), Some((_, labels))) = (rows.last_mut(), line.split_once('{'))
            && row.3.is_empty()
        {
            let labels = labels.split('}').next().unwrap();
            row.3 = labels
                .split(',')
                .filter_map(|l| l.split_once('=').map(|(k, _)| k.to_owned()))
                .filter(|k| k != "le")
                .collect();
        }
    }
    let mut out = String::from("| metric | type | labels | what it counts |\n|---|---|---|---|\n");
    for (name, ty, help, labels) in rows {
        let labels: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
        out.push_str(&format!(
            "| `{name}` | {ty} | {} | {help} |\n",
            labels.join(", ")
        ));
    }
    out
}

/// The rules of a shipped policy: id, action, fields and `why:`, from the compiled policy.
fn policy_rules(name: &str) -> String {
    let source = policy::load(name).unwrap();
    let compiled =
        policy::compile_set(&[source], HashKey::from_text(&"0".repeat(64), "t").unwrap());
    let set = compiled.set.expect("the shipped policy compiles");
    let p = &set.policies[0];
    let mut out = String::from("| rule | action | fields | why |\n|---|---|---|---|\n");
    for r in &p.rules {
        let fields: Vec<String> = r
            .selectors
            .iter()
            .map(|s| format!("`{}`", s.text))
            .collect();
        let mut fields = fields.join(" ");
        if fields.len() > 300 {
            let mut end = 300;
            while !fields.is_char_boundary(end) {
                end -= 1;
            }
            let cut = fields[..end].rfind(' ').unwrap_or(end);
            fields = format!("{} …", &fields[..cut]);
        }
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.id,
            r.action.name(),
            fields.replace('|', "\\|"),
            r.why.as_deref().unwrap_or("").replace('|', "\\|")
        ));
    }
    out
}

fn generate(name: &str) -> String {
    match name {
        "field types" => privgate::event::schema::markdown_tables(),
        "cli" => cli_reference(),
        "metrics" => metrics_reference(),
        "config example" => format!(
            "```yaml\n{}```\n",
            std::fs::read_to_string(root().join("examples/privgate.yaml")).unwrap()
        ),
        other => match other.strip_prefix("policy ") {
            Some(p) => policy_rules(p),
            None => panic!("no generator for `{other}`"),
        },
    }
}

#[test]
fn generated_sections_match_the_code() {
    let bless = std::env::var_os("PRIVGATE_BLESS").is_some();
    let mut found = 0;
    let mut stale = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(open) = rest.find("<!-- generated: ") {
            let after = &rest[open + "<!-- generated: ".len()..];
            let end_marker = after.find("-->").unwrap();
            let header = &after[..end_marker];
            let name = header.split(" (").next().unwrap().trim().to_owned();
            let body_start = open + "<!-- generated: ".len() + end_marker + "-->\n".len();
            let close = format!("<!-- end generated: {name} -->");
            let body_end = rest[body_start..]
                .find(&close)
                .map(|i| body_start + i)
                .unwrap_or_else(|| panic!("{}: `{name}` is not closed", page.display()));
            let want = generate(&name);
            found += 1;
            if rest[body_start..body_end] != want {
                stale.push(format!("{}: {name}", page.display()));
            }
            out.push_str(&rest[..body_start]);
            out.push_str(&want);
            rest = &rest[body_end..];
        }
        out.push_str(rest);
        if bless && out != text {
            std::fs::write(&page, out).unwrap();
        }
    }
    assert!(found >= 1, "generated sections were found");
    assert!(
        bless || stale.is_empty(),
        "generated sections differ from what the code generates (run `PRIVGATE_BLESS=1 cargo \
         test docs` and review the diff):\n{}",
        stale.join("\n")
    );
}

/// Relative link targets of a Markdown text (`[label](target)`), without anchors; code spans
/// and fenced blocks are skipped.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            let target = &after[..end];
            rest = &after[end..];
            let before = &line[..line.len() - rest.len()];
            if before.matches('`').count() % 2 == 1 {
                continue;
            }
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let path = target.split('#').next().unwrap();
            if !path.is_empty() {
                out.push(path.to_owned());
            }
        }
    }
    out
}

#[test]
fn every_relative_link_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for target in links(&text) {
            checked += 1;
            let resolved = page.parent().unwrap().join(&target);
            if !resolved.exists() {
                broken.push(format!("{}: {target}", page.display()));
            }
        }
    }
    assert!(checked > 0, "links were found");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_sees_a_broken_link() {
    let text = "see [a](no/such/file.md) and `[b](code.md)` and [c](https://x.example)";
    assert_eq!(links(text), vec!["no/such/file.md"]);
}
