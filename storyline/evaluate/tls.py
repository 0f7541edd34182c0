"""Timeline17 evaluation through the product path: read the dataset, build, ask for timelines, score.

The setting is the standard one of Ghalandari & Ifrim (ACL 2020): all
folders of one topic (``bpoil_bbc``, ``bpoil_reuters``... are topic
``bpoil``) form one pool of articles; each reference timeline is predicted
from the articles published between its first and last date, with N = its
number of dates and K = its mean number of sentences per date, rounded.

Nothing here summarises.  Each topic's articles (their date folder as their
publication date, the dataset's tokenisation undone) are built with
``storyline.api.build`` into a store, exactly as ``storyline build`` does, and
each prediction is what ``storyline timeline --format json --from FIRST --to
LAST --max-dates N --per-date K`` returns: the summary sentences of the chosen
events, by day.  This module holds the dataset's readers and the scorer only.

The scorer is written here, after the definitions of the tilse package
(Martschat & Markert 2017/2018) that the paper used:

* ROUGE counts as ROUGE-1.5.5 makes them with stemming and stop words
  removed (``-m -s``): ASCII letters and digits only, hyphens split, SMART
  stop words dropped, words longer than three letters Porter-stemmed, and a
  day's sentences read as one stream so bigrams run across sentences.
  Irregular forms are looked up first ("sank" -> "sink"), as ROUGE does in
  WordNet 2.0's exception lists; here the lists come from the spaCy model's
  lemmatiser tables, which hold the same entries but for the few listed in
  ``_EXCEPTION_FIXES``.  Checked against ROUGE-1.5.5 through tilse: the same
  figures to four decimals on every Timeline17 timeline here.
* "align_date_content_costs_many_to_one": every predicted day is matched to
  the reference day of least cost, and every reference day to the predicted
  day of least cost, where the cost is ``(1 - 1/(days apart + 1)) * (1 -
  unigram F1 of the raw tokens)``.  A pair's ROUGE hits are weighted by
  ``1/(days apart + 1)``; precision sums over predicted days, recall over
  reference days, and F1 is taken from the two sums.
* Date F1 compares the two sets of days.

Scores are averaged over timelines, as the paper reports them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import string
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .. import api
from ..selection import stem
from . import f1

Timeline = dict  # dt.date -> list[str], the sentences of that day

SEPARATOR = "-" * 32
_DATE_LINE = re.compile(r"\d{4}-\d\d-\d\d")


# --- reading and writing timelines -------------------------------------------

def parse_timeline(text: str, on_bad_line: Callable[[int, str], None] | None = None) -> Timeline:
    """A Timeline17 timeline: a date line, its sentences, a dashed line, and again.

    A date that appears twice keeps only its last entry, as tilse's reader
    (and so the published figures) did; two Timeline17 references list a day
    twice.  A malformed line (an impossible date, text outside a dated block)
    is left out and reported through ``on_bad_line(line number, why)``, with
    what follows it up to the next good date; a file with no dated entry at
    all is an error: it is not a timeline and must not be scored as an empty one.
    """
    out: Timeline = {}
    day: dt.date | None = None
    problems: list[tuple[int, str]] = []
    bad = lambda n, why: problems.append((n, why))  # noqa: E731 - reported once the file proves a timeline
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("-----") and set(line) == {"-"}:
            day = None
        elif _DATE_LINE.fullmatch(line):
            try:
                day = dt.date.fromisoformat(line)
            except ValueError:
                bad(n, f"{line!r} is not a calendar date")
                day = None
                continue
            out[day] = []
        elif day is None:
            bad(n, "text outside a dated entry")
        else:
            out[day].append(line)
    out = {d: sents for d, sents in out.items() if sents}
    if not out:
        raise ValueError("no dated entry")
    for n, why in problems:
        if on_bad_line:
            on_bad_line(n, why)
    return out


def read_timeline(path: str | Path, on_bad_line: Callable[[int, str], None] | None = None) -> Timeline:
    return parse_timeline(Path(path).read_text(encoding="utf-8"), on_bad_line)


def format_timeline(timeline: Timeline) -> str:
    """The reference format, days in order, so a prediction can be read back like a reference."""
    parts = []
    for day in sorted(timeline):
        parts.append(day.isoformat())
        parts.extend(" ".join(s.split()) for s in timeline[day])
        parts.append(SEPARATOR)
    return "\n".join(parts) + "\n"


def budget(reference: Timeline) -> tuple[int, int]:
    """N dates and K sentences per date for a prediction, as the paper sets them."""
    n = len(reference)
    k = int(sum(len(s) for s in reference.values()) / n + 0.5)
    return n, max(k, 1)


# --- reading articles ----------------------------------------------------------

@dataclass
class Topic:
    """All folders of one topic: its articles as records for ``build``, and the reference timelines."""

    name: str
    records: list[dict] = field(default_factory=list)
    timelines: list[tuple[str, str, Timeline]] = field(default_factory=list)  # (folder, file name, timeline)

    @property
    def articles(self) -> int:
        return len(self.records)


_DETOK = [(re.compile(r" ([,.;:!?%)\]}])"), r"\1"), (re.compile(r"-LRB- ?"), "("), (re.compile(r" ?-RRB-"), ")"),
          (re.compile(r"`` ?"), '"'), (re.compile(r" ?''"), '"'), (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
          (re.compile(r"([(\[{$]) "), r"\1")]


def detokenise(text: str) -> str:
    """Undo Penn-Treebank spacing ("Feb. 27 , 2012" -> "Feb. 27, 2012"): the dataset's form, not a reader's."""
    for rx, repl in _DETOK:
        text = rx.sub(repl, text)
    return text


def topic_of(folder: Path) -> str:
    return folder.name.split("_", 1)[0]


def read_topic(name: str, folders: list[Path], skip: Callable[[str, str], None]) -> Topic:
    """Read every folder of one topic; whatever cannot be read is reported and left out.

    Each article becomes a JSON record as a user would give it: its text,
    its outlet (the folder's suffix) and its date folder as ``published``.
    """
    topic = Topic(name)
    for folder in folders:
        for path in sorted((folder / "timelines").glob("*.txt")):
            try:
                timeline = read_timeline(path, lambda n, why, p=path: skip(f"{p}:{n}", why))
            except (OSError, ValueError) as exc:
                skip(str(path), str(exc))
                continue
            topic.timelines.append((folder.name, path.name, timeline))
        for day_dir in sorted((folder / "InputDocs").iterdir()) if (folder / "InputDocs").is_dir() else []:
            try:
                published = dt.date.fromisoformat(day_dir.name)
            except ValueError:
                skip(str(day_dir), "folder name is not a publication date")
                continue
            for path in sorted(p for p in day_dir.iterdir() if p.is_file()):
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, ValueError) as exc:
                    skip(str(path), str(exc))
                    continue
                topic.records.append({"id": f"{folder.name}/{day_dir.name}/{path.name}",
                                      "source": folder.name.split("_", 1)[1] if "_" in folder.name else None,
                                      "published": published.isoformat(), "text": detokenise(text)})
    return topic


def topic_folders(dataset_dir: str | Path) -> dict[str, list[Path]]:
    """Folders that hold articles or timelines, grouped by topic (the name before the underscore)."""
    root = Path(dataset_dir)
    if not root.is_dir():
        raise OSError(f"{root} is not a directory")
    groups: dict[str, list[Path]] = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if (folder / "InputDocs").is_dir() or (folder / "timelines").is_dir():
            groups.setdefault(topic_of(folder), []).append(folder)
    if not groups:
        raise ValueError(f"no topic folders (with InputDocs/ or timelines/) in {root}")
    return groups


# --- scoring -------------------------------------------------------------------

# ROUGE-1.5.5's stop list (the SMART common words with ROUGE's additions),
# limited to the entries its tokeniser can produce: letters and digits only.
ROUGE_STOPWORDS = frozenset("""
reuters ap jan feb mar apr may jun jul aug sep oct nov dec tech news index mon tue wed thu fri sat a able about above
according accordingly across actually after afterwards again against all allow allows almost alone along already also
although always am amid among amongst an and another any anybody anyhow anyone anything anyway anyways anywhere apart
appear appreciate appropriate are around as aside ask asking associated at available away awfully b be became because
become becomes becoming been before beforehand behind being believe below beside besides best better between beyond
both brief but by c came can cannot cant cause causes certain certainly changes clearly co com come comes concerning
consequently consider considering contain containing contains corresponding could course currently d definitely
described despite did different do does doing done down downwards during e each edu eg eight either else elsewhere
enough entirely especially et etc even ever every everybody everyone everything everywhere ex exactly example except f
far few fifth five followed following follows for former formerly forth four from further furthermore g get gets
getting given gives go goes going gone got gotten greetings h had happens hardly has have having he hello help hence
her here hereafter hereby herein hereupon hers herself hi him himself his hither hopefully how howbeit however i ie if
ignored immediate in inasmuch inc indeed indicate indicated indicates inner insofar instead into inward is it its
itself j just k keep keeps kept know knows known l lately later latter latterly least less lest let like liked likely
little look looking looks ltd m mainly many may maybe me mean meanwhile merely might more moreover most mostly much
must my myself n namely nd near nearly necessary need needs neither never nevertheless new next nine no nobody non none
noone nor normally not nothing novel now nowhere o obviously of off often oh ok okay old on once one ones only onto or
other others otherwise ought our ours ourselves out outside over overall own p particular particularly per perhaps
placed please plus possible presumably probably provides q que quite qv r rather rd re really reasonably regarding
regardless regards relatively respectively right s said same saw say saying says second secondly see seeing seem
seemed seeming seems seen self selves sensible sent serious seriously seven several shall she should since six so some
somebody somehow someone something sometime sometimes somewhat somewhere soon sorry specified specify specifying still
sub such sup sure t take taken tell tends th than thank thanks thanx that thats the their theirs them themselves then
thence there thereafter thereby therefore therein theres thereupon these they think third this thorough thoroughly
those though three through throughout thru thus to together too took toward towards tried tries truly try trying twice
two u un under unfortunately unless unlikely until unto up upon us use used useful uses using usually uucp v value
various very via viz vs w want wants was way we welcome well went were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why
will willing wish with within without wonder would x y yes yet you your yours yourself yourselves z zero
""".split())

_NOT_ALNUM = re.compile(r"[^A-Za-z0-9\-]")

# Where the spaCy model's exception tables differ from ROUGE's WordNet 2.0
# exception list: regular comparatives and a few rare words it adds (mapped
# to None: not an exception for ROUGE), and one entry it lacks.
_EXCEPTION_FIXES: dict[str, str | None] = {
    **dict.fromkeys("closer closest faster fastest longer longest nearer nearest nigher nighest quicker quickest "
                    "slower slowest sooner soonest ashes cognosenti halfpence lisente morses staretsy coping".split()),
    "singing": "sing",
}


@lru_cache(maxsize=1)
def irregular_forms() -> dict[str, str]:
    """Irregular word forms and their base form, as ROUGE-1.5.5's stemmer looks them up.

    The tables come from the default spaCy model whichever model the user
    chose, so the setting cannot change ROUGE figures.  Empty when that
    model is not installed; ROUGE figures then differ slightly from the
    published ones (a few hundredths of a point).
    """
    from ..annotate import nlp

    try:
        model = importlib.import_module(nlp.DEFAULT_MODEL)
        from spacy.lookups import Lookups
        from spacy.strings import hash_string
    except ImportError:
        return {}
    paths = list(Path(model.__file__).parent.glob("*/lemmatizer/lookups"))
    if not paths:
        return {}
    table = Lookups().from_disk(paths[0]).get_table("lemma_exc")
    out: dict[str, str] = {}
    for pos in ("adj", "adv", "noun", "verb"):  # a later list wins, as in ROUGE's database
        for word, lemmas in table.get(hash_string(pos), {}).items():
            out[word] = lemmas[0]
    for word, base in _EXCEPTION_FIXES.items():
        if base is None:
            out.pop(word, None)
        else:
            out[word] = base
    return out


def rouge_terms(sentences: list[str]) -> list[str]:
    """A day's summary as ROUGE-1.5.5 -m -s sees it: one stream of stemmed content words."""
    text = _NOT_ALNUM.sub(" ", " ".join(sentences).replace("-", " - ")).lower()
    irregular = irregular_forms()
    out = []
    for tok in text.split():
        if tok in ROUGE_STOPWORDS or tok == "-":
            continue
        out.append(irregular.get(tok) or stem(tok) if len(tok) > 3 else tok)
    return out


def ngrams(words: list[str], n: int) -> Counter:
    return Counter(zip(*(words[i:] for i in range(n))))


def _overlap(a: Counter, b: Counter) -> int:
    return sum(min(c, b[g]) for g, c in a.items() if g in b)


def _content_bag(sents: list[str]) -> Counter:
    """A day's raw tokens for the alignment's content similarity, punctuation left out (no stemming, case kept)."""
    return Counter(t for s in sents for t in s.split() if t not in string.punctuation)


def _content_f1(p: Counter, r: Counter) -> float:
    """The alignment's content similarity: unigram F1 of two days' ``_content_bag``s."""
    hit = _overlap(p, r)
    if not hit:
        return 0.0
    return f1(hit / sum(p.values()), hit / sum(r.values()))


def align_costs(pred: Timeline, ref: Timeline) -> list[list[float]]:
    """Cost of matching each predicted day (row) with each reference day (column), both in date order."""
    pdays, rdays = sorted(pred), sorted(ref)
    pbags = {p: _content_bag(pred[p]) for p in pdays}
    rbags = {r: _content_bag(ref[r]) for r in rdays}
    return [[(1 - 1 / (abs((p - r).days) + 1)) * (1 - _content_f1(pbags[p], rbags[r])) for r in rdays] for p in pdays]


def _argmin(values: list[float]) -> int:
    """Index of the least value, the first one on a tie (as numpy's argmin)."""
    best = 0
    for i, v in enumerate(values):
        if v < values[best]:
            best = i
    return best


def alignment_rouge(pred: Timeline, ref: Timeline) -> dict[str, dict[str, float]]:
    """ROUGE-1 and ROUGE-2 precision, recall and F1 under the many-to-one date-content alignment."""
    pdays, rdays = sorted(pred), sorted(ref)
    out = {f"rouge_{n}": {"precision": 0.0, "recall": 0.0, "f_score": 0.0} for n in (1, 2)}
    if not pdays or not rdays:
        return out
    costs = align_costs(pred, ref)
    to_ref = [_argmin(row) for row in costs]
    to_pred = [_argmin([row[j] for row in costs]) for j in range(len(rdays))]
    pterms = {d: rouge_terms(pred[d]) for d in pdays}
    rterms = {d: rouge_terms(ref[d]) for d in rdays}
    for n in (1, 2):
        pgrams = {d: ngrams(pterms[d], n) for d in pdays}
        rgrams = {d: ngrams(rterms[d], n) for d in rdays}

        def weighted_hits(p: dt.date, r: dt.date) -> float:
            return _overlap(pgrams[p], rgrams[r]) / (abs((p - r).days) + 1)

        p_num = sum(weighted_hits(p, rdays[j]) for p, j in zip(pdays, to_ref))
        p_den = sum(sum(pgrams[p].values()) for p in pdays)
        r_num = sum(weighted_hits(pdays[i], r) for r, i in zip(rdays, to_pred))
        r_den = sum(sum(rgrams[r].values()) for r in rdays)
        prec = p_num / p_den if p_den else 0.0
        rec = r_num / r_den if r_den else 0.0
        out[f"rouge_{n}"] = {"precision": prec, "recall": rec, "f_score": f1(prec, rec)}
    return out


def date_scores(pred: Timeline, ref: Timeline) -> dict[str, float]:
    both = len(set(pred) & set(ref))
    prec = both / len(pred) if pred else 0.0
    rec = both / len(ref) if ref else 0.0
    return {"precision": prec, "recall": rec, "f_score": f1(prec, rec)}


def score(pred: Timeline, ref: Timeline) -> dict[str, float]:
    """The three figures the paper reports for one timeline."""
    rouge = alignment_rouge(pred, ref)
    return {"rouge1_f": rouge["rouge_1"]["f_score"], "rouge2_f": rouge["rouge_2"]["f_score"],
            "date_f1": date_scores(pred, ref)["f_score"]}


def mean_scores(rows: list[dict[str, float]]) -> dict[str, float]:
    keys = ("rouge1_f", "rouge2_f", "date_f1")
    return {k: round(sum(r[k] for r in rows) / len(rows), 4) if rows else 0.0 for k in keys}


# --- running -------------------------------------------------------------------

def build_topic(topic: Topic, db: str | Path, workers: int | None = None,
                skip: Callable[[str, str], None] | None = None) -> None:
    """Build the topic's articles into ``db`` as ``storyline build`` would (a JSONL file of them);
    what the build skips (an empty article) is reported through ``skip``."""
    folder = Path(db).parent
    corpus = folder / f"{topic.name}.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for record in topic.records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def skipped(item) -> None:  # name the dataset's file, not the line of the JSONL made from it
        line = item.origin.rsplit(":", 1)[-1]
        where = topic.records[int(line) - 1]["id"] if line.isdigit() else item.origin
        if skip:
            skip(where, item.reason)

    api.build([str(corpus)], db=str(db), progress=False, workers=workers, on_skip=skipped)


def predict(db: str | Path, reference: Timeline, window: tuple[str, str] | None = None,
            per_date: int | None = None) -> Timeline:
    """What ``storyline timeline`` gives for the span and budget of one reference timeline: its
    first to last date (or ``window``), its N dates and K entries a date (or ``per_date``)."""
    n, k = budget(reference)
    start, end = window or (min(reference).isoformat(), max(reference).isoformat())
    data = json.loads(api.timeline(db=str(db), fmt="json", date_from=start, date_to=end, max_dates=n,
                                   per_date=per_date or k))
    out: Timeline = {}
    for e in data["events"]:
        value = e["date"]["value"] or ""
        if len(value) == 10:
            out.setdefault(dt.date.fromisoformat(value), []).append(e["summary"])
    return out


def run(dataset_dir: str | Path, out_dir: str | Path, on_skip: Callable[[str, str], None] | None = None,
        workers: int | None = None, reuse: bool = False) -> tuple[list[str], dict]:
    """Build, predict and score every reference timeline under ``dataset_dir``; write predictions
    (and each topic's store, ``TOPIC.db``) under ``out_dir``.  With ``reuse``, a store already
    there is used as it is (for trying selection settings without rebuilding).

    Returns the places skipped (each also reported through ``on_skip``) and
    the scores: per timeline, per topic and the mean over all timelines.
    """
    folders = [f for group in topic_folders(dataset_dir).values() for f in group]
    return run_folders(folders, out_dir, on_skip, workers, reuse)


def run_folders(folders: list[Path], out_dir: str | Path, on_skip: Callable[[str, str], None] | None = None,
                workers: int | None = None, reuse: bool = False) -> tuple[list[str], dict]:
    """``run`` over the given topic folders only (those of one topic still form one pool)."""
    skipped: list[str] = []

    def skip(where: str, why: str) -> None:
        skipped.append(where)
        if on_skip:
            on_skip(where, why)

    groups: dict[str, list[Path]] = {}
    for folder in folders:
        groups.setdefault(topic_of(folder), []).append(folder)
    out_root = Path(out_dir)
    out_root.mkdir(parents=True, exist_ok=True)
    per_timeline: dict[str, dict[str, float]] = {}
    per_topic: dict[str, dict] = {}
    started = time.perf_counter()
    for name, group in groups.items():
        topic = read_topic(name, group, skip)
        db = out_root / f"{name}.db"
        if not (reuse and db.exists()):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            build_topic(topic, db, workers, skip)
        rows = []
        for folder, file_name, reference in topic.timelines:
            predicted = predict(db, reference)
            target = out_root / folder / file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(format_timeline(predicted), encoding="utf-8")
            row = {k: round(v, 4) for k, v in score(predicted, reference).items()}
            per_timeline[f"{folder}/{file_name}"] = row
            rows.append(row)
        per_topic[name] = {**mean_scores(rows), "timelines": len(rows), "articles": topic.articles}
    all_rows = list(per_timeline.values())
    return skipped, {"mean": {**mean_scores(all_rows), "timelines": len(all_rows)}, "topics": per_topic,
                     "timelines": per_timeline, "seconds": round(time.perf_counter() - started, 1)}
