//! Dockerfiles: stages split at `FROM`, every instruction with its span.

use shipready_model::{DockerInstruction, DockerStage, Dockerfile, Facts};
use shipready_syntax::dockerfile;

use crate::FileCtx;

/// Image and stage name of a `FROM` (flags such as `--platform=` skipped).
fn from_parts(args: &str) -> (String, Option<String>) {
    let mut words = args.split_whitespace().filter(|w| !w.starts_with("--"));
    let image = words.next().unwrap_or("").to_string();
    let alias = match (words.next(), words.next()) {
        (Some(kw), Some(name)) if kw.eq_ignore_ascii_case("as") => Some(name.to_string()),
        _ => None,
    };
    (image, alias)
}

/// Emits one [`Dockerfile`] fact per Dockerfile. Instructions before the first `FROM`
/// (global `ARG`s) belong to no stage and are left out.
pub(super) fn extract(cx: &FileCtx<'_>, out: &mut Facts) {
    let mut stages: Vec<DockerStage> = Vec::new();
    for ins in dockerfile::parse(cx.text) {
        let span = cx.span_of(ins.start, ins.end);
        if ins.keyword == "FROM" {
            let (image, alias) = from_parts(&ins.args);
            stages.push(DockerStage {
                span,
                image,
                alias,
                instructions: Vec::new(),
            });
        }
        if let Some(stage) = stages.last_mut() {
            stage.instructions.push(DockerInstruction {
                span,
                keyword: ins.keyword,
                args: ins.args,
            });
        }
    }
    out.dockerfiles.push(Dockerfile {
        span: cx.span_of(0, cx.text.len()),
        stages,
    });
}
