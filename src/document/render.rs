//! Policy Markdown as HTML that is safe to put in a page: CommonMark with tables, strikethrough
//! and footnotes, headings with stable ids for a table of contents, and everything passed through
//! ammonia so that neither the Markdown nor raw HTML inside it can run script or restyle the page.
//!
//! Every `id` in the output starts with [`ID_PREFIX`]: the ones generated here already do, and
//! ammonia prefixes any an author wrote by hand, so a policy cannot clobber an id of the page
//! around it (`id="csrf"` becomes `id="sec-csrf"`).

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The prefix of every `id` in rendered policy HTML.
pub const ID_PREFIX: &str = "sec-";

/// One heading of a policy, for its table of contents (levels 1 to 3).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    /// The heading's `id`, the fragment to link to.
    pub id: String,
    /// The heading as plain text.
    pub title: String,
}

/// Sanitized HTML of a policy body and the headings it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedDocument {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// The Markdown dialect of policy bodies, shared by the HTML and PDF renderings.
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

/// Headings deeper than this are left out of the table of contents.
const TOC_DEPTH: u8 = 3;

/// Renders a policy body to sanitized HTML with a table of contents.
pub fn render_markdown(markdown: &str) -> RenderedDocument {
    let mut events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
    let mut ids = UniqueIds::default();
    let mut footnotes = Footnotes::default();
    let mut toc = Vec::new();

    for index in 0..events.len() {
        let replacement = match &events[index] {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                let title = heading_text(&events[index + 1..]);
                let id = ids.claim(&slug(&title));
                let depth = level as u8;
                if depth <= TOC_DEPTH {
                    toc.push(TocEntry {
                        level: depth,
                        id: id.clone(),
                        title,
                    });
                }
                Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: Vec::new(),
                    attrs: Vec::new(),
                })
            }
            Event::FootnoteReference(name) => {
                let (number, id) = footnotes.get(name, &mut ids);
                Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\">{number}</a></sup>"
                )))
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let (number, id) = footnotes.get(name, &mut ids);
                Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"{id}\">\
                     <sup class=\"footnote-definition-label\">{number}</sup>"
                )))
            }
            Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</div>\n")),
            _ => continue,
        };
        events[index] = replacement;
    }

    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut unsafe_html, events.into_iter());
    RenderedDocument {
        html: SANITIZER.clean(&unsafe_html).to_string(),
        toc,
    }
}

/// Plain text (a title, a name) as HTML text: every character that means something to HTML is
/// escaped, nothing is interpreted as Markdown.
pub fn render_inline_text(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html
}

/// The allow-list: ammonia's defaults (no script, style, iframe, form or event handler), links
/// only to web, mail and phone addresses (no `javascript:` or `data:`), `rel` on every link, ids
/// on headings and footnotes under [`ID_PREFIX`]. No `style` attribute at all: the pages' Content
/// Security Policy refuses inline styles, so table-cell alignment is dropped rather than refused.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer nofollow"))
        .id_prefix(Some(ID_PREFIX))
        // Footnote definitions are the link targets of their references.
        .add_tag_attributes("div", &["id"])
        .add_allowed_classes("div", &["footnote-definition"])
        .add_allowed_classes("sup", &["footnote-reference", "footnote-definition-label"]);
    for heading in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        builder.add_tag_attributes(heading, &["id"]);
    }
    builder
});

/// The plain text of the heading that starts just before `events`.
fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(part) | Event::Code(part) => text.push_str(part),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A URL fragment for a heading: lowercase letters and digits joined by `-`, other punctuation
/// dropped ("Scope & Purpose" becomes `scope-purpose`), at most 60 characters.
fn slug(title: &str) -> String {
    let mut slug = String::new();
    let mut gap = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if gap && !slug.is_empty() {
                slug.push('-');
            }
            gap = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
        }
        if slug.chars().count() >= 60 {
            break;
        }
    }
    if slug.is_empty() {
        slug.push_str("section");
    }
    slug
}

/// Ids handed out so far in one document; a repeated slug gets `-2`, `-3`, ...
#[derive(Default)]
struct UniqueIds {
    taken: HashSet<String>,
}

impl UniqueIds {
    fn claim(&mut self, slug: &str) -> String {
        let base = format!("{ID_PREFIX}{slug}");
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Footnotes are numbered in the order they are first mentioned, reference or definition.
#[derive(Default)]
struct Footnotes {
    by_label: HashMap<String, (usize, String)>,
}

impl Footnotes {
    fn get(&mut self, label: &str, ids: &mut UniqueIds) -> (usize, String) {
        let next = self.by_label.len() + 1;
        self.by_label
            .entry(label.to_lowercase())
            .or_insert_with(|| (next, ids.claim(&format!("fn-{}", slug(label)))))
            .clone()
    }
}

#[cfg(test)]
mod tests;
