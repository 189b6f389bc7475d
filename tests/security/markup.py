"""Find live markup in rendered HTML with a real parser (escaped text is inert)."""

from html.parser import HTMLParser


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> event handler")
            elif name == "style":
                self.found.append(f"<{tag} style=...> inline style")
            elif name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=...> htmx inline handler")
            elif name in ("href", "src", "action", "formaction", "hx-get", "hx-post") and (
                value.strip().lower().startswith(("javascript:", "vbscript:", "data:text"))
            ):
                self.found.append(f"<{tag} {name}={value[:30]!r}>")
            if name.startswith("hx-") and "/evil" in value:
                self.found.append(f"<{tag} {name}={value!r}> injected htmx request")


def live_markup(html: str) -> list[str]:
    """Inline scripts, event handlers, inline styles, script URLs, injected htmx."""
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.found
