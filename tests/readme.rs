//! Every policy example in README.md and the guide (`docs/`) is checked, and every policy test
//! example in them passes.

use crate::support::run;

/// (header line, body) of each ```yaml block whose first line is `# file: X` or `# test: X`.
fn blocks(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```yaml" {
            continue;
        }
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        if let Some(first) = body.first()
            && (first.starts_with("# file:") || first.starts_with("# test:"))
        {
            out.push((first.to_string(), body[1..].join("\n") + "\n"));
        }
    }
    out
}

#[test]
fn readme_examples_are_valid_and_their_tests_pass() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut dirs = vec![root.join("docs")];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                readme.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let blocks = blocks(&readme);
    let (mut policies, mut tests) = (0, 0);
    for (header, body) in &blocks {
        if let Some(name) = header.strip_prefix("# file:") {
            std::fs::write(dir.path().join(name.trim()), body).unwrap();
            policies += 1;
        }
    }
    for (header, body) in &blocks {
        if let Some(name) = header.strip_prefix("# file:") {
            let path = dir.path().join(name.trim());
            let (code, out, err) = run(&["check", path.to_str().unwrap()], None);
            assert_eq!(code, 0, "README policy {name} does not check:\n{out}{err}");
            assert!(
                !err.contains("warning"),
                "README policy {name} has warnings:\n{err}"
            );
        } else if let Some(name) = header.strip_prefix("# test:") {
            let path = dir.path().join(format!("test-{}.yaml", name.trim()));
            std::fs::write(&path, body).unwrap();
            let (code, out, err) = run(&["test", path.to_str().unwrap()], None);
            assert_eq!(code, 0, "README test {name} fails:\n{out}{err}");
            tests += 1;
        }
    }
    assert!(
        policies >= 3 && tests >= 3,
        "the README examples were found ({policies} policies, {tests} tests)"
    );
}
