//! Every policy example in README.md is checked, and every policy test example in it passes.

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
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
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
