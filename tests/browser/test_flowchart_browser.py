"""The Flowchart page in a real Chromium: the flowchart is drawn (Graphviz rendered in the browser, offline),
answering the steps of a self-assessment moves the stop, the answers reach the URL, and a pasted link
restores them. Screenshots of Zhongguancun's and Guangzhou's flowcharts and of a self-assessment are saved
for review."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from tests.browser.helpers import main_text, no_exception, open_page, shot, wait_idle


def stop_box(page) -> str:
    """The text of the drawn box with the thick border (the stop), from the rendered SVG."""
    page.wait_for_selector("[data-testid='stGraphVizChart'] svg g.node", timeout=30_000)
    return page.evaluate("""() => {
        const nodes = [...document.querySelectorAll("[data-testid='stGraphVizChart'] svg g.node")];
        const stop = nodes.find(n => [...n.querySelectorAll('path, polygon')]
            .some(p => parseFloat(p.getAttribute('stroke-width') || '1') >= 3));
        return stop ? [...stop.querySelectorAll('text')].map(t => t.textContent).join(' ') : '';
    }""")


def answer(page, step: int, label: str) -> None:
    """Click `label` (yes / no / don't know) in the answer radio of step `step` (1-based)."""
    group = page.locator("[data-testid='stRadio']").filter(has_text="Answer").nth(step - 1)
    group.get_by_text(label, exact=True).click()
    wait_idle(page)


def query(page) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_clusters_flowcharts_are_drawn(page, server):
    open_page(page, f"{server}/flowchart?cluster=hidz-zhongguancun")
    no_exception(page)
    assert stop_box(page).startswith("7. Intellectual property")
    assert page.locator("[data-testid='stGraphVizChart'] svg g.node").count() >= 13  # start, 11 steps, end, note
    text = main_text(page)
    assert "The flow stops at step 7" in text and "There is no joint action for firms in the ZSP" in text
    shot(page, "flowchart-zhongguancun")
    open_page(page, f"{server}/flowchart?cluster=cl-gz-auto-huadu")
    assert stop_box(page).startswith("2. Industrial zones")
    shot(page, "flowchart-guangzhou")


def test_answering_the_steps_moves_the_stop(page, server):
    open_page(page, f"{server}/flowchart?view=self&flow=anchor-firm&place=Anytown")
    no_exception(page)
    assert stop_box(page).startswith("1. A coordinator")
    answer(page, 1, "yes")
    answer(page, 2, "yes")
    assert stop_box(page).startswith("3. Physical infrastructure")
    answer(page, 3, "no")
    assert stop_box(page).startswith("3. Physical infrastructure")
    assert "the answer is no. This is the bottleneck" in main_text(page)
    assert query(page)["answers"] == "y,y,n"
    answer(page, 3, "yes")
    answer(page, 4, "don't know")
    assert stop_box(page).startswith("4. Institution building")
    assert "the answer is not known yet" in main_text(page)
    assert query(page)["answers"] == "y,y,y,u"
    shot(page, "flowchart-self-assessment")
    # the printable summary carries the answers, the stop and the link back to them
    with page.expect_download() as download:
        page.get_by_role("button", name="Download a printable one-page summary (HTML)").click()
    summary = open(download.value.path(), encoding="utf-8").read()
    assert "Cluster-policy flowchart: Anytown" in summary
    assert "The flow stops at step 4, Institution building: the answer is not known yet." in summary
    assert "answers=y%2Cy%2Cy%2Cu" in summary and "/flowchart?" in summary
    # the link restores the answers in a fresh page
    link = page.url
    page.goto("about:blank")
    open_page(page, link)
    assert stop_box(page).startswith("4. Institution building")
    assert re.search(r"Anytown", main_text(page))
