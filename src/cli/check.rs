//! `privgate check` and `privgate test`: the policy files of the arguments, validated or run.

use super::*;

/// Policy files named by the arguments: files as given, folders' *.yaml / *.yml files.
pub(super) fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let inside =
                policy::yaml_files_in(path).with_context(|| format!("{}", path.display()))?;
            if inside.is_empty() {
                bail!("{}: no .yaml files in this folder", path.display());
            }
            files.extend(inside);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or folder", path.display());
        }
    }
    Ok(files)
}

pub(super) fn check(paths: &[PathBuf]) -> Result<ExitCode> {
    let files = policy_files(paths)?;
    let (mut errors, mut warnings) = (0, 0);
    // Each file is checked on its own; names must still differ, or the files cannot be loaded
    // together (a folder is usually deployed as one set).
    let mut names: Vec<(String, &PathBuf)> = Vec::new();
    for file in &files {
        let source = policy::load_file(file)?;
        let Compiled { reports, set } =
            policy::compile_set(std::slice::from_ref(&source), HashKey::ephemeral());
        for report in &reports {
            errors += report.error_count();
            warnings += report.warning_count();
            eprintln!("{report}");
        }
        for p in set.iter().flat_map(|s| &s.policies) {
            if let Some((_, first)) = names.iter().find(|(n, _)| **n == *p.name) {
                errors += 1;
                eprintln!(
                    "{}: error: policy `{}` is also defined in {}; the two cannot be loaded together\n",
                    file.display(),
                    p.name,
                    first.display()
                );
            } else {
                names.push((p.name.to_string(), file));
            }
        }
    }
    let summary = format!(
        "checked {} file{}: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    if errors > 0 {
        eprintln!("{summary}");
        return Ok(ExitCode::from(1));
    }
    println!("{summary}");
    Ok(ExitCode::SUCCESS)
}

pub(super) fn test(paths: &[PathBuf]) -> Result<ExitCode> {
    use privgate::policytest;
    let files = policytest::find_files(paths)?;
    if files.is_empty() {
        bail!("no test files found");
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in &files {
        let file = match policytest::read(path) {
            Ok(f) => f,
            Err(report) => {
                println!("{}", path.display());
                println!("{report}");
                failed += 1;
                continue;
            }
        };
        println!(
            "{} (policies: {})",
            path.display(),
            file.policies.join(", ")
        );
        let set = match policytest::policies_for(&file) {
            Ok(set) => set,
            Err(e) => {
                println!("  FAIL the policies do not load:\n{e}");
                failed += file.cases.len().max(1);
                continue;
            }
        };
        for result in policytest::run_file(&file, &set) {
            if result.failures.is_empty() {
                passed += 1;
                println!("  ok    {}", result.name);
            } else {
                failed += 1;
                println!("  FAIL  {}", result.name);
                for f in &result.failures {
                    println!("        - {f}");
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
