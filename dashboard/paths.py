"""Where the project's data lives: inside the repository, nothing outside it is read."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
SOURCES = GEODATA / "sources"
# ATLAS_LAYERS_DIR points the app at another built layer set (the benchmark's synthetic data)
LAYERS_DIR = Path(os.environ.get("ATLAS_LAYERS_DIR") or GEODATA / "layers")
STORIES_DIR = ROOT / "stories"
