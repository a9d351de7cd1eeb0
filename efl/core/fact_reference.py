"""The reference of every built-in fact (``docs/facts.md``), generated from the plugins' declarations.

A framework's ``fact`` rules name facts; which facts there are, what kind of value each is, what it
means and which plugin computes it is declared by the plugins (``efl.FactSpec``), so the reference
is written from those declarations and a test keeps the committed file up to date (as the JSON
Schemas in ``docs/schema`` are). Regenerate it with::

    python -m efl.core.fact_reference > docs/facts.md
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from efl.core.plugin_host import PluginHost

HEADER = """\
# Built-in facts

<!-- Generated from the built-in plugins' efl.FactSpec declarations by
     `python -m efl.core.fact_reference > docs/facts.md`; a test checks it is up to date. Do not edit. -->

Every fact efl's own plugins compute, for the `fact:` rules of a framework. A fact is left out when
the evidence it is worked out from is missing: a rule that needs it is then "insufficient evidence".
**Kind** is what the value is: a `number` (a percentage or ratio as it is, 12.5 for 12.5%), a
`whole number`, `yes or no`, `text`, a `date`, a `list` or a `mapping` of named figures; the numeric
comparisons of a `fact` rule (`at_least`, `below`...) need a number. **From** lists the evidence
types it is worked out from. A third-party plugin declares its own facts the same way
(`efl.FactSpec`, see docs/plugins.md).

| Fact | Kind | Meaning | Plugin | From |
| --- | --- | --- | --- | --- |
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def reference(host: PluginHost) -> str:
    """The Markdown reference of the facts efl's own (built-in) plugins declare, by name."""
    registry = host.facts()
    rows = []
    for name, spec in sorted(registry.items.items()):
        owner = registry.owner[name]
        info = host.infos.get(owner)
        if info is None or not info.builtin:
            continue
        needs = ", ".join(f"`{n}`" for n in spec.needs) or "-"
        rows.append(f"| `{name}` | {spec.kind or '-'} | {_cell(spec.description)}"
                    f"{' (the headcount duties use)' if spec.headcount else ''} | `{owner}` | {needs} |")
    return HEADER + "\n".join(rows) + "\n"


def main() -> None:
    from efl.core.plugin_host import load_plugins

    sys.stdout.write(reference(load_plugins(autoload=False)))


if __name__ == "__main__":
    main()
