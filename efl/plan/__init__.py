"""The council's action plan through the year: roles and bodies, the plan itself, and progress reports."""
