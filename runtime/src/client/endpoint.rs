//! Where requests go: the `endpoint_url` override, else the service's standard regional
//! endpoint in the `aws` partition, with the FIPS and dual-stack variants.

/// The base URL (scheme and host, no trailing slash) for a service's requests.
pub fn resolve(
    endpoint_url: Option<&str>,
    endpoint_prefix: Option<&str>,
    region: Option<&str>,
    use_fips: bool,
    use_dual_stack: bool,
) -> Result<String, String> {
    if let Some(url) = endpoint_url {
        return Ok(url.trim_end_matches('/').to_string());
    }
    let prefix = endpoint_prefix.ok_or("the service has no endpoint prefix; set endpoint_url")?;
    let region = region.ok_or("no region is configured (set it, or AWS_REGION)")?;
    if region.is_empty()
        || !region
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!("`{region}` is not a valid region name"));
    }
    let host = if use_fips {
        format!("{prefix}-fips")
    } else {
        prefix.to_string()
    };
    let domain = if use_dual_stack {
        "api.aws"
    } else {
        "amazonaws.com"
    };
    Ok(format!("https://{host}.{region}.{domain}"))
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn standard_fips_and_dual_stack() {
        let r = |fips, dual| resolve(None, Some("athena"), Some("eu-west-1"), fips, dual).unwrap();
        assert_eq!(r(false, false), "https://athena.eu-west-1.amazonaws.com");
        assert_eq!(
            r(true, false),
            "https://athena-fips.eu-west-1.amazonaws.com"
        );
        assert_eq!(r(false, true), "https://athena.eu-west-1.api.aws");
        assert_eq!(r(true, true), "https://athena-fips.eu-west-1.api.aws");
        assert_eq!(
            resolve(Some("http://127.0.0.1:9/"), None, None, false, false).unwrap(),
            "http://127.0.0.1:9"
        );
        assert!(resolve(None, Some("athena"), None, false, false).is_err());
        assert!(resolve(None, Some("athena"), Some("bad/region"), false, false).is_err());
    }
}
