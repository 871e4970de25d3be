//! Calls to paid third-party APIs (OpenAI, Anthropic, Google AI and Maps, Twilio, SendGrid,
//! AWS Bedrock/SES/Textract): which options they pass and whether they run in a loop.

use shipready_model::{Facts, PaidApiCall};
use tree_sitter::Node;

use super::Py;
use super::syntax::{callee_text, def_name, enclosing_fn, has_dict_splat, kwargs, last_segment};

/// Provider and whether it is an LLM call, from the callee and the file's imports.
fn classify(py: &Py<'_, '_>, callee: &str) -> Option<(&'static str, bool)> {
    let last = last_segment(callee);
    let has_dot = callee.contains('.');
    if !has_dot {
        return None;
    }
    let ends = |s: &str| callee.ends_with(s);
    if py.imports_module("openai") {
        if ends("chat.completions.create")
            || ends("completions.create")
            || ends("responses.create")
            || ends("ChatCompletion.create")
            || ends("Completion.create")
        {
            return Some(("openai", true));
        }
        if ends("embeddings.create") || ends("images.generate") || ends("audio.speech.create") {
            return Some(("openai", false));
        }
    }
    if py.imports_module("anthropic") && ends("messages.create") {
        return Some(("anthropic", true));
    }
    if (py.imports_module("google.generativeai") || py.imports_module("google.genai"))
        && matches!(last, "generate_content" | "generate_content_async")
    {
        return Some(("google-ai", true));
    }
    if (py.imports_module("langchain_openai") || py.imports_module("langchain_anthropic"))
        && matches!(last, "invoke" | "ainvoke" | "predict")
    {
        let recv = callee
            .rsplit_once('.')
            .map_or("", |(r, _)| r)
            .to_ascii_lowercase();
        if recv.contains("llm") || recv.contains("chat") || recv.contains("model") {
            return Some(("langchain", true));
        }
    }
    if py.imports_module("googlemaps")
        && matches!(
            last,
            "places"
                | "places_nearby"
                | "place"
                | "find_place"
                | "geocode"
                | "reverse_geocode"
                | "directions"
                | "distance_matrix"
                | "elevation"
                | "timezone"
        )
    {
        return Some(("google-maps", false));
    }
    if py.imports_module("twilio") && (ends("messages.create") || ends("calls.create")) {
        return Some(("twilio", false));
    }
    if py.imports_module("sendgrid") && last == "send" {
        let recv = callee
            .rsplit_once('.')
            .map_or("", |(r, _)| r)
            .to_ascii_lowercase();
        if recv.contains("sg") || recv.contains("sendgrid") || recv.contains("client") {
            return Some(("sendgrid", false));
        }
    }
    if py.imports_module("boto3")
        && matches!(
            last,
            "invoke_model"
                | "invoke_model_with_response_stream"
                | "converse"
                | "converse_stream"
                | "send_email"
                | "send_raw_email"
                | "analyze_document"
                | "detect_document_text"
                | "detect_labels"
                | "translate_text"
                | "synthesize_speech"
        )
    {
        let llm = last.starts_with("invoke_model") || last.starts_with("converse");
        return Some(("aws", llm));
    }
    None
}

/// Whether `n` sits in a loop (or a comprehension) of its own function.
fn in_loop(n: Node<'_>) -> bool {
    let mut cur = n.parent();
    while let Some(p) = cur {
        match p.kind() {
            "function_definition" | "lambda" | "class_definition" => return false,
            "for_statement"
            | "while_statement"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => return true,
            _ => {}
        }
        cur = p.parent();
    }
    false
}

/// Extracts paid API calls.
pub(super) fn extract(py: &Py<'_, '_>, out: &mut Facts) {
    for &call in &py.calls {
        let c = callee_text(call, py.src);
        let Some((provider, is_llm)) = classify(py, &c) else {
            continue;
        };
        let f = enclosing_fn(call);
        out.paid_api_calls.push(PaidApiCall {
            span: py.cx.span(call),
            provider: provider.to_string(),
            api: c,
            is_llm,
            options: kwargs(call, py.src).into_iter().map(|(k, _)| k).collect(),
            options_opaque: has_dict_splat(call),
            in_loop: in_loop(call),
            function: f.map(|f| def_name(f, py.src)),
            function_span: f.map(|f| py.cx.span(f)),
        });
    }
}
