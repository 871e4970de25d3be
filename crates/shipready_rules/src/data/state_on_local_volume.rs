use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Service keeps uploads or state on its local disk
    ///
    /// ## What it finds
    /// Web services that store uploads on their own disk (`multer({ dest })`,
    /// `multer.diskStorage(...)`, gin `c.SaveUploadedFile`, Flask `file.save(path)`) or write
    /// files from request handlers (`fs.writeFile`, `open(path, "wb")`, `os.Create`) to a
    /// path that is not a temporary directory.
    /// ## Why it matters
    /// The file exists on one replica only. With two instances behind a load balancer, half
    /// of the reads miss it; a redeploy or a rescheduled pod loses it; the service cannot
    /// scale out or move without a shared volume that most platforms make awkward.
    /// ## Failure scenario
    /// Product images are saved to `uploads/` in the API container. The team scales the API
    /// to three replicas for a sale; two thirds of image requests return 404, and every
    /// image uploaded the week before is gone after the next deploy.
    /// ## Examples
    /// ```js bad
    /// const multer = require('multer');
    /// const upload = multer({ dest: 'uploads/' });
    /// ```
    /// ```js good
    /// const multer = require('multer');
    /// const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 5e6 } });
    /// // then stream the buffer to object storage (S3, GCS, Azure Blob)
    /// ```
    /// ## How to fix
    /// Keep the process stateless: put uploads and generated files in object storage (S3,
    /// GCS, Azure Blob, MinIO) or a database, and serve them from there or through a CDN.
    /// ```py fix
    /// s3.upload_fileobj(file.stream, BUCKET, key)
    /// ```
    /// ```go fix
    /// _, err = uploader.Upload(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: f})
    /// ```
    /// ## Limitations
    /// Writes outside request handlers (background jobs, startup code) and model files loaded
    /// from disk are not reported; a handler that writes to a mounted shared volume (NFS,
    /// EFS) looks the same as one writing to the container's disk. Paths naming a temporary
    /// directory are skipped.
    pub StateOnLocalVolume {
        code: "DATA005",
        slug: "state-on-local-volume",
        category: Data,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

/// Whether a destination names a temporary directory.
fn is_temporary(target: &str) -> bool {
    let t = target.to_ascii_lowercase();
    ["tmp", "temp", "tempfile", "mkstemp", "os.tempdir", "tmpdir"]
        .iter()
        .any(|k| t.contains(k))
}

impl Rule for StateOnLocalVolume {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for w in &project.facts.local_state_writes {
            if !project.is_production(w.span) || w.target.as_deref().is_some_and(is_temporary) {
                continue;
            }
            let target = w.target.as_deref().unwrap_or("a local path");
            let target: String = target.chars().filter(|c| *c != '`').take(60).collect();
            let message = if w.upload {
                format!(
                    "uploads are stored on the local disk (`{}` to `{target}`)",
                    w.api
                )
            } else {
                format!(
                    "request handler writes `{target}` to the local disk with `{}`",
                    w.api
                )
            };
            cx.finding(Self::META, w.span, message);
        }
    }
}
