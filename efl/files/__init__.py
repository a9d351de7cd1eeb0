"""Files: reading an assessment folder safely, writing atomically, YAML with positions, CSV and columnar evidence tables, and text made safe for a terminal."""
