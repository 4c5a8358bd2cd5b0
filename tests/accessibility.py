"""WCAG 2.1 A/AA checks of a page in the browser, with axe-core.

`assert_accessible(page)` runs axe-core (node_modules/axe-core, pinned in
package.json, installed by `make node`/`make test`) on the page as it is now
and fails with one line per violation: rule id, impact, help text and the CSS
selectors of the offending elements.

Why axe is served from the page's own origin: our pages send
`Content-Security-Policy: script-src 'self'`, which blocks an inline or foreign
script tag. Rather than turning CSP off in the browser (bypass_csp), which
would hide a page that breaks its own CSP, the browser context answers the
made-up same-origin path AXE_PATH with the file from node_modules (a Playwright
route: the request never reaches Django), so the page loads axe as a 'self'
script and CSP stays on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AXE_FILE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__test-only__/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 2.2 A/AA (issue 11, item 16): 2.1's rules and 2.2's own (target size).
WCAG22_TAGS = [*WCAG_TAGS, "wcag22a", "wcag22aa"]


def axe_source() -> str:
    if not AXE_FILE.exists():
        raise AssertionError(f"{AXE_FILE} is missing: run `make node` (npm ci) first")
    return AXE_FILE.read_text(encoding="utf-8")


def serve_axe(context: Any) -> None:
    """Answer AXE_PATH on every origin of this browser context with axe-core's script."""
    body = axe_source()
    context.route(
        f"**{AXE_PATH}",
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=body),
    )


def run_axe(page: Any, *, tags: list[str] | None = None) -> dict[str, Any]:
    """axe-core's results for the page (injecting axe once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
        page.wait_for_function("() => typeof window.axe !== 'undefined'")
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags or WCAG_TAGS,
    )


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        selectors = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} → {selectors}")
    return "\n".join(lines)


def assert_accessible(page: Any, *, tags: list[str] | None = None) -> None:
    """Fail listing every WCAG 2.1 A/AA violation axe-core finds on the page as it is now."""
    violations = run_axe(page, tags=tags)["violations"]
    assert not violations, f"axe-core found {len(violations)} WCAG violation(s) on {page.url}:\n" + format_violations(
        violations
    )
