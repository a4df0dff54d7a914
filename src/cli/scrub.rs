//! `privgate scrub`: what would be forwarded for one request body, and why.

use super::*;

pub(super) fn scrub(args: ScrubArgs) -> Result<ExitCode> {
    let body = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p == Path::new("-") => read_stdin()?,
        Some(p) => std::fs::read(p)
            .map_err(|e| anyhow::anyhow!("{}: {}", p.display(), privgate::diag::io_reason(&e)))?,
    };
    // The key `serve` uses with the same config: so `hash` outputs match what the proxy sends.
    let config = tool_config(&args.state)?;
    let key = match HashKey::configured(
        config.hash_key_file.as_deref(),
        &config.data_dir.join("hash.key"),
    )? {
        Some(key) => key,
        None => {
            eprintln!("privgate: note: no hash key configured; `hash` outputs use a throwaway key");
            HashKey::ephemeral()
        }
    };
    let set = load_policies(&args.policies, &[], key)?;
    let (path, query) = match args.path.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (args.path.clone(), None),
    };
    let Some(route) = privgate::protocol::route(&path) else {
        bail!("`{path}` is not a route privgate handles");
    };
    let mut headers = http::HeaderMap::new();
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .with_context(|| format!("--header `{h}` must look like `Name: value`"))?;
        let name: http::HeaderName = name
            .trim()
            .parse()
            .with_context(|| format!("`{}` is not a header name", name.trim()))?;
        let value: http::HeaderValue = value
            .trim()
            .parse()
            .with_context(|| format!("the value of header `{name}` is not valid"))?;
        headers.append(name, value);
    }
    if !headers.contains_key(http::header::CONTENT_TYPE) {
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(route.protocol().content_type()),
        );
    }
    // capture/v2 takes protobuf; a JSON object is the message's JSON form, for writing by hand.
    let body = match route.endpoint {
        privgate::protocol::Endpoint::Capture(endpoint) => {
            match serde_json::from_slice::<serde_json::Value>(&body) {
                Ok(json @ serde_json::Value::Object(_)) => {
                    privgate::protocol::capture_v2::json_form::from_json(endpoint, &json).map_err(
                        |e| {
                            anyhow::anyhow!(
                                "the body is not a valid `{}` in its JSON form: {e}",
                                privgate::protocol::capture_v2::message_name(endpoint)
                            )
                        },
                    )?
                }
                _ => body,
            }
        }
        _ => body,
    };
    let raw = privgate::protocol::RawRequest {
        method: route.methods[0].clone(),
        path,
        query,
        headers,
        body: body.into(),
        client_ip: None,
    };
    let processed = match privgate::pipeline::process(
        &set,
        route,
        &raw,
        &privgate::protocol::DecodeLimits::default(),
        &privgate::subjects::Registry::in_memory(),
        &privgate::vault::Vault::in_memory(),
    ) {
        Ok(p) => p,
        Err(privgate::pipeline::ProcessError::Decode(e)) => {
            if args.format == OutputFormat::Json {
                let doc = serde_json::json!({"outcome": "rejected", "status": e.status().as_u16(), "error": e.to_string()});
                println!("{}", serde_json::to_string_pretty(&doc)?);
            }
            eprintln!(
                "privgate: the request would be rejected with {}: {e}",
                e.status().as_u16()
            );
            return Ok(ExitCode::from(1));
        }
        Err(e) => bail!("{e}"),
    };
    if args.format == OutputFormat::Json {
        println!(
            "{}",
            serde_json::to_string_pretty(&privgate::pipeline::explain_json(&processed))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.explain {
        for c in &processed.evaluation.changes {
            let mut line = format!(
                "{}{}/{}: {} events[{}].{}",
                if c.shadow { "(shadow) " } else { "" },
                c.policy,
                c.rule,
                c.action,
                c.event_index,
                c.path
            );
            if let Some(d) = &c.detector {
                line.push_str(&format!(" [{d} x{}", c.count));
                if let Some(e) = c.evidence {
                    line.push_str(&format!(", by {e}"));
                }
                line.push(']');
            }
            if let Some(why) = &c.why {
                line.push_str(&format!(" — {why}"));
            }
            eprintln!("{line}");
        }
    }
    for d in &processed.evaluation.dropped {
        eprintln!(
            "{}event {} dropped by {}/{}{}",
            if d.shadow { "(shadow) " } else { "" },
            d.event_index,
            d.policy,
            d.rule,
            d.why
                .as_deref()
                .map(|w| format!(" — {w}"))
                .unwrap_or_default()
        );
    }
    match &processed.outgoing {
        Some(out) => {
            let view = privgate::protocol::forwarded_view(out);
            println!("{}", serde_json::to_string_pretty(&view)?);
        }
        None => eprintln!("privgate: nothing would be forwarded: every event was dropped"),
    }
    Ok(ExitCode::SUCCESS)
}
