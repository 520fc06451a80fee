"""`python -m dashboard check`: validate the sources (by rebuilding) and the committed layers."""
from __future__ import annotations

import tempfile
from pathlib import Path

from .. import data
from . import validate
from .build import build_all, write_outputs
from ..layers import LAYERS
from ..paths import LAYERS_DIR


def check(sources: Path, layers_dir: Path) -> list[str]:
    problems: list[str] = []
    layers, tables, report = build_all(sources)
    problems += [f"build: {p}" for p in report.problems]
    if not (layers_dir / "manifest.json").exists():
        return problems + [f"{layers_dir}: no built layers (run `python -m dashboard build`)"]
    # the committed layers must be what the sources build to
    with tempfile.TemporaryDirectory() as tmp:
        fresh = write_outputs(Path(tmp), layers, tables, report)
    committed = data.load_manifest(layers_dir)
    for kind in ("layers", "tables"):
        for name, meta in fresh[kind].items():
            old = committed.get(kind, {}).get(name)
            if old is None:
                problems.append(f"{layers_dir}: {kind[:-1]} {name} missing; rebuild")
            elif old["sha256"] != meta["sha256"]:
                problems.append(f"{layers_dir}: {kind[:-1]} {name} differs from a fresh build; rebuild")
    # and the files on disk must match their manifest and validate
    for name, meta in committed.get("layers", {}).items():
        from ..files import sha256
        if sha256(layers_dir / meta["file"]) != meta["sha256"]:
            problems.append(f"{layers_dir / meta['file']}: hash differs from manifest")
    built = {lid: data.read_layer_file(layers_dir / f"{lid}.geojson") for lid in LAYERS
             if (layers_dir / f"{lid}.geojson").exists()}
    vocab = tables["sectors"]["key"].tolist()
    problems += [f"committed layers: {p}" for p in validate.validate_layers(built, vocab)]
    if "province" in built and layers_dir == LAYERS_DIR:  # the Map page's browser-cached outlines
        from ..mapview import static_outlines_problems
        problems += static_outlines_problems(built["province"])
    return problems
