"""Why two articles are copies or not, for the report and ``newsclean explain``.

Every verdict here comes from :func:`newsclean.explain_pair`, the dedup rule's own
explanation (Jaccard, containment, the rule that decided, swapped figures, shared
passages); this module only chooses which pairs to explain and says the result in words.

Pairs *kept apart* are searched in a sample of the run's texts: MinHash LSH at the
dedup candidate threshold proposes pairs of texts from different clusters, the most
similar are explained, and those the figures rule separated are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..duplicates import PairEvidence, explain_pair
from ..duplicates.config import DedupConfig
from ..lsh import band_keys, candidate_pairs, lsh_params
from ..signature import minhash_signatures
from .scan import Doc

__all__ = [
    "ApartPair",
    "ApartSearch",
    "MemberEvidence",
    "describe",
    "evidence_dict",
    "evidence_lines",
    "find_kept_apart",
    "member_evidence",
]

#: Candidate pairs explained at most in the search for pairs kept apart (most similar first).
MAX_EXPLAINED = 300


@dataclass(frozen=True, slots=True)
class MemberEvidence:
    """The evidence for one duplicate shown beside its representative.

    Attributes:
        doc: the duplicate.
        evidence: :func:`newsclean.explain_pair` of (representative, duplicate).
        link: when the duplicate is not a copy of the representative by itself: the id
            of a shown member it is a copy of, and that pair's evidence (``None`` if no
            shown member is; it joined through a member not shown).
    """

    doc: Doc
    evidence: PairEvidence
    link: tuple[str, PairEvidence] | None = None


@dataclass(frozen=True, slots=True)
class ApartPair:
    """Two similar texts of different clusters that the figures rule kept apart."""

    a: Doc
    b: Doc
    evidence: PairEvidence


@dataclass(frozen=True, slots=True)
class ApartSearch:
    """The search for pairs kept apart, with its counts (the report states them).

    Attributes:
        records: texts searched (a random sample of the run).
        candidates: LSH candidate pairs of different clusters among them.
        explained: candidate pairs explained (the most similar first).
        pairs: those kept apart by the figures rule (at most the report's limit).
        figures_total: how many of the explained pairs the figures rule kept apart.
    """

    records: int
    candidates: int
    explained: int
    pairs: tuple[ApartPair, ...]
    figures_total: int


def describe(evidence: PairEvidence, config: DedupConfig) -> str:
    """The verdict of ``evidence`` in one sentence.

    Examples:
        >>> from newsclean import explain_pair
        >>> text = "The council voted on Tuesday to approve the new tram line across the river."
        >>> describe(explain_pair(text, text), DedupConfig())
        'copies: Jaccard similarity 1.00 reaches the threshold 0.5'
    """
    j, c = evidence.jaccard, evidence.containment
    if evidence.rule == "jaccard":
        return f"copies: Jaccard similarity {j:.2f} reaches the threshold {config.threshold:g}"
    if evidence.rule == "containment":
        return (f"copies: containment {c:.2f} reaches {config.containment:g} (the smaller text is "
                f"nearly all inside the other: a truncated or excerpted copy); Jaccard {j:.2f}")
    if evidence.rule == "figures":
        swaps = len(evidence.figure_swaps)
        return (f"kept apart: figures swapped in place in {swaps} stretch{'es' if swaps != 1 else ''} "
                f"(same wording, other numbers: a different report), although Jaccard is {j:.2f} "
                f"and containment {c:.2f}")
    if evidence.rule == "empty":
        return "not copies: a text has no words to compare"
    if config.containment is not None and c >= config.containment:
        return (f"not copies: containment {c:.2f} reaches {config.containment:g} but Jaccard "
                f"{j:.2f} is below {config.containment_min_jaccard:g} (or the smaller text has "
                f"fewer than {config.min_containment_shingles} 5-grams): the shared part, "
                "such as a bio or sidebar, is a small part of the larger text")
    limit = f" or containment {config.containment:g}" if config.containment is not None else ""
    return f"not copies: Jaccard {j:.2f} and containment {c:.2f} are below the threshold {config.threshold:g}{limit}"


def member_evidence(rep: Doc, members: Sequence[Doc], config: DedupConfig) -> tuple[MemberEvidence, ...]:
    """Explain each shown duplicate against the representative (and, if needed, a shown member).

    A cluster is a connected component: a member can be a copy of another member without
    being one of the representative (a chain of edits, a long and a short version).
    """
    out: list[MemberEvidence] = []
    for doc in members:
        evidence = explain_pair(rep.text, doc.text, config)
        link = None
        if not evidence.duplicate:
            for other in members:
                if other.id == doc.id:
                    continue
                through = explain_pair(other.text, doc.text, config)
                if through.duplicate:
                    link = (other.id, through)
                    break
        out.append(MemberEvidence(doc, evidence, link))
    return tuple(out)


def find_kept_apart(sample: Sequence[Doc], config: DedupConfig, limit: int) -> ApartSearch:
    """Pairs of different clusters in ``sample`` that the figures rule kept apart.

    Args:
        sample: texts with their cluster ids (a random sample of a run).
        config: the run's dedup options.
        limit: pairs to return at most.

    Returns:
        An :class:`ApartSearch` with the pairs, most similar first, and the counts.
    """
    docs = [d for d in sample if d.text and d.cluster_id is not None]
    if len(docs) < 2 or limit == 0:
        return ApartSearch(len(docs), 0, 0, (), 0)
    signatures = minhash_signatures([d.text for d in docs], num_perm=config.num_perm,
                                    ngram=config.ngram, seed=config.seed)
    bands, rows = lsh_params(config.candidate_threshold, config.num_perm)
    pairs = candidate_pairs(band_keys(signatures, bands, rows))
    pairs = np.array([p for p in pairs.tolist() if docs[p[0]].cluster_id != docs[p[1]].cluster_id],
                     dtype=np.int64).reshape(-1, 2)
    if len(pairs) == 0:
        return ApartSearch(len(docs), 0, 0, (), 0)
    agreement = (signatures[pairs[:, 0]] == signatures[pairs[:, 1]]).mean(axis=1)
    order = sorted(range(len(pairs)), key=lambda k: (-float(agreement[k]), docs[pairs[k, 0]].id,
                                                     docs[pairs[k, 1]].id))[:MAX_EXPLAINED]
    found: list[ApartPair] = []
    for k in order:
        a, b = docs[int(pairs[k, 0])], docs[int(pairs[k, 1])]
        if a.id > b.id:
            a, b = b, a
        evidence = explain_pair(a.text, b.text, config)
        if evidence.rule == "figures":
            found.append(ApartPair(a, b, evidence))
    return ApartSearch(len(docs), len(pairs), len(order), tuple(found[:limit]), len(found))


def _context(text: str, span: tuple[int, int], width: int = 30) -> str:
    start, end = span
    before = text[max(start - width, 0):start].replace("\n", " ")
    after = text[end:end + width].replace("\n", " ")
    return f"...{before}[{text[start:end]}]{after}..."


def _clip(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def evidence_lines(
    evidence: PairEvidence,
    text_a: str,
    text_b: str,
    config: DedupConfig,
    *,
    names: tuple[str, str] = ("A", "B"),
    passages: int = 10,
) -> list[str]:
    """``newsclean explain``'s text: the verdict, the numbers, the figures and the passages."""
    containment = (f"threshold {config.containment:g} when the smaller text has >= "
                   f"{config.min_containment_shingles} 5-grams and the Jaccard is >= "
                   f"{config.containment_min_jaccard:g}" if config.containment is not None
                   else "not used")
    lines = [
        f"A: {names[0]} ({len(text_a):,} characters)",
        f"B: {names[1]} ({len(text_b):,} characters)",
        f"verdict: {'COPIES' if evidence.duplicate else 'NOT COPIES'} (rule: {evidence.rule})",
        f"  {describe(evidence, config)}",
        f"  Jaccard similarity {evidence.jaccard:.3f}  (threshold {config.threshold:g}; word "
        f"{config.ngram}-grams of the comparison form)",
        f"  containment        {evidence.containment:.3f}  ({containment})",
    ]
    if evidence.figure_swaps:
        lines.append(f"swapped figures: {len(evidence.figure_swaps)}")
        for swap in evidence.figure_swaps:
            lines.append(f"  {swap.a!r} (A {swap.a_span[0]}-{swap.a_span[1]}) -> "
                         f"{swap.b!r} (B {swap.b_span[0]}-{swap.b_span[1]})")
            lines.append(f"      A: {_context(text_a, swap.a_span)}")
            lines.append(f"      B: {_context(text_b, swap.b_span)}")
    else:
        lines.append("swapped figures: none")
    shared = evidence.shared_passages
    chars_a = sum(p.a_span[1] - p.a_span[0] for p in shared)
    chars_b = sum(p.b_span[1] - p.b_span[0] for p in shared)
    lines.append(f"shared passages: {len(shared)} ({chars_a:,} characters of A, {chars_b:,} of B)")
    for p in shared[:passages]:
        lines.append(f"  A {p.a_span[0]}-{p.a_span[1]} = B {p.b_span[0]}-{p.b_span[1]}: {_clip(p.text)!r}")
    if len(shared) > passages:
        lines.append(f"  ... and {len(shared) - passages} more (--json lists them all)")
    return lines


def evidence_dict(evidence: PairEvidence, text_a: str, text_b: str) -> dict[str, object]:
    """``newsclean explain --json``: the evidence as JSON-ready values, spans as ``[start, end]``."""
    return {
        "duplicate": evidence.duplicate,
        "rule": evidence.rule,
        "jaccard": evidence.jaccard,
        "containment": evidence.containment,
        "chars_a": len(text_a),
        "chars_b": len(text_b),
        "figure_swaps": [{"a": f.a, "b": f.b, "a_span": list(f.a_span), "b_span": list(f.b_span)}
                         for f in evidence.figure_swaps],
        "shared_passages": [{"a_span": list(p.a_span), "b_span": list(p.b_span), "text": p.text}
                            for p in evidence.shared_passages],
    }
