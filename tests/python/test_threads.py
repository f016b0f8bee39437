"""Threads are the caller's (DESIGN §6): a count per model, 1 = none; a forked child computes;
Ctrl-C stops long work with KeyboardInterrupt."""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import bcm

LOSE = ["chelsea-dc"]


def test_threads_are_set_per_model_and_never_change_a_result(agency_path: Path) -> None:
    m = bcm.Model.load(agency_path)
    assert m.threads >= 1
    answers = []
    for count in (1, 2, 3):
        m.threads = count
        assert m.threads == count
        answers.append(m.simulate(LOSE, iterations=600, seed=9).to_dict())
    assert answers[0] == answers[1] == answers[2]
    for bad in (0, 1025):
        with pytest.raises(ValueError, match=f"threads must be between 1 and 1024, not {bad}"):
            m.threads = bad
    assert m.threads == 3


def test_a_forked_child_computes(agency_path: Path) -> None:
    # The parent's pool of 2 ran first; the child has none of its threads (it used to hang).
    m = bcm.Model.load(agency_path)
    m.threads = 2
    want = m.simulate(LOSE, iterations=400, seed=2).to_dict()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            got = m.simulate(LOSE, iterations=400, seed=2).to_dict()
            os.write(write, b"y" if got == want else b"n")
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 60
    done = 0
    while done == 0 and time.monotonic() < deadline:
        done, _ = os.waitpid(child, os.WNOHANG)
        time.sleep(0.05)
    if done == 0:
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
    answer = os.read(read, 1)
    os.close(read)
    assert done == child, "the forked child hung"
    assert answer == b"y"


@pytest.mark.parametrize("threads", [1, 2])
def test_ctrl_c_stops_a_long_simulation(agency_path: Path, threads: int) -> None:
    m = bcm.Model.load(agency_path)
    m.threads = threads
    # A process started in the background by a non-interactive shell inherits SIGINT ignored,
    # and Python then installs no handler: give it Python's for this test.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            m.simulate(LOSE, iterations=10**9)  # minutes of work
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - started < 20
    # The interrupted run withdrew its cancellation: the next one runs.
    assert m.simulate(LOSE, iterations=10).to_dict()["iterations"] == 10
