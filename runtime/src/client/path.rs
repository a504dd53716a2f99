//! JMESPath expressions over the JSON form of an input or output: what
//! `@operationContextParams` paths and waiters' acceptors are written in. The `jmespath`
//! crate (the JMESPath project's Rust implementation) evaluates them; it is built only
//! into crates whose model has such paths (the runtime's `jmespath` feature).

use serde_json::Value;

/// The value of `path` over `input`; `None` when it gives `null` or does not parse.
#[cfg(feature = "jmespath")]
pub fn evaluate(path: &str, input: &Value) -> Option<Value> {
    let expression = jmespath::compile(path).ok()?;
    let result = expression.search(input).ok()?;
    match serde_json::to_value(&*result).ok()? {
        Value::Null => None,
        value => Some(value),
    }
}

/// Without the `jmespath` feature no path is evaluated (generated crates whose model has
/// paths turn the feature on).
#[cfg(not(feature = "jmespath"))]
pub fn evaluate(_path: &str, _input: &Value) -> Option<Value> {
    None
}

#[cfg(all(test, feature = "jmespath"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(path: &str, input: &Value) -> Value {
        evaluate(path, input).unwrap_or(Value::Null)
    }

    #[test]
    fn operation_context_param_paths() {
        let input = json!({
            "RequestItems": {"music": {}, "films": {}},
            "TableCreationParameters": {"TableName": "new"},
            "TransactItems": [
                {"Get": {"TableName": "a"}},
                {"Put": {"TableName": "b"}},
                {"Update": {"TableName": "c"}, "ConditionCheck": {"TableName": "d"}}
            ]
        });
        // In the map's order: sorted, or as written when serde_json preserves it.
        let mut keys = eval("keys(RequestItems)", &input)
            .as_array()
            .unwrap()
            .clone();
        keys.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        assert_eq!(keys, [json!("films"), json!("music")]);
        assert_eq!(
            eval("TableCreationParameters.TableName", &input),
            json!("new")
        );
        assert_eq!(eval("TransactItems[*].Get.TableName", &input), json!(["a"]));
        assert_eq!(
            eval(
                "TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, Update.TableName][]",
                &input
            ),
            json!(["b", "d", "c"])
        );
        assert_eq!(evaluate("Missing.Field", &input), None);
    }

    #[test]
    fn waiter_paths() {
        let output = json!({
            "Table": {"TableStatus": "ACTIVE", "Replicas": [{"Status": "ACTIVE"}, {"Status": "CREATING"}]},
            "Items": [1, 2, 3],
            "Name": "x"
        });
        assert_eq!(eval("Table.TableStatus", &output), json!("ACTIVE"));
        assert_eq!(
            eval("Table.Replicas[].Status", &output),
            json!(["ACTIVE", "CREATING"])
        );
        assert_eq!(eval("length(Items) > `2`", &output), json!(true));
        assert_eq!(eval("length(Items[?@ > `1`])", &output), json!(2));
        assert_eq!(
            eval("contains(Table.Replicas[].Status, 'CREATING')", &output),
            json!(true)
        );
        assert_eq!(
            eval("Name == 'x' && !(Items[0] == `2`)", &output),
            json!(true)
        );
        assert_eq!(
            eval("Table.Replicas[?Status == 'ACTIVE'] | [0].Status", &output),
            json!("ACTIVE")
        );
        assert_eq!(eval("Items[*] | length(@)", &output), json!(3));
        assert_eq!(eval("Items[-1]", &output), json!(3));
        assert_eq!(eval("\"Name\"", &output), json!("x"));
        assert_eq!(evaluate("Items[", &output), None);
    }
}
