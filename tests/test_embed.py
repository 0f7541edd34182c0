"""The NumPy sentence encoder: word pieces and vectors agree with the reference implementation.

The expected pieces and the leading numbers of the sentence embeddings were
printed by Hugging Face transformers 4 (BertTokenizerFast and BertModel with
torch, mean pooling, unit length) from the same model files; they are not
outputs of this module.
"""

import json
import struct

import numpy as np
import pytest

from storyline.annotate import embed

REFERENCE = [
    ("The Académie handed out its awards on Sunday; unaffable critics sulked.",
     ["the", "academie", "handed", "out", "its", "awards", "on", "sunday", ";", "una", "##ffa", "##ble",
      "critics", "sul", "##ked", "."],
     [-0.03883, 0.00364, -0.01639, 0.05812, -0.01661, 0.08047]),
    ("Rescuers pulled 17 people from the rubble in Kramatorsk.",
     ["rescue", "##rs", "pulled", "17", "people", "from", "the", "rubble", "in", "k", "##rama", "##tors", "##k",
      "."],
     [-0.06662, 0.0632, 0.01469, -0.04812, 0.04325, 0.01073]),
]


@pytest.fixture(scope="module")
def encoder():
    return embed.load()


def _cos(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.parametrize("text, pieces, _", REFERENCE)
def test_word_pieces_match_the_reference_tokenizer(encoder, text, pieces, _):
    ids, owner = encoder.vocab.pieces(text.split())
    words = {i: w for w, i in encoder.vocab.ids.items()}
    assert [words[i] for i in ids] == pieces
    assert owner == sorted(owner) and owner[-1] == len(text.split()) - 1


def test_sentence_embeddings_match_the_reference_model(encoder):
    out = encoder.encode([text.split() for text, _, _ in REFERENCE])
    for (_, _, expected), got in zip(REFERENCE, out):
        assert np.allclose(got.sentence[:6], expected, atol=2e-4)
        assert abs(np.linalg.norm(got.sentence) - 1) < 1e-5


def test_batching_and_padding_do_not_change_a_sentence(encoder):
    short = "Drones hit Odesa overnight .".split()
    long = ("Officials in the southern port city said the strikes damaged an energy facility and a "
            "residential building , leaving thousands without power .").split()
    alone = encoder.encode([short])[0]
    together = encoder.encode([long, short])[1]
    assert np.allclose(alone.sentence, together.sentence, atol=1e-5)
    assert np.allclose(alone.words, together.words, atol=1e-4)


def test_meaning_not_spelling_decides_closeness(encoder):
    oscars, awards, quake = encoder.encode([
        "The Oscars were handed out on Sunday night in Los Angeles .".split(),
        "Hollywood gave out its top film awards at a ceremony on Sunday .".split(),
        "A magnitude 6 earthquake struck off the coast of Indonesia .".split(),
    ])
    assert oscars.sentence @ awards.sentence > 0.5 > oscars.sentence @ quake.sentence
    # The same word in context: "Oscars" is nearer to "awards" than to "earthquake".
    assert _cos(oscars.words[1], awards.words[7]) > _cos(oscars.words[1], quake.words[4])


def test_one_vector_per_word_even_for_words_without_pieces(encoder):
    words = ["Kyiv", "\u200b", "reported", "x" * 150]
    out = encoder.encode([words])[0]
    assert out.words.shape == (4, 384)
    assert not out.words[1].any()          # a zero-width space is no piece at all
    assert out.words[3].any()              # an overlong word is one unknown piece


def test_basic_split_separates_punctuation_and_drops_accents():
    assert embed.basic_split("U.S.-led Zürich café") == ["u", ".", "s", ".", "-", "led", "zurich", "cafe"]


def test_safetensors_reader_reads_shapes_and_values(tmp_path):
    a = np.arange(6, dtype="<f4").reshape(2, 3)
    b = np.array([7, -1], dtype="<i8")
    header = {"a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]},
              "__metadata__": {"format": "pt"}}
    raw = json.dumps(header).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    got = embed.read_safetensors(path)
    assert set(got) == {"a", "b"}
    assert np.array_equal(got["a"], a) and np.array_equal(got["b"], b)


def test_a_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(embed, "MODEL_PACKAGE", "no_such_model_package")
    with pytest.raises(embed.ModelMissing, match="requirements-model.txt"):
        embed.model_dir()
