"""The classifications in use are built once per file: a file no other extends is used as it was
checked. Each must be exactly what building it afresh gives, and an extension still applies."""

from __future__ import annotations

from efl.workforce import classification as c


def _state(classification: c.Classification) -> dict:
    return {k: (v.model_dump() if hasattr(v, "model_dump") else v) for k, v in vars(classification).items()}


def test_each_shipped_classification_is_what_building_it_afresh_gives():
    c._build.cache_clear()
    built = c.built_in()
    assert len(list(built)) == len(c.built_in_paths())
    for classification in built:
        fresh = c.Classification(c.read_classification_file(_path(classification.id), "x"))
        assert fresh.problems() == []  # as the one in use was checked (so any answers kept match too)
        assert _state(classification) == _state(fresh), classification.id


def test_an_extended_file_is_built_again_with_the_extension(tmp_path):
    base = _path("ethnic-group-2021")
    extension = tmp_path / "extra.yaml"
    extension.write_text("kind: classification\nid: local-words\nextends: ethnic-group-2021\n"
                         "aliases: {white-british: [WBRI-LOCAL]}\ndeclined: [Would rather not say]\n", encoding="utf-8")
    c._build.cache_clear()
    extended = c.build_set([base, extension]).by_id("ethnic-group-2021")
    plain = c.build_set([base]).by_id("ethnic-group-2021")
    assert extended is not plain
    assert extended.read("WBRI-LOCAL").category == "white-british"
    assert plain.read("WBRI-LOCAL").category is None
    assert extended.read("Would rather not say").kind == "declined"


def _path(classification_id: str):  # noqa: ANN202
    for path in c.built_in_paths():
        if c.read_classification_file(path, str(path)).id == classification_id:
            return path
    raise AssertionError(classification_id)
