"""Running the plan: in this process, or on dask.distributed (a LocalCluster or a scheduler).

Workers receive plain data (``RunSpec``: instance, scenario steps, parameters, seed, replication)
and build their solver objects themselves, with one solver thread each. Results come back in
any order and are sorted into the plan's order, so the files are the same for any number of
workers.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from matcher.simulation.engine import RunOutput, run, week_zero
from matcher.simulation.episodes import episode_table
from matcher.simulation.week import remember_week_zero
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
    # Week 0 is the same problem in every replication of a scenario and grid point: one task
    # solves it, and the runs wait for its answer instead of each worker solving it again.
    zero = {}
    for s in specs:
        if (id(s.instance), s.point) not in zero:
            zero[id(s.instance), s.point] = client.submit(
                _week_zero_with, shipped[id(s.instance)], _bare(s, None),
                key=f"week0-{s.scenario}-{s.point}-{uuid.uuid4().hex}")
    futures = [client.submit(_run_with, shipped[id(s.instance)], _bare(s, None), reduce, zero[id(s.instance), s.point],
                             key=f"run-{s.scenario}-{s.point}-{s.seed}-{s.replication}", pure=False)
               for s in specs]
    outputs = []
    for future in as_completed(futures):
        outputs.append(future.result())
        if on_done:
            on_done(outputs[-1])
    return in_order(specs, outputs)


def _bare(spec: RunSpec, instance) -> RunSpec:
    """``spec`` with ``instance`` (a future of the scattered instance, or None) in its place."""
    return spec.__class__(**{**spec.__dict__, "instance": instance})


def _week_zero_with(instance, spec: RunSpec):
    """On a worker: week 0's answer for the run ``spec`` with its (scattered) instance put back in."""
    return week_zero(_bare(spec, instance))


def _run_with(instance, spec: RunSpec, reduce: Reduce | None = None, zero: tuple | None = None):
    """On a worker: the run with its (scattered) instance put back in, and week 0's answer
    (``zero``: its key and result, or None) known before it starts."""
    if zero is not None:
        remember_week_zero(*zero)
    spec = _bare(spec, instance)
    return _finish(spec, run(spec), reduce)


def _finish(spec: RunSpec, output: RunOutput, reduce: Reduce | None):
    """The run's figures (``reduce``), or the whole run with its episodes as a table made here,
    on the worker (see ``matcher.simulation.episodes``)."""
    if reduce is not None:
        return Reduced(output.key, reduce(spec, output))
    return replace(output, episode_table=episode_table(output.key, output.episodes))


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
