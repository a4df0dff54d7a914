//! `privgate audit verify|summary`.

use super::*;

/// Expands the paths of `audit verify` / `audit summary`, noting what is left out.
pub(super) fn audit_files(paths: &[PathBuf]) -> Result<privgate::audit::files::Resolved> {
    let resolved = privgate::audit::files::resolve(paths)?;
    for (path, why) in &resolved.skipped {
        eprintln!("privgate: note: skipped {}: {why}", path.display());
    }
    if resolved.files.is_empty() {
        bail!("no audit log files to read");
    }
    Ok(resolved)
}

pub(super) fn audit_verify(paths: &[PathBuf]) -> Result<ExitCode> {
    let resolved = audit_files(paths)?;
    match privgate::audit::verify::verify(&resolved.files) {
        Ok(verified) => {
            println!("{verified}");
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            eprintln!("privgate: {broken}");
            match &broken.good_until {
                Some((file, line, seq)) => eprintln!(
                    "privgate: the chain is intact up to {}:{line} (seq {seq})",
                    file.display()
                ),
                None => eprintln!("privgate: no part of the chain before this line is vouched for"),
            }
            Ok(ExitCode::from(1))
        }
    }
}

pub(super) fn audit_summary(args: &AuditSummaryArgs) -> Result<ExitCode> {
    use privgate::audit::summary::{self, Bucket, Options};
    let time = |flag: &str, value: &Option<String>| -> Result<_> {
        value
            .as_deref()
            .map(summary::parse_time)
            .transpose()
            .map_err(|e| anyhow::anyhow!("{flag}: {e}"))
    };
    let options = Options {
        since: time("--since", &args.since)?,
        until: time("--until", &args.until)?,
        bucket: args.bucket.map(|b| match b {
            BucketArg::Hour => Bucket::Hour,
            BucketArg::Day => Bucket::Day,
        }),
    };
    if let (Some(s), Some(u)) = (options.since, options.until)
        && s >= u
    {
        bail!("--since must be before --until");
    }
    let resolved = audit_files(&args.paths)?;
    let summary = summary::summarize(&resolved, &options)?;
    if !summary.integrity.ok {
        eprintln!(
            "privgate: warning: the hash chain is broken: {}",
            summary::clean(&summary.integrity.message)
        );
    }
    let out = match args.format {
        SummaryFormat::Text => summary.to_text(),
        SummaryFormat::Json => summary.to_json() + "\n",
        SummaryFormat::Html => privgate::audit::html::render(&summary),
    };
    use std::io::Write;
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("cannot write the summary")?;
    Ok(ExitCode::SUCCESS)
}
