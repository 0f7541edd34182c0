"""ECB+ event coreference: the scorer, the CAT XML reader, `storyline eval ecb`, and a check on real topics."""

from __future__ import annotations

import json

import pytest
from helpers import SHARED_DATA

from storyline.cli import main
from storyline.evaluate import ecb

ECB = SHARED_DATA / "ecbplus"


# --------------------------------------------------------------------------- scorer

# Pradhan et al. (2014), "Scoring coreference partitions of predicted
# mentions: a reference implementation", section 3 example: key {a b c}
# {d e f g}, response {a b} {c d} {f g h i}; e is missed, h and i are
# invented.
KEY = [["a", "b", "c"], ["d", "e", "f", "g"]]
RESPONSE = [["a", "b"], ["c", "d"], ["f", "g", "h", "i"]]


def test_muc_on_the_reference_example():
    # Recall: {a b c} is cut into {a b}{c} (3-2), {d e f g} into {d}{e}{f g} (4-3): 2/5.
    # Precision: {a b} whole (2-1), {c d} in two (2-2), {f g h i} as {f g}{h}{i} (4-3): 2/5.
    p, r, f = ecb.muc(KEY, RESPONSE)
    assert (p, r, f) == pytest.approx((0.4, 0.4, 0.4))


def test_b_cubed_on_the_reference_example():
    # Recall: (2*2/3 + 1/3 + 1/4 + 2*2/4) / 7 = (5/3 + 5/4) / 7 = 35/84.
    # Precision: (2*2/2 + 1/2 + 1/2 + 2*2/4) / 8 = 4/8.
    p, r, _ = ecb.b_cubed(KEY, RESPONSE)
    assert r == pytest.approx(35 / 84)
    assert p == pytest.approx(0.5)


def test_ceaf_e_on_the_reference_example():
    # phi4: {a b c}~{a b} = 4/5, {a b c}~{c d} = 2/5, {d e f g}~{c d} = 2/6, {d e f g}~{f g h i} = 4/8.
    # Best alignment 4/5 + 4/8 = 1.3: recall 1.3/2, precision 1.3/3.
    p, r, f = ecb.ceaf_e(KEY, RESPONSE)
    assert r == pytest.approx(0.65)
    assert p == pytest.approx(1.3 / 3)
    assert f == pytest.approx(2 * 0.65 * (1.3 / 3) / (0.65 + 1.3 / 3))


def test_ceaf_e_takes_the_best_alignment_not_the_greedy_one():
    # Key {a b c d} {e f}; response {a b c e f} {d}.
    # phi4: K1~R1 = 2*3/(4+5) = 2/3, K1~R2 = 2/5, K2~R1 = 2*2/(2+5) = 4/7, K2~R2 = 0.
    # Taking the best pair first (K1~R1) leaves K2~R2 = 0: total 2/3.  The optimum
    # pairs K1~R2 and K2~R1: 2/5 + 4/7 = 34/35; recall and precision are both 34/35 / 2.
    p, r, _ = ecb.ceaf_e([["a", "b", "c", "d"], ["e", "f"]], [["a", "b", "c", "e", "f"], ["d"]])
    assert r == pytest.approx(34 / 70)
    assert p == pytest.approx(34 / 70)


def test_ceaf_e_matches_brute_force_on_a_small_case():
    key = [["a", "b"], ["c", "d", "e"], ["f"]]
    response = [["a", "c"], ["b", "d", "f"], ["e"]]
    best = _brute_force_ceaf(key, response)
    p, r, _ = ecb.ceaf_e(key, response)
    assert r == pytest.approx(best / 3)
    assert p == pytest.approx(best / 3)


def _brute_force_ceaf(key, response):
    from itertools import permutations

    def phi4(k, r):
        return 2 * len(set(k) & set(r)) / (len(k) + len(r))

    return max(sum(phi4(key[i], response[j]) for i, j in enumerate(perm))
               for perm in permutations(range(len(response)), len(key)))


def test_perfect_response_scores_one_everywhere():
    s = ecb.scores(KEY, KEY)
    assert s["conll_f1"] == pytest.approx(1.0)
    assert all(s[m][x] == pytest.approx(1.0) for m in ("muc", "b3", "ceaf_e") for x in ("p", "r", "f1"))


def test_all_singletons_against_one_chain():
    # Key {a b c}; response {a} {b} {c}.  MUC: no link found, 0 (and precision 0 of 0 links).
    # B3: precision 1, recall 1/3.  CEAF-e: best phi4 = 2*1/(3+1) = 0.5; recall 0.5/1, precision 0.5/3.
    s = ecb.scores([["a", "b", "c"]], [["a"], ["b"], ["c"]])
    assert s["muc"]["f1"] == 0.0
    assert (s["b3"]["p"], s["b3"]["r"]) == pytest.approx((1.0, 1 / 3))
    assert (s["ceaf_e"]["p"], s["ceaf_e"]["r"]) == pytest.approx((0.5 / 3, 0.5))
    b3_f = 2 * (1 / 3) / (1 + 1 / 3)
    ceaf_f = 2 * (0.5 / 3) * 0.5 / (0.5 / 3 + 0.5)
    assert s["conll_f1"] == pytest.approx((0.0 + b3_f + ceaf_f) / 3)


def test_one_big_response_cluster_against_singletons():
    # Key {a} {b} {c} {d}; response {a b c d}.  MUC recall has no key links: 0.
    # B3: recall 1, precision 1/4.  CEAF-e: best phi4 = 2/5; recall 0.4/4, precision 0.4/1.
    s = ecb.scores([["a"], ["b"], ["c"], ["d"]], [["a", "b", "c", "d"]])
    assert s["muc"]["r"] == 0.0
    assert (s["b3"]["p"], s["b3"]["r"]) == pytest.approx((0.25, 1.0))
    assert (s["ceaf_e"]["p"], s["ceaf_e"]["r"]) == pytest.approx((0.4, 0.1))


# --------------------------------------------------------------------------- a tiny corpus


def _cat_xml(name, sentences, markables, relations=""):
    """A CAT XML document: ``sentences`` is a list of token lists; markables are
    (tag, m_id, [token numbers counted from 1 over the document]) or (tag, m_id, "instance id")."""
    out = [f'<Document doc_name="{name}" doc_id="DOC1">']
    t = 0
    for s, words in enumerate(sentences):
        for n, w in enumerate(words):
            t += 1
            out.append(f'<token t_id="{t}" sentence="{s}" number="{n}">{w}</token>')
    out.append("<Markables>")
    for tag, m_id, what in markables:
        if isinstance(what, str):
            out.append(f'<{tag} m_id="{m_id}" RELATED_TO="" TAG_DESCRIPTOR="x" instance_id="{what}" />')
        else:
            anchors = "".join(f'<token_anchor t_id="{a}"/>' for a in what)
            out.append(f'<{tag} m_id="{m_id}">{anchors}</{tag}>')
    out.append("</Markables>\n<Relations>" + relations + "</Relations>\n</Document>\n")
    return "\n".join(out)


def _cross(r_id, note, sources, target):
    src = "".join(f'<source m_id="{s}" />' for s in sources)
    return f'<CROSS_DOC_COREF r_id="{r_id}" note="{note}">{src}<target m_id="{target}" /></CROSS_DOC_COREF>'


def _intra(r_id, sources, target):
    src = "".join(f'<source m_id="{s}" />' for s in sources)
    return f'<INTRA_DOC_COREF r_id="{r_id}">{src}<target m_id="{target}" /></INTRA_DOC_COREF>'


@pytest.fixture()
def corpus(tmp_path):
    root = tmp_path / "ecb"
    topic = root / "1"
    topic.mkdir(parents=True)
    # 1_1ecb.xml
    #   0: Tara(1) Reid(2) checked(3) into(4) rehab(5) on(6) Tuesday(7) .(8)
    #   1: Her(9) publicist(10) said(11) she(12) entered(13) Promises(14) .(15)
    #   2: She(16) was(17) arrested(18) in(19) 2006(20) .(21)        <- not a curated sentence
    (topic / "1_1ecb.xml").write_text(_cat_xml("1_1ecb.xml", [
        "Tara Reid checked into rehab on Tuesday .".split(),
        "Her publicist said she entered Promises .".split(),
        "She was arrested in 2006 .".split(),
    ], [
        ("ACTION_OCCURRENCE", "1", [3, 4]),
        ("ACTION_REPORTING", "2", [11]),        # in no chain: a singleton
        ("ACTION_OCCURRENCE", "3", [13]),
        ("ACTION_OCCURRENCE", "4", [18]),       # outside the curated sentences: left out
        ("HUMAN_PART_PER", "5", [1, 2]),        # a participant, not an event
        ("ACTION_OCCURRENCE", "10", "ACT1"),
        ("HUMAN_PART_PER", "11", "HUM1"),
    ], _cross(1, "ACT1", ["1", "3"], "10") + _cross(2, "HUM1", ["5"], "11")), encoding="utf-8")
    # 1_2ecb.xml
    #   0: Reid(1) checks(2) into(3) Promises(4) .(5)
    #   1: She(6) did(7) not(8) leave(9) ;(10) her(11) stay(12) began(13) and(14) the(15) stay(16) lasts(17) .(18)
    (topic / "1_2ecb.xml").write_text(_cat_xml("1_2ecb.xml", [
        "Reid checks into Promises .".split(),
        "She did not leave ; her stay began and the stay lasts .".split(),
    ], [
        ("ACTION_OCCURRENCE", "1", [2]),
        ("NEG_ACTION_OCCURRENCE", "2", [9]),    # a negated event is an event mention too
        ("ACTION_OCCURRENCE", "3", [12]),
        ("ACTION_OCCURRENCE", "4", [16]),
        ("ACTION_OCCURRENCE", "10", "ACT1"),
        ("UNKNOWN_INSTANCE_TAG", "20", "X"),
    ], _cross(7, "ACT1", ["1"], "10") + _intra(8, ["3", "4"], "20")), encoding="utf-8")
    # 1_3ecbplus.xml, another story of the same kind; none of its sentences is curated.  Story
    # clustering weighs words by how few articles of the collection use them, which needs a
    # collection of more than two articles to mean anything.
    (topic / "1_3ecbplus.xml").write_text(_cat_xml("1_3ecbplus.xml", [
        "Lindsay Lohan left Betty Ford for a Malibu clinic .".split(),
    ], [("ACTION_OCCURRENCE", "1", [3])]), encoding="utf-8")
    (root / ecb.SENTENCES_CSV).write_text(
        "Topic,File,Sentence Number\n1,1ecb,0\n1,1ecb,1\n1,2ecb,0\n1,2ecb,1\n", encoding="utf-8")
    return root


ALL_KEYS = {"1_1ecb.xml:1", "1_1ecb.xml:2", "1_1ecb.xml:3", "1_2ecb.xml:1", "1_2ecb.xml:2",
            "1_2ecb.xml:3", "1_2ecb.xml:4"}


def test_reader_keeps_curated_event_mentions_with_their_chains(corpus):
    docs, skipped = ecb.read_corpus(corpus)
    assert skipped == 0
    assert [d.name for d in docs] == ["1_1ecb.xml", "1_2ecb.xml", "1_3ecbplus.xml"]
    mentions = {m.key: m for d in docs for m in d.mentions}
    assert set(mentions) == ALL_KEYS
    assert mentions["1_1ecb.xml:1"].tokens == (2, 3)  # "checked into", as word positions
    gold = sorted(sorted(c) for c in ecb.gold_clusters(mentions.values()))
    assert gold == sorted([
        ["1_1ecb.xml:1", "1_1ecb.xml:3", "1_2ecb.xml:1"],  # CROSS_DOC_COREF ACT1, across the two files
        ["1_1ecb.xml:2"],                                  # in no chain
        ["1_2ecb.xml:2"],                                  # NEG_ACTION, in no chain
        ["1_2ecb.xml:3", "1_2ecb.xml:4"],                  # INTRA_DOC_COREF chain
    ])


def test_a_file_that_is_not_xml_is_skipped_with_one_message(corpus):
    (corpus / "1" / "1_4ecb.xml").write_text('<Document doc_name="1_4ecb.xml"><token t_id="1"', encoding="utf-8")
    seen = []
    docs, skipped = ecb.read_corpus(corpus, on_skip=lambda where, why: seen.append(where))
    assert skipped == 1 and len(seen) == 1 and seen[0].endswith("1_4ecb.xml")
    assert {m.key for d in docs for m in d.mentions} == ALL_KEYS


def test_a_corpus_without_the_sentence_list_is_refused(tmp_path):
    (tmp_path / "1").mkdir()
    with pytest.raises(ValueError, match=ecb.SENTENCES_CSV):
        ecb.read_corpus(tmp_path)


def test_eval_ecb_clusters_through_the_link_stage_pair_model(corpus, monkeypatch):
    """The evaluation has no method of its own: its clusters are ``link.pairs.cluster``'s."""
    from storyline.link import pairs

    calls = []
    real = pairs.cluster

    def spy(views, doc_sim, model=None, threshold=None):
        calls.append([v.key for v in views])
        return real(views, doc_sim, model, threshold)

    monkeypatch.setattr(pairs, "cluster", spy)
    docs, _ = ecb.read_corpus(corpus)
    ecb.parse_documents(docs)
    clusters = ecb.predict(docs)
    assert len(calls) == 1 and sorted(calls[0]) == sorted(ALL_KEYS)
    assert sorted(k for c in clusters for k in c) == sorted(ALL_KEYS)


def test_eval_ecb_command_writes_every_mention_once(corpus, tmp_path, capsys):
    out = tmp_path / "clusters.json"
    assert main(["eval", "ecb", str(corpus), "-o", str(out), "--gold"]) == 0
    clusters = json.loads(out.read_text())["clusters"]
    keys = [k for c in clusters for k in c]
    assert sorted(keys) == sorted(ALL_KEYS)
    scores = json.loads(capsys.readouterr().out)
    assert scores["mentions"] == len(ALL_KEYS)
    # The printed scores are the written clusters' against the gold chains.
    docs, _ = ecb.read_corpus(corpus)
    key = ecb.gold_clusters([m for d in docs for m in d.mentions])
    expected = ecb.scores(key, clusters)
    for name in ("muc", "b3", "ceaf_e"):
        assert scores[name] == pytest.approx(expected[name]), name
    assert scores["conll_f1"] == pytest.approx(expected["conll_f1"])
    # "checked" and "checks" share a stem and both articles are about Reid: one event.
    assert any({"1_1ecb.xml:1", "1_2ecb.xml:1"} <= set(c) for c in clusters)


def test_eval_ecb_command_skips_a_broken_file_and_keeps_the_rest(corpus, tmp_path, capsys):
    (corpus / "1" / "1_4ecb.xml").write_text("<Document><token t_id='1' sentence='0'>oops", encoding="utf-8")
    out = tmp_path / "clusters.json"
    assert main(["eval", "ecb", str(corpus), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("skipped") == 1 and "1_4ecb.xml" in err
    keys = {k for c in json.loads(out.read_text())["clusters"] for k in c}
    assert keys == ALL_KEYS


# --------------------------------------------------------------------------- real data


@pytest.mark.skipif(not (ECB / ecb.SENTENCES_CSV).is_file(), reason="../shared/data/ecbplus not present")
def test_method_beats_the_same_lemma_baseline_on_two_development_topics():
    docs, skipped = ecb.read_corpus(ECB, topics=["18", "21"])
    assert skipped == 0 and {d.topic for d in docs} == {"18", "21"}
    ecb.parse_documents(docs)
    key = ecb.gold_clusters([m for d in docs for m in d.mentions])
    method = ecb.scores(key, ecb.predict(docs))["conll_f1"]
    baseline = ecb.scores(key, ecb.same_lemma_baseline(docs))["conll_f1"]
    assert method > baseline + 0.03, (method, baseline)
