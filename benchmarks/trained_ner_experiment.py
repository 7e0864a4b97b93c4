"""Does a trained NER lift recall? The experiment of issue 12 (not shipped: it did not).

Trains a character-level spaCy ``ner`` on silver labels (the rule extractor's mentions
on ``corpus/``) plus the dev gold (seed pages 000–002 and ``tests/real/dev``), then
writes the rule extractor's output with the model's extra entities added, to be scored
on each half with ``renda-kg eval`` (overall table only for the test half).

    W=/tmp/renda-ner-experiment; mkdir -p $W
    .venv/bin/renda-kg extract corpus --include '*.txt' --extractors rules -q -o $W/corpus_rules.jsonl
    .venv/bin/renda-kg extract tests/real/dev --extractors rules -q -o $W/dev_rules.jsonl   # and test
    .venv/bin/python benchmarks/trained_ner_experiment.py data
    .venv/bin/python benchmarks/trained_ner_experiment.py train full --epochs 6   # seed 0, one thread
    .venv/bin/python benchmarks/trained_ner_experiment.py predict full
    .venv/bin/python benchmarks/trained_ner_experiment.py merge full rules
    .venv/bin/renda-kg eval $W/test_rules_full_iii.jsonl --gold tests/real/test | sed -n 1,15p

Variants written by ``merge``: iii = every model entity the rules lack; iv = only those
ending in a known suffix of their type; *ov = also dropping spans that overlap a rule
mention. The work directory is ``$RENDA_NER_WORKDIR`` (default /tmp/renda-ner-experiment).
"""
from __future__ import annotations

import glob
import pathlib
import json
import os
import random
import re
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import spacy  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402
from spacy.training import Example  # noqa: E402
from spacy.util import filter_spans, minibatch, fix_random_seed  # noqa: E402

W = os.environ.get("RENDA_NER_WORKDIR", "/tmp/renda-ner-experiment")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = f"{ROOT}/tests/real/dev"
TEST = f"{ROOT}/tests/real/test"
SEED = 0
MAXLEN = 200
TYPES = ["Place", "CongressBody", "LiaisonStation", "Programme", "Organization",
         "Person", "Document", "Media", "Industry"]

SUFFIX = {
    "Organization": ("局", "院", "委", "会", "公司", "社", "中心", "所", "站", "厂", "校", "学", "馆"),
    "CongressBody": ("人大常委会", "人大", "主席团", "工委", "代表小组"),
    "LiaisonStation": ("站", "之家", "点"),
    "Place": ("省", "市", "县", "区", "镇", "乡", "街道", "村", "社区"),
}


def chunks(text: str):
    """Split into (start, end) pieces: lines, long lines cut after 。！？；, at most MAXLEN."""
    out = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        cur = s
        while e - cur > MAXLEN:
            window = text[cur:cur + MAXLEN]
            cut = max(window.rfind(c) for c in "。！？；!?;")
            cut = cur + (cut + 1 if cut > 20 else MAXLEN)
            out.append((cur, cut))
            cur = cut
        out.append((cur, e))
    return out


def make_docs(nlp, text, spans):
    """spans: list of (start, end, label) document offsets -> list of Docs per chunk."""
    docs = []
    for cs, ce in chunks(text):
        d = nlp.make_doc(text[cs:ce])
        ents = []
        for s, e, lab in spans:
            if s >= cs and e <= ce:
                sp = d.char_span(s - cs, e - cs, label=lab, alignment_mode="expand")
                if sp is not None and sp.text.strip():
                    ents.append(sp)
        d.ents = filter_spans(ents)  # longest first, no overlaps
        docs.append(d)
    return docs


def simplify_1to1(text):
    from renda_kg.extractors.text_normaliser import _simplify
    return "".join(_simplify(list(text)))


def silver_spans(jsonl, textdir):
    out = {}
    for line in pathlib.Path(jsonl).read_text(encoding="utf-8").splitlines():
        j = json.loads(line)
        spans = []
        for e in j["entities"]:
            if e["type"] == "Article":
                continue
            for ev in e.get("evidence", []):
                spans.append((ev["start"], ev["end"], e["type"]))
        out[j["doc"]] = (pathlib.Path(f"{textdir}/{j['doc']}.txt").read_text(encoding="utf-8"), spans)
    return out


QUOTES = "“”\"'‘’「」『』《》〈〉"


def gold_spans(text, gold):
    """All occurrences of every non-Article gold name/alias (whitespace-tolerant, t2s)."""
    simp = simplify_1to1(text)
    spans = []
    for e in gold["entities"]:
        if e["type"] == "Article":
            continue
        for n in {e["name"], *e.get("aliases", [])}:
            n = "".join(ch for ch in n if ch not in QUOTES and not ch.isspace())
            if len(n) < 2:
                continue
            pat = r"[ \t\u3000]*".join(re.escape(c) for c in n)
            for m in re.finditer(pat, simp):
                spans.append((m.start(), m.end(), e["type"]))
    spans.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken, keep = [], []
    for s, e, t in spans:
        if all(e <= a or s >= b for a, b in taken):
            taken.append((s, e))
            keep.append((s, e, t))
    return keep


def cmd_data():
    nlp = spacy.blank("zh")
    silver = silver_spans(f"{W}/corpus_rules.jsonl", f"{ROOT}/corpus")
    db = DocBin()
    n = ents = 0
    for _doc_id, (text, spans) in sorted(silver.items()):
        for d in make_docs(nlp, text, spans):
            db.add(d); n += 1; ents += len(d.ents)
    db.to_disk(f"{W}/silver.spacy")
    print(f"silver: {len(silver)} files, {n} chunks, {ents} spans")
    for name, pairs in [("devgold", [(p, p[:-4] + ".json") for p in sorted(glob.glob(f"{DEV}/*.txt"))]),
                        ("seedgold", [(p, f"{ROOT}/tests/gold/" + os.path.basename(p)[:-4] + ".json")
                                      for p in sorted(glob.glob(f"{ROOT}/seeds/00[012]_*.txt"))])]:
        db = DocBin(); n = ents = 0
        for tp, gp in pairs:
            text = pathlib.Path(tp).read_text(encoding="utf-8")
            for d in make_docs(nlp, text, gold_spans(text, json.loads(pathlib.Path(gp).read_text(encoding="utf-8")))):
                db.add(d); n += 1; ents += len(d.ents)
        db.to_disk(f"{W}/{name}.spacy")
        print(f"{name}: {len(pairs)} files, {n} chunks, {ents} spans")


def cmd_train(tag, use_dev, epochs):
    fix_random_seed(SEED)
    nlp = spacy.blank("zh")
    ner = nlp.add_pipe("ner")
    for t in TYPES:
        ner.add_label(t)
    vocab = nlp.vocab
    docs = list(DocBin().from_disk(f"{W}/silver.spacy").get_docs(vocab))
    gold = list(DocBin().from_disk(f"{W}/seedgold.spacy").get_docs(vocab))
    if use_dev:
        gold += list(DocBin().from_disk(f"{W}/devgold.spacy").get_docs(vocab))
    train = [Example(nlp.make_doc(d.text), d) for d in docs]
    gold_ex = [Example(nlp.make_doc(d.text), d) for d in gold]
    train += gold_ex * 2  # gold oversampled 2x
    t0 = time.time()
    optimizer = nlp.initialize(lambda: train)
    rng = random.Random(SEED)
    for ep in range(epochs):
        rng.shuffle(train)
        losses = {}
        for batch in minibatch(train, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        print(f"epoch {ep+1}: loss {losses['ner']:.1f}  t={time.time()-t0:.0f}s", flush=True)
    nlp.to_disk(f"{W}/model_{tag}")
    print(f"train time {time.time()-t0:.0f}s, {len(train)} examples")


def cmd_predict(tag):
    nlp = spacy.load(f"{W}/model_{tag}")
    for half, d in [("dev", DEV), ("test", TEST)]:
        out = {}
        for p in sorted(glob.glob(f"{d}/*.txt")):
            text = pathlib.Path(p).read_text(encoding="utf-8")
            cs = chunks(text)
            ents = []
            for (s, _), doc in zip(cs, nlp.pipe(text[a:b] for a, b in cs)):
                for e in doc.ents:
                    ents.append({"type": e.label_, "text": e.text,
                                 "start": s + e.start_char, "end": s + e.end_char})
            out[os.path.basename(p)[:-4]] = ents
        pathlib.Path(f"{W}/pred_{tag}_{half}.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
        print(half, "docs", len(out), "model spans", sum(len(v) for v in out.values()))


def norm(s):
    return "".join(ch for ch in simplify_1to1(s) if ch not in QUOTES and not ch.isspace())


def lexicon_ok(typ, name):
    return typ in SUFFIX and name.endswith(SUFFIX[typ])


def cmd_merge(tag, base="rules"):
    for half in ("dev", "test"):
        preds = json.loads(pathlib.Path(f"{W}/pred_{tag}_{half}.json").read_text(encoding="utf-8"))
        rules = [json.loads(line) for line in pathlib.Path(f"{W}/{half}_{base}.jsonl").read_text(encoding="utf-8").splitlines()]
        variants = {"iii": lambda t, n, ov: True,
                    "iv": lambda t, n, ov: lexicon_ok(t, n),
                    "iiiov": lambda t, n, ov: not ov,
                    "ivov": lambda t, n, ov: not ov and lexicon_ok(t, n)}
        added = {v: 0 for v in variants}
        outs = {v: [] for v in variants}
        for j in rules:
            have = {(e["type"], norm(x)) for e in j["entities"] for x in [e["name"], *e.get("aliases", [])]}
            spans = [(ev["start"], ev["end"]) for e in j["entities"] if e["type"] != "Article"
                     for ev in e.get("evidence", []) if "start" in ev]
            for v, keep in variants.items():
                jj = json.loads(json.dumps(j))
                seen = set(have)
                for p in preds.get(j["doc"], []):
                    n = "".join(p["text"].split())
                    key = (p["type"], norm(n))
                    if key in seen or len(key[1]) < 2:
                        continue
                    ov = any(p["start"] < b and a < p["end"] for a, b in spans)
                    if not keep(p["type"], key[1], ov):
                        continue
                    seen.add(key)
                    jj["entities"].append({"type": p["type"], "name": n, "aliases": [], "extractor": "spacy"})
                    added[v] += 1
                outs[v].append(jj)
        for v in variants:
            with open(f"{W}/{half}_{base}_{tag}_{v}.jsonl", "w", encoding="utf-8") as f:
                for jj in outs[v]:
                    f.write(json.dumps(jj, ensure_ascii=False) + "\n")
        print(half, "entities added:", added)


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "data":
        cmd_data()
    elif a[0] == "train":
        ep = int(a[a.index("--epochs") + 1]) if "--epochs" in a else 5
        cmd_train(a[1], "--no-dev-gold" not in a, ep)
    elif a[0] == "predict":
        cmd_predict(a[1])
    elif a[0] == "merge":
        cmd_merge(a[1], a[2] if len(a) > 2 else "rules")
