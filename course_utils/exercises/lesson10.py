"""Checks of the exercises of lesson 10, "Seeing high-dimensional data".

Each exercise lists the mistakes its check recognises (:class:`Mistake`), in the order it
tests them; the lesson's wrong-answer cells name the one each must get. The checks compute
what they compare with from the lesson's data (the training and validation images), never
from the student's objects: a PCA fitted here on ``x_train`` is the lesson's ``pca``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from course_utils import checks
from course_utils.exercises import Mistake, exercise, reject
from course_utils.exercises._common import is_keras_model, is_number
from course_utils.i18n import N_, _

# --- ex-dim-components ----------------------------------------------------------------------


def _pca(points: Any, n_components: int | float | None = None) -> Any:
    from sklearn.decomposition import PCA

    return PCA(n_components=n_components).fit(np.asarray(points))


def _count_for(shares: np.ndarray, share: float) -> int:
    """The smallest number of leading values of ``shares`` that add up to ``share``."""
    return int(np.argmax(np.cumsum(shares) >= share)) + 1


def _standardized_count(x_train: Any) -> int:
    from sklearn.preprocessing import StandardScaler

    scaled = StandardScaler().fit_transform(np.asarray(x_train))
    return _count_for(_pca(scaled).explained_variance_ratio_, 0.9)


@exercise(
    "ex-dim-components",
    answers=["n_components_90"],
    mistakes=[
        Mistake(
            "zero-based",
            N_(
                "n_components_90 is one less than the number of components: np.argmax gives "
                "the position of the first component at which the shares reach 0.9, and "
                "positions count from 0. Hint: the number of components up to that position "
                "is the position plus one."
            ),
            lambda n_components_90, x_train: is_number(
                n_components_90, _count_for(_pca(x_train).explained_variance_ratio_, 0.9) - 1
            ),
        ),
        Mistake(
            "standardized",
            N_(
                "n_components_90 is the count for standardized pixels. Hint: use section 2's "
                "pca, fitted on the pixels as they are (divided by 16); its common-mistakes "
                "box says why the pixels are not standardized."
            ),
            lambda n_components_90, x_train: is_number(
                n_components_90, _standardized_count(x_train)
            ),
        ),
        Mistake(
            "variance-not-ratio",
            N_(
                "n_components_90 components keep a far smaller share of the variance than 0.9 "
                "(the first two keep under a third of it). Hint: add up the shares in "
                "explained_variance_ratio_ until they reach 0.9; explained_variance_ holds "
                "variances in squared pixel units, not shares."
            ),
            lambda n_components_90, x_train: is_number(
                n_components_90, _count_for(_pca(x_train).explained_variance_, 0.9)
            ),
        ),
        Mistake(
            "threshold-95",
            N_(
                "n_components_90 is the number of components for a share of 0.95 of the "
                "variance, the share section 2 kept with PCA(n_components=0.95). Hint: this "
                "exercise asks for 0.9."
            ),
            lambda n_components_90, x_train: is_number(
                n_components_90, _count_for(_pca(x_train).explained_variance_ratio_, 0.95)
            ),
        ),
    ],
)
def check_components(n_components_90, x_train):
    """n_components_90 is the fewest components of the training PCA that keep 90 %."""
    checks.check_number(
        n_components_90,
        _count_for(_pca(x_train).explained_variance_ratio_, 0.9),
        name="n_components_90",
        hint=N_(
            "add up pca.explained_variance_ratio_ from the first component on (np.cumsum) "
            "and count the components it takes to reach 0.9."
        ),
    )


# --- ex-dim-projection ----------------------------------------------------------------------


def _as_array(value: Any) -> np.ndarray | None:
    """``value`` as an array of numbers, or None when it is not one."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array if array.ndim >= 1 else None


def _close(answer: Any, candidate: np.ndarray, *, up_to_sign: bool = False) -> bool:
    """True if ``answer`` has ``candidate``'s shape and values (to float32 precision); with
    ``up_to_sign``, each column may also be the negative of ``candidate``'s."""
    array = _as_array(answer)
    if array is None or array.shape != candidate.shape:
        return False
    if up_to_sign and candidate.ndim == 2:
        signs = np.where(np.sum(array * candidate, axis=0) < 0, -1.0, 1.0)
        candidate = candidate * signs
    return bool(np.allclose(array, candidate, rtol=1e-3, atol=1e-3))


def _centred(x_train: Any, x_val: Any) -> tuple[Any, np.ndarray]:
    """The training PCA with all components, and the validation images centred with its mean."""
    pca = _pca(x_train)
    return pca, np.asarray(x_val, dtype=float) - pca.mean_


def _projection(x_train: Any, x_val: Any, rows: slice) -> np.ndarray:
    pca, centred = _centred(x_train, x_val)
    return centred @ pca.components_[rows].T


@exercise(
    "ex-dim-projection",
    answers=["val_third_fourth"],
    mistakes=[
        Mistake(
            "first-two",
            N_(
                "val_third_fourth holds the coordinates on the first and second components, "
                "the ones section 2 plotted. Hint: the third and fourth components are the "
                "rows 2 and 3 of pca.components_, counted from 0."
            ),
            lambda val_third_fourth, x_train, x_val: _close(
                val_third_fourth, _projection(x_train, x_val, slice(0, 2))
            ),
        ),
        Mistake(
            "neighbouring-components",
            N_(
                "val_third_fourth uses a pair of components next to the one asked for: one of "
                "them is right, the other is its neighbour. Hint: rows of pca.components_ are "
                "counted from 0, so the third component is row 2."
            ),
            lambda val_third_fourth, x_train, x_val: any(
                _close(val_third_fourth, _projection(x_train, x_val, rows))
                for rows in (slice(1, 3), slice(3, 5))
            ),
        ),
        Mistake(
            "columns-not-rows",
            N_(
                "val_third_fourth multiplies by columns of pca.components_, but each principal "
                "component is a row (64 values, one per pixel). Hint: take the rows 2 and 3, "
                "pca.components_[2:4], and transpose them for the matrix product."
            ),
            lambda val_third_fourth, x_train, x_val: _close(
                val_third_fourth,
                _centred(x_train, x_val)[1] @ _pca(x_train).components_[:, 2:4],
            ),
        ),
        Mistake(
            "not-centred",
            N_(
                "val_third_fourth projects the validation images without centring them. Hint: "
                "PCA first subtracts the mean of the images it was fitted on, pca.mean_, as in "
                "z = W(x - mu)."
            ),
            lambda val_third_fourth, x_train, x_val: _close(
                val_third_fourth,
                np.asarray(x_val, dtype=float) @ _pca(x_train).components_[2:4].T,
            ),
        ),
        Mistake(
            "own-mean",
            N_(
                "val_third_fourth centres the validation images with their own mean. PCA "
                "centres every image with the mean of the training images it was fitted on, "
                "so that a new image gets the same treatment whatever other images come with "
                "it. Hint: subtract pca.mean_."
            ),
            lambda val_third_fourth, x_train, x_val: _close(
                val_third_fourth,
                (np.asarray(x_val, dtype=float) - np.asarray(x_val, dtype=float).mean(axis=0))
                @ _pca(x_train).components_[2:4].T,
            ),
        ),
        Mistake(
            "refitted",
            N_(
                "val_third_fourth comes from a PCA fitted on the validation images themselves: "
                "another mean and other directions than the training images' PCA. Hint: use "
                "section 2's pca, fitted on the training images, and only its mean_ and "
                "components_."
            ),
            lambda val_third_fourth, x_val: _close(
                val_third_fourth,
                _pca(x_val).transform(np.asarray(x_val))[:, 2:4],
                up_to_sign=True,
            ),
        ),
    ],
)
def check_projection(val_third_fourth, x_train, x_val):
    """val_third_fourth is (x_val - mean) projected on the training PCA's components 3 and 4."""
    checks.check_array(
        val_third_fourth,
        _projection(x_train, x_val, slice(2, 4)),
        name="val_third_fourth",
        rtol=1e-3,
        atol=1e-3,
        hint=N_(
            "subtract pca.mean_ from x_val, then multiply by the transposed rows 2 and 3 of "
            "pca.components_."
        ),
    )


# --- ex-dim-tsne-reading --------------------------------------------------------------------

_READINGS = ["A", "B", "C", "D"]


def _reading(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


@exercise(
    "ex-dim-tsne-reading",
    answers=["tsne_reading"],
    mistakes=[
        Mistake(
            "gaps-between-clusters",
            N_(
                "a t-SNE map does not keep the distances between groups: in section 3 a group "
                "five times as far from A as another came out about as far on the map. Hint: "
                "which statement is about neighbours only?"
            ),
            lambda tsne_reading: _reading(tsne_reading) == "A",
        ),
        Mistake(
            "cluster-sizes",
            N_(
                "a t-SNE map does not keep the sizes of groups: in section 3 a group ten times "
                "as spread out as the others came out about as large on the map. Hint: which "
                "statement is about neighbours only?"
            ),
            lambda tsne_reading: _reading(tsne_reading) == "B",
        ),
        Mistake(
            "new-points",
            N_(
                "scikit-learn's TSNE has no transform: a fitted map cannot place a new image, "
                "and a new run with the new image moves the old points too. Hint: which "
                "statement is about the points the map was computed for?"
            ),
            lambda tsne_reading: _reading(tsne_reading) == "D",
        ),
    ],
)
def check_tsne_reading(tsne_reading):
    """tsne_reading names the statement about neighbours."""
    checks.check_choice(
        tsne_reading,
        "C",
        options=_READINGS,
        name="tsne_reading",
        hint=N_("t-SNE keeps each image's neighbours; it keeps nothing else for sure."),
    )


# --- ex-dim-autoencoder ---------------------------------------------------------------------

CODE_SIZE = 3
N_PIXELS = 64


def _width(tensors: Any) -> int | None:
    """The last dimension of a model's only input or output tensor, or None."""
    try:
        tensors = list(tensors)
    except TypeError:
        return None
    if len(tensors) != 1:
        return None
    shape = tuple(tensors[0].shape)
    return int(shape[-1]) if shape and shape[-1] is not None else None


def _inputs(model: Any) -> Any:
    try:
        return model.inputs
    except (AttributeError, ValueError):
        return None


def _outputs(model: Any) -> Any:
    try:
        return model.outputs
    except (AttributeError, ValueError):
        return None


def _reconstruction_error(encoder: Any, decoder: Any, x_val: Any) -> float | None:
    """The mean squared error of decoder(encoder(x_val)), or None if they do not fit."""
    images = np.asarray(x_val, dtype="float32")
    try:
        reconstructed = np.asarray(decoder(encoder(images, training=False), training=False))
    except Exception:
        return None
    if reconstructed.shape != images.shape:
        return None
    return float(np.mean((reconstructed - images) ** 2))


def _models(encoder_3d: Any, decoder_3d: Any) -> bool:
    return is_keras_model(encoder_3d) and is_keras_model(decoder_3d)


def _pca_error(x_train: Any, x_val: Any) -> float:
    pca = _pca(x_train, CODE_SIZE)
    images = np.asarray(x_val, dtype=float)
    return float(np.mean((pca.inverse_transform(pca.transform(images)) - images) ** 2))


def _mean_image_error(x_train: Any, x_val: Any) -> float:
    mean_image = np.asarray(x_train, dtype=float).mean(axis=0)
    return float(np.mean((np.asarray(x_val, dtype=float) - mean_image) ** 2))


def _not_trained(encoder_3d: Any, decoder_3d: Any, x_train: Any, x_val: Any) -> bool:
    if not _models(encoder_3d, decoder_3d):
        return False
    error = _reconstruction_error(encoder_3d, decoder_3d, x_val)
    return error is not None and error >= _mean_image_error(x_train, x_val)


def _worse_than_pca(encoder_3d: Any, decoder_3d: Any, x_train: Any, x_val: Any) -> Any:
    if not _models(encoder_3d, decoder_3d):
        return None
    error = _reconstruction_error(encoder_3d, decoder_3d, x_val)
    if error is None or error < _pca_error(x_train, x_val):
        return None
    return {"error": f"{error:.4f}"}


@exercise(
    "ex-dim-autoencoder",
    answers=["encoder_3d", "decoder_3d"],
    mistakes=[
        Mistake(
            "whole-autoencoder",
            N_(
                "encoder_3d gives back 64 values per image: it is a whole autoencoder, not its "
                "encoder. Hint: the encoder is the model from the pixel input to the code layer "
                "of 3 units."
            ),
            lambda encoder_3d: (
                is_keras_model(encoder_3d) and _width(_outputs(encoder_3d)) == N_PIXELS
            ),
        ),
        Mistake(
            "wrong-code-size",
            N_(
                "encoder_3d's code has {size} numbers per image, not 3. Hint: the last layer of "
                "the encoder needs 3 units, and the decoder's input shape (3,)."
            ),
            lambda encoder_3d: (
                {"size": _width(_outputs(encoder_3d))}
                if is_keras_model(encoder_3d)
                and _width(_outputs(encoder_3d)) not in (None, CODE_SIZE, N_PIXELS)
                else None
            ),
        ),
        Mistake(
            "decoder-does-not-fit",
            N_(
                "decoder_3d does not turn a code of 3 numbers into 64 pixels: it takes {inputs} "
                "numbers and gives back {outputs}. Hint: start the decoder with "
                "keras.Input(shape=(3,)) and end it with a Dense layer of 64 units."
            ),
            lambda decoder_3d: (
                {"inputs": _width(_inputs(decoder_3d)), "outputs": _width(_outputs(decoder_3d))}
                if is_keras_model(decoder_3d)
                and (
                    _width(_inputs(decoder_3d)) != CODE_SIZE
                    or _width(_outputs(decoder_3d)) != N_PIXELS
                )
                else None
            ),
        ),
        Mistake(
            "not-trained",
            N_(
                "decoder_3d(encoder_3d(x_val)) draws the validation images no better than the "
                "average training image would: the two models have not learned together. Hint: "
                "train the autoencoder made of these two models (autoencoder.fit(x_train, "
                "x_train, ...)), and build it from them rather than building new layers after "
                "training."
            ),
            _not_trained,
        ),
        Mistake(
            "worse-than-pca",
            N_(
                "the mean squared error of decoder_3d(encoder_3d(x_val)) is {error}, not below "
                "that of a PCA with 3 components. Hint: train as section 4 did (Adam with "
                "learning rate 0.02, 30 epochs of batches of 128)."
            ),
            _worse_than_pca,
        ),
    ],
)
def check_autoencoder(encoder_3d, decoder_3d, x_train, x_val):
    """decoder_3d(encoder_3d(x_val)) reconstructs better than PCA with 3 components."""
    hint = N_(
        "build the encoder (64 pixels to 3 numbers) and the decoder (3 numbers to 64 pixels) as "
        "keras.Model objects, call them like layers to make the autoencoder, and train it."
    )
    checks.keras_model(encoder_3d, "encoder_3d", hint)
    checks.keras_model(decoder_3d, "decoder_3d", hint)
    error = _reconstruction_error(encoder_3d, decoder_3d, x_val)
    if error is None:
        raise checks.WrongAnswer(
            _(
                "decoder_3d(encoder_3d(x_val)) cannot be computed, or does not give 64 pixels "
                "per validation image. Hint: {hint}"
            ).format(hint=_(hint)),
            diagnosis="cannot-predict",
        )
    if not error < _pca_error(x_train, x_val):  # also a NaN error
        reject("worse-than-pca", error=f"{error:.4f}")
