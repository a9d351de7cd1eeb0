"""Plain-text descriptions of a framework for ``efl show``."""

from __future__ import annotations

import textwrap

from efl.errors import UsageError
from efl.core.models import Framework
from efl.reports.sources import source_words


def _wrap(text: str, indent: str) -> list[str]:
    # Web addresses are not broken at their hyphens, so they can still be copied whole.
    return textwrap.wrap(" ".join(text.split()), 96, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False) or [indent]


def describe_calendar(calendar) -> list[str]:  # noqa: ANN001
    """The statutory duties a framework's calendar holds, with their dates, for ``efl show``."""
    from efl.reports.report_text import long_date

    out = ["", f"Statutory duties ({calendar.title}; calendar {calendar.id}, version {calendar.version}):"]
    if calendar.general_duty is not None:
        g = calendar.general_duty
        out += _wrap(f"- General duty: {g.title}, in force from {long_date(g.in_force)} ({g.citation}).", "  ")
    for d in calendar.duties:
        threshold = ""
        if d.threshold is not None:
            on = " on the snapshot date" if d.threshold.on == "snapshot" else ""
            threshold = f"; applies from {d.threshold.employees:,} employees{on}"
        out += _wrap(f"- {d.noun[0].upper() + d.noun[1:]}: first due {long_date(d.first_due)}, then "
                     f"{d.cycle_words()}{threshold} ({d.citation}).", "  ")
    return out


def describe_framework(framework: Framework, area_id: str | None = None, calendar=None,  # noqa: ANN001
                       tailored=None) -> str:  # noqa: ANN001
    """The framework for ``efl show``; with ``tailored`` (a local tailoring), every local change is marked."""
    out = [f"{framework.title} ({framework.id}, version {framework.version}, {framework.status})"]
    if framework.summary:
        out += _wrap(framework.summary, "")
    changes = tailored.changes if tailored is not None else {}
    if tailored is not None:
        ref = tailored.ref
        name = ref.title or ref.file or ref.id or "a local tailoring"
        parts = [f"{len(ref.added)} criteria added", f"{len(ref.rules)} rules changed",
                 f"{len(ref.not_used)} not used"]
        if ref.characteristics:
            parts.append("local characteristics: " + ", ".join(ref.characteristics))
        out.append("")
        out += _wrap(f"Tailored locally by {name}: {'; '.join(parts)}. Local changes are marked [tailored locally].", "")
    out.append("")
    out.append("Levels: " + ", ".join(f"{i + 1}. {lv.title}" for i, lv in enumerate(framework.levels)))
    areas = framework.areas
    if area_id is not None:
        match = [a for a in areas if a.id == area_id or area_id in a.aliases]
        if not match:
            raise UsageError(f"no area '{area_id}' in {framework.id} "
                             f"(expected one of: {', '.join(a.id for a in areas)})")
        areas = match
    for area in areas:
        out.append("")
        local = sum(1 for c in area.criteria if c.id in changes)
        out.append(f"{area.id}: {area.title} ({len(area.criteria)} criteria"
                   + (f", {local} with local changes" if local else "") + ")")
        if area_id is None:
            continue
        if area.summary:
            out += _wrap(area.summary, "  ")
        if area.headings:
            out.append("  Headings the sources name:")
            for h in area.headings:
                count = sum(1 for c in area.criteria if c.id.startswith(h.id + "."))
                sure = "" if h.confidence == "confirmed" else f", {h.confidence}"
                encoded = {0: "no criteria", 1: "1 criterion"}.get(count, f"{count} criteria")
                out += _wrap(f"- {h.title} ({encoded}{sure}){': ' + h.note if h.note else ''}", "    ")
        local = area.expectations_source
        if local is not None and local.local and (area.manager_expectations or area.council_commitments):
            who = local.council or "one council"
            where = source_words(local.source)
            out += _wrap(f"The two lists below are {who}'s local table, not the framework's own text"
                         + (f" (source: {where})." if where else "."), "  ")
        if area.manager_expectations:
            out.append("  What managers are expected to do:")
            for e in area.manager_expectations:
                out += _wrap(f"- {e.text} [{e.id}]", "    ")
        if area.council_commitments:
            out.append("  What the council commits to:")
            for c in area.council_commitments:
                out += _wrap(f"- {c}", "    ")
        for level in framework.levels:
            criteria = [c for c in area.criteria if c.level == level.id]
            if not criteria:
                continue
            out.append(f"  {level.title}:")
            for c in criteria:
                flag = " (statutory)" if c.statutory else ""
                unconfirmed = f" [{c.confidence}]" if c.confidence != "confirmed" and c.id not in changes else ""
                local = " [tailored locally]" if c.id in changes else ""
                out += _wrap(f"{c.id}: {c.title}{flag}{unconfirmed}{local}", "    ")
                for change in changes.get(c.id, []):
                    out += _wrap(f"Local: {change.note}", "      ")
                if c.description:
                    out += _wrap(c.description, "      ")
                out += _wrap(f"If not met: {c.action} (owner: {c.owner})", "      ")
                source = source_words(c.source) or "efl's own reading of the framework"
                out += _wrap(f"Source: {source}", "      ")
    if area_id is None:
        if calendar is not None:
            out += describe_calendar(calendar)
        out.append("")
        out.append(f"Show one area in full with: efl show {framework.id} AREA")
    return "\n".join(out) + "\n"
