"""The workflow diagram and the permission table are generated from the code, never drawn."""

import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from workflows import diagram, permissions
from workflows.machine import TRANSITIONS
from workflows.states import CircularState

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"


def run(*args) -> str:
    out = StringIO()
    call_command("workflow_diagram", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_mermaid_has_every_state_and_every_transition():
    with translation.override("en"):  # the labels below and in the text alike
        text = diagram.mermaid()
        lines = text.splitlines()
        assert lines[0] == "stateDiagram-v2"
        assert "    [*] --> draft" in lines
        for state in CircularState.values:
            assert f" as {state}" in text
        for name, (label, source, target) in TRANSITIONS.items():
            sources = source if isinstance(source, list | tuple) else [source]
            for state in sources:
                end = target if target is not None else state
                assert f"    {state} --> {end} : {name} · {label}" in lines, name
        assert "    cancelled --> [*]" in lines and "    withdrawn --> [*]" in lines
        assert "    closed --> [*]" not in lines


def test_a_new_transition_appears_without_touching_the_diagram(monkeypatch):
    extended = {**TRANSITIONS, "archive": ("Archive", CircularState.CLOSED, "archived")}
    monkeypatch.setattr(diagram, "TRANSITIONS", extended)
    with translation.override("en"):
        assert "    closed --> archived : archive · Archive" in diagram.mermaid()
        root = ET.fromstring(diagram.svg())
    states = {g.get("data-state") for g in root.iter(f"{SVG}g") if g.get("data-state")}
    assert "archived" in states


def test_svg_is_self_contained_and_laid_out_on_a_grid():
    with translation.override("th"):
        text = diagram.svg()
    root = ET.fromstring(text)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    assert "href" not in text.replace("xmlns", "")  # nothing fetched from elsewhere
    boxes = {
        g.get("data-state"): g.find(f"{SVG}rect")
        for g in root.iter(f"{SVG}g")
        if g.get("data-state")
    }
    assert set(boxes) == set(CircularState.values)
    cells = diagram.grid()
    xs = {state: float(rect.get("x")) for state, rect in boxes.items()}
    ys = {state: float(rect.get("y")) for state, rect in boxes.items()}
    for a in cells:
        for b in cells:
            assert (cells[a][0] == cells[b][0]) == (xs[a] == xs[b])
            assert (cells[a][1] == cells[b][1]) == (ys[a] == ys[b])
    assert cells["draft"] == (0, 0) and cells["signed"][0] == 1
    drawn = set()
    for g in root.iter(f"{SVG}g"):
        drawn.update((g.get("data-transitions") or "").split())
    assert drawn == set(TRANSITIONS)
    # Labels are in the active language.
    assert "ลงนาม" in text or "Sign" in text


def test_the_command_writes_each_format(tmp_path):
    assert run() == run("--format", "mermaid")
    with translation.override("en"):
        assert run() == diagram.mermaid()
    ET.fromstring(run("--format", "svg"))
    target = tmp_path / "workflow.svg"
    run("--output", str(target))
    assert target.read_text(encoding="utf-8").startswith("<svg")
    target = tmp_path / "workflow.md"
    run("--output", str(target))
    assert target.read_text(encoding="utf-8") == run("--format", "markdown")


def test_docs_workflow_md_is_the_commands_output():
    """Regenerate with `python manage.py workflow_diagram --output docs/WORKFLOW.md`."""
    document = (ROOT / "docs" / "WORKFLOW.md").read_text(encoding="utf-8")
    assert document == run("--format", "markdown")
    assert "```mermaid\n" + run() in document


def test_permission_rows_are_the_table():
    rows = diagram.permission_rows()
    assert [row["position"] for row in rows] == list(permissions.TABLE)
    for row, spec in zip(rows, permissions.TABLE.values(), strict=True):
        for cell in row["cells"]:
            names = {value for kind, value in cell["items"] if kind == "transition"}
            expected = {n for n, roles in spec["transitions"].items() if cell["role"] in roles}
            assert names == expected
            kinds = {kind for kind, _value in cell["items"]}
            assert ("view" in kinds) == (cell["role"] in spec["view"])
            assert ("edit" in kinds) == (cell["role"] in spec["edit"])


@pytest.mark.django_db
def test_the_admin_page_shows_the_diagram_and_the_table(client, people):
    client.force_login(people["drafter"])
    response = client.get("/admin/wian/workflow/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'data-state="withdrawn"' in html
    for position in permissions.TABLE:
        assert f'data-position="{position}"' in html
    row = html.split('data-position="signed"')[1].split("</tr>")[0]
    cell = row.split('data-role="registrar"')[1].split("</td>")[0]
    assert "<code>distribute</code>" in cell and "<code>schedule_distribution</code>" in cell
    svg = client.get("/admin/wian/workflow/diagram.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    client.logout()
    assert client.get("/admin/wian/workflow/").status_code == 302  # admin login first
