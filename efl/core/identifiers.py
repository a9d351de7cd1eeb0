"""Identifiers every part of efl shares: the pattern an id follows, and the ids and names of the nine
protected characteristics of the Equality Act 2010 (s. 4).

A leaf module (it imports nothing of efl's), so that the models, the vocabulary that reads people's
spellings and the YAML reader can all use them without importing one another.
"""

from __future__ import annotations

CHARACTERISTICS = (
    "age", "disability", "gender_reassignment", "marriage_civil_partnership", "pregnancy_maternity",
    "race", "religion_or_belief", "sex", "sexual_orientation",
)
CHARACTERISTIC_LABELS = {
    "age": "age", "disability": "disability", "gender_reassignment": "gender reassignment",
    "marriage_civil_partnership": "marriage and civil partnership",
    "pregnancy_maternity": "pregnancy and maternity", "race": "race", "religion_or_belief": "religion or belief",
    "sex": "sex", "sexual_orientation": "sexual orientation",
}


def characteristic_label(name: str) -> str:
    return CHARACTERISTIC_LABELS.get(name, name.replace("_", " "))


ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
