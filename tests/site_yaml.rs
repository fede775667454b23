//! The reference of `site.yaml` and its JSON Schema: both committed files are what `medfm
//! schema` prints, every real site's `site.yaml` validates against the schema (checked by the
//! small validator below: the schema uses only `$ref`, `type`, `properties`,
//! `additionalProperties`, `required`, `minProperties`, `anyOf`, `oneOf`, `allOf`, `const` and
//! `items`), a typo does not, and the front-matter reference of another site shows that site's
//! own examples.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::{medfm, repo_root, TestProject};

/// What `medfm schema <args>` prints for the real site.
fn schema_output(args: &[&str]) -> String {
    let run = medfm()
        .arg("schema")
        .args(args)
        .arg("--root")
        .arg(repo_root())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8(run.stdout).unwrap()
}

fn json_schema() -> Value {
    serde_json::from_str(&schema_output(&["--json-schema"])).unwrap()
}

#[test]
fn committed_site_yaml_reference_is_current() {
    let generated = schema_output(&["--site-yaml"]);
    let committed =
        std::fs::read_to_string(repo_root().join("docs/site-yaml.md")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/site-yaml.md is stale: run `cargo run -- schema --site-yaml > docs/site-yaml.md`"
    );
    for needle in [
        "## Top level",
        "## Collection\n\nAt `collections.<name>`.",
        "## Field\n\nAt `collections.<name>.fields.<name>`.",
        "| `unit` | text per language |",
        "unit: {en: km, zh: 公里}",
        "Columns in order: field names, taxonomy names, or `name`.",
        "or every entry of the collection when `field` is left out.",
        "Needs the UI strings `table`, `table_name` in `strings`.",
        "| `number` | A number (`0.25`, `1e9`), shown with `unit`",
    ] {
        assert!(generated.contains(needle), "{needle}");
    }
}

#[test]
fn committed_json_schema_is_current() {
    let generated = schema_output(&["--json-schema"]);
    let committed =
        std::fs::read_to_string(repo_root().join("docs/site.schema.json")).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/site.schema.json is stale: run `cargo run -- schema --json-schema > docs/site.schema.json`"
    );
}

/// Every `site.yaml` of the repository: the real site's, the fixtures', the starter site's of
/// `medfm init`, the user guide's.
fn every_site_yaml() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !matches!(name.as_ref(), "target" | ".git" | "node_modules" | "public")
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "site.yaml")
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

#[test]
fn every_site_yaml_of_the_repository_validates_against_the_schema() {
    let schema = json_schema();
    let files = every_site_yaml();
    for expected in [
        "site.yaml",
        "tests/fixtures/site.yaml",
        "tests/fixtures/legal-ai/site.yaml",
        "src/commands/init/theme/site.yaml",
    ] {
        assert!(files.contains(&repo_root().join(expected)), "{expected}");
    }
    for file in files {
        let yaml: Value = serde_yaml::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let problems = validate(&schema, &schema, &yaml, "");
        assert_eq!(problems, Vec::<String>::new(), "{}", file.display());
    }
}

#[test]
fn the_schema_flags_what_medfm_rejects() {
    let schema = json_schema();
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/site.yaml")).unwrap();
    let mut yaml: Value = serde_yaml::from_str(&text).unwrap();
    let first = &mut yaml["collections"]["models"];
    first["fileds"] = Value::Null;
    first["fields"]["title"]["type"] = "txt".into();
    yaml["table"]["columns"] = serde_json::json!([{ "key": "name" }]);
    assert_eq!(
        validate(&schema, &schema, &yaml, ""),
        [
            "/collections/models/fields/title/type: not one of the allowed values",
            "/collections/models: unknown key `fileds`",
            "/table: no alternative matches",
        ]
    );
}

#[test]
fn the_front_matter_reference_of_another_site_shows_its_own_examples() {
    let p = TestProject::site_fixture("legal-ai");
    let run = p.run(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let intro = run.stdout.split("```\n").next().unwrap();
    // serde_yaml's mapping keeps the order of the file: the first collection is the first written.
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(p.root().join("site.yaml")).unwrap())
            .unwrap();
    let (_, first) = yaml["collections"]
        .as_mapping()
        .unwrap()
        .iter()
        .next()
        .unwrap();
    let kind = first["kind"].as_str().unwrap();
    let vocabulary = first["fields"][kind]["vocabulary"].as_str().unwrap();
    let terms = yaml["vocabularies"][vocabulary].as_mapping().unwrap();
    let term = terms.keys().next().unwrap().as_str().unwrap();
    assert!(intro.contains(&format!("\n{kind}: {term}\n")), "{intro}");
    let scaffold = first["scaffold"][yaml["default_language"].as_str().unwrap()]
        .as_str()
        .unwrap();
    let heading = scaffold.lines().find(|l| l.starts_with("## ")).unwrap();
    assert!(intro.contains(heading), "{intro}");
    for medical in ["MedSAM", "概述", "Dice"] {
        assert!(
            !run.stdout.contains(medical),
            "{medical} in\n{}",
            run.stdout
        );
    }
}

/// The problems of `value` against `schema` (`root` holds the definitions), each as
/// `pointer: what`.
fn validate(root: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.strip_prefix("#/definitions/").unwrap();
        return validate(root, &root["definitions"][name], value, at);
    }
    let mut out = Vec::new();
    let problem = |what: &str| vec![format!("{at}: {what}")];
    if let Some(all) = schema["allOf"].as_array() {
        out.extend(all.iter().flat_map(|s| validate(root, s, value, at)));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alternatives) = schema[key].as_array() {
            let matching = (alternatives.iter())
                .filter(|s| validate(root, s, value, at).is_empty())
                .count();
            let consts = alternatives.iter().all(|a| a.get("const").is_some());
            match (matching, consts) {
                (0, true) => return problem("not one of the allowed values"),
                (0, false) => return problem("no alternative matches"),
                _ => {}
            }
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            return problem(&format!("is not {c}"));
        }
    }
    if !type_matches(&schema["type"], value) {
        return problem(&format!("expected {}", schema["type"]));
    }
    if let Some(items) = schema.get("items") {
        for (i, item) in value.as_array().into_iter().flatten().enumerate() {
            out.extend(validate(root, items, item, &format!("{at}/{i}")));
        }
    }
    if let Some(map) = value.as_object() {
        out.extend(validate_object(root, schema, map, at));
    }
    out
}

fn validate_object(
    root: &Value,
    schema: &Value,
    map: &serde_json::Map<String, Value>,
    at: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for required in schema["required"].as_array().into_iter().flatten() {
        let key = required.as_str().unwrap();
        if !map.contains_key(key) {
            out.push(format!("{at}: `{key}` is missing"));
        }
    }
    if let Some(min) = schema["minProperties"].as_u64() {
        if (map.len() as u64) < min {
            out.push(format!("{at}: fewer than {min} keys"));
        }
    }
    for (key, value) in map {
        let here = format!("{at}/{key}");
        match (
            schema["properties"].get(key),
            &schema["additionalProperties"],
        ) {
            (Some(property), _) => out.extend(validate(root, property, value, &here)),
            (None, Value::Bool(false)) => out.push(format!("{at}: unknown key `{key}`")),
            (None, Value::Object(_)) => {
                let values = &schema["additionalProperties"];
                out.extend(validate(root, values, value, &here));
            }
            (None, _) => {}
        }
    }
    out
}

fn type_matches(ty: &Value, value: &Value) -> bool {
    let is = |t: &str| match t {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "null" => value.is_null(),
        _ => false,
    };
    match ty {
        Value::String(t) => is(t),
        Value::Array(types) => types.iter().filter_map(Value::as_str).any(is),
        _ => true,
    }
}
