"""Small readers the end-to-end tests share."""

from __future__ import annotations

from pathlib import Path


def section(markdown: str, heading: str) -> list[str]:
    """Non-blank lines under ``## heading`` up to the next ``## ``."""
    lines = markdown.splitlines()
    start = lines.index(f"## {heading}") + 1
    out = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        if line.strip():
            out.append(line)
    return out


# The evaluation data beside the checkout; tests that read it skip when it is absent.
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEEDS = SHARED_DATA / "seeds-sample"
