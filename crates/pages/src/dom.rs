//! A small element builder over web-sys: text only, never HTML, so nothing the pages show can become markup.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

/// The page's document.
pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("an extension page has a document")
}

/// The element with this id.
pub fn by_id(id: &str) -> Option<Element> {
    document().get_element_by_id(id)
}

/// The input with this id.
pub fn input(id: &str) -> Option<HtmlInputElement> {
    by_id(id)?.dyn_into().ok()
}

/// Moves focus to the element with this id (if it is there).
pub fn focus(id: &str) {
    if let Some(el) = by_id(id).and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The id of the element that has focus, if it has one.
pub fn focused_id() -> Option<String> {
    let id = document().active_element()?.id();
    (!id.is_empty()).then_some(id)
}

/// An element being built: `h("p").class("muted").text("…").build()`.
pub struct H(Element);

/// Starts an element.
pub fn h(tag: &str) -> H {
    H(document().create_element(tag).expect("a valid tag name"))
}

impl H {
    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> H {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets an attribute when `on`.
    pub fn flag(self, name: &str, on: bool) -> H {
        if on { self.attr(name, "") } else { self }
    }

    /// Sets the id.
    pub fn id(self, id: &str) -> H {
        self.0.set_id(id);
        self
    }

    /// Sets the class list.
    pub fn class(self, class: &str) -> H {
        self.0.set_class_name(class);
        self
    }

    /// Appends text.
    pub fn text(self, text: &str) -> H {
        let node = document().create_text_node(text);
        let _ = self.0.append_child(&node);
        self
    }

    /// Appends a child.
    pub fn child(self, child: impl Into<Element>) -> H {
        let _ = self.0.append_child(&child.into());
        self
    }

    /// Appends a child when there is one.
    pub fn maybe(self, child: Option<impl Into<Element>>) -> H {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Appends children.
    pub fn children(self, children: impl IntoIterator<Item = Element>) -> H {
        for c in children {
            let _ = self.0.append_child(&c);
        }
        self
    }

    /// The element.
    pub fn build(self) -> Element {
        self.0
    }
}

impl From<H> for Element {
    fn from(h: H) -> Element {
        h.0
    }
}

/// A button with an action name (`data-action`) the page's one click listener dispatches on.
pub fn button(id: &str, action: &str, label: &str, primary: bool) -> H {
    h("button")
        .attr("type", "button")
        .id(id)
        .attr("data-action", action)
        .class(if primary { "primary" } else { "" })
        .text(label)
}

/// Replaces the children of the element with this id, keeping focus on the element of the same id if the new
/// content has one (a status that refreshes while the member tabs through the page does not lose their place).
pub fn replace(id: &str, children: Vec<Element>) {
    let Some(target) = by_id(id) else { return };
    let had_focus = focused_id();
    let array: js_sys::Array = children.into_iter().collect();
    target.replace_children_with_node(&array);
    if let Some(f) = had_focus
        && document().active_element().is_none_or(|a| a.id() != f)
    {
        focus(&f);
    }
}

/// Offers `text` as a file download (a blob URL: no permission, no host).
pub fn download(text: &str, mime: &str, filename: &str) {
    let parts: js_sys::Array = std::iter::once(wasm_bindgen::JsValue::from_str(text)).collect();
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let a: web_sys::HtmlAnchorElement = h("a")
        .attr("href", &url)
        .attr("download", filename)
        .build()
        .unchecked_into();
    if let Some(body) = document().body() {
        let _ = body.append_child(&a);
        a.click();
        a.remove();
    }
    // The download has started once the click returns; the URL is let go a little later.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}
