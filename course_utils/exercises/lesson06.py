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


def _contains(estimator: Any, kind: type) -> bool:
    """Whether ``estimator`` is, or holds (in pipelines and column transformers), a ``kind``."""
    todo = [estimator]
    while todo:
        current = todo.pop()
        if isinstance(current, kind):
            return True
        todo.extend(_steps(current))
        todo.extend(transformer for _, transformer, _ in getattr(current, "transformers", []))
    return False


def _imblearn_pipeline(value: Any, name: str, logistic: Any) -> Any:
    """Reject ``value`` unless it is an imbalanced-learn pipeline: impute, SMOTENC, encode, model."""
    from imblearn.over_sampling import SMOTE, SMOTENC
    from imblearn.pipeline import Pipeline as ImblearnPipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    from course_utils import HEART_BINARY, HEART_NOMINAL

    how = (
        "put make_imputer(), SMOTENC(categorical_features=categorical, **oversample), "
        "course_utils.heart_preprocessor() and LogisticRegression(max_iter=1000) in one "
        "pipeline, as section 5 did for the random forest."
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
            f"{name} is a scikit-learn Pipeline, which cannot hold a sampler such as SMOTENC "
            "(it would raise an error at fit). Hint: section 5 builds its pipeline with "
            "imbalanced-learn's make_pipeline."
        )
    if not isinstance(value, ImblearnPipeline):
        _wrong(f"{name} is a {type(value).__name__}, not an imbalanced-learn pipeline. Hint: {how}")
    if not samplers:
        _wrong(f"{name} has no sampler, so nothing is oversampled. Hint: {how}")
    if not isinstance(steps[-1], LogisticRegression):
        _wrong(
            f"{name} ends with a {type(steps[-1]).__name__}; the exercise oversamples for the "
            f"logistic regression. Hint: {how}"
        )
    sampler = steps[samplers[0]]
    if isinstance(sampler, SMOTE) and not isinstance(sampler, SMOTENC):
        _wrong(
            f"{name} oversamples with plain SMOTE, which interpolates the 0/1 and one-hot "
            "columns too and so invents impossible patients (section 5 counted them). Hint: "
            "use SMOTENC, which gives categorical columns a category of the neighbours."
        )
    if not isinstance(sampler, SMOTENC):
        _wrong(f"{name} oversamples with {type(sampler).__name__}; the exercise asks for SMOTENC.")
    encoders = [i for i, step in enumerate(steps) if _contains(step, OneHotEncoder)]
    if not encoders:
        _wrong(
            f"{name} has no one-hot encoding after SMOTENC, so the logistic regression would "
            f"read category codes as numbers. Hint: {how}"
        )
    if encoders[0] < samplers[0]:
        _wrong(
            f"{name} one-hot encodes before SMOTENC, but SMOTENC needs each categorical feature "
            "as one column, to give it one category. Hint: put SMOTENC after make_imputer() and "
            "before course_utils.heart_preprocessor()."
        )
    if samplers[0] == 0:
        _wrong(
            f"{name} oversamples the raw columns, whose missing values SMOTENC cannot handle. "
            "Hint: put make_imputer() before SMOTENC."
        )
    given = sampler.categorical_features
    expected = set(HEART_BINARY) | set(HEART_NOMINAL)
    if isinstance(given, str) or {str(feature) for feature in given} != expected:
        _wrong(
            f"{name}'s SMOTENC is told categorical_features={given!r}; it should be the "
            "binary and nominal columns by name. Hint: categorical_features=categorical."
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
        "GridSearchCV(make_pipeline(course_utils.heart_preprocessor(), "
        "LogisticRegression(max_iter=1000)), "
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
            f"values and codes. Hint: put course_utils.heart_preprocessor() first. {how}"
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


@exercise("ex-tuning-bayes-budget", answers=["noise", "bayes_gain"])
def check_bayes_budget(noise, bayes_gain, random_tuner, bayes_tuner):
    """noise: the largest |val_loss gap| of the shared candidates; bayes_gain: best vs best."""

    def in_order(tuner: Any) -> list[Any]:
        return [tuner.oracle.trials[trial_id] for trial_id in sorted(tuner.oracle.trials)]

    pairs = list(zip(in_order(random_tuner)[:2], in_order(bayes_tuner)[:2], strict=True))
    gaps = [random_trial.score - bayes_trial.score for random_trial, bayes_trial in pairs]
    largest = max(abs(gap) for gap in gaps)
    hint_noise = (
        "pair the first two trials of each tuner (trials_in_order), take the absolute "
        "difference of their scores (val_loss), and keep the largest."
    )
    if not _is(noise, largest):
        if _is(noise, float(np.mean(np.abs(gaps)))):
            _wrong(f"noise is the mean of the two gaps, not the largest. Hint: {hint_noise}")
        if _is(noise, max(gaps)) or any(_is(noise, gap) for gap in gaps if gap < 0):
            _wrong(
                "noise is a signed difference; a gap is as large whichever tuner's loss is "
                f"higher. Hint: {hint_noise}"
            )
    checks.check_number(noise, largest, name="noise", hint=hint_noise)
    best_random = random_tuner.oracle.get_best_trials(1)[0].score
    best_bayes = bayes_tuner.oracle.get_best_trials(1)[0].score
    hint_gain = (
        "take the best trial of each tuner (oracle.get_best_trials(1)[0].score) and subtract "
        "BayesianOptimization's from RandomSearch's: positive when Bayesian optimization "
        "found the lower loss."
    )
    if _is(bayes_gain, best_bayes - best_random) and not _is(bayes_gain, best_random - best_bayes):
        _wrong(
            "bayes_gain has the wrong sign: it is positive when BayesianOptimization's best "
            f"loss is the higher one. Hint: {hint_gain}"
        )
    checks.check_number(bayes_gain, best_random - best_bayes, name="bayes_gain", hint=hint_gain)
