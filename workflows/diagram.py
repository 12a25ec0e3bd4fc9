"""The workflow as pictures and tables, generated from the code that enforces it.

States come from `workflows.states`, arrows from `workflows.machine.TRANSITIONS`, the role
table from `workflows.permissions.TABLE`. Nothing here is drawn by hand: change the machine or
the table and `mermaid()`, `svg()` and `markdown()` change with it (docs/WORKFLOW.md is the
output of `manage.py workflow_diagram --output docs/WORKFLOW.md`, and a test keeps it so).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import permissions
from workflows import roles as R
from workflows.machine import REVIEW_STATUSES, TRANSITIONS, CircularWorkflowMixin
from workflows.states import PUBLIC_STATES, CircularState

# Roles that are not groups: who a user is with respect to one circular.
ROLE_LABELS = {
    R.ANYONE: gettext_lazy("Anyone"),
    R.AUTHOR: gettext_lazy("Author of the circular"),
    R.UNIT_STAFF: gettext_lazy("Staff of the owner unit"),
    R.ADDRESSEE: gettext_lazy("Addressed province"),
    R.DELEGATE: gettext_lazy("Delegate (signs on behalf)"),
    R.SYSTEM: gettext_lazy("System (scheduled)"),
    **R.GROUP_LABELS,
}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    name: str

    @property
    def label(self) -> str:
        return str(TRANSITIONS[self.name][0])

    @property
    def loop(self) -> bool:
        return self.source == self.target


def initial_state() -> str:
    return str(CircularWorkflowMixin._meta.get_field("state").default)


def edges() -> list[Edge]:
    """Every (source, target, transition); a target of None keeps the state (a side action)."""
    found = []
    for name, (_label, source, target) in TRANSITIONS.items():
        sources = source if isinstance(source, list | tuple | set | frozenset) else (source,)
        for state in sources:
            found.append(Edge(str(state), str(target if target is not None else state), name))
    return found


def states() -> list[str]:
    """The machine's states in declaration order, plus any a transition names beyond them."""
    names = [str(value) for value in CircularState.values]
    for edge in edges():
        for state in (edge.source, edge.target):
            if state not in names:
                names.append(state)
    return names


def state_label(state: str) -> str:
    try:
        return str(CircularState(state).label)
    except ValueError:
        return state


def position_label(position: str) -> str:
    """'draft:in_review' → 'Draft · In review'; 'signed' → 'Signed' (history and table rows)."""
    if not position:
        return ""
    state, _sep, review = position.partition(":")
    label = state_label(state)
    if review:
        reviews = {key: value for key, value in REVIEW_STATUSES}
        label = f"{label} · {reviews.get(review, review)}"
    return label


def final_states() -> list[str]:
    leaving = {edge.source for edge in edges() if not edge.loop}
    return [state for state in states() if state not in leaving]


# -- Mermaid -----------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    # ":" ends a Mermaid label and "#" starts an entity; neither may appear inside one.
    return " ".join(str(text).replace(":", "∶").replace("#", "＃").replace('"', "'").split())


def mermaid() -> str:
    """A Mermaid stateDiagram-v2 of the machine, in the active language."""
    lines = ["stateDiagram-v2", "    direction LR"]
    for state in states():
        lines.append(f'    state "{_mermaid_text(state_label(state))}" as {state}')
    lines.append(f"    [*] --> {initial_state()}")
    for edge in edges():
        lines.append(
            f"    {edge.source} --> {edge.target} : {edge.name} · {_mermaid_text(edge.label)}"
        )
    for state in final_states():
        lines.append(f"    {state} --> [*]")
    return "\n".join(lines) + "\n"


# -- SVG -----------------------------------------------------------------------------------------

BOX_W, BOX_H = 172, 48
COL_GAP, ROW_GAP = 176, 56
LINE_H = 15
LOOP_H = 30
MARGIN = 24
FONT = "Sarabun, 'Noto Sans Thai', Tahoma, sans-serif"


def grid() -> dict[str, tuple[int, int]]:
    """(column, row) of every state: columns are steps away from the initial state, rows the
    order in which the transitions reach a state (unreachable states go in a last column)."""
    forward = defaultdict(list)
    for edge in edges():
        if not edge.loop and edge.target not in forward[edge.source]:
            forward[edge.source].append(edge.target)
    column = {initial_state(): 0}
    frontier = [initial_state()]
    while frontier:
        following = []
        for state in frontier:
            for target in forward[state]:
                if target not in column:
                    column[target] = column[state] + 1
                    following.append(target)
        frontier = following
    last = max(column.values(), default=-1) + 1
    for state in states():
        column.setdefault(state, last)
    rows: dict[int, int] = defaultdict(int)
    cells = {}
    for state in sorted(column, key=lambda s: (column[s], _discovery(s, column))):
        cells[state] = (column[state], rows[column[state]])
        rows[column[state]] += 1
    return cells


def _discovery(state: str, column: dict[str, int]) -> int:
    order = [initial_state()] + [e.target for e in edges() if not e.loop]
    order += states()
    return order.index(state)


def _clip(cx: float, cy: float, dx: float, dy: float) -> tuple[float, float]:
    """Where the ray from a box's centre along (dx, dy) leaves the box."""
    half_w, half_h = BOX_W / 2, BOX_H / 2
    scale = min(
        half_w / abs(dx) if dx else float("inf"),
        half_h / abs(dy) if dy else float("inf"),
    )
    return cx + dx * scale, cy + dy * scale


def _text(x: float, y: float, text: str, **attrs) -> str:
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}"{extra}>{escape(text)}</text>'


def svg(title: str | None = None) -> str:
    """A self-contained SVG of the machine: states in a grid, transitions as labelled arrows."""
    cells = grid()
    all_edges = edges()
    loops = defaultdict(list)
    arrows: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for edge in all_edges:
        (loops[edge.source] if edge.loop else arrows[(edge.source, edge.target)]).append(edge)
    most_loops = max((len(names) for names in loops.values()), default=0)
    band = LOOP_H + most_loops * LINE_H + 8 if most_loops else 0  # room above each row
    columns = max(c for c, _r in cells.values()) + 1
    rows = max(r for _c, r in cells.values()) + 1
    pitch_x, pitch_y = BOX_W + COL_GAP, BOX_H + ROW_GAP + band
    width = MARGIN * 2 + columns * BOX_W + (columns - 1) * COL_GAP
    height = MARGIN * 2 + rows * pitch_y - ROW_GAP

    def centre(state: str) -> tuple[float, float]:
        col, row = cells[state]
        return MARGIN + col * pitch_x + BOX_W / 2, MARGIN + band + row * pitch_y + BOX_H / 2

    title = title or _("How a circular moves: states and transitions")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="wian-workflow-title" '
        f'font-family="{FONT}" font-size="13">',
        f'<title id="wian-workflow-title">{escape(title)}</title>',
        "<defs>"
        '<marker id="wian-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#333"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    # Arrows between states; a pair joined both ways gets two parallel lines.
    for (source, target), group in arrows.items():
        (x1, y1), (x2, y2) = centre(source), centre(target)
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5 or 1
        nx, ny = -dy / length, dx / length  # left-hand normal
        shift = 9 if (target, source) in arrows else 0
        sx, sy = _clip(x1, y1, dx, dy)
        ex, ey = _clip(x2, y2, -dx, -dy)
        sx, sy, ex, ey = sx + nx * shift, sy + ny * shift, ex + nx * shift, ey + ny * shift
        names = " ".join(edge.name for edge in group)
        out.append(f'<g class="transition" data-transitions="{names}">')
        out.append(
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#333" '
            'stroke-width="1.5" marker-end="url(#wian-arrow)"/>'
        )
        # Labels go on the side the line was shifted to (above a lone arrow), one per line.
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        side = 1 if shift else (1 if ny < 0 or (ny == 0 and nx < 0) else -1)
        ox, oy = nx * side, ny * side
        anchor = "start" if ox > 0.3 else "end" if ox < -0.3 else "middle"
        for index, edge in enumerate(group):
            offset = 8 + index * LINE_H
            lx, ly = mx + ox * offset, my + oy * offset + (10 if oy > 0.3 else -2)
            out.append(_text(lx, ly, edge.label, text_anchor=anchor, fill="#111"))
        out.append("</g>")
    # States, with their side actions as a loop above the box.
    initial = initial_state()
    for state in states():
        cx, cy = centre(state)
        x, y = cx - BOX_W / 2, cy - BOX_H / 2
        fill = "#e6f4ea" if state in {str(s) for s in PUBLIC_STATES} else "#f1f3f4"
        stroke_width = 3 if state == initial else 1.5
        out.append(f'<g class="state" data-state="{state}">')
        out.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" '
            f'fill="{fill}" stroke="#333" stroke-width="{stroke_width}"/>'
        )
        out.append(_text(cx, cy - 2, state_label(state), text_anchor="middle", font_weight="bold"))
        out.append(_text(cx, cy + 15, state, text_anchor="middle", fill="#555", font_size="11"))
        if loops[state]:
            names = " ".join(edge.name for edge in loops[state])
            out.append(f'<g class="transition" data-transitions="{names}">')
            out.append(
                f'<path d="M{cx - 24:.0f},{y:.0f} C{cx - 30:.0f},{y - LOOP_H:.0f} '
                f'{cx + 30:.0f},{y - LOOP_H:.0f} {cx + 24:.0f},{y:.0f}" fill="none" '
                'stroke="#333" stroke-width="1.5" marker-end="url(#wian-arrow)"/>'
            )
            top = y - LOOP_H - 6
            for index, edge in enumerate(reversed(loops[state])):
                out.append(
                    _text(cx, top - index * LINE_H, edge.label, text_anchor="middle", fill="#111")
                )
            out.append("</g>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


# -- the permission table ---------------------------------------------------------------------


def table_roles() -> list[str]:
    """Column order: every role, then any role the table names that roles.py does not list."""
    names = list(R.ALL_ROLES)
    for spec in permissions.TABLE.values():
        for key in ("view", "edit", "attach_scan"):
            names += [role for role in spec.get(key, ()) if role not in names]
        for allowed in spec["transitions"].values():
            names += [role for role in allowed if role not in names]
    return names


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def permission_rows() -> list[dict]:
    """One row per position of permissions.TABLE: what each role may do there."""
    roles = table_roles()
    rows = []
    for position, spec in permissions.TABLE.items():
        cells = {role: [] for role in roles}
        for role in spec.get("view", ()):
            cells[role].append(("view", _("view")))
        for role in spec.get("edit", ()):
            cells[role].append(("edit", _("edit")))
        for role in spec.get("attach_scan", ()):
            cells[role].append(("attach_scan", _("attach scan")))
        for name, allowed in spec["transitions"].items():
            for role in allowed:
                cells[role].append(("transition", name))
        rows.append(
            {
                "position": position,
                "label": position_label(position),
                "cells": [{"role": role, "items": cells[role]} for role in roles],
            }
        )
    return rows


def transition_rows() -> list[dict]:
    def sources(source) -> list[str]:
        return [str(s) for s in (source if isinstance(source, list | tuple) else (source,))]

    return [
        {
            "name": name,
            "label": str(label),
            "source": ", ".join(sources(source)),
            "target": str(target) if target is not None else _("(unchanged)"),
            "source_label": ", ".join(state_label(s) for s in sources(source)),
            "target_label": state_label(str(target)) if target is not None else _("(unchanged)"),
            # A language-neutral mark; the form names the comment in the reader's language.
            "comment": "✔" if name in permissions.COMMENT_REQUIRED else "",
        }
        for name, (label, source, target) in TRANSITIONS.items()
    ]


# -- Markdown (docs/WORKFLOW.md) ---------------------------------------------------------------


def _md(text: str) -> str:
    return str(text).replace("|", "\\|")


def markdown() -> str:
    roles = table_roles()
    lines = [
        "# Circular workflow",
        "",
        "<!-- Generated by `python manage.py workflow_diagram --output docs/WORKFLOW.md` from",
        "     workflows/machine.py (TRANSITIONS) and workflows/permissions.py (TABLE).",
        "     Do not edit by hand: a test fails when this file and the code disagree. -->",
        "",
        "## States and transitions",
        "",
        "```mermaid",
        mermaid().rstrip("\n"),
        "```",
        "",
        "## Transitions",
        "",
        "| transition | label | from | to | comment required |",
        "|---|---|---|---|---|",
    ]
    for row in transition_rows():
        lines.append(
            f"| `{row['name']}` | {_md(row['label'])} | {_md(row['source'])} | "
            f"{_md(row['target'])} | {_md(row['comment'])} |"
        )
    lines += [
        "",
        "## Who may do what",
        "",
        "Rows are positions of `permissions.TABLE` (a draft's position carries its review",
        "status); columns are roles. A secret circular is shown only to "
        + ", ".join(role_label(r) for r in sorted(permissions.SECRET_AUDIENCE))
        + ".",
        "",
        "| position | " + " | ".join(_md(role_label(role)) for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for row in permission_rows():
        cells = []
        for cell in row["cells"]:
            words = [
                f"`{key}`" if kind == "transition" else str(key) for kind, key in cell["items"]
            ]
            cells.append(", ".join(words))
        lines.append(f"| {_md(row['label'])} (`{row['position']}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
