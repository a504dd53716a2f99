//! Absolute shape IDs (`namespace#Name`, optionally `$member`).

use std::fmt;

/// An absolute Smithy shape ID. Members are addressed by `member`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    pub namespace: String,
    pub name: String,
    pub member: Option<String>,
}

impl ShapeId {
    /// Parses `ns#Name` or `ns#Name$member`; relative IDs are not accepted here.
    pub fn parse(text: &str) -> Result<ShapeId, String> {
        let (namespace, rest) = text
            .split_once('#')
            .ok_or_else(|| format!("`{text}` is not an absolute shape ID (missing `#`)"))?;
        let (name, member) = match rest.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (rest, None),
        };
        let namespace_ok = !namespace.is_empty() && namespace.split('.').all(is_identifier);
        if !namespace_ok || !is_identifier(name) || member.is_some_and(|m| !is_identifier(m)) {
            return Err(format!("`{text}` is not a valid shape ID"));
        }
        Ok(ShapeId {
            namespace: namespace.to_string(),
            name: name.to_string(),
            member: member.map(str::to_string),
        })
    }

    /// A shape ID in the Smithy prelude (`smithy.api`).
    pub fn prelude(name: &str) -> ShapeId {
        ShapeId {
            namespace: "smithy.api".to_string(),
            name: name.to_string(),
            member: None,
        }
    }

    /// The ID of the shape that owns this member (or the shape itself).
    pub fn root(&self) -> ShapeId {
        ShapeId {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            member: None,
        }
    }

    /// The ID of member `member` of this shape.
    pub fn with_member(&self, member: &str) -> ShapeId {
        ShapeId {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            member: Some(member.to_string()),
        }
    }

    pub fn is_prelude(&self) -> bool {
        self.namespace == "smithy.api"
    }
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)?;
        if let Some(member) = &self.member {
            write!(f, "${member}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_absolute_ids() {
        let id = ShapeId::parse("com.example#Foo$bar").unwrap();
        assert_eq!(id.namespace, "com.example");
        assert_eq!(id.name, "Foo");
        assert_eq!(id.member.as_deref(), Some("bar"));
        assert_eq!(id.to_string(), "com.example#Foo$bar");
    }

    #[test]
    fn rejects_relative_and_malformed_ids() {
        assert!(ShapeId::parse("Foo").is_err());
        assert!(ShapeId::parse("com.example#1Foo").is_err());
        assert!(ShapeId::parse("com..example#Foo").is_err());
        assert!(ShapeId::parse("com.example#Foo$").is_err());
    }
}
