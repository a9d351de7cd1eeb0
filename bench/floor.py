"""The floor for the national benchmark: read and parse every file, check nothing, compute nothing.

YAML through ruamel's C loader (the fastest safe YAML parser available here), CSV through the
standard library's ``csv.reader``; Markdown and other files are read as bytes.
"""

import csv
import io
import sys
from pathlib import Path

from ruamel.yaml import YAML

yaml = YAML(typ="safe")  # the C loader (ruamel.yaml.clib) is used when installed
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if not path.is_file():
        continue
    data = path.read_bytes()
    if path.suffix in (".yaml", ".yml"):
        yaml.load(data.decode("utf-8"))
    elif path.suffix == ".csv":
        count += sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
print(count)
