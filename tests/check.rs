//! `privgate check`: every mistake reported at once, each with file:line:col, the line and a
//! caret, and a suggestion where one exists.

use crate::support::run;

fn check(text: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    std::fs::write(&path, text).unwrap();
    let (code, out, err) = run(&["check", path.to_str().unwrap()], None);
    (
        code,
        out,
        err.replace(&path.display().to_string(), "p.yaml"),
    )
}

/// (policy text, expected `p.yaml:L:C: error: message` line, expected help or "")
const MISTAKES: &[(&str, &str, &str)] = &[
    (
        "policy: p\nrules:\n  - id: a\n    fields: [identity]\n    action: { replace: '[{rul}]' }\n",
        "p.yaml:5:15: error: unknown placeholder `{rul}` in `replace`",
        "did you mean `rule`?",
    ),
    (
        "policy: a\npolicy: b\nrules: []\n",
        "p.yaml:2:1: error: invalid YAML: the key `policy` appears twice in this mapping",
        "",
    ),
    (
        "policy: p\nrules:\n  - id: a\n   fields: [x\n",
        "p.yaml:4:4: error: invalid YAML: while parsing a block collection, did not find expected '-' indicator",
        "",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    feilds: [identity]\n    action: remove\n",
        "p.yaml:4:5: error: unknown key `feilds` in a rule",
        "did you mean `fields`?",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    fields: [identity]\n    action: hashh\n",
        "p.yaml:5:13: error: unknown action `hashh`",
        "did you mean `hash`?",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    when: { event: { matches: '(?i)diag(' } }\n    action: drop_event\n",
        "p.yaml:4:31: error: invalid regex `(?i)diag(`: unclosed group",
        "",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    fields: [identity]\n    action: hash\n  - id: a\n    fields: [user_id]\n    action: hash\n",
        "p.yaml:6:9: error: duplicate rule id `a`",
        "the first rule with this id is on line 3",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    fields: [propertes.email]\n    action: remove\n",
        "p.yaml:4:14: error: `propertes` is not a field of the event model, so `propertes.email` can never match",
        "did you mean `properties`?",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    fields: [properties.note]\n    detect: [emial]\n    action: mask\n",
        "p.yaml:5:14: error: unknown detector `emial`",
        "did you mean `email`?",
    ),
    (
        "policy: p\nmode: shaddow\nrules: []\n",
        "p.yaml:2:7: error: unknown mode `shaddow`",
        "did you mean `shadow`?",
    ),
    (
        "policy: p\nscope:\n  kinds: [trak]\nrules: []\n",
        "p.yaml:3:11: error: unknown event kind `trak`",
        "did you mean `track`?",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    action: mask\n",
        "p.yaml:4:13: error: rule `a` has no `fields` for `mask` to act on",
        "add `fields: [...]`, or use `drop_event` to drop whole events",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    fields: identity\n    action: { mask: { keep_last: four } }\n",
        "p.yaml:5:34: error: `keep_last` must be a non-negative whole number, found a string",
        "",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    when: { subject: opted-out }\n    action: drop_event\n",
        "p.yaml:4:22: error: unknown subject state `opted-out`",
        "did you mean `opted_out`?",
    ),
    (
        "policy: p\nrules:\n  - id: a\n    fields: [client.ip]\n    action: { generalize: yaer }\n",
        "p.yaml:5:27: error: unknown generalize method `yaer`",
        "did you mean `year`?",
    ),
    (
        "polcy: p\nrules: []\n",
        "p.yaml:1:1: error: unknown key `polcy` in a policy file",
        "did you mean `policy`?",
    ),
    (
        "policy: p\ndetectors:\n  case_no:\n    pattern: '[0-9]{7}'\n    context: [Aktenzeichen, '--']\nrules: []\n",
        "p.yaml:5:29: error: detector `case_no` has an unusable context word `--`: it has no letter or digit, so it cannot be matched as a word",
        "",
    ),
    (
        "policy: p\ndetectors:\n  case_no:\n    keys: [case_ref]\n    context: [case]\nrules: []\n",
        "p.yaml:3:3: error: detector `case_no` has `context` but no `pattern`; context words confirm pattern matches in text, values under `keys` need none",
        "",
    ),
    (
        "policy: P Q\nrules: []\n",
        "p.yaml:1:9: error: policy name `P Q` may only contain a-z, 0-9, `_` and `-`",
        "names appear in audit records and on the command line",
    ),
];

#[test]
fn each_mistake_is_pinned_to_its_line_and_column() {
    for (text, expected, help) in MISTAKES {
        let (code, _, err) = check(text);
        assert_eq!(code, 1, "{text}\n{err}");
        assert!(
            err.lines().any(|l| l == *expected),
            "expected `{expected}` in:\n{err}"
        );
        assert!(err.contains(help), "expected help `{help}` in:\n{err}");
        assert!(err.contains(" | "), "the offending line is shown:\n{err}");
        assert!(err.contains('^'), "a caret marks the place:\n{err}");
    }
}

#[test]
fn all_errors_of_a_file_are_reported_at_once() {
    let (code, _, err) = check(
        "policy: p\nrules:\n  - id: a\n    feilds: [identity]\n    action: hashh\n  - id: b\n    fields: [propertes.x]\n    action: remove\n",
    );
    assert_eq!(code, 1);
    for want in ["p.yaml:4:5:", "p.yaml:5:13:", "p.yaml:7:14:"] {
        assert!(err.contains(want), "missing {want} in:\n{err}");
    }
    assert!(
        err.contains("checked 1 file: 3 errors, 0 warnings"),
        "{err}"
    );
}

#[test]
fn valid_policies_pass_and_folders_are_checked() {
    let (code, out, err) = run(
        &["check", concat!(env!("CARGO_MANIFEST_DIR"), "/policies")],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("0 errors"), "{out}");
}

#[test]
fn rules_after_a_catch_all_drop_are_warned_about_but_pass() {
    let (code, _, err) = check(
        "policy: p\nrules:\n  - id: everything\n    action: drop_event\n  - id: late\n    fields: [identity]\n    action: hash\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("p.yaml:5:5: warning: rule `late` can never run"),
        "{err}"
    );
}

#[test]
fn two_files_with_one_policy_name_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["a.yaml", "b.yaml"] {
        std::fs::write(
            dir.path().join(f),
            "policy: acme\nrules:\n  - id: r\n    fields: [identity]\n    action: hash\n",
        )
        .unwrap();
    }
    let (code, _, err) = run(&["check", dir.path().to_str().unwrap()], None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("b.yaml: error: policy `acme` is also defined in")
            && err.contains("a.yaml; the two cannot be loaded together"),
        "{err}"
    );
    assert!(
        err.contains("checked 2 files: 1 error, 0 warnings"),
        "{err}"
    );
}
