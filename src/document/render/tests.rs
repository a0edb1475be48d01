use super::*;

fn html(markdown: &str) -> String {
    render_markdown(markdown).html
}

#[test]
fn a_script_tag_is_removed_with_its_content() {
    let out = html("Before\n\n<script>alert(1)</script>\n\nAfter <script>alert(2)</script>");
    assert!(!out.contains("<script"), "{out}");
    assert!(!out.contains("alert"), "{out}");
    assert!(out.contains("Before") && out.contains("After"), "{out}");
}

#[test]
fn a_javascript_link_keeps_its_text_and_loses_its_target() {
    let out = html("[click](javascript:alert(1)) and [again](JaVaScRiPt:alert(1))");
    assert!(!out.to_lowercase().contains("javascript"), "{out}");
    assert!(out.contains("click") && out.contains("again"), "{out}");
}

#[test]
fn an_event_handler_is_removed() {
    let out = html("<img src=x onerror=alert(1)> <p onclick=\"alert(2)\">text</p>");
    assert!(
        !out.contains("onerror") && !out.contains("onclick"),
        "{out}"
    );
    assert!(!out.contains("alert"), "{out}");
}

#[test]
fn data_urls_are_not_links() {
    let out = html(
        "<a href=\"data:text/html,<script>alert(1)</script>\">x</a> \
         [y](data:text/html;base64,PHNjcmlwdD4=)",
    );
    assert!(!out.contains("data:"), "{out}");
    assert!(!out.contains("<script"), "{out}");
}

#[test]
fn style_iframe_and_forms_are_removed() {
    let out = html(
        "<style>body{display:none}</style><iframe src=\"https://evil.example\"></iframe>\
         <form action=\"/x\"><input name=a></form><p style=\"position:fixed\">p</p>",
    );
    for banned in [
        "<style",
        "display:none",
        "<iframe",
        "<form",
        "<input",
        "position",
    ] {
        assert!(!out.contains(banned), "{banned} in {out}");
    }
}

#[test]
fn harmless_raw_html_is_kept() {
    let out = html("Some <em>stressed</em> and <kbd>Ctrl</kbd> text.");
    assert!(out.contains("<em>stressed</em>"), "{out}");
    assert!(out.contains("<kbd>Ctrl</kbd>"), "{out}");
}

#[test]
fn links_and_autolinks_get_rel() {
    let out = html("See <https://example.com/policy> or [the register](https://example.com/r).");
    assert!(
        out.contains(
            "<a href=\"https://example.com/policy\" rel=\"noopener noreferrer nofollow\">"
        ),
        "{out}"
    );
    assert!(out.contains("href=\"https://example.com/r\""), "{out}");
    let mail = html("<security@example.com>");
    assert!(
        mail.contains("href=\"mailto:security@example.com\""),
        "{mail}"
    );
}

#[test]
fn headings_build_the_table_of_contents() {
    let doc = render_markdown(
        "# Information security policy\n\n## 1. Purpose & scope\n\nText.\n\n\
         ### Roles_and responsibilities\n\n#### Too deep\n\n## `Code` heading\n",
    );
    let toc: Vec<(u8, &str, &str)> = doc
        .toc
        .iter()
        .map(|e| (e.level, e.id.as_str(), e.title.as_str()))
        .collect();
    assert_eq!(
        toc,
        vec![
            (
                1,
                "sec-information-security-policy",
                "Information security policy"
            ),
            (2, "sec-1-purpose-scope", "1. Purpose & scope"),
            (
                3,
                "sec-roles-and-responsibilities",
                "Roles_and responsibilities"
            ),
            (2, "sec-code-heading", "Code heading"),
        ]
    );
    assert!(
        doc.html
            .contains("<h2 id=\"sec-1-purpose-scope\">1. Purpose &amp; scope</h2>"),
        "{}",
        doc.html
    );
    assert!(
        doc.html.contains("<h4 id=\"sec-too-deep\">"),
        "{}",
        doc.html
    );
}

#[test]
fn duplicate_headings_get_unique_ids() {
    let doc = render_markdown("## Scope\n\n## Scope\n\n## Scope 2\n\n## Scope\n\n## !!!\n");
    let ids: Vec<&str> = doc.toc.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "sec-scope",
            "sec-scope-2",
            "sec-scope-2-2",
            "sec-scope-3",
            "sec-section"
        ]
    );
}

#[test]
fn ids_written_by_hand_cannot_clobber_page_ids() {
    let out = html("<h2 id=\"csrf\">x</h2>\n\n<p id=\"main\">y</p>\n\n<div id=\"nav\">z</div>");
    assert!(out.contains("<h2 id=\"sec-csrf\">"), "{out}");
    assert!(
        !out.contains("id=\"main\"") && !out.contains("id=\"nav\""),
        "{out}"
    );
}

#[test]
fn a_table_renders_without_inline_style() {
    let out = html("| Role | Owner |\n|:-----|------:|\n| CISO | Ana |\n");
    assert!(out.contains("<table>"), "{out}");
    assert!(
        out.contains("<th>Role</th>") && out.contains("<td>Ana</td>"),
        "{out}"
    );
    assert!(
        !out.contains("style="),
        "the pages refuse inline styles: {out}"
    );
}

#[test]
fn footnotes_link_to_their_definitions() {
    let out = html("A claim.[^src]\n\n[^src]: The source.\n");
    assert!(out.contains("<a href=\"#sec-fn-src\""), "{out}");
    assert!(out.contains("id=\"sec-fn-src\""), "{out}");
    assert!(out.contains("The source."), "{out}");
}

#[test]
fn strikethrough_renders() {
    assert!(html("~~old~~ new").contains("<del>old</del>"));
}

#[test]
fn inline_text_is_escaped() {
    assert_eq!(
        render_inline_text("<script>\"x\" & 'y'</script>"),
        "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
    );
    assert_eq!(render_inline_text("**not bold**"), "**not bold**");
}
