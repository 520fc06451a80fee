"""Where the project's data lives (inside the repository; never ../shared)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"
SOURCES = GEODATA / "sources"
LAYERS_DIR = GEODATA / "layers"
STORIES_DIR = ROOT / "stories"
