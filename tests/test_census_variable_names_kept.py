"""The Census reader keeps the variable names of the classifications last asked about; kept names are
the names built afresh, and another set of classifications gets its own."""

from __future__ import annotations

from efl_plugins.readers import census_tables
from efl_plugins.readers.census_tables import Variables, _loose, _variable_names
from efl.workforce.classification import ClassificationSet, built_in


def fresh(library) -> dict[str, str]:  # noqa: ANN001
    names = {}
    for classification in library:
        for name in (*classification.spec.variables, classification.characteristic):
            names[_loose(name)] = classification.characteristic
    return names


def test_kept_names_are_fresh_names() -> None:
    library = built_in()
    assert _variable_names(library) == fresh(library) and _variable_names(library) is _variable_names(library)
    variables = Variables(library, ("race", "sex"))
    assert variables.characteristic("Ethnic group (20 categories)") == "race"
    fewer = ClassificationSet([c for c in library if c.characteristic != "race"])
    assert _variable_names(fewer) == fresh(fewer) and "race" not in _variable_names(fewer).values()
    assert census_tables._LAST_NAMES[0] == tuple(fewer)
    assert _variable_names(library) == fresh(library) and "race" in _variable_names(library).values()
    assert _variable_names(ClassificationSet([])) == {}
