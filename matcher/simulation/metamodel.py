"""A fitted surface over the explored factors, with its uncertainty (Kleijnen ch. 2 and 5).

Two metamodels of a response's mean over the factors (in the unit cube of the design):

- a quadratic regression, weighted by the inverse variance of each point's mean; its covariance
  is widened by the lack of fit (the weighted residual sum of squares over its degrees of
  freedom, when above 1), so a surface that does not fit does not claim to be sure;
- stochastic kriging with diagonal noise (Ankenman, Nelson & Staum, 2010): a Gaussian process
  with a squared-exponential kernel whose noise at point i is the variance of its mean,
  ``s_i^2 / n_i`` (scikit-learn's ``GaussianProcessRegressor`` with ``alpha`` per point).

The one with the smaller leave-one-out error is used; its validation (leave-one-out error and
standardised residuals) goes into the report, so a reviewer can see whether it deserves trust.
"""

from __future__ import annotations

import itertools
import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

MODELS = ("quadratic", "kriging")
#: Standardised leave-one-out residuals beyond this are suspect (Kleijnen: |z| > 3, Bonferroni-ish).
SUSPECT_Z = 3.0


#: Prior degrees of freedom of the pooled variance each point's variance is shrunk towards.
POOLED_DOF = 8


@dataclass(frozen=True)
class Observed:
    """One response at the design points: ``x`` in the unit cube, the mean, the variance of the
    mean, and the replications behind each mean."""

    x: np.ndarray
    mean: np.ndarray
    variance: np.ndarray
    replications: np.ndarray

    def without(self, i: int) -> Observed:
        keep = np.arange(len(self.mean)) != i
        return Observed(self.x[keep], self.mean[keep], self.variance[keep], self.replications[keep])

    @property
    def noise(self) -> np.ndarray:
        """The variance of each mean, its replications' variance shrunk towards the pooled one.

        A variance from a few replications is itself very uncertain; weighting by it alone trusts
        the points whose replications happened to agree, and makes the band too narrow. Shrinking
        with ``POOLED_DOF`` prior degrees of freedom (an empirical-Bayes estimate, as in limma)
        keeps the differences between points that the data show."""
        n = np.maximum(self.replications, 1).astype(float)
        dof = np.maximum(n - 1, 0)
        spread = self.variance * n
        pooled = float(np.sum(dof * spread) / np.sum(dof)) if np.sum(dof) > 0 else float(np.var(self.mean))
        shrunk = (dof * spread + POOLED_DOF * pooled) / (dof + POOLED_DOF)
        scale = max(float(np.var(self.mean)), pooled, 1e-12)
        return np.maximum(shrunk / n, scale * 1e-6)


def quadratic_terms(x: np.ndarray) -> np.ndarray:
    """1, every factor, every square and every product of two factors."""
    d = x.shape[1]
    columns = [np.ones(len(x))] + [x[:, j] for j in range(d)] + [x[:, j] ** 2 for j in range(d)]
    columns += [x[:, i] * x[:, j] for i, j in itertools.combinations(range(d), 2)]
    return np.column_stack(columns)


class Quadratic:
    """Weighted least squares on the quadratic terms."""

    name = "quadratic"

    def fit(self, obs: Observed, fixed=None) -> Quadratic:
        f, w = quadratic_terms(obs.x), 1.0 / obs.noise
        a = f.T @ (f * w[:, None])
        self.beta = np.linalg.lstsq(a, f.T @ (w * obs.mean), rcond=None)[0]
        dof = len(obs.mean) - f.shape[1]
        chi2 = float(np.sum(w * (obs.mean - f @ self.beta) ** 2))
        self.widen = max(1.0, chi2 / dof) if dof > 0 else 1.0
        self.cov_beta = np.linalg.pinv(a) * self.widen
        return self

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f = quadratic_terms(x)
        return f @ self.beta, np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", f, self.cov_beta, f), 0.0))

    def covariance(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        f = quadratic_terms(x)
        return f @ self.beta, f @ self.cov_beta @ f.T

    @property
    def hyper(self):
        return None


class Kriging:
    """Stochastic kriging: a Gaussian process with the points' own noise on the diagonal."""

    name = "kriging"

    def fit(self, obs: Observed, fixed=None) -> Kriging:
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import RBF, ConstantKernel

        self.centre, self.scale = float(np.mean(obs.mean)), float(np.std(obs.mean)) or 1.0
        d = obs.x.shape[1]
        kernel = fixed if fixed is not None else (
            ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(d, 0.5), (0.05, 20.0)))
        self.gp = GaussianProcessRegressor(kernel, alpha=obs.noise / self.scale ** 2,
                                           optimizer=None if fixed is not None else "fmin_l_bfgs_b")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a length scale at its bound is reported, not an error
            self.gp.fit(obs.x, (obs.mean - self.centre) / self.scale)
        return self

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m, s = self.gp.predict(x, return_std=True)
        return m * self.scale + self.centre, s * self.scale

    def covariance(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        m, c = self.gp.predict(x, return_cov=True)
        return m * self.scale + self.centre, c * self.scale ** 2

    @property
    def hyper(self):
        return self.gp.kernel_


def new_model(name: str):
    return {"quadratic": Quadratic, "kriging": Kriging}[name]()


@dataclass(frozen=True)
class Validation:
    """Leave-one-out: each point predicted by the surface fitted without it."""

    model: str
    rmse: float
    z: np.ndarray   # (observed - predicted) / sqrt(prediction variance + noise of the point)

    @property
    def suspect(self) -> int:
        return int(np.sum(np.abs(self.z) > SUSPECT_Z))


def leave_one_out(name: str, obs: Observed) -> Validation:
    """The leave-one-out validation of model ``name`` (kriging keeps its fitted kernel)."""
    hyper = new_model(name).fit(obs).hyper
    errors, z = [], []
    for i in range(len(obs.mean)):
        m, s = new_model(name).fit(obs.without(i), hyper).predict(obs.x[i:i + 1])
        errors.append(obs.mean[i] - m[0])
        z.append(errors[-1] / math.sqrt(s[0] ** 2 + obs.noise[i]))
    return Validation(name, float(np.sqrt(np.mean(np.square(errors)))), np.array(z))


@dataclass
class Surface:
    """A fitted response: the model used, and the validation of every model tried."""

    response: str
    model: object
    validations: dict[str, Validation]

    @property
    def chosen(self) -> Validation:
        return self.validations[self.model.name]

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.model.predict(x)

    def samples(self, x: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws of the surface at ``x`` from its uncertainty (n x len(x))."""
        mean, cov = self.model.covariance(x)
        cov = (cov + cov.T) / 2
        jitter = 1e-10 * max(float(np.max(np.diag(cov))), 1e-30)
        values, vectors = np.linalg.eigh(cov + jitter * np.eye(len(x)))
        root = vectors * np.sqrt(np.maximum(values, 0.0))
        return mean + rng.standard_normal((n, len(x))) @ root.T


def fit_surface(response: str, obs: Observed) -> Surface:
    """Both metamodels, validated by leave-one-out; the one with the smaller error is used."""
    validations = {name: leave_one_out(name, obs) for name in MODELS}
    best = min(MODELS, key=lambda name: validations[name].rmse)
    return Surface(response, new_model(best).fit(obs), validations)


def below_zero(surface: Surface, x: np.ndarray) -> np.ndarray:
    """Probability that the true mean response at ``x`` is below 0, given the fit."""
    mean, sd = surface.predict(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd > 0, stats.norm.cdf(-mean / np.where(sd > 0, sd, 1.0)), (mean < 0).astype(float))


def band(surface: Surface, x: np.ndarray, level: float = 0.95) -> np.ndarray:
    """True where the fitted interval contains 0: the band around the zero contour."""
    mean, sd = surface.predict(x)
    k = stats.norm.ppf(0.5 + level / 2)
    return (mean - k * sd <= 0) & (0 <= mean + k * sd)
