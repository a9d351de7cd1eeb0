"""The words people read: one place for each term every paper uses, and plain English for reasons.

GOV.UK style: names, never codes; one word for each idea (``NOT_CLAIMED``, ``LEAD``), dates in long
form and percentages to one decimal place (see :mod:`efl.reports.report_text`); no ids, file paths,
hashes or tool names in text meant for people (those go to the technical appendix or annex).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from efl.reports.report_text import long_date

if TYPE_CHECKING:
    from efl.core.models import Action, Result

NOT_CLAIMED = "not claimed"  # an area whose level the assessment does not claim
NO_DATE = "no date set"
LEAD = "Lead"  # the person or post who leads an action: never "Owner" beside "Lead"
NO_STATUS = "no status given"

# Owners a framework names when no post is named in assessment.yaml, in words people read.
OWNER_WORDS = {"council": "Equality lead (post not yet named)",
               "managers": "All service managers"}


def lead_words(action: Action) -> str:
    """Who leads an action: the named post (and person), else the framework's owner in words."""
    if action.lead:
        return action.lead
    return OWNER_WORDS.get(action.owner, action.owner)


def priority_meaning(result: Result, priority: int) -> str:
    """What a priority number means, in one place: 1 is a legal duty not met or a gap at the first
    level; n is a gap at the framework's n-th level; higher numbers come after all of those."""
    levels = result.framework.levels
    if priority <= 1:
        return f"a legal duty not yet met, or a test for {levels[0].title}"
    if priority <= len(levels):
        return f"a test for {levels[priority - 1].title}"
    return "less urgent than the tests above"


def priority_key(result: Result) -> list[str]:
    """One sentence per priority the plan uses, most urgent first ("Priority 1: ...")."""
    used = sorted({x.priority for x in result.actions})
    return [f"Priority {n}: {priority_meaning(result, n)}." for n in used]


# --- reasons in plain English ----------------------------------------------------------------------

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# A citation in brackets ("(SI 2011/2260 reg 2; SI 2017/353 reg 4)"): the law goes in the legal section,
# where only what was in force on the assessment date is cited.
_CITATION = re.compile(r"\s*\((?:[^()]*?\b(?:SI \d{4}/\d+|Equality Act \d{4}|s\.\s?\d+|reg \d+)[^()]*)\)")
_CODES = {re.compile(r"\beqia\b", re.IGNORECASE): "equality impact assessment",
          re.compile(r"\bEqIAs?\b"): "equality impact assessment"}
_WHETHER = re.compile(r"^whether (?P<what>.+): (?P<got>yes|no) \((?P<want>yes|no) needed\)$")
_NEEDED = re.compile(r"^(?P<what>.+): (?P<got>[^:]+?) \((?P<want>[^()]+) needed\)$")
_NONE_LISTED = re.compile(r"^no (?P<what>.+) is listed in the evidence$")
_NO_FIGURE = re.compile(r"^no figure for (?P<what>.+?); it is worked out from (?P<from>.+)$")
_CONDITIONS = re.compile(r"^(?P<n>\d+) of (?P<m>\d+) conditions met \((?P<mode>all|any) of them needed\)$")


def _iso_to_long(match: re.Match) -> str:
    try:
        return long_date(dt.date(int(match[1]), int(match[2]), int(match[3])))
    except ValueError:
        return match[0]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _capital(text.strip())
    return text if text.endswith((".", "?", "!")) else text + "."


def _plural(noun: str) -> bool:
    last = noun.split()[-1] if noun.split() else noun
    return last.endswith("s") and not last.endswith(("ss", "is", "us"))


def plain_words(text: str) -> str:
    """Codes and ISO dates in a sentence turned into words (``eqia``, ``2025-01-20``); citations in
    brackets left out."""
    text = _CITATION.sub("", text)
    for pattern, words in _CODES.items():
        text = pattern.sub(words, text)
    return _ISO.sub(_iso_to_long, text)


def plain_reason(reason: str) -> str:
    """A rule's reason as a sentence for a councillor: "the share ...: 87.5% (at least 90% needed)"
    reads "The share ... is 87.5%; at least 90% is needed."; "whether X: no (yes needed)" reads "It is
    not yet shown that X."."""
    text = plain_words(reason.strip())
    prefix = ""
    if text.startswith("does not apply: "):
        prefix, text = "Does not apply: ", text.removeprefix("does not apply: ")
    m = _WHETHER.match(text)
    if m:
        shown = m["got"] == m["want"]
        text = f"Yes: {m['what']}" if shown else f"It is not yet shown that {m['what']}"
        return prefix + (_sentence(text) if not prefix else text + ".")
    m = _CONDITIONS.match(text)
    if m:
        need = "all are needed" if m["mode"] == "all" else "one is enough"
        return prefix + f"{m['n']} of {m['m']} conditions are met; {need}."
    m = _NONE_LISTED.match(text)
    if m:
        verb = "are" if _plural(m["what"]) else "is"
        return prefix + f"No {m['what']} {verb} listed in the evidence."
    m = _NO_FIGURE.match(text)
    if m:
        return prefix + f"There is no figure for {m['what']}. It is worked out from the {_strip_article(m['from'])}."
    m = _NEEDED.match(text)
    if m:
        body = f"{_capital(m['what']) if not prefix else m['what']} is {m['got']}; {m['want']} is needed"
        return prefix + body + "."
    return prefix + (text + ("" if text.endswith(".") else ".") if prefix else _sentence(text))


def _strip_article(text: str) -> str:
    return text.removeprefix("the ")


# --- people, by the group their answer puts them in ---------------------------------------------------

_GROUP_WORDS = {
    "disability": {"yes": "disabled people", "disabled": "disabled people", "no": "non-disabled people",
                   "not disabled": "non-disabled people"},
    "sex": {"female": "women", "male": "men", "women": "women", "men": "men"},
    "religion_or_belief": {"other": "people of another religion or belief", "no religion": "people with no religion"},
    "race": {"other": "people of another ethnic group"},
    "sexual_orientation": {"other": "people of another sexual orientation"},
}
_SMALL = {"or", "and", "of", "the", "in"}


def _title_words(text: str) -> str:
    return " ".join(w if w in _SMALL else w[:1].upper() + w[1:] for w in text.split())


def group_words(characteristic: str, group: str) -> str:
    """The people in a group, as a sentence names them: ``disabled people`` (not "the group 'yes'"),
    ``people aged 16 to 24``, ``White British people``, ``people of another religion or belief``."""
    key = " ".join(str(group).replace("_", " ").split()).lower()
    known = _GROUP_WORDS.get(characteristic, {})
    if key in known:
        return known[key]
    if characteristic == "age":
        m = re.match(r"^(\d+)\s*-\s*(\d+)$", key)
        if m:
            return f"people aged {m[1]} to {m[2]}"
        m = re.match(r"^(\d+)\s*(?:\+|and over|or over)$", key)
        if m:
            return f"people aged {m[1]} and over"
    if characteristic == "race":
        return f"{_title_words(key)} people"
    if characteristic == "religion_or_belief":
        return f"{_title_words(key)} people"
    if characteristic == "sexual_orientation":
        return f"{key} people"
    from efl.core.models import characteristic_label

    return f"people whose {characteristic_label(characteristic)} is recorded as {key}"


def baseline_and_target(criterion, on: dt.date) -> tuple[str, str]:  # noqa: ANN001
    """A plan line's baseline and target from the figures its criterion was judged on: "87.5%
    (14 November 2025)" and "at least 90%"; "No" and "Yes" for a yes-or-no test; empty when the
    test is not about a figure (a duty's dates are in the action itself)."""
    baselines, targets = [], []
    for reason in criterion.reasons:
        text = plain_words(reason.strip()).removeprefix("does not apply: ")
        m = _WHETHER.match(text)
        if m:
            baselines.append(m["got"].capitalize())
            targets.append(m["want"].capitalize())
            continue
        m = _NEEDED.match(text)
        if m:
            baselines.append(m["got"])
            targets.append(m["want"])
    if not baselines:
        return "", ""
    return f"{'; '.join(baselines)} ({long_date(on)})", "; ".join(targets)
