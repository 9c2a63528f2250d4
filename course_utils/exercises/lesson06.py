"""Checks of the exercises of lesson 6, "Hyper-parameter tuning".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. Pipelines and
searches are compared by value (:func:`same_estimator`), the rows a search was fitted on
are read from its scalers (:func:`fitted_rows`), and cross-validation scores are checked
against the sizes of the folds they must come from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise
from course_utils.exercises._common import as_number, fitted_rows, is_number, same_estimator
from course_utils.i18n import N_, _

# --- ex-tuning-grid-count -----------------------------------------------------------------

_CANDIDATES, _FOLDS = 3 * 2 * 2, 5


def _any_of(value: Any, numbers: list[float]) -> bool:
    return any(is_number(value, number) for number in numbers)


@exercise(
    "ex-tuning-grid-count",
    answers=["n_fits"],
    mistakes=[
        Mistake(
            "counts-candidates",
            N_(
                "n_fits counts the candidates, but cross-validation trains each candidate "
                "once per fold. Hint: 5 folds mean 5 trainings of every candidate."
            ),
            lambda n_fits: _any_of(n_fits, [_CANDIDATES, _CANDIDATES + 1]),
        ),
        Mistake(
            "added-values",
            N_(
                "n_fits adds up the numbers of values of the three hyper-parameters, but a "
                "grid tries every combination of them. Hint: multiply the numbers of values."
            ),
            lambda n_fits: _any_of(n_fits, [7 * _FOLDS, 7 * _FOLDS + 1]),
        ),
        Mistake(
            "batch-size-left-out",
            N_(
                "n_fits leaves batch_size out of the grid. The search tries it like the other "
                "two hyper-parameters: every value of it with every combination of the others."
            ),
            lambda n_fits: _any_of(n_fits, [3 * 2 * _FOLDS, 3 * 2 * _FOLDS + 1]),
        ),
        Mistake(
            "training-folds",
            N_(
                "n_fits counts one training per training fold, but each of the 5 splits "
                "trains a candidate once, on the other 4 folds together, and scores it on the "
                "fold left out. Hint: one training per candidate and split."
            ),
            lambda n_fits: _any_of(n_fits, [_CANDIDATES * 4, _CANDIDATES * 4 + 1]),
        ),
        Mistake(
            "refit-per-candidate",
            N_(
                "n_fits refits every candidate, but refit=True trains only one more network "
                "after the search: the best candidate, on all the rows."
            ),
            lambda n_fits: is_number(n_fits, _CANDIDATES * _FOLDS + _CANDIDATES),
        ),
        Mistake(
            "refit-forgotten",
            N_(
                "n_fits counts the cross-validation fits, but with refit=True the search "
                "trains one more network after them. Hint: what does refit=True do once the "
                "search is over?"
            ),
            lambda n_fits: is_number(n_fits, _CANDIDATES * _FOLDS),
        ),
    ],
)
def check_grid_count(n_fits):
    """n_fits counts the networks a 3 x 2 x 2 grid with cv=5 and refit=True trains."""
    checks.check_number(
        n_fits,
        _CANDIDATES * _FOLDS + 1,
        name="n_fits",
        hint=N_(
            "work out how many candidates the grid has, how often each is trained during "
            "cross-validation, and what refit=True does once the search is over (section 4 "
            "counts the same for its own grid)."
        ),
    )


# --- ex-tuning-leak-free ------------------------------------------------------------------


def _steps(pipeline: Any) -> list[Any]:
    """The estimators of a (scikit-learn or imbalanced-learn) pipeline, in order."""
    steps = getattr(pipeline, "steps", None)
    return [step for _, step in steps] if isinstance(steps, list) else []


def _contains(estimator: Any, kind: type) -> bool:
    """Whether ``estimator`` is, or holds (in pipelines and column transformers), a ``kind``."""
    todo = [estimator]
    while todo:
        current = todo.pop()
        if isinstance(current, kind):
            return True
        todo.extend(_steps(current))
        todo.extend(
            item[1] for item in getattr(current, "transformers", None) or [] if len(item) >= 2
        )
    return False


def _samplers(pipeline: Any) -> list[int]:
    return [i for i, step in enumerate(_steps(pipeline)) if hasattr(step, "fit_resample")]


def _sampler(pipeline: Any) -> Any:
    found = _samplers(pipeline)
    return _steps(pipeline)[found[0]] if found else None


def _encoders(pipeline: Any) -> list[int]:
    from sklearn.preprocessing import OneHotEncoder

    return [i for i, step in enumerate(_steps(pipeline)) if _contains(step, OneHotEncoder)]


def _is_sklearn_pipeline(value: Any) -> bool:
    from imblearn.pipeline import Pipeline as ImblearnPipeline
    from sklearn.pipeline import Pipeline

    return isinstance(value, Pipeline) and not isinstance(value, ImblearnPipeline)


def _kind_of(sampler: Any) -> str:
    from imblearn.over_sampling import SMOTE, SMOTENC

    if isinstance(sampler, SMOTENC):
        return "smotenc"
    if isinstance(sampler, SMOTE):
        return "smote"
    return "other"


def _last_name(pipeline: Any) -> str:
    steps = _steps(pipeline)
    return type(steps[-1]).__name__ if steps else ""


_SMOTE_HOW = N_(
    "put make_imputer(), SMOTENC(categorical_features=categorical, **oversample), "
    "course_utils.heart_preprocessor() and LogisticRegression(max_iter=1000) in one pipeline "
    "with imbalanced-learn's make_pipeline, as section 5 did for the random forest."
)
_CV_HOW = N_(
    "smote_logistic_cv = cross_val_score(smote_logistic, x_dev_raw, y_dev, cv=cv), on the "
    "development set's raw columns, as in section 5."
)


def _scores(value: Any) -> np.ndarray | None:
    """The scores as a flat array of floats, or None when they are not numbers."""
    try:
        return np.asarray(value, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        return None


def _fold_sizes(cv: Any, x: Any, y: Any) -> list[int]:
    return sorted(len(test) for _, test in cv.split(x, y))


def _fit_folds(scores: np.ndarray | None, sizes: list[int]) -> bool:
    """True if every score is a whole number of patients divided by one of the fold sizes."""
    if scores is None or scores.size != len(sizes):
        return False
    correct = scores[:, None] * np.asarray(sizes, dtype=float)[None, :]
    return bool(np.isclose(correct, np.round(correct), atol=1e-6).any(axis=1).all())


def _lesson_scores(value: Any, lesson: dict[str, Any]) -> dict[str, str] | None:
    """The name of the lesson's score array that ``value`` equals, with the hint."""
    scores = _scores(value)
    for name, known in lesson.items():
        if scores is not None and scores.shape == np.shape(known) and np.allclose(scores, known):
            return {"name": name, "how": _(_CV_HOW)}
    return None


def _strategy_differs(smote_logistic: Any, oversample: dict) -> bool:
    strategy = getattr(_sampler(smote_logistic), "sampling_strategy", None)
    wanted = oversample.get("sampling_strategy")
    if isinstance(strategy, dict) and isinstance(wanted, dict):
        try:
            return {int(k): int(v) for k, v in strategy.items()} != {
                int(k): int(v) for k, v in wanted.items()
            }
        except (TypeError, ValueError):
            return True
    return strategy != wanted


@exercise(
    "ex-tuning-leak-free",
    answers=["smote_logistic", "smote_logistic_cv"],
    mistakes=[
        Mistake(
            "lesson-logistic",
            N_(
                "smote_logistic is section 2's logistic pipeline, which does not oversample at "
                "all. Hint: {how}"
            ),
            lambda smote_logistic, logistic: (
                {"how": _(_SMOTE_HOW)} if same_estimator(smote_logistic, logistic) else None
            ),
        ),
        Mistake(
            "not-a-pipeline",
            N_("smote_logistic is a {type}, not an imbalanced-learn pipeline. Hint: {how}"),
            lambda smote_logistic: (
                None
                if _steps(smote_logistic)
                else {"type": type(smote_logistic).__name__, "how": _(_SMOTE_HOW)}
            ),
        ),
        Mistake(
            "no-sampler",
            N_("smote_logistic has no sampler, so nothing is oversampled. Hint: {how}"),
            lambda smote_logistic: None if _samplers(smote_logistic) else {"how": _(_SMOTE_HOW)},
        ),
        Mistake(
            "sklearn-pipeline",
            N_(
                "smote_logistic is a scikit-learn Pipeline, which cannot hold a sampler such "
                "as SMOTENC (it raises an error at fit). Hint: section 5 builds its pipeline "
                "with imbalanced-learn's make_pipeline."
            ),
            lambda smote_logistic: _is_sklearn_pipeline(smote_logistic),
        ),
        Mistake(
            "wrong-model",
            N_(
                "smote_logistic ends with a {type}; the exercise oversamples for the logistic "
                "regression of section 2. Hint: {how}"
            ),
            lambda smote_logistic: (
                None
                if _last_name(smote_logistic) == "LogisticRegression"
                else {"type": _last_name(smote_logistic), "how": _(_SMOTE_HOW)}
            ),
        ),
        Mistake(
            "plain-smote",
            N_(
                "smote_logistic oversamples with plain SMOTE, which interpolates the 0/1 and "
                "one-hot columns too and so invents impossible patients (section 5 counted "
                "them). Hint: use SMOTENC, which gives categorical columns a category of the "
                "neighbours."
            ),
            lambda smote_logistic: _kind_of(_sampler(smote_logistic)) == "smote",
        ),
        Mistake(
            "not-smotenc",
            N_(
                "smote_logistic oversamples with {type}; the exercise asks for SMOTENC, "
                "which makes new patients between neighbours and keeps the categorical "
                "columns valid."
            ),
            lambda smote_logistic: (
                {"type": type(_sampler(smote_logistic)).__name__}
                if _kind_of(_sampler(smote_logistic)) == "other"
                else None
            ),
        ),
        Mistake(
            "no-encoder",
            N_(
                "smote_logistic has no one-hot encoding after SMOTENC, so the logistic "
                "regression would read category codes as numbers. Hint: {how}"
            ),
            lambda smote_logistic: None if _encoders(smote_logistic) else {"how": _(_SMOTE_HOW)},
        ),
        Mistake(
            "encoder-before-sampler",
            N_(
                "smote_logistic one-hot encodes before SMOTENC, but SMOTENC needs each "
                "categorical feature as one column, to give it one category. Hint: put SMOTENC "
                "after make_imputer() and before course_utils.heart_preprocessor()."
            ),
            lambda smote_logistic: _encoders(smote_logistic)[0] < _samplers(smote_logistic)[0],
        ),
        Mistake(
            "sampler-first",
            N_(
                "smote_logistic oversamples the raw columns, whose missing values SMOTENC "
                "cannot handle. Hint: put make_imputer() before SMOTENC."
            ),
            lambda smote_logistic: _samplers(smote_logistic)[0] == 0,
        ),
        Mistake(
            "wrong-categorical-features",
            N_(
                "smote_logistic's SMOTENC is told categorical_features={given}; they should "
                "be all the binary and nominal columns, by name. Hint: "
                "categorical_features=categorical."
            ),
            lambda smote_logistic: _categorical_problem(_sampler(smote_logistic)),
        ),
        Mistake(
            "oversample-left-out",
            N_(
                "smote_logistic's SMOTENC oversamples with sampling_strategy={given}, not with "
                "the settings of section 5. Hint: pass **oversample, which asks for 500 "
                "patients of each class and fixes the random state."
            ),
            lambda smote_logistic, oversample: (
                {"given": repr(getattr(_sampler(smote_logistic), "sampling_strategy", None))}
                if _strategy_differs(smote_logistic, oversample)
                else None
            ),
        ),
        Mistake(
            "lesson-scores",
            N_(
                "smote_logistic_cv holds {name}, scores the lesson computed for another model. "
                "Hint: {how}"
            ),
            lambda smote_logistic_cv, logistic_cv, honest, no_smote: _lesson_scores(
                smote_logistic_cv,
                {"logistic_cv": logistic_cv, "honest": honest, "no_smote": no_smote},
            ),
        ),
        Mistake(
            "not-scores",
            N_(
                "smote_logistic_cv is a {type}; it should be the array of fold accuracies "
                "that cross_val_score returns. Hint: {how}"
            ),
            lambda smote_logistic_cv: (
                {"type": type(smote_logistic_cv).__name__, "how": _(_CV_HOW)}
                if _scores(smote_logistic_cv) is None
                else None
            ),
        ),
        Mistake(
            "mean-not-scores",
            N_(
                "smote_logistic_cv is one number, but the exercise asks for the accuracy of "
                "each of the 5 folds, the array cross_val_score returns. Hint: store the array "
                "and compare smote_logistic_cv.mean() with logistic_cv.mean() afterwards."
            ),
            lambda smote_logistic_cv: (
                _scores(smote_logistic_cv) is not None and _scores(smote_logistic_cv).size == 1
            ),
        ),
        Mistake(
            "training-rows-only",
            N_(
                "smote_logistic_cv was measured on folds of the 181 training patients only, "
                "not of the 242 development patients. Hint: {how}"
            ),
            lambda smote_logistic_cv, cv, x_dev_raw, y_dev, x_train_raw, y_train: (
                {"how": _(_CV_HOW)}
                if _fit_folds(_scores(smote_logistic_cv), _fold_sizes(cv, x_train_raw, y_train))
                and not _fit_folds(_scores(smote_logistic_cv), _fold_sizes(cv, x_dev_raw, y_dev))
                else None
            ),
        ),
        Mistake(
            "oversampled-before-cv",
            N_(
                "smote_logistic_cv was not measured on folds of the development patients: "
                "the scores do not fit folds of their size. Cross-validating rows that were "
                "oversampled beforehand lets synthetic copies of a fold's patients into the "
                "training folds, the leak of section 5. Hint: {how}"
            ),
            lambda smote_logistic_cv, cv, x_dev_raw, y_dev: (
                {"how": _(_CV_HOW)}
                if _scores(smote_logistic_cv).size == cv.get_n_splits()
                and not _fit_folds(_scores(smote_logistic_cv), _fold_sizes(cv, x_dev_raw, y_dev))
                else None
            ),
        ),
    ],
)
def check_leak_free(
    smote_logistic,
    smote_logistic_cv,
    logistic,
    logistic_cv,
    honest,
    no_smote,
    cv,
    x_dev_raw,
    y_dev,
    x_train_raw,
    y_train,
    oversample,
):
    """smote_logistic resamples inside the folds; smote_logistic_cv is CV on x_dev_raw."""
    checks.check_shape(
        _scores(smote_logistic_cv),
        (cv.get_n_splits(),),
        name="smote_logistic_cv",
        hint=_CV_HOW,
    )


def _categorical_problem(sampler: Any) -> dict[str, str] | None:
    from course_utils import HEART_BINARY, HEART_NOMINAL

    given = getattr(sampler, "categorical_features", None)
    expected = set(HEART_BINARY) | set(HEART_NOMINAL)
    if (
        isinstance(given, (str, bytes))
        or not hasattr(given, "__iter__")
        or {str(feature) for feature in given} != expected
    ):
        return {"given": repr(given if not isinstance(given, np.ndarray) else given.tolist())}
    return None


# --- ex-tuning-logistic-grid --------------------------------------------------------------

_GRID_HOW = N_(
    "GridSearchCV(make_pipeline(course_utils.heart_preprocessor(), "
    "LogisticRegression(max_iter=1000)), dict(logisticregression__C=[0.01, 0.1, 1]), cv=5), "
    "then .fit(x_train_raw, y_train)."
)


def _searched_estimator(search: Any) -> Any:
    return getattr(search, "estimator", None)


def _final_name(search: Any) -> str:
    estimator = _searched_estimator(search)
    steps = _steps(estimator)
    return type(steps[-1] if steps else estimator).__name__


def _has_preprocessing(search: Any) -> bool:
    from sklearn.compose import ColumnTransformer

    return any(isinstance(step, ColumnTransformer) for step in _steps(_searched_estimator(search)))


def _searched_c(search: Any) -> list[float]:
    return sorted(
        float(params[key])
        for params in search.cv_results_["params"]
        for key in params
        if key.split("__")[-1] == "C" and as_number(params[key]) is not None
    )


def _c_differs(search: Any) -> dict[str, str] | None:
    searched = _searched_c(search)
    if len(searched) == 3 and np.allclose(searched, [0.01, 0.1, 1.0], rtol=1e-9):
        return None
    return {"searched": ", ".join(f"{value:g}" for value in searched) or "-"}


def _rows(search: Any, x_train_raw: Any) -> dict[str, int] | None:
    rows = fitted_rows(search)
    return None if rows is None else {"rows": rows, "train": len(x_train_raw)}


@exercise(
    "ex-tuning-logistic-grid",
    answers=["tuned_logistic"],
    mistakes=[
        Mistake(
            "lesson-logistic",
            N_(
                "tuned_logistic is section 2's logistic pipeline, with the default C and no "
                "search. Hint: {how}"
            ),
            lambda tuned_logistic, logistic: (
                {"how": _(_GRID_HOW)} if same_estimator(tuned_logistic, logistic) else None
            ),
        ),
        Mistake(
            "not-a-grid-search",
            N_("tuned_logistic is a {type}, not a GridSearchCV. Hint: {how}"),
            lambda tuned_logistic: (
                None
                if type(tuned_logistic).__name__ == "GridSearchCV"
                else {"type": type(tuned_logistic).__name__, "how": _(_GRID_HOW)}
            ),
        ),
        Mistake(
            "not-logistic",
            N_(
                "tuned_logistic searches a {type}; the exercise tunes the logistic regression. "
                "Hint: {how}"
            ),
            lambda tuned_logistic: (
                None
                if _final_name(tuned_logistic) == "LogisticRegression"
                else {"type": _final_name(tuned_logistic), "how": _(_GRID_HOW)}
            ),
        ),
        Mistake(
            "no-preprocessing",
            N_(
                "tuned_logistic searches a model without the preprocessing: fitted on rows "
                "preprocessed outside it, it cannot read the raw columns (missing values, "
                "category codes) that the check scores it on, x_val_raw. Hint: {how}"
            ),
            lambda tuned_logistic: (
                None if _has_preprocessing(tuned_logistic) else {"how": _(_GRID_HOW)}
            ),
        ),
        Mistake(
            "not-fitted",
            N_(
                "tuned_logistic has not been fitted, so it has searched nothing yet. Hint: "
                "call tuned_logistic.fit(x_train_raw, y_train)."
            ),
            lambda tuned_logistic: not hasattr(tuned_logistic, "cv_results_"),
        ),
        Mistake(
            "no-refit",
            N_(
                "tuned_logistic kept no model (refit=False), so it cannot predict. Hint: leave "
                "refit at its default, True."
            ),
            lambda tuned_logistic: not hasattr(tuned_logistic, "best_estimator_"),
        ),
        Mistake(
            "fitted-on-more-rows",
            N_(
                "tuned_logistic's preprocessing learned its statistics from {rows} patients, "
                "but the training split has {train}: the validation patients the check scores "
                "it on were among them, a leak. Hint: fit it on x_train_raw, y_train only."
            ),
            lambda tuned_logistic, x_train_raw: (
                _rows(tuned_logistic, x_train_raw)
                if (fitted_rows(tuned_logistic) or 0) > len(x_train_raw)
                else None
            ),
        ),
        Mistake(
            "fitted-on-other-rows",
            N_(
                "tuned_logistic's preprocessing learned its statistics from {rows} patients, "
                "but the training split has {train}: it was fitted on other rows. Hint: fit it "
                "on x_train_raw, y_train, the training split."
            ),
            lambda tuned_logistic, x_train_raw: (
                _rows(tuned_logistic, x_train_raw)
                if fitted_rows(tuned_logistic) not in (None, len(x_train_raw))
                else None
            ),
        ),
        Mistake(
            "wrong-c-values",
            N_(
                "tuned_logistic tried C = {searched}; the exercise asks for the three values "
                "0.01, 0.1 and 1. Hint: the grid's key is the pipeline step's name, two "
                "underscores and the parameter: 'logisticregression__C'."
            ),
            lambda tuned_logistic: _c_differs(tuned_logistic),
        ),
        Mistake(
            "wrong-folds",
            N_(
                "tuned_logistic cross-validated with {folds} folds; the exercise asks for 5. "
                "Hint: pass cv=5."
            ),
            lambda tuned_logistic: (
                None if tuned_logistic.n_splits_ == 5 else {"folds": int(tuned_logistic.n_splits_)}
            ),
        ),
    ],
)
def check_logistic_grid(tuned_logistic, logistic, x_train_raw, x_val_raw, y_val):
    """tuned_logistic: 5-fold GridSearchCV over C, fitted on training rows, 0.8 val accuracy."""
    checks.check_score(
        tuned_logistic,
        x_val_raw,
        y_val,
        minimum=0.8,
        name="tuned_logistic",
        hint=N_("search the C values the exercise gives, on the training split."),
    )


# --- ex-tuning-bayes-budget ---------------------------------------------------------------


def _in_order(tuner: Any) -> list[Any]:
    return [tuner.oracle.trials[trial_id] for trial_id in sorted(tuner.oracle.trials)]


def _pairs(random_tuner: Any, bayes_tuner: Any) -> list[tuple[Any, Any]]:
    """The first two trials of each tuner, paired: the same candidates."""
    return list(zip(_in_order(random_tuner)[:2], _in_order(bayes_tuner)[:2], strict=True))


def _gaps(random_tuner: Any, bayes_tuner: Any) -> list[float]:
    return [r.score - b.score for r, b in _pairs(random_tuner, bayes_tuner)]


def _best(tuner: Any) -> float:
    return tuner.oracle.get_best_trials(1)[0].score


def _gain(random_tuner: Any, bayes_tuner: Any) -> float:
    return _best(random_tuner) - _best(bayes_tuner)


def _accuracy_gaps(random_tuner: Any, bayes_tuner: Any) -> list[float]:
    return [
        abs(r.metrics.get_best_value("val_accuracy") - b.metrics.get_best_value("val_accuracy"))
        for r, b in _pairs(random_tuner, bayes_tuner)
    ]


def _noise(random_tuner: Any, bayes_tuner: Any) -> float:
    return max(abs(gap) for gap in _gaps(random_tuner, bayes_tuner))


def _noise_is(noise: Any, wrong: float, random_tuner: Any, bayes_tuner: Any) -> bool:
    """``noise`` equals ``wrong`` and ``wrong`` is not the right value."""
    return is_number(noise, wrong) and not is_number(noise, _noise(random_tuner, bayes_tuner))


def _gain_is(bayes_gain: Any, wrong: float, random_tuner: Any, bayes_tuner: Any) -> bool:
    return is_number(bayes_gain, wrong) and not is_number(
        bayes_gain, _gain(random_tuner, bayes_tuner)
    )


def _other_trials_gain(bayes_gain: Any, random_tuner: Any, bayes_tuner: Any) -> bool:
    """bayes_gain is the difference of two trials' scores, other than the two best ones."""
    return any(
        _gain_is(bayes_gain, r.score - b.score, random_tuner, bayes_tuner)
        for r in _in_order(random_tuner)
        for b in _in_order(bayes_tuner)
    )


def _mean_score(tuner: Any) -> float:
    return float(np.mean([trial.score for trial in _in_order(tuner)]))


@exercise(
    "ex-tuning-bayes-budget",
    answers=["noise", "bayes_gain"],
    mistakes=[
        Mistake(
            "noise-mean",
            N_(
                "noise is the mean of the two gaps, not the largest. Hint: keep the larger of "
                "the two absolute differences (max)."
            ),
            lambda noise, random_tuner, bayes_tuner: _noise_is(
                noise,
                float(np.mean(np.abs(_gaps(random_tuner, bayes_tuner)))),
                random_tuner,
                bayes_tuner,
            ),
        ),
        Mistake(
            "noise-smallest",
            N_(
                "noise is the smaller of the two gaps. Hint: the exercise asks for the largest "
                "gap, how far one training can move the score at most."
            ),
            lambda noise, random_tuner, bayes_tuner: _noise_is(
                noise,
                min(abs(gap) for gap in _gaps(random_tuner, bayes_tuner)),
                random_tuner,
                bayes_tuner,
            ),
        ),
        Mistake(
            "noise-signed",
            N_(
                "noise is a signed difference; a gap is as large whichever tuner's loss is "
                "higher. Hint: take the absolute difference of each pair's scores (abs)."
            ),
            lambda noise, random_tuner, bayes_tuner: any(
                _noise_is(noise, value, random_tuner, bayes_tuner)
                for value in [max(_gaps(random_tuner, bayes_tuner))]
                + [-abs(gap) for gap in _gaps(random_tuner, bayes_tuner)]
            ),
        ),
        Mistake(
            "noise-accuracy",
            N_(
                "noise compares the validation accuracies of the trials, but the tuners ranked "
                "them by their score, the validation loss (objective='val_loss'). Hint: use "
                "each trial's score."
            ),
            lambda noise, random_tuner, bayes_tuner: _noise_is(
                noise, max(_accuracy_gaps(random_tuner, bayes_tuner)), random_tuner, bayes_tuner
            ),
        ),
        Mistake(
            "gain-sign",
            N_(
                "bayes_gain has the wrong sign: it is positive when BayesianOptimization's "
                "best loss is the higher one. Hint: subtract BayesianOptimization's best loss "
                "from RandomSearch's."
            ),
            lambda bayes_gain, random_tuner, bayes_tuner: _gain_is(
                bayes_gain, -_gain(random_tuner, bayes_tuner), random_tuner, bayes_tuner
            ),
        ),
        Mistake(
            "gain-relative",
            N_(
                "bayes_gain is a relative difference (divided by a loss, or in percent), but "
                "the exercise asks how much lower the loss is, in the loss's own units. Hint: "
                "subtract the two best losses and leave it at that."
            ),
            lambda bayes_gain, random_tuner, bayes_tuner: any(
                _gain_is(bayes_gain, value, random_tuner, bayes_tuner)
                for gain in [_gain(random_tuner, bayes_tuner)]
                for value in [
                    gain / _best(random_tuner),
                    gain / _best(bayes_tuner),
                    100 * gain / _best(random_tuner),
                    100 * gain / _best(bayes_tuner),
                    100 * gain,
                ]
            ),
        ),
        Mistake(
            "gain-mean-of-trials",
            N_(
                "bayes_gain compares the tuners' mean losses over all their trials, but a "
                "search delivers its best trial, not an average. Hint: take each tuner's best "
                "trial, oracle.get_best_trials(1)[0].score."
            ),
            lambda bayes_gain, random_tuner, bayes_tuner: _gain_is(
                bayes_gain,
                _mean_score(random_tuner) - _mean_score(bayes_tuner),
                random_tuner,
                bayes_tuner,
            ),
        ),
        Mistake(
            "gain-not-best-trials",
            N_(
                "bayes_gain compares two trials that are not the tuners' best, for example "
                "the third ones. Hint: take each tuner's best trial, "
                "oracle.get_best_trials(1)[0].score, whichever trial it was."
            ),
            lambda bayes_gain, random_tuner, bayes_tuner: _other_trials_gain(
                bayes_gain, random_tuner, bayes_tuner
            ),
        ),
    ],
)
def check_bayes_budget(noise, bayes_gain, random_tuner, bayes_tuner):
    """noise: the largest |val_loss gap| of the shared candidates; bayes_gain: best vs best."""
    checks.check_number(
        noise,
        _noise(random_tuner, bayes_tuner),
        name="noise",
        hint=N_(
            "pair the first two trials of each tuner (trials_in_order), take the absolute "
            "difference of their scores (val_loss), and keep the largest."
        ),
    )
    checks.check_number(
        bayes_gain,
        _gain(random_tuner, bayes_tuner),
        name="bayes_gain",
        hint=N_(
            "take the best trial of each tuner (oracle.get_best_trials(1)[0].score) and "
            "subtract BayesianOptimization's from RandomSearch's: positive when Bayesian "
            "optimization found the lower loss."
        ),
    )
