//! The two bodies of every message: the plain text it was written as,
//! with a signature, and a simple HTML rendering of the same words. Every
//! message acctd sends (codes, notices of changes, sign-ins, exports,
//! invoices) is written as plain paragraphs, so one rendering fits all;
//! English only for now.

/// The plain-text body: the message and who sent it.
pub fn text(server_name: &str, body: &str) -> String {
    format!("{}\n\n-- \n{}\n", body.trim_end(), footer(server_name))
}

/// The HTML body: the subject as a heading, each paragraph of the text as
/// one, every character escaped (a name or address is data, never markup).
pub fn html(server_name: &str, subject: &str, body: &str) -> String {
    let paragraphs: String = body
        .trim()
        .split("\n\n")
        .filter(|paragraph| !paragraph.trim().is_empty())
        .map(|paragraph| {
            format!(
                "<p>{}</p>\n",
                escape(paragraph.trim()).replace('\n', "<br>\n")
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body style=\"font-family: sans-serif; line-height: 1.5; max-width: 36em\">\n\
         <h1 style=\"font-size: 1.25em\">{title}</h1>\n{paragraphs}\
         <hr>\n<p style=\"color: #555; font-size: 0.9em\">{footer}</p>\n</body>\n</html>\n",
        title = escape(subject),
        footer = escape(&footer(server_name)),
    )
}

fn footer(server_name: &str) -> String {
    format!(
        "Sent by {server_name} to the address of your account. What reaches you by email \
         is yours to choose in your notification settings."
    )
}

fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_bodies_carry_the_words_and_html_escapes_them() {
        let body = "Your code: 123456\n\nIt works for 15 minutes.\nFrom <Eve & co>.";
        let plain = text("acctd", body);
        assert!(plain.starts_with(body), "{plain}");
        assert!(plain.contains("Sent by acctd"), "{plain}");
        let html = html("acctd", "Confirm <it>", body);
        assert!(html.contains("<h1 style=\"font-size: 1.25em\">Confirm &lt;it&gt;</h1>"));
        assert!(html.contains("<p>Your code: 123456</p>"), "{html}");
        assert!(html.contains("From &lt;Eve &amp; co&gt;."), "{html}");
        assert!(!html.contains("<Eve"), "{html}");
    }
}
