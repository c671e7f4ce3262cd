"""Evaluate quickcare/settings.py against a given environment, in this process (fast: no
subprocess). django-environ reads and fills `Env.ENVIRON`, which is swapped for a dict here,
so neither the real environment nor the loaded settings change."""

import runpy
from pathlib import Path
from typing import Any

import environ

ROOT = Path(__file__).resolve().parents[2]


def settings_for(monkeypatch, **env: str) -> dict[str, Any]:
    fake = {"ENV_FILE": str(ROOT / "no-such-env-file"), "SECRET_KEY": "k" * 60, **env}
    monkeypatch.setattr(environ.Env, "ENVIRON", fake)
    return runpy.run_path(str(ROOT / "quickcare" / "settings.py"))
