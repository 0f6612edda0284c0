//! The Nu HTML Checker (the W3C's validator, `vnu.jar`) run over pages the
//! tests collected. It never skips: scripts/test fetches the jar (pinned by
//! version and checksum, see scripts/lib/checkers.sh) and installs Java.

use std::{path::PathBuf, process::Command};

/// Where scripts/test puts the checker; `LIAISON_VNU_JAR` overrides it.
fn jar() -> PathBuf {
    let jar = std::env::var_os("LIAISON_VNU_JAR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".data/tools/vnu/vnu.jar"),
        PathBuf::from,
    );
    assert!(
        jar.is_file(),
        "the Nu HTML Checker is not at {}: run scripts/test once, which fetches it \
         (HTML checks are never skipped)",
        jar.display()
    );
    jar
}

/// Checks each page (a label and its markup) and returns every error, by label.
pub fn check(pages: &[(String, String)]) -> Vec<String> {
    let jar = jar();
    let dir = std::env::temp_dir().join(format!("liaison-markup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("markup dir");
    for (i, (_, html)) in pages.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:04}.html")), html).expect("write page");
    }
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu", "--exit-zero-always"])
        .arg(&dir)
        .output()
        .expect("java: install a Java runtime (scripts/test installs default-jre-headless)");
    let _ = std::fs::remove_dir_all(&dir);
    let report = String::from_utf8_lossy(&output.stderr);
    // `"file:/tmp/.../0007.html":12.5-12.40: error: message`
    report
        .lines()
        .filter(|line| line.contains(": error"))
        .map(|line| {
            let page = line
                .split(".html")
                .next()
                .and_then(|p| p.rsplit('/').next())
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|i| pages.get(i))
                .map_or("?", |(label, _)| label.as_str());
            let at = line.split(".html\"").nth(1).unwrap_or(line);
            format!("{page}{at}")
        })
        .collect()
}

#[test]
fn the_checker_reports_the_errors_an_outside_check_found() {
    let page = |body: &str| {
        format!(
            "<!doctype html><html lang=\"en\"><head><title>t</title></head><body>{body}</body></html>"
        )
    };
    let errors = check(&[
        ("fine".to_owned(), page("<p>ok</p>")),
        (
            "labelled div".to_owned(),
            page("<div aria-label=\"x\">a</div>"),
        ),
        (
            "empty option".to_owned(),
            page("<label>k <select><option></option></select></label>"),
        ),
    ]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("labelled div:"), "{errors:?}");
    assert!(errors[0].contains("“aria-label” attribute must not be specified"));
    assert!(errors[1].starts_with("empty option:"), "{errors:?}");
}
