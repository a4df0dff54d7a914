//! `privgate playground`: the local policy page (src/playground/), on loopback unless an admin
//! token is configured.

use super::*;

pub(super) fn playground(args: PlaygroundArgs) -> Result<ExitCode> {
    let config = tool_config(&args.state)?;
    let configured = HashKey::configured(
        config.hash_key_file.as_deref(),
        &config.data_dir.join("hash.key"),
    )?;
    let token = match std::env::var("PRIVGATE_ADMIN_TOKEN") {
        Ok(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
        _ => match &config.admin_token_file {
            Some(p) => {
                Some(std::fs::read_to_string(p)?.trim().to_owned()).filter(|t| !t.is_empty())
            }
            None => None,
        },
    };
    if !args.listen.ip().is_loopback() && token.is_none() {
        bail!(
            "--listen {} is not loopback: set PRIVGATE_ADMIN_TOKEN or admin_token_file",
            args.listen
        );
    }
    let initial = args
        .policies
        .iter()
        .map(|a| policy::load(a).map(|s| (s.source.name.to_string(), s.source.text.to_string())))
        .collect::<Result<Vec<_>, _>>()?;
    let pg = privgate::playground::Playground {
        initial,
        key_configured: configured.is_some(),
        key: configured.unwrap_or_else(HashKey::ephemeral),
        token,
        save_to: args.save_tests,
        policy_args: args.policies,
    };
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        println!("privgate playground on http://{}/", listener.local_addr()?);
        pg.serve(listener).await
    })?;
    Ok(ExitCode::SUCCESS)
}
