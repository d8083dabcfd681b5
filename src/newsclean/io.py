"""Compatibility module: the readers and writers now live in :mod:`newsclean.etl.readers`
and :mod:`newsclean.etl.writers`; every name of the old module is re-exported here.

Examples:
    >>> from newsclean.io import Record
    >>> Record({"id": "x"}, "in.jsonl", 3).where
    'in.jsonl:3'
"""

from __future__ import annotations

from .etl.readers import (
    InputFormat,
    Record,
    decode_html,
    detect_format,
    open_decompressed,
    parse_json_line,
    read_inputs,
    read_records,
)
from .etl.writers import (
    JsonlWriter,
    OutputFormat,
    ParquetWriter,
    RecordWriter,
    dumps,
    infer_schema,
    open_writer,
    output_format,
    rows_to_table,
)

__all__ = [
    "InputFormat",
    "JsonlWriter",
    "OutputFormat",
    "ParquetWriter",
    "Record",
    "RecordWriter",
    "decode_html",
    "detect_format",
    "dumps",
    "infer_schema",
    "open_decompressed",
    "open_writer",
    "output_format",
    "parse_json_line",
    "read_inputs",
    "read_records",
    "rows_to_table",
]
