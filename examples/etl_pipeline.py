"""A two-day ETL job: clean and deduplicate news, remembering what was seen yesterday.

Day 1 runs the whole pipeline on ``sample/news.jsonl`` (page dumps and HTML pages:
strip or extract, normalize, dedup); day 2 runs it on ``sample/news-day2.jsonl`` with
the same persistent index, so the copies of day-1 stories are marked as duplicates of
them. Each step is the command a cron job would run, called through
:func:`newsclean.cli.main`.

Run: python examples/etl_pipeline.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from newsclean.cli import main as newsclean

SAMPLE = Path(__file__).resolve().parent / "sample"


def show(path: Path) -> None:
    """Print id, cluster and title of each output row."""
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        mark = "rep " if row["is_representative"] else "copy"
        print(f"  {row['id']:6} cluster={row['cluster_id']:6} {mark} sim={row['similarity']:.2f}  {row.get('title')}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        index = str(out / "seen.sqlite")
        for day, name in ((1, "news.jsonl"), (2, "news-day2.jsonl")):
            result = out / f"day{day}.jsonl"
            args = ["run", str(SAMPLE / name), "-o", str(result), "--index", index,
                    "--clusters", str(out / f"clusters{day}.jsonl"), "--rejects", str(out / f"rejects{day}.jsonl"),
                    "--drop-field", "html"]
            print(f"day {day}: newsclean " + " ".join(args))
            code = newsclean(args)
            if code != 0:
                raise SystemExit(code)
            show(result)
        day2 = {json.loads(x)["id"]: json.loads(x) for x in (out / "day2.jsonl").read_text().splitlines()}
        if day2["d2-01"]["cluster_id"] != "n08" or day2["d2-03"]["cluster_id"] != "n09":
            msg = "day-2 copies were not matched with day 1"
            raise SystemExit(msg)


if __name__ == "__main__":
    main()
