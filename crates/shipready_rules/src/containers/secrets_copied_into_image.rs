use shipready_model::{FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Build context copies `.env` secrets into the image
    ///
    /// ## What it finds
    /// Dockerfiles that copy the whole build context (`COPY . .`, `COPY . /app`, `ADD . .`)
    /// while the context folder holds a `.env` file with secrets (one the scan read must hold
    /// a credential-looking value; one git ignores, present only on this disk, is assumed to)
    /// and has no `.dockerignore` excluding it. The context is taken to be the Dockerfile's folder.
    /// ## Why it matters
    /// Everything copied ends up in an image layer. Anyone who can pull the image (a registry
    /// with broad read access, a public image by mistake, a customer's cluster) can read the
    /// secrets with `docker save`, even if a later step deletes the file.
    /// ## Failure scenario
    /// A developer builds and pushes the image from their laptop; `.env` with the production
    /// database password and Stripe key is in `/usr/src/app/.env` of every tag since.
    /// ## Examples
    /// ```tree bad
    /// ==> .env <==
    /// STRIPE_KEY=sk_live_51Pz7KqRw3TnB8vYc2LmQ9dHs4Jx
    /// ==> Dockerfile <==
    /// FROM node:20-alpine
    /// WORKDIR /app
    /// COPY . .
    /// USER node
    /// ```
    /// ```tree good
    /// ==> .env <==
    /// STRIPE_KEY=sk_live_51Pz7KqRw3TnB8vYc2LmQ9dHs4Jx
    /// ==> Dockerfile <==
    /// FROM node:20-alpine
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// COPY src ./src
    /// USER node
    /// ```
    /// ## How to fix
    /// Add a `.dockerignore` next to the Dockerfile that excludes `.env*` (and `.git`,
    /// `node_modules`), or copy only the paths the image needs. Rotate secrets already baked
    /// into pushed images.
    /// ```text fix
    /// # .dockerignore
    /// .env
    /// .env.*
    /// !.env.example
    /// .git
    /// node_modules
    /// ```
    /// ## Limitations
    /// A build whose context is another folder (`docker build -f api/Dockerfile .`, compose
    /// `context: .` with `dockerfile: api/Dockerfile`) is judged by the Dockerfile's folder.
    /// Only the top level of the context is checked for `.env` files; `.dockerignore`
    /// patterns are matched by a simple reading (`.env`, `.env*`, `*.env`, `**/.env`, `*`),
    /// so an unusual pattern that does exclude the file may still be reported.
    /// ## References
    /// - Docker, .dockerignore files: https://docs.docker.com/build/concepts/context/#dockerignore-files
    pub SecretsCopiedIntoImage {
        code: "CTR006",
        slug: "secrets-copied-into-image",
        category: Containers,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

fn copies_whole_context(args: &str) -> bool {
    let words: Vec<&str> = args
        .split_whitespace()
        .filter(|w| !w.starts_with("--"))
        .collect();
    if words.len() < 2 {
        return false;
    }
    words[..words.len() - 1]
        .iter()
        .any(|src| matches!(*src, "." | "./" | "./." | "*" | "./*"))
}

fn excludes_env(patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        let p = p.trim().trim_start_matches('/').trim_start_matches("**/");
        matches!(
            p,
            ".env" | ".env*" | ".env.*" | "*.env" | "*" | "**" | ".env/"
        )
    })
}

impl Rule for SecretsCopiedIntoImage {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for file in &project.facts.dockerfiles {
            let path = &project.file(file.span.file).path;
            if project.file(file.span.file).role == FileRole::Test {
                continue;
            }
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let Some(ctx) = project.facts.docker_contexts.iter().find(|c| c.dir == dir) else {
                continue;
            };
            if ctx.dockerignore.as_deref().is_some_and(excludes_env) {
                continue;
            }
            // An env file the walk read must hold a secret; one it did not read (ignored by
            // git, so local to this machine) is taken to hold them.
            let secret_env = ctx.env_files.iter().find(|path| {
                match project.files.iter().find(|f| &f.path == *path) {
                    Some(f) => project
                        .facts
                        .secret_literals
                        .iter()
                        .any(|s| s.span.file == f.id),
                    None => true,
                }
            });
            let Some(env_file) = secret_env else {
                continue;
            };
            let copy = file.stages.iter().flat_map(|s| &s.instructions).find(|i| {
                matches!(i.keyword.as_str(), "COPY" | "ADD")
                    && !i.args.contains("--from")
                    && copies_whole_context(&i.args)
            });
            let Some(copy) = copy else { continue };
            let ignore = if ctx.dockerignore.is_some() {
                "a `.dockerignore` that does not exclude it"
            } else {
                "no `.dockerignore`"
            };
            cx.finding(
                Self::META,
                copy.span,
                format!(
                    "`{} {}` copies `{env_file}` into the image: {ignore}",
                    copy.keyword, copy.args
                ),
            );
        }
    }
}
