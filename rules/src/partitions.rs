//! The AWS partitions, for `aws.partition`: which partition a region is in, and that
//! partition's DNS suffixes and capabilities.
//!
//! The facts are AWS's published partition data (the `partitions.json` the AWS SDKs
//! share). A region is matched by name first (the `*-global` pseudo-regions), then by
//! its partition's region pattern; anything else falls back to `aws`, as the SDKs do.

/// One partition's facts.
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: &'static str,
    /// The region pattern `^(<prefix>|...)-\w+-\d+$`, as its alternatives.
    region_prefixes: &'static [&'static str],
    /// Regions named outright (beyond those the pattern matches).
    named_regions: &'static [&'static str],
}

const fn partition(
    name: &'static str,
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
    implicit_global_region: &'static str,
    region_prefixes: &'static [&'static str],
    named_regions: &'static [&'static str],
) -> Partition {
    Partition {
        name,
        dns_suffix,
        dual_stack_dns_suffix,
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region,
        region_prefixes,
        named_regions,
    }
}

/// Every partition; `aws` first, as the fallback.
pub static PARTITIONS: &[Partition] = &[
    partition(
        "aws",
        "amazonaws.com",
        "api.aws",
        "us-east-1",
        &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        &["aws-global"],
    ),
    partition(
        "aws-cn",
        "amazonaws.com.cn",
        "api.amazonwebservices.com.cn",
        "cn-northwest-1",
        &["cn"],
        &["aws-cn-global"],
    ),
    partition(
        "aws-eusc",
        "amazonaws.eu",
        "api.amazonwebservices.eu",
        "eusc-de-east-1",
        &["eusc-de"],
        &[],
    ),
    partition(
        "aws-iso",
        "c2s.ic.gov",
        "api.aws.ic.gov",
        "us-iso-east-1",
        &["us-iso"],
        &["aws-iso-global"],
    ),
    partition(
        "aws-iso-b",
        "sc2s.sgov.gov",
        "api.aws.scloud",
        "us-isob-east-1",
        &["us-isob"],
        &["aws-iso-b-global"],
    ),
    partition(
        "aws-iso-e",
        "cloud.adc-e.uk",
        "api.cloud-aws.adc-e.uk",
        "eu-isoe-west-1",
        &["eu-isoe"],
        &["aws-iso-e-global"],
    ),
    partition(
        "aws-iso-f",
        "csp.hci.ic.gov",
        "api.aws.hci.ic.gov",
        "us-isof-south-1",
        &["us-isof"],
        &["aws-iso-f-global"],
    ),
    partition(
        "aws-us-gov",
        "amazonaws.com",
        "api.aws",
        "us-gov-west-1",
        &["us-gov"],
        &["aws-us-gov-global"],
    ),
];

/// The partition `region` is in.
pub fn partition_of(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.named_regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|p| p.matches(region)))
        .unwrap_or(&PARTITIONS[0])
}

impl Partition {
    /// `^(<prefix>|...)-\w+-\d+$`: a prefix, then a word without hyphens, then digits.
    fn matches(&self, region: &str) -> bool {
        self.region_prefixes.iter().any(|prefix| {
            let Some(rest) = region
                .strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('-'))
            else {
                return false;
            };
            let Some((word, digits)) = rest.split_once('-') else {
                return false;
            };
            !word.is_empty()
                && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_find_their_partitions() {
        for (region, name) in [
            ("us-east-1", "aws"),
            ("il-central-1", "aws"),
            ("aws-global", "aws"),
            ("cn-north-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
            ("aws-iso-b-global", "aws-iso-b"),
            // Unknown shapes fall back to `aws`.
            ("mars-east-1", "aws"),
            ("us-east-1a", "aws"),
            ("", "aws"),
        ] {
            assert_eq!(partition_of(region).name, name, "{region}");
        }
        // `us-iso-east-1` is not `aws` (`\w` has no hyphen).
        assert!(!PARTITIONS[0].matches("us-iso-east-1"));
        assert!(!PARTITIONS[0].matches("us-east-"));
        assert!(!PARTITIONS[0].matches("us--1"));
    }
}
