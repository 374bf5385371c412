"""Shared fixtures: the rule set, the path to ../shared, and hypothesis profiles."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

from cleaner import RuleSet, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# What every developer and CI run has beside the project (dev set, scorer); see its README.
SHARED = ROOT.parent / "shared"


def load_script(name: str) -> ModuleType:
    """A module of scripts/ (not a package), e.g. load_script("evaluate")."""
    spec = importlib.util.spec_from_file_location(f"cleaner_script_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

needs_shared = pytest.mark.skipif(
    not (SHARED / "data" / "dev.jsonl").is_file(),
    reason=f"needs the shared dev set at {SHARED / 'data'} (absent here)",
)

# `ci` (default): modest and deadline-free, since a 2-core CI box is noisy.
# `dev`: many more examples, for a local hunt: HYPOTHESIS_PROFILE=dev pytest tests/test_properties.py
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "dev", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    """The built-in rules alone (CLEANER_RULES folders of the caller's shell are ignored)."""
    return load_ruleset([])


def reader_text(d: dict) -> str:
    """A result's `text` from its fields: the standfirst (when there is one), then the body."""
    return "\n\n".join(([d["standfirst"]] if d.get("standfirst") else []) + [b["text"] for b in d["body"]])
