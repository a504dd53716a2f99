//! `@paginated` as the plan holds it: the operation's settings merged over the service's,
//! each member path resolved to the Rust fields it goes through, checked at generation
//! time.

use serde_json::Value;

use crate::model::{Model, ShapeKind};
use crate::traits::Trait;
use crate::{Diagnostic, ShapeId};

/// A paginated operation's members, as paths of member names.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// The input member the next page's token goes in.
    pub input_token: String,
    /// Where the output has the next token (`nextToken`, or `page.next`).
    pub output_token: Vec<String>,
    /// Where the output has the page's items, if the trait names them.
    pub items: Option<Vec<String>>,
    /// The input member that limits a page's size.
    pub page_size: Option<String>,
}

fn paginated(traits: &crate::traits::Traits) -> Option<&Value> {
    match traits.get(&ShapeId::prelude("paginated"))? {
        Trait::Other(value) => Some(value),
        _ => None,
    }
}

/// The operation's pagination, if it is paginated; a setting that names no member is a
/// diagnostic.
pub fn plan(
    model: &Model,
    service_id: &ShapeId,
    operation_id: &ShapeId,
    input: &ShapeId,
    output: &ShapeId,
) -> Result<Option<Pagination>, Diagnostic> {
    let operation = &model.shapes[operation_id];
    let Some(own) = paginated(&operation.traits) else {
        return Ok(None);
    };
    let defaults = paginated(&model.shapes[service_id].traits);
    let setting = |key: &str| {
        own.get(key)
            .or_else(|| defaults.and_then(|d| d.get(key)))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let fail = |message: String| {
        let mut diagnostic = Diagnostic::new(message).at_shape(operation_id);
        diagnostic.file = operation.file.clone();
        diagnostic
    };
    let (Some(input_token), Some(output_token)) = (setting("inputToken"), setting("outputToken"))
    else {
        return Err(fail(
            "`@paginated` needs `inputToken` and `outputToken` (on the operation or the service)"
                .into(),
        ));
    };
    let path = |root: &ShapeId, text: &str, what: &str| -> Result<Vec<String>, Diagnostic> {
        let parts: Vec<String> = text.split('.').map(str::to_owned).collect();
        let mut shape = root.clone();
        for part in &parts {
            let member = match &model.shapes.get(&shape).map(|s| &s.kind) {
                Some(ShapeKind::Structure(members)) => members.iter().find(|m| m.name == *part),
                _ => None,
            };
            let Some(member) = member else {
                return Err(fail(format!(
                    "`@paginated`'s {what} `{text}` names no member of `{root}`"
                )));
            };
            shape = member.target.clone();
        }
        Ok(parts)
    };
    let input_token_path = path(input, &input_token, "inputToken")?;
    if input_token_path.len() != 1 {
        return Err(fail(format!(
            "`@paginated`'s inputToken `{input_token}` is not a top-level member"
        )));
    }
    let page_size = setting("pageSize")
        .map(|p| path(input, &p, "pageSize").map(|_| p))
        .transpose()?;
    Ok(Some(Pagination {
        input_token,
        output_token: path(output, &output_token, "outputToken")?,
        items: setting("items")
            .map(|items| path(output, &items, "items"))
            .transpose()?,
        page_size,
    }))
}
