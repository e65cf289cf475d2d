"""Running the plan: in this process, or on dask.distributed (a LocalCluster or a scheduler).

Workers receive plain data (``RunSpec``: instance, scenario steps, parameters, seed, replication)
and build their solver objects themselves, with one solver thread each. Results come back in
any order and are sorted into the plan's order, so the files are the same for any number of
workers.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from matcher.simulation.engine import RunOutput, run
from matcher.simulation.world import RunSpec

OnDone = Callable[[RunOutput], None]


@dataclass(frozen=True)
class Reduced:
    """What a worker hands back instead of the whole run: the run's key and a few figures."""

    key: tuple[str, int, int]
    value: object


#: Applied to each run on the worker that ran it, so that only its figures travel and are kept.
Reduce = Callable[[RunSpec, RunOutput], object]


def in_order(specs: Sequence[RunSpec], outputs: list) -> list:
    """The outputs sorted into the order of ``specs``."""
    position = {(s.scenario, s.point, s.replication): i for i, s in enumerate(specs)}
    return sorted(outputs, key=lambda o: position[o.key])


def run_here(specs: Sequence[RunSpec], on_done: OnDone | None = None, reduce: Reduce | None = None) -> list:
    """Every run one after the other, in this process."""
    outputs = []
    for spec in specs:
        outputs.append(_finish(spec, run(spec), reduce))
        if on_done:
            on_done(outputs[-1])
    return outputs


def run_on(client, specs: Sequence[RunSpec], on_done: OnDone | None = None, reduce: Reduce | None = None) -> list:
    """Every run as a task on the cluster of ``client``; each instance is sent once to every worker
    (under a key of its own: a second call must not meet the first one's copy being released)."""
    from dask.distributed import as_completed

    shipped = {}
    for spec in specs:
        if id(spec.instance) not in shipped:
            shipped[id(spec.instance)] = client.scatter([spec.instance], broadcast=True, hash=False)[0]
    futures = [client.submit(_run_with, shipped[id(s.instance)], s.__class__(**{**s.__dict__, "instance": None}),
                             reduce, key=f"run-{s.scenario}-{s.point}-{s.seed}-{s.replication}", pure=False)
               for s in specs]
    outputs = []
    for future in as_completed(futures):
        outputs.append(future.result())
        if on_done:
            on_done(outputs[-1])
    return in_order(specs, outputs)


def _run_with(instance, spec: RunSpec, reduce: Reduce | None = None):
    """On a worker: the run with its (scattered) instance put back in."""
    spec = RunSpec(**{**spec.__dict__, "instance": instance})
    return _finish(spec, run(spec), reduce)


def _finish(spec: RunSpec, output: RunOutput, reduce: Reduce | None):
    return output if reduce is None else Reduced(output.key, reduce(spec, output))


@contextlib.contextmanager
def cluster_client(workers: int | None = None, scheduler: str | None = None) -> Iterator:
    """A client of the scheduler at ``scheduler``, else of a LocalCluster this call starts (and
    closes): ``workers`` single-threaded worker processes (default: one per core)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=50) as cluster, Client(cluster) as client:
        yield client


def workers_of(client) -> int:
    """How many workers the cluster has now."""
    return len(client.scheduler_info().get("workers", {}))
