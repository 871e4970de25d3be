use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// LLM call without an output token limit
    ///
    /// ## What it finds
    /// Completion calls to OpenAI (`chat.completions.create`, `responses.create`), Google AI
    /// (`generate_content`), AWS Bedrock (`invoke_model`, `converse`) and LangChain chat
    /// models that set no output token limit (`max_tokens`, `max_completion_tokens`,
    /// `max_output_tokens`, `maxTokens`, a generation config). Anthropic's API requires
    /// `max_tokens`, so its calls always have one.
    /// ## Why it matters
    /// Without a cap, one prompt that makes the model ramble (or a prompt injection asking
    /// for a long answer) is billed at the model's full output length, and the call takes as
    /// long as it needs to generate it.
    /// ## Failure scenario
    /// A product with a malformed name makes the model loop on a list; each call returns
    /// 16,000 tokens instead of 80. The nightly enrichment job costs a hundred times its
    /// budget and times out half-way.
    /// ## Examples
    /// ```py bad
    /// from openai import OpenAI
    ///
    /// client = OpenAI()
    ///
    /// def describe(name):
    ///     return client.chat.completions.create(
    ///         model="gpt-4o-mini",
    ///         messages=[{"role": "user", "content": f"Describe {name}"}],
    ///     )
    /// ```
    /// ```py good
    /// from openai import OpenAI
    ///
    /// client = OpenAI(timeout=20, max_retries=2)
    ///
    /// def describe(name):
    ///     return client.chat.completions.create(
    ///         model="gpt-4o-mini",
    ///         messages=[{"role": "user", "content": f"Describe {name}"}],
    ///         max_tokens=200,
    ///     )
    /// ```
    /// ## How to fix
    /// Set an output token limit on every call, a client timeout (the OpenAI SDK waits up to
    /// ten minutes by default) and a rate limit on the code paths that call the model.
    /// ```js fix
    /// const openai = new OpenAI({ timeout: 20_000, maxRetries: 2 });
    /// await openai.chat.completions.create({ model, messages, max_tokens: 200 });
    /// ```
    /// ## Limitations
    /// Options passed through `**kwargs` or a spread are not followed (the call is then not
    /// reported). Limits set on a wrapper function or a LangChain model constructor in
    /// another file are not seen.
    /// ## References
    /// - OpenAI, chat completions `max_completion_tokens`: https://platform.openai.com/docs/api-reference/chat/create
    pub LlmCallWithoutLimits {
        code: "COST002",
        slug: "llm-call-without-limits",
        category: Cost,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

/// Option names that cap the output of an LLM call.
const TOKEN_LIMITS: &[&str] = &[
    "max_tokens",
    "max_completion_tokens",
    "max_output_tokens",
    "maxTokens",
    "maxOutputTokens",
    "maxCompletionTokens",
    "generation_config",
    "generationConfig",
    "config",
    "inferenceConfig",
    "body",
];

impl Rule for LlmCallWithoutLimits {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for call in &project.facts.paid_api_calls {
            if !call.is_llm
                || call.options_opaque
                || !project.is_production(call.span)
                || crate::observability::presence::is_tooling(&project.file(call.span.file).path)
            {
                continue;
            }
            if call
                .options
                .iter()
                .any(|o| TOKEN_LIMITS.contains(&o.as_str()))
            {
                continue;
            }
            cx.finding(
                Self::META,
                call.span,
                format!("`{}` sets no output token limit (`max_tokens`)", call.api),
            );
        }
    }
}
