"""The dedup options of the command line, as one :class:`DedupConfig`.

``newsclean run`` and ``newsclean dedup`` (both engines) take the options of
:class:`DedupConfig` with the library's defaults, so the command line clusters as
:func:`newsclean.dedup` does.
"""

from __future__ import annotations

import argparse

from .config import DedupConfig

__all__ = ["add_dedup_options", "config_from_args"]

_DEFAULT = DedupConfig()


def _none_or_float(text: str) -> float | None:
    return None if text.lower() in ("none", "off") else float(text)


def add_dedup_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--containment``, ``--containment-min-jaccard``, ``--ngram``, ``--num-perm``, ``--numbers``, ``--verify``.

    (``--threshold`` is added by the command line itself.)

    Examples:
        >>> parser = argparse.ArgumentParser()
        >>> add_dedup_options(parser)
        >>> config_from_args(parser.parse_args(["--numbers", "ignore", "--containment", "off"]))
        DedupConfig(threshold=0.5, containment=None, min_containment_shingles=10, containment_min_jaccard=0.2, numbers='ignore', candidate_threshold=0.2, verify='exact', num_perm=128, ngram=5, seed=1)
    """
    parser.add_argument(
        "--containment",
        type=_none_or_float,
        default=_DEFAULT.containment,
        metavar="SHARE",
        help="also a copy when this share of the smaller article's shingles is in the "
        f"larger (a truncated copy); 'off' to disable (default: {_DEFAULT.containment})",
    )
    parser.add_argument(
        "--containment-min-jaccard",
        type=float,
        default=_DEFAULT.containment_min_jaccard,
        metavar="J",
        help="a copy by containment also needs this Jaccard similarity, so that a shared "
        "bio or sidebar does not make a short page a copy of a long one; 0 to disable "
        f"(default: {_DEFAULT.containment_min_jaccard})",
    )
    parser.add_argument(
        "--ngram",
        type=int,
        default=_DEFAULT.ngram,
        metavar="N",
        help=f"words per shingle (default: {_DEFAULT.ngram})",
    )
    parser.add_argument(
        "--num-perm",
        type=int,
        default=_DEFAULT.num_perm,
        metavar="N",
        help=f"MinHash permutations (default: {_DEFAULT.num_perm})",
    )
    parser.add_argument(
        "--numbers",
        choices=["distinct", "ignore"],
        default=_DEFAULT.numbers,
        help="distinct (default): same wording with figures swapped in place is another "
        "report (templated notices); ignore: figures are ordinary words",
    )
    parser.add_argument(
        "--verify",
        choices=["exact", "estimate"],
        default=_DEFAULT.verify,
        help="exact (default): compare the shingle sets; estimate: the MinHash estimates",
    )


def config_from_args(args: argparse.Namespace) -> DedupConfig:
    """The :class:`DedupConfig` of parsed options (missing ones: the library's defaults)."""
    return DedupConfig(
        threshold=getattr(args, "threshold", _DEFAULT.threshold),
        containment=getattr(args, "containment", _DEFAULT.containment),
        containment_min_jaccard=getattr(args, "containment_min_jaccard", _DEFAULT.containment_min_jaccard),
        numbers=getattr(args, "numbers", _DEFAULT.numbers),
        verify=getattr(args, "verify", _DEFAULT.verify),
        num_perm=getattr(args, "num_perm", _DEFAULT.num_perm),
        ngram=getattr(args, "ngram", _DEFAULT.ngram),
    )
