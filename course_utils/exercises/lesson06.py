"""Checks of the exercises of lesson 6, "Hyper-parameter tuning"."""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import exercise
from course_utils.exercises._common import is_number as _is
from course_utils.exercises._common import wrong as _wrong


def _steps(pipeline: Any) -> list[Any]:
    """The estimators of a (scikit-learn or imbalanced-learn) pipeline, in order."""
    return [step for _, step in getattr(pipeline, "steps", [])]


def _scalers(estimator: Any) -> list[Any]:
    """Every fitted StandardScaler inside ``estimator`` (pipelines and column transformers)."""
    from sklearn.preprocessing import StandardScaler

    found, todo = [], [estimator]
    while todo:
        current = todo.pop()
        if isinstance(current, StandardScaler):
            found.append(current)
        todo.extend(_steps(current))
        todo.extend(transformer for _, transformer, _ in getattr(current, "transformers_", []))
    return found


@exercise("ex-tuning-grid-count", answers=["n_fits"])
def check_grid_count(n_fits):
    """n_fits counts the networks a 3 x 2 x 2 grid with cv=5 and refit=True trains."""
    candidates, folds = 3 * 2 * 2, 5
    hint = (
        "work out how many candidates the grid has, how often each is trained during "
        "cross-validation, and what refit=True does once the search is over (section 4 counts "
        "the same for its own grid)."
    )
    if _is(n_fits, candidates) or _is(n_fits, candidates + 1):
        _wrong(
            "n_fits counts the candidates, but cross-validation trains each candidate once per "
            f"fold. Hint: {hint}"
        )
    if _is(n_fits, (3 + 2 + 2) * folds) or _is(n_fits, (3 + 2 + 2) * folds + 1):
        _wrong(
            "n_fits adds up the values of the three hyper-parameters, but a grid tries every "
            f"combination of them. Hint: {hint}"
        )
    if _is(n_fits, candidates * folds):
        _wrong(
            "n_fits counts the cross-validation fits, but with refit=True the search trains one "
            f"more network after them. Hint: {hint}"
        )
    checks.check_number(n_fits, candidates * folds + 1, name="n_fits", hint=hint)


def _imblearn_pipeline(value: Any, name: str, logistic: Any) -> Any:
    """Reject ``value`` unless it is an imbalanced-learn pipeline: preprocess, sampler, model."""
    from imblearn.pipeline import Pipeline as ImblearnPipeline
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    how = (
        "put make_preprocess(), SMOTE(**oversample) and LogisticRegression(max_iter=1000) in "
        "one pipeline, as section 5 did for the random forest."
    )
    if value is logistic:
        _wrong(
            f"{name} is section 2's logistic pipeline, which does not oversample at all. "
            f"Hint: {how}"
        )
    steps = _steps(value)
    samplers = [i for i, step in enumerate(steps) if hasattr(step, "fit_resample")]
    if isinstance(value, Pipeline) and not isinstance(value, ImblearnPipeline):
        _wrong(
            f"{name} is a scikit-learn Pipeline, which cannot hold a sampler such as SMOTE "
            "(it would raise an error at fit). Hint: section 5 builds its pipeline with "
            "imbalanced-learn's make_pipeline."
        )
    if not isinstance(value, ImblearnPipeline):
        _wrong(f"{name} is a {type(value).__name__}, not an imbalanced-learn pipeline. Hint: {how}")
    if not samplers:
        _wrong(f"{name} has no SMOTE step, so nothing is oversampled. Hint: {how}")
    if not isinstance(steps[-1], LogisticRegression):
        _wrong(
            f"{name} ends with a {type(steps[-1]).__name__}; the exercise oversamples for the "
            f"logistic regression. Hint: {how}"
        )
    preprocessing = [i for i, step in enumerate(steps) if isinstance(step, ColumnTransformer)]
    if not preprocessing:
        _wrong(f"{name} has no preprocessing step. Hint: {how}")
    if samplers[0] < preprocessing[0]:
        _wrong(
            f"{name} oversamples before the preprocessing, but SMOTE interpolates between "
            "numeric rows: it needs the imputed, scaled and one-hot encoded columns. Hint: put "
            "SMOTE after make_preprocess()."
        )
    return value


@exercise("ex-tuning-leak-free", answers=["smote_logistic", "smote_logistic_cv"])
def check_leak_free(smote_logistic, smote_logistic_cv, logistic, logistic_cv, cv, x_dev_raw, y_dev):
    """smote_logistic resamples inside the folds; smote_logistic_cv is CV on x_dev_raw."""
    _imblearn_pipeline(smote_logistic, "smote_logistic", logistic)
    how = (
        "smote_logistic_cv = cross_val_score(smote_logistic, x_dev_raw, y_dev, cv=cv), the "
        "development set's raw columns, as in section 5."
    )
    if smote_logistic_cv is logistic_cv:
        _wrong(
            "smote_logistic_cv is section 2's logistic_cv, the scores without oversampling. "
            f"Hint: {how}"
        )
    try:
        scores = np.asarray(smote_logistic_cv, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        _wrong(
            f"smote_logistic_cv is a {type(smote_logistic_cv).__name__}; it should be the "
            f"array of fold accuracies that cross_val_score returns. Hint: {how}"
        )
    if scores.size != cv.get_n_splits():
        _wrong(
            f"smote_logistic_cv holds {scores.size} scores; 5-fold cross-validation gives one "
            f"per fold. Hint: {how}"
        )
    if not np.all((scores >= 0) & (scores <= 1)):
        _wrong(f"smote_logistic_cv should hold accuracies, between 0 and 1. Hint: {how}")
    # A fold's accuracy is a number of patients divided by the fold's size. Scores measured on
    # anything but the 242 development patients (oversampled rows, for example) do not fit.
    sizes = sorted(len(test) for _, test in cv.split(x_dev_raw, y_dev))
    correct = np.sort(scores)[:, None] * np.asarray(sizes)[None, :]
    whole = np.isclose(correct, np.round(correct), atol=1e-6)
    if not all(whole[i].any() for i in range(scores.size)) or len(y_dev) != sum(sizes):
        _wrong(
            "smote_logistic_cv was not measured on folds of the development patients: the "
            "scores do not fit folds of their size. Cross-validating rows that were oversampled "
            "beforehand lets synthetic copies of a fold's patients into the training folds, the "
            f"leak of section 5. Hint: {how}"
        )


@exercise("ex-tuning-logistic-grid", answers=["tuned_logistic"])
def check_logistic_grid(tuned_logistic, logistic, x_train_raw, x_val_raw, y_val):
    """tuned_logistic: 5-fold GridSearchCV over C, fitted on training rows, 0.8 val accuracy."""
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    how = (
        "GridSearchCV(make_pipeline(make_preprocess(), LogisticRegression(max_iter=1000)), "
        "{'logisticregression__C': [...]}, cv=5), then .fit(x_train_raw, y_train)."
    )
    if tuned_logistic is logistic:
        _wrong(
            "tuned_logistic is section 2's logistic pipeline, with the default C and no search. "
            f"Hint: {how}"
        )
    if not isinstance(tuned_logistic, GridSearchCV):
        _wrong(
            f"tuned_logistic is a {type(tuned_logistic).__name__}, not a GridSearchCV. Hint: {how}"
        )
    steps = _steps(tuned_logistic.estimator)
    if not steps or not isinstance(steps[-1], LogisticRegression):
        _wrong(
            "tuned_logistic should search a pipeline that ends with a LogisticRegression. "
            f"Hint: {how}"
        )
    if not any(isinstance(step, ColumnTransformer) for step in steps):
        _wrong(
            "tuned_logistic's pipeline has no preprocessing; the raw columns have missing "
            f"values and codes. Hint: put make_preprocess() first. {how}"
        )
    if not hasattr(tuned_logistic, "cv_results_"):
        _wrong(
            "tuned_logistic has not been fitted, so it has searched nothing yet. Hint: call "
            "tuned_logistic.fit(x_train_raw, y_train)."
        )
    searched = [
        params[key]
        for params in tuned_logistic.cv_results_["params"]
        for key in params
        if key.split("__")[-1] == "C"
    ]
    if sorted(searched) != [0.01, 0.1, 1]:
        _wrong(
            f"tuned_logistic tried C = {sorted(searched)}; the exercise asks for the three "
            "values 0.01, 0.1 and 1. Hint: the grid's key is the pipeline step's name, two "
            "underscores and the parameter: 'logisticregression__C'."
        )
    if tuned_logistic.n_splits_ != 5:
        _wrong(
            f"tuned_logistic cross-validated with {tuned_logistic.n_splits_} folds; the exercise "
            "asks for 5. Hint: pass cv=5."
        )
    if not hasattr(tuned_logistic, "best_estimator_"):
        _wrong(
            "tuned_logistic kept no model (refit=False), so it cannot predict. Hint: leave refit "
            "at its default, True."
        )
    seen = {int(scaler.n_samples_seen_) for scaler in _scalers(tuned_logistic.best_estimator_)}
    if seen != {len(x_train_raw)}:
        _wrong(
            "tuned_logistic was fitted on other rows than the training split"
            + (
                ", more of them: the validation patients the check scores it on were among them"
                if seen and max(seen) > len(x_train_raw)
                else ""
            )
            + ". Hint: fit it on x_train_raw, y_train only."
        )
    checks.check_score(
        tuned_logistic,
        x_val_raw,
        y_val,
        minimum=0.8,
        name="tuned_logistic",
        hint="search the C values the exercise gives, on the training split.",
    )
