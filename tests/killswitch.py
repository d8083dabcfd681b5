"""Run ``newsclean`` and SIGKILL it right after one step: ``python killswitch.py POINT ARGS...``.

POINT is ``chunk-N`` (after chunk N is written), ``sketch`` (in step 2, after the
sketches are mapped to files), ``labels`` (after the labels are saved), ``output`` (after the outputs are renamed into place) or ``index`` (after the
index commit). The hooks are patched in here, by the test, not in the library.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def _kill_after(module: Any, name: str, when: Any = None) -> None:
    original = getattr(module, name)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if when is None or when(*args):
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, name, wrapped)


def main() -> int:
    import newsclean.etl.chunks as chunks
    import newsclean.etl.clusters as clusters
    import newsclean.etl.run as run
    from newsclean.cli import main as cli_main

    point, args = sys.argv[1], sys.argv[2:]
    if point.startswith("chunk-"):
        number = int(point.removeprefix("chunk-"))
        _kill_after(chunks, "process_chunk", lambda chunk, *_: chunk.number == number)
    elif point == "sketch":
        _kill_after(clusters, "map_rows")
    else:
        _kill_after(run, {"labels": "save_labels", "output": "write_outputs", "index": "commit_chunks"}[point])
    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
