from typing import Any

SPACY_VERSION: str

def greedy_parse(parser: Any, docs: list[Any]) -> list[Any]: ...
