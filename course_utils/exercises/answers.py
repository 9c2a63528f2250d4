"""A student's answers as files that cannot carry code, and back.

The grader never trusts a verdict from a student's kernel: the kernel only writes the
answers an exercise asks for into a folder (:func:`export`), and the grader's own process
reads them back (:func:`load`) and runs the check there. The formats hold data only:

* numbers, strings, booleans, ``None`` and ``...``, and lists, tuples and dicts of them:
  JSON;
* NumPy arrays of numbers, booleans or text: ``.npy``, read with ``allow_pickle=False``;
* pandas tables and series: their values as arrays, their labels as JSON;
* Keras models: the ``.keras`` format, read with ``safe_mode=True`` (no Python code from
  the file runs), with the logs of the model's last ``fit`` (``model.history``) as JSON;
  a ``History`` is its logs, its settings and its model;
* scikit-learn and imbalanced-learn estimators: the ``skops`` format, read with only
  scikit-learn's, imbalanced-learn's and SciPy's types trusted;
* a function the exercise asks for: its results on the inputs the exercise's check uses
  (the exercise's ``probes``), read back as a function that knows only those.

Anything else (an object of another kind, a function without probes) is written as what it
is not ("an object of type X the grader cannot read"), which the check reports as a wrong
answer. A file in the folder that the manifest does not name is never read.

Introduced for the grader (:mod:`course_utils.instructor`); the lessons' executions in CI
check every exercise on answers that went through these files too, so the grader's verdict
is the one the student sees in the notebook.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "MANIFEST",
    "Probe",
    "ProbedError",
    "ProbedFunction",
    "Unreadable",
    "export",
    "load",
    "roundtrip",
]

MANIFEST = "answers.json"
FORMAT = 1
#: Modules whose types a scikit-learn answer may contain (``skops`` refuses all others).
TRUSTED_MODULES = ("sklearn.", "imblearn.", "scipy.sparse.")
TRUSTED_TYPES = ("numpy.dtype",)
_PRIMITIVE = (type(None), bool, int, float, str)

#: A call a check makes of a function answer: positional arguments (JSON values).
Probe = tuple[Any, ...]


class Unreadable:
    """An answer the grader could not take from the student's kernel, and why."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"<answer the grader could not read: {self.reason}>"


class ProbedError(Exception):
    """The error a function answer raised on one of its probes: its message is the
    original error's "Name: message"."""


class ProbedFunction:
    """A function answer, known by its results on the check's inputs only.

    Calling it with inputs it was probed on returns the result the student's function gave
    (or raises the error it raised); any other call is an error.
    """

    def __init__(self, name: str, results: Sequence[tuple[Probe, dict[str, Any]]]) -> None:
        self.__name__ = name
        self._results = {_key(args): outcome for args, outcome in results}

    def __call__(self, *args: Any) -> Any:
        outcome = self._results.get(_key(args))
        if outcome is None:
            raise LookupError(
                f"{self.__name__} was not probed with {args!r}: the exercise's probes must "
                "list every call its check makes"
            )
        if "error" in outcome:
            raise ProbedError(outcome["error"])
        return outcome["value"]

    def __repr__(self) -> str:
        return f"<function {self.__name__} known on {len(self._results)} inputs>"


def _key(args: Sequence[Any]) -> str:
    return json.dumps([_plain(a) for a in args])


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# --- writing (in the student's kernel) ----------------------------------------------------


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    def file(self, suffix: str) -> Path:
        self.count += 1
        return self.folder / f"value-{self.count:03d}{suffix}"

    def value(self, value: Any) -> dict[str, Any]:
        try:
            return self._value(value)
        except Exception as error:  # a value that breaks its own saving
            reason = f"{type(error).__name__}: {' '.join(str(error).split())[:200]}"
            return {"kind": "unreadable", "reason": f"it could not be saved ({reason})"}

    def _value(self, value: Any) -> dict[str, Any]:
        if value is Ellipsis:
            return {"kind": "ellipsis"}
        if _is_tensor(value):  # a TensorFlow or Keras tensor: its values
            value = np.asarray(value)
        if isinstance(value, np.generic) and value.dtype.kind in "biufcUS":
            return {"kind": "numpy-scalar", "file": self.array(np.asarray(value))}
        if isinstance(value, float) and not math.isfinite(value):
            return {"kind": "float", "value": repr(value)}
        if isinstance(value, _PRIMITIVE):
            return {"kind": "json", "value": value}
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "biufcUSM":
                return {"kind": "unreadable", "reason": f"an array of {value.dtype} values"}
            return {"kind": "array", "file": self.array(value)}
        if isinstance(value, (list, tuple)):
            return {
                "kind": "tuple" if isinstance(value, tuple) else "list",
                "items": [self.value(v) for v in value],
            }
        if isinstance(value, dict):
            if not all(isinstance(k, (str, int, float, bool)) for k in value):
                return {"kind": "unreadable", "reason": "a dict with keys that are not plain"}
            return {
                "kind": "dict",
                "items": [[self.value(k), self.value(v)] for k, v in value.items()],
            }
        module = type(value).__module__
        if module.startswith("pandas"):
            return self.pandas(value)
        if _is_keras_model(value):
            return self.keras_model(value)
        if _is_history(value):
            return self.history(value)
        if module.startswith(("sklearn.", "imblearn.")):
            return self.estimator(value)
        if callable(value):
            return {"kind": "unreadable", "reason": "a function the exercise does not probe"}
        return {
            "kind": "unreadable",
            "reason": f"an object of type {module}.{type(value).__qualname__}",
        }

    def array(self, array: np.ndarray) -> str:
        path = self.file(".npy")
        np.save(path, np.require(array, requirements="C"), allow_pickle=False)
        return path.name

    def pandas(self, value: Any) -> dict[str, Any]:
        import pandas as pd

        if isinstance(value, pd.Series):
            return {
                "kind": "series",
                "name": self.value(value.name),
                "values": self.column(value),
                "index": self.value(value.index.to_list()),
            }
        if isinstance(value, pd.DataFrame):
            return {
                "kind": "frame",
                "columns": self.value([str(c) for c in value.columns]),
                "values": [self.column(value[c]) for c in value.columns],
                "index": self.value(value.index.to_list()),
            }
        return {"kind": "unreadable", "reason": f"a pandas {type(value).__name__}"}

    def column(self, column: Any) -> dict[str, Any]:
        """A pandas column: an array of numbers, or a list of plain values, and its dtype."""
        if column.dtype.kind in "biufcM":
            values = self.value(column.to_numpy())
        else:
            values = self.value([None if v is None else v for v in column.to_list()])
        return {"dtype": str(column.dtype), "values": values}

    def keras_model(self, model: Any) -> dict[str, Any]:
        from course_utils.checks import is_trained

        path = self.file(".keras")
        model.save(path)
        found: dict[str, Any] = {
            "kind": "keras-model",
            "file": path.name,
            "trained": bool(is_trained(model)),  # the initializers cannot tell after a load
        }
        logs = getattr(getattr(model, "history", None), "history", None)
        if isinstance(logs, Mapping):
            found["history"] = self.logs(model.history)
        return found

    def logs(self, history: Any) -> dict[str, Any]:
        return {
            "history": self.value(
                {str(k): [float(x) for x in v] for k, v in history.history.items()}
            ),
            "params": self.value(dict(getattr(history, "params", {}) or {})),
            "epoch": self.value([int(e) for e in getattr(history, "epoch", [])]),
        }

    def history(self, history: Any) -> dict[str, Any]:
        found = {"kind": "history", "logs": self.logs(history)}
        model = getattr(history, "model", None)
        if model is not None:
            found["model"] = self.keras_model(model)
        return found

    def estimator(self, estimator: Any) -> dict[str, Any]:
        import skops.io

        path = self.file(".skops")
        skops.io.dump(estimator, path)
        return {"kind": "estimator", "file": path.name}


def _is_tensor(value: Any) -> bool:
    """A TensorFlow tensor or variable (a Keras backend tensor): data, read as an array."""
    module = type(value).__module__
    return (
        module.startswith(("tensorflow", "keras"))
        and hasattr(value, "numpy")
        and hasattr(value, "dtype")
    )


def _is_keras_model(value: Any) -> bool:
    if "keras" not in type(value).__module__ and not any(
        "keras" in c.__module__ for c in type(value).__mro__
    ):
        return False
    import keras

    return isinstance(value, keras.Model)


def _is_history(value: Any) -> bool:
    if not any("keras" in c.__module__ for c in type(value).__mro__):
        return False
    import keras

    return isinstance(value, keras.callbacks.History)


def export(
    values: Mapping[str, Any],
    folder: str | os.PathLike[str],
    probes: Mapping[str, Sequence[Probe]] | None = None,
) -> dict[str, Any]:
    """Write ``values`` (answer name -> value) into ``folder`` as data-only files.

    ``probes`` gives, for an answer that is a function, the calls its check makes: the
    function is called with each, and its results (or errors) are written instead of it.
    Returns the manifest, also written to ``folder/answers.json``.

    Example:
        >>> import tempfile
        >>> folder = tempfile.mkdtemp()
        >>> manifest = export({"total": 42, "double": lambda x: 2 * x}, folder,
        ...                   probes={"double": [(1,), (21,)]})
        >>> answers = load(folder)
        >>> answers["total"], answers["double"](21)
        (42, 42)
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    writer = _Writer(folder)
    entries: dict[str, Any] = {}
    for name, value in values.items():
        calls = (probes or {}).get(name)
        if calls is not None and callable(value) and not isinstance(value, type):
            results = []
            for args in calls:
                try:
                    outcome = {"value": writer.value(value(*args))}
                except Exception as error:
                    outcome = {"error": f"{type(error).__name__}: {error}"[:300]}
                results.append([writer.value(list(args)), outcome])
            entries[name] = {"kind": "function", "name": name, "results": results}
        else:
            entries[name] = writer.value(value)
    manifest = {"format": FORMAT, "answers": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


# --- reading (in the grader's process) ------------------------------------------------------


class _Reader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()

    def path(self, name: Any) -> Path:
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            raise ValueError(f"not a file name of the answers' folder: {name!r}")
        path = (self.folder / name).resolve()
        if path.parent != self.folder or not path.is_file() or path.is_symlink():
            raise ValueError(f"no such answer file: {name!r}")
        return path

    def value(self, entry: Any) -> Any:
        try:
            return self._value(entry)
        except Exception as error:
            return Unreadable(f"{type(error).__name__}: {' '.join(str(error).split())[:200]}")

    def _value(self, entry: Any) -> Any:
        if not isinstance(entry, dict):
            raise ValueError("a manifest entry is not an object")
        kind = entry.get("kind")
        if kind == "ellipsis":
            return Ellipsis
        if kind == "json":
            value = entry.get("value")
            if not isinstance(value, _PRIMITIVE):
                raise ValueError("a JSON answer is not a plain value")
            return value
        if kind == "float":
            return float(entry["value"])
        if kind == "numpy-scalar":
            return self.array(entry["file"])[()]
        if kind == "array":
            return self.array(entry["file"])
        if kind in ("list", "tuple"):
            items = [self.value(item) for item in entry["items"]]
            return tuple(items) if kind == "tuple" else items
        if kind == "dict":
            return {self.value(k): self.value(v) for k, v in entry["items"]}
        if kind == "series":
            import pandas as pd

            series = self.column(entry["values"])
            return pd.Series(
                series.to_numpy(), index=self.value(entry["index"]), name=self.value(entry["name"])
            ).astype(series.dtype)
        if kind == "frame":
            import pandas as pd

            columns = self.value(entry["columns"])
            data = {c: self.column(v) for c, v in zip(columns, entry["values"], strict=True)}
            frame = pd.DataFrame(data)
            frame.index = self.value(entry["index"])
            return frame
        if kind == "keras-model":
            return self.keras_model(entry)
        if kind == "history":
            return self.history(entry)
        if kind == "estimator":
            return self.estimator(entry["file"])
        if kind == "function":
            results = [
                (tuple(self.value(args)), self.outcome(outcome))
                for args, outcome in entry["results"]
            ]
            return ProbedFunction(str(entry.get("name", "function")), results)
        if kind == "unreadable":
            return Unreadable(str(entry.get("reason", "unknown")))
        raise ValueError(f"unknown kind of answer {kind!r}")

    def column(self, entry: dict[str, Any]) -> Any:
        import pandas as pd

        values = self.value(entry["values"])
        if isinstance(values, Unreadable):
            raise ValueError(values.reason)
        column = pd.Series(values)
        try:
            return column.astype(str(entry["dtype"]))
        except (TypeError, ValueError):
            return column

    def outcome(self, outcome: Any) -> dict[str, Any]:
        if isinstance(outcome, dict) and "error" in outcome:
            return {"error": str(outcome["error"])}
        return {"value": self.value(outcome["value"])}

    def array(self, name: str) -> np.ndarray:
        return np.load(self.path(name), allow_pickle=False)

    def keras_model(self, entry: dict[str, Any]) -> Any:
        import keras

        model = keras.models.load_model(self.path(entry["file"]), safe_mode=True)
        if isinstance(entry.get("trained"), bool):
            model._course_trained = entry["trained"]
        if "history" in entry:
            model.history = self.history({"logs": entry["history"]})
        return model

    def history(self, entry: dict[str, Any]) -> Any:
        import keras

        history = keras.callbacks.History()
        logs = entry["logs"]
        history.history = self.value(logs["history"])
        history.params = self.value(logs["params"])
        history.epoch = self.value(logs["epoch"])
        if "model" in entry:
            history.set_model(self.keras_model(entry["model"]))
        return history

    def estimator(self, name: str) -> Any:
        import skops.io

        path = self.path(name)
        untrusted = skops.io.get_untrusted_types(file=path)
        refused = [
            t for t in untrusted if not (t.startswith(TRUSTED_MODULES) or t in TRUSTED_TYPES)
        ]
        if refused:
            raise ValueError(f"the estimator holds types the grader does not trust: {refused}")
        return skops.io.load(path, trusted=untrusted)


def load(folder: str | os.PathLike[str]) -> dict[str, Any]:
    """The answers :func:`export` wrote into ``folder``, read without running their code.

    An answer that cannot be read becomes an :class:`Unreadable` with the reason.

    Raises:
        ValueError: if the folder has no manifest or it is not one of this format.
    """
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{folder}: no readable {MANIFEST} ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{folder}/{MANIFEST} is not an answers manifest of format {FORMAT}")
    answers = manifest.get("answers")
    if not isinstance(answers, dict):
        raise ValueError(f"{folder}/{MANIFEST} lists no answers")
    reader = _Reader(folder)
    return {str(name): reader.value(entry) for name, entry in answers.items()}


def roundtrip(values: Mapping[str, Any], probes: Mapping[str, Sequence[Probe]] | None = None):
    """``values`` after :func:`export` and :func:`load` through a temporary folder: what the
    grader's check sees of them."""
    import tempfile
    import warnings

    with tempfile.TemporaryDirectory(prefix="course-answers-") as folder:
        export(values, folder, probes)
        with warnings.catch_warnings():  # e.g. Keras on an untrained model's optimizer
            warnings.simplefilter("ignore")
            return load(folder)
