"""Training and adapting nl→en models from the user's own parallel data (optional feature).

`corpus` reads and splits parallel data and needs nothing extra; `marian` (the train loop),
`convert` (CTranslate2, with its checks), `package` (the `.argosmodel`) and `jobs` (the
`toolkit model train` and `adapt` commands' work) need torch and transformers, which the
`train` extra installs; `require_training` says how in one line when they are missing.
"""

from __future__ import annotations

import importlib.util

from toolkit.errors import UserError

TRAINING_MODULES = ("torch", "transformers", "sacrebleu")
INSTALL_HINT = (
    "pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu "
    "&& pip install 'nl-en-toolkit[train]'"
)


def require_training() -> None:
    """A one-line `UserError` naming what to install when a training library is missing."""
    missing = [name for name in TRAINING_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise UserError(
            f"training needs {', '.join(missing)}, which is not installed; run: {INSTALL_HINT}"
        )
