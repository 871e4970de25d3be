//! The HTML report end to end in headless Chromium (Debian's `chromium` + `chromium-driver`),
//! driven over WebDriver on loopback: the page loads with no console error and no network
//! request, a severity filter changes the visible finding count, and a screenshot has content.
//! Skips (with the reason printed) when chromium or chromedriver is not installed.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn find_binary(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Kills chromedriver (and so its browser) when the test ends, however it ends.
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(s) = self.session.take() {
            let _ = http(self.port, "DELETE", &format!("/session/{s}"), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to chromedriver on loopback; returns the JSON body.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    // chromedriver keeps the connection open: read the header, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let header_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed before the header".to_string());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..header_end]).to_ascii_lowercase();
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    let chunked = head.contains("transfer-encoding:") && head.contains("chunked");
    loop {
        let have = raw.len() - header_end;
        let done = match length {
            Some(n) => have >= n,
            None => chunked && raw.ends_with(b"0\r\n\r\n"),
        };
        if done {
            break;
        }
        let n = s.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let rest = String::from_utf8_lossy(&raw[header_end..]).to_string();
    let body = if chunked { dechunk(&rest) } else { rest };
    serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

fn value(v: Result<Value, String>) -> Value {
    let v = v.expect("webdriver request");
    assert!(
        v["value"].get("error").is_none(),
        "webdriver error: {}",
        v["value"]
    );
    v["value"].clone()
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn start(chromedriver: &Path) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn chromedriver");
    let driver = Driver {
        child,
        port,
        session: None,
    };
    let started = Instant::now();
    while http(port, "GET", "/status", None).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

#[test]
fn html_report_in_headless_chromium() {
    let (Some(chromium), Some(chromedriver)) = (
        find_binary(&["chromium", "chromium-browser"]),
        find_binary(&["chromedriver"]),
    ) else {
        println!(
            "skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        );
        return;
    };
    let a = common::demo();
    let html = shipready_report::html::render(
        &a,
        &shipready_report::html::HtmlOptions {
            date: common::DATE.to_string(),
        },
    );
    let page = common::keep("browser-shop.html", &html);
    let page = std::fs::canonicalize(&page).expect("page path");

    let mut d = start(&chromedriver);
    let profile = Path::new(env!("CARGO_TARGET_TMPDIR")).join("chromium-profile");
    let _ = std::fs::remove_dir_all(&profile);
    let caps = json!({"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--no-first-run", "--disable-extensions", "--window-size=1200,1800",
                     format!("--user-data-dir={}", profile.display())]
        },
        "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}
    }}});
    let session = value(http(d.port, "POST", "/session", Some(&caps)));
    let id = session["sessionId"]
        .as_str()
        .expect("session id")
        .to_string();
    d.session = Some(id.clone());
    let s = |p: &str| format!("/session/{id}{p}");
    let script = |js: &str| {
        value(http(
            d.port,
            "POST",
            &s("/execute/sync"),
            Some(&json!({"script": js, "args": []})),
        ))
    };

    let url = format!("file://{}", page.display());
    value(http(d.port, "POST", &s("/url"), Some(&json!({"url": url}))));

    // No console errors.
    let logs = value(http(
        d.port,
        "POST",
        &s("/se/log"),
        Some(&json!({"type": "browser"})),
    ));
    let errors: Vec<&Value> = logs
        .as_array()
        .map(|l| l.iter().filter(|e| e["level"] == "SEVERE").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // No network request: the only request is the page itself.
    let perf = value(http(
        d.port,
        "POST",
        &s("/se/log"),
        Some(&json!({"type": "performance"})),
    ));
    let mut requested: Vec<String> = Vec::new();
    for e in perf.as_array().into_iter().flatten() {
        let Some(msg) = e["message"].as_str() else {
            continue;
        };
        let Ok(m) = serde_json::from_str::<Value>(msg) else {
            continue;
        };
        let params = &m["message"]["params"];
        let target = params["request"]["url"].as_str().unwrap_or_default();
        // The browser's own start page loads chrome:// resources before navigation; any
        // request the report's document makes, and any http(s) request at all, counts.
        if m["message"]["method"] == "Network.requestWillBeSent"
            && (params["documentURL"] == json!(url) || target.starts_with("http"))
        {
            requested.push(target.to_string());
        }
    }
    assert_eq!(
        requested,
        std::slice::from_ref(&url),
        "requests besides the page itself"
    );
    assert_eq!(
        script("return performance.getEntriesByType('resource').length;"),
        json!(0)
    );

    // The severity filter hides the critical findings.
    let visible = "return document.querySelectorAll('.finding:not(.hidden)').length;";
    let before = script(visible).as_u64().expect("count");
    assert_eq!(before as usize, a.findings.len());
    let button = value(http(
        d.port,
        "POST",
        &s("/element"),
        Some(&json!({"using": "css selector", "value": "button[data-severity=\"critical\"]"})),
    ));
    let element = button
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(Value::as_str)
        .expect("element id")
        .to_string();
    value(http(
        d.port,
        "POST",
        &s(&format!("/element/{element}/click")),
        Some(&json!({})),
    ));
    let after = script(visible).as_u64().expect("count");
    let criticals = u64::from(a.summary.findings.critical);
    assert!(criticals > 0);
    assert_eq!(
        after,
        before - criticals,
        "filter did not hide the criticals"
    );
    let shown = script("return document.getElementById('shown-count').textContent;");
    assert_eq!(shown, json!(after.to_string()));

    // A screenshot with content (a blank page compresses to a few KB).
    let png = base64_decode(
        value(http(d.port, "GET", &s("/screenshot"), None))
            .as_str()
            .expect("screenshot"),
    );
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports/browser-shop.png");
    let _ = std::fs::write(&shot, &png);
    assert!(
        png.len() > 40_000,
        "screenshot looks blank: {} bytes ({})",
        png.len(),
        shot.display()
    );
    println!("screenshot: {}", shot.display());
}
