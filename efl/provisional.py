"""Provisional helpers for plugins: convenient, used by efl's own plugins, and NOT promised.

Anything here may change or go in any release, minor ones included, without a deprecation period
(see "Compatibility" in docs/plugins.md). Import from here to write less code today; import from
``efl`` itself what your plugin must rely on. A helper that proves stable moves to ``efl`` (and
stays here too, for a release, as the same object).

Every name loads its module on first use, like ``efl``'s own.
"""


# Each loader imports one of efl's modules when one of its names is first used (no module paths as
# text: a dotted path such as the one to the representation module reads like the name of a fact).
def _evidence():  # noqa: ANN202
    from efl.files import evidence
    return evidence


def _assessment():  # noqa: ANN202
    from efl.core import assessment
    return assessment


def _columnar():  # noqa: ANN202
    from efl.files import columnar
    return columnar


def _models():  # noqa: ANN202
    from efl.core import models
    return models


def _groups():  # noqa: ANN202
    from efl.workforce import groups
    return groups


def _classification():  # noqa: ANN202
    from efl.workforce import classification
    return classification


def _representation():  # noqa: ANN202
    from efl.workforce import representation
    return representation


def _vocabulary():  # noqa: ANN202
    from efl.core import vocabulary
    return vocabulary


def _yaml():  # noqa: ANN202
    from efl.files import yamlio
    return yamlio


def _governance():  # noqa: ANN202
    from efl.plan import governance
    return governance


def _plan():  # noqa: ANN202
    from efl.plan import action_plan
    return action_plan


def _dates():  # noqa: ANN202
    from efl.law import dates
    return dates


def _statutory():  # noqa: ANN202
    from efl.law import statutory
    return statutory


def _measures():  # noqa: ANN202
    from efl.workforce import measures
    return measures


def _words():  # noqa: ANN202
    from efl.reports import report_text
    return report_text


def _paper():  # noqa: ANN202
    from efl.reports import paper
    return paper


def _wording():  # noqa: ANN202
    from efl.reports import wording
    return wording


def _xml_text():  # noqa: ANN202
    from efl.files import xml_text
    return xml_text


def _target():  # noqa: ANN202
    from efl.core import target
    return target


def _local_text():  # noqa: ANN202
    from efl.reports import local_text
    return local_text


def _target_text():  # noqa: ANN202
    from efl.reports import target_text
    return target_text


def _pay_comparisons():  # noqa: ANN202
    from efl.workforce import pay_comparisons
    return pay_comparisons


def _progress():  # noqa: ANN202
    from efl.plan import progress
    return progress


def _json_text():  # noqa: ANN202
    from efl.reports import json_text
    return json_text


def _text_table():  # noqa: ANN202
    from efl.reports import text_table
    return text_table


def _formats():  # noqa: ANN202
    from efl.reports import report_formats
    return report_formats


# name -> (loader of its module, attribute there). Grouped by what they are for.
_WHERE: dict = {}


def _add(load, *names: str, **renamed: str) -> None:  # noqa: ANN001
    _WHERE.update({name: (load, name) for name in names})
    _WHERE.update({name: (load, attribute) for name, attribute in renamed.items()})


# Reading CSV evidence: cells, columns, large tables.
_add(_evidence, "is_recorded", "normalise_characteristic", "load_csv", "find_columns", "read_columns",
     "Columns", "EncodedColumn", "encoded_column", "row_count", "unique_and_filled", "parse_decimal", "CellError",
     "header_column")
_add(_columnar, "load_table", "ArrowTable")
# Words for outcomes, and the type of a YAML text field where a bare date or number is the text written.
_add(_models, "OUTCOME_LABELS", "Text")
# People's answers (what a Vocabulary reads a cell as) and age bands.
_add(_groups, "GROUP", "NOT_RECORDED", "DECLINED", "OTHER_ANSWER", "UNRECOGNISED", "vocabulary_for",
     "age_band", "merge_age_bands")
# Census 2021 classifications: groups, roll-ups and the words files use.
_add(_classification, "classifications_for", "Classification", "ClassificationSet")
# The published community profile and comparing a workforce with it.
_add(_representation, "CommunityComparison", "compare_with_community",
     "community_age_range")
# Words people write in YAML files, and YAML with positions.
_add(_vocabulary, word_key="key", covers_value="covers")
_add(_yaml, "parse_yaml", "decode_text", "pydantic_diagnostics")
# Governance: who leads, and when each body expects reports.
_add(_governance, "resolve_lead", "BodySchedule", governance_schedules="schedules")
# The framework being assessed (and the other installed ones), for a parser checking the ids a file names.
_add(_assessment, "framework_for", "other_frameworks")
# The council's own action plan, for formats that write it.
_add(_plan, ActionPlan="Plan", PLAN_STATUSES="STATUSES", propose_plan_lines="propose",
     plan_table="table", optional_import="need")
# Dates and the statutory calendar.
_add(_dates, "Duration", "parse_duration", "add_months", "next_anniversary", "within", "ONE_YEAR")
_add(_statutory, "judge_duty", "duty_in_force", "DutyStatus", "published_on")
# Pay gap and representation measures.
_add(_measures, "PayGroup", "pay_groups", "pay_gap", "PayGap", "half_up", "gap_pct", "mean_gap_pct", "median_gap_pct", "Band", "band_bounds", "quartile_bands",
     "share_pct", "representation_ratio", "pence_in_pound", "one_decimal", "pay_gap_figures", "PayGapFigures")
# The words every report format shares, and comparisons in efl's own styles.
_add(_words, "PlanRow", "plan_rows", "summary_sentences", "title_line", "role_words", "long_date",
     "percent", "outcome_label", "count", "area_sentence", "agreed_levels", "level_rank", "statutory_actions",
     "no_actions_sentence", "incomplete_sentence", "criteria_by_id", "area_titles", "markdown_escape",
     "markdown_table", "agreed_overall", "claim_rows", "ClaimRow", "warning_heading", "report_style", "and_list",
     "warning_sentences")
_add(_formats, "comparison_text")
# Plain-text tables as tabulate's "simple" style draws them (the table report's), without its import.
_add(_text_table, "simple_table")
# Indented JSON as json.dumps(indent=2) writes it, the same bytes, quicker (the json report's).
_add(_json_text, "pretty_json")
# Which pay comparisons a workforce file allows.
_add(_pay_comparisons, "plan_comparisons", "ComparisonPlan")
# What it would take (efl assess --target): composing and wording a rule type's needs.
_add(_models, "PeopleNeeded")
_add(_target, "needs_all", "needs_any", "needs_not", "negate", "people_needed", "people_words", "fallback_need")
# Words for what-ifs, waivers, local tailoring and targets.
_add(_local_text, "hypothetical_sentence", "hypothetical_label", "assumption_sentences", "tailoring_sentence",
     "tailoring_source", "waiver_rows", "waiver_heading", "waiver_intro", "local_words", "criterion_marks",
     "marked_title", "WaiverRow")
_add(_target_text, "target_heading", "target_sentences", "target_rows", "TargetRow", "lapse_sentences")
# The progress report in efl's own styles, and its parts.
_add(_progress, "progress_parts", progress_text="render_style", progress_title="title")
# Office files (Word, Excel): text with the characters XML cannot hold shown as escapes.
_add(_xml_text, "xml_safe")
# The committee paper's parts, for a format or a council's own template to lay out.
_add(_paper, "committee_paper", "Paper", "levels_table", PaperPart="Part")
# The words people read: one term for each idea, reasons in plain English.
_add(_wording, "plain_reason", "plain_words", "lead_words", "priority_key", "group_words", "NOT_CLAIMED")

__all__ = sorted(_WHERE)


def __getattr__(name: str):  # noqa: ANN202 - PEP 562
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'efl.provisional' has no attribute {name!r}")
    load, attribute = where
    value = getattr(load(), attribute)
    globals()[name] = value
    return value


def __dir__() -> list:
    return list(__all__)
