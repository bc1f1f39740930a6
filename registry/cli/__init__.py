"""The registry's command group; the installed `ssa-registry` adds the web commands to it
(`web.cli`)."""

from __future__ import annotations

from registry.cli import admin as _admin  # noqa: F401
from registry.cli import bench as _bench  # noqa: F401
from registry.cli import evaluation as _evaluation  # noqa: F401
from registry.cli import governance as _governance  # noqa: F401
from registry.cli import places as _places  # noqa: F401  (registers commands)
from registry.cli import replay as _replay  # noqa: F401
from registry.cli.base import main

__all__ = ["main"]
