//! TLS termination and HTTPS enforcement declared in deployment config, read line by line:
//! Kubernetes Ingress (and traefik `IngressRoute`) `tls:` blocks, certificate and
//! SSL-redirect annotations of ingress controllers and cloud load balancers, traefik TLS
//! routers and redirects, a Caddy server (automatic HTTPS), nginx/Apache TLS listeners and
//! redirects, Terraform HTTPS listeners, and platforms that serve HTTPS only (`force_https`
//! in `fly.toml`, `vercel.json`, `netlify.toml`, `render.yaml`).

use shipready_model::{Facts, Lang, TlsTermination};

use crate::FileCtx;

/// Annotation or label fragments (lower-case) of ingress controllers, cloud load balancers
/// and traefik that terminate TLS or redirect to HTTPS.
const ANNOTATIONS: &[(&str, &str)] = &[
    ("ssl-redirect: \"true\"", "lb-annotation"),
    ("ssl-redirect: 'true'", "lb-annotation"),
    ("ssl-redirect: true", "lb-annotation"),
    ("force-ssl-redirect", "lb-annotation"),
    ("certificate-arn", "lb-annotation"),
    ("aws-load-balancer-ssl-cert", "lb-annotation"),
    ("cert-manager.io/cluster-issuer", "lb-annotation"),
    ("cert-manager.io/issuer", "lb-annotation"),
    ("kubernetes.io/tls-acme", "lb-annotation"),
    ("networking.gke.io/managed-certificates", "lb-annotation"),
    ("ingress.gcp.kubernetes.io/pre-shared-cert", "lb-annotation"),
    ("appgw-ssl-certificate", "lb-annotation"),
    (".tls=true", "traefik"),
    (".tls: true", "traefik"),
    (".tls: \"true\"", "traefik"),
    ("tls.certresolver", "traefik"),
    ("redirectscheme.scheme=https", "traefik"),
    ("redirectscheme.scheme: https", "traefik"),
    ("certificatesresolvers:", "traefik"),
];

/// nginx / Apache / Terraform fragments (lower-case, whitespace collapsed).
const SERVER_LINES: &[(&str, &str)] = &[
    ("ssl_certificate ", "nginx"),
    ("listen 443 ssl", "nginx"),
    ("listen [::]:443 ssl", "nginx"),
    ("return 301 https://", "nginx"),
    ("return 308 https://", "nginx"),
    ("sslengine on", "nginx"),
    ("protocol = \"https\"", "terraform"),
    ("certificate_arn", "terraform"),
    ("redirect_http_to_https", "terraform"),
];

fn push(cx: &FileCtx<'_>, out: &mut Facts, start: usize, line: &str, kind: &str) {
    let trimmed = line.trim();
    let offset = line.len() - line.trim_start().len();
    out.tls_terminations.push(TlsTermination {
        span: cx.span_of(start + offset, start + offset + trimmed.len()),
        kind: kind.to_string(),
        what: trimmed.chars().take(120).collect(),
    });
}

/// Lines of the text with their byte offsets.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.trim_end_matches(['\n', '\r']))
    })
}

/// Extracts TLS termination facts of one config file.
pub(super) fn extract(cx: &FileCtx<'_>, name: &str, out: &mut Facts) {
    let before = out.tls_terminations.len();
    match cx.lang {
        Lang::Yaml => yaml(cx, name, out),
        Lang::Text => {
            for (start, line) in lines(cx.text) {
                let l: String = line
                    .to_ascii_lowercase()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if l.starts_with('#') || l.starts_with("//") {
                    continue;
                }
                if let Some((_, kind)) = SERVER_LINES.iter().find(|(w, _)| l.contains(w)) {
                    push(cx, out, start, line, kind);
                }
            }
        }
        Lang::Toml => {
            let platform = name == "netlify.toml";
            for (start, line) in lines(cx.text) {
                let l: String = line.to_ascii_lowercase().split_whitespace().collect();
                if (name == "fly.toml" && l == "force_https=true") || (platform && start == 0) {
                    push(cx, out, start, line, "platform");
                }
            }
        }
        Lang::Json if name == "vercel.json" => {
            if let Some((start, line)) = lines(cx.text).next() {
                push(cx, out, start, line, "platform");
            }
        }
        _ => {}
    }
    // One fact per file and kind is enough.
    let mut seen: Vec<String> = Vec::new();
    let mut i = before;
    while i < out.tls_terminations.len() {
        let k = out.tls_terminations[i].kind.clone();
        if seen.contains(&k) {
            out.tls_terminations.remove(i);
        } else {
            seen.push(k);
            i += 1;
        }
    }
}

fn yaml(cx: &FileCtx<'_>, name: &str, out: &mut Facts) {
    let text = cx.text;
    let ingress = text.lines().any(|l| {
        let l = l.trim();
        l == "kind: Ingress" || l == "kind: IngressRoute" || l == "kind: IngressRouteTCP"
    });
    for (start, line) in lines(text) {
        let t = line.trim();
        if t.starts_with('#') {
            continue;
        }
        let lower = t.to_ascii_lowercase();
        if ingress
            && (lower == "tls:"
                || lower.starts_with("tls: {")
                || lower.starts_with("- secretname:"))
        {
            push(cx, out, start, line, "ingress-tls");
            continue;
        }
        if let Some((_, kind)) = ANNOTATIONS
            .iter()
            .find(|(w, _)| lower.contains(w) && !lower.contains("false"))
        {
            push(cx, out, start, line, kind);
            continue;
        }
        // A Caddy server in compose serves HTTPS automatically.
        if lower.starts_with("image:") && {
            let image = lower
                .trim_start_matches("image:")
                .trim()
                .trim_matches(['"', '\'']);
            let repo = image.split(':').next().unwrap_or(image);
            repo == "caddy" || repo.ends_with("/caddy")
        } {
            push(cx, out, start, line, "caddy");
            continue;
        }
        if name == "app.yaml" && lower == "secure: always" {
            push(cx, out, start, line, "platform");
        }
    }
    if name == "render.yaml"
        && let Some((start, line)) = lines(text).next()
    {
        push(cx, out, start, line, "platform");
    }
}
